"""A local HTTP server that replays recorded BOAMP, TED and DECP responses (the live APIs are out
of reach in tests and demos), with failures on demand.

It answers like the real services in what the pollers rely on: BOAMP's records filtered by the
`where` clause on `dateparution`, sorted by (dateparution, idweb), refused past
offset + limit = `max_offset` (10,000 at the DILA); TED's search in iteration mode (a token
until the last page); data.gouv.fr's dataset description listing the DECP daily files, and the
files themselves.
"""

from __future__ import annotations

import json
import re
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

_SINCE = re.compile(r"dateparution>=date'(\d{4}-\d{2}-\d{2})'")
_UNTIL = re.compile(r"dateparution<date'(\d{4}-\d{2}-\d{2})'")


class Replay:
    def __init__(self, boamp_records: list[dict], ted_notices: dict[str, bytes | None],
                 decp_days: dict[str, bytes] | None = None, max_offset: int = 10_000) -> None:
        self.boamp_records = boamp_records
        self.ted_notices = ted_notices
        self.decp_days = decp_days or {}  # "2026-11-30" -> the day's DECP JSON
        self.max_offset = max_offset
        self.fail = {}  # request key -> number of failures still to give (-1: always)
        self.requests: list[str] = []
        self.boamp_queries: list[str] = []  # each BOAMP `where` asked, in order
        self.base_url = ""

    def should_fail(self, key: str) -> bool:
        left = self.fail.get(key, 0)
        if left == 0:
            return False
        if left > 0:
            self.fail[key] = left - 1
        return True

    def boamp_window(self, where: str) -> list[dict]:
        since, until = _SINCE.search(where), _UNTIL.search(where)
        records = [r for r in self.boamp_records
                   if (not since or str(r.get("dateparution")) >= since[1])
                   and (not until or str(r.get("dateparution")) < until[1])]
        return sorted(records, key=lambda r: (str(r.get("dateparution")), str(r.get("idweb"))))


def _handler(replay: Replay):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def send(self, status: int, body: bytes, content_type="application/json"):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            url = urlparse(self.path)
            query = parse_qs(url.query)
            if url.path.endswith("/catalog/datasets/boamp/records"):
                offset, limit = int(query["offset"][0]), int(query["limit"][0])
                where = query.get("where", [""])[0]
                key = f"boamp:{offset}"
                replay.requests.append(key)
                replay.boamp_queries.append(where)
                if replay.should_fail(key):
                    return self.send(503, b'{"error": "indisponible"}')
                if offset + limit > replay.max_offset:
                    return self.send(400, json.dumps({
                        "error_code": "InvalidRESTParameterError",
                        "message": f"offset + limit must be lower than {replay.max_offset}"}).encode())
                window = replay.boamp_window(where)
                body = {"total_count": len(window), "results": window[offset:offset + limit]}
                return self.send(200, json.dumps(body).encode())
            if url.path.startswith("/ted/xml/"):
                number = url.path.rsplit("/", 1)[-1]
                replay.requests.append(f"ted-xml:{number}")
                return self.send(200, replay.ted_notices[number], "application/xml")
            if url.path == "/decp/dataset":
                replay.requests.append("decp:dataset")
                if replay.should_fail("decp:dataset"):
                    return self.send(503, b"{}")
                resources = [{"title": f"decp-{day}.json", "format": "json",
                              "url": f"{replay.base_url}/decp/files/decp-{day}.json"}
                             for day in sorted(replay.decp_days)]
                resources.append({"title": "decp.json", "format": "json",
                                  "url": f"{replay.base_url}/decp/files/decp.json"})  # the aggregate: not read
                return self.send(200, json.dumps({"title": "DECP consolidées", "resources": resources}).encode())
            if url.path.startswith("/decp/files/decp-"):
                day = url.path.rsplit("decp-", 1)[-1].removesuffix(".json")
                replay.requests.append(f"decp:{day}")
                if replay.should_fail(f"decp:{day}"):
                    return self.send(503, b"{}")
                return self.send(200, replay.decp_days[day])
            return self.send(404, b"{}")

        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            if body.get("paginationMode") != "ITERATION":
                return self.send(400, b'{"message": "paginationMode ITERATION attendu"}')
            start, limit = int(body.get("iterationNextToken") or 0), body["limit"]
            key = f"ted:{start}"
            replay.requests.append(key)
            if replay.should_fail(key):
                return self.send(503, b"{}")
            numbers = sorted(replay.ted_notices)[start:start + limit]
            # A notice recorded as None is listed without an XML link (as TED does for some).
            notices = [{"publication-number": n,
                        "links": {"xml": {"MUL": f"{replay.base_url}/ted/xml/{n}"}}
                        if replay.ted_notices[n] is not None else {}}
                       for n in numbers]
            following = start + limit
            answer = {"notices": notices, "totalNoticeCount": len(replay.ted_notices),
                      "iterationNextToken": str(following) if following < len(replay.ted_notices) else None}
            self.send(200, json.dumps(answer).encode())

    return Handler


@contextmanager
def replay_server(replay: Replay):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(replay))
    replay.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield replay
    finally:
        server.shutdown()
        server.server_close()


def recorded_boamp_records(samples: Path | None, demo: Path) -> list[dict]:
    """The records of the three recorded BOAMP pages when the samples are at hand, else ours."""
    if samples is not None:
        records = []
        for page in (1, 2, 3):
            wrapper = json.loads((samples / "boamp" / "opendatasoft"
                                  / f"boamp-pagination-page-{page}.json").read_text())
            records.extend(wrapper["data"]["results"])
        return records
    return json.loads((demo / "boamp-api-page-loire-haute-loire.json").read_text())["results"]
