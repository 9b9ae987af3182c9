"""A local HTTP server that replays recorded BOAMP and TED responses (the live APIs are out
of reach in tests and demos), with failures on demand."""

from __future__ import annotations

import json
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse


class Replay:
    def __init__(self, boamp_records: list[dict], ted_notices: dict[str, bytes]) -> None:
        self.boamp_records = boamp_records
        self.ted_notices = ted_notices
        self.fail = {}  # request key -> number of failures still to give (-1: always)
        self.requests: list[str] = []
        self.base_url = ""

    def should_fail(self, key: str) -> bool:
        left = self.fail.get(key, 0)
        if left == 0:
            return False
        if left > 0:
            self.fail[key] = left - 1
        return True


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
                key = f"boamp:{offset}"
                replay.requests.append(key)
                if replay.should_fail(key):
                    return self.send(503, b'{"error": "indisponible"}')
                page = replay.boamp_records[offset:offset + limit]
                body = {"total_count": len(replay.boamp_records), "results": page}
                return self.send(200, json.dumps(body).encode())
            if url.path.startswith("/ted/xml/"):
                number = url.path.rsplit("/", 1)[-1]
                replay.requests.append(f"ted-xml:{number}")
                return self.send(200, replay.ted_notices[number], "application/xml")
            return self.send(404, b"{}")

        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            page, limit = body["page"], body["limit"]
            key = f"ted:{page}"
            replay.requests.append(key)
            if replay.should_fail(key):
                return self.send(503, b"{}")
            numbers = sorted(replay.ted_notices)[(page - 1) * limit: page * limit]
            notices = [{"publication-number": n,
                        "links": {"xml": {"MUL": f"{replay.base_url}/ted/xml/{n}"}}}
                       for n in numbers]
            self.send(200, json.dumps({"notices": notices,
                                       "totalNoticeCount": len(replay.ted_notices)}).encode())

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
