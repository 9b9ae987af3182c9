"""« Nothing missed », for advisors and admins: each poll of veille's live sources (BOAMP, TED,
DECP) with what the source announced beside what became of it, and the quarantine of records
that could not be read, each with its whole raw text."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request

from centrale.french import LABELS

from ..clients import call, get_page
from ..security import staff_required

blp = Blueprint("feeds", __name__)

PAGE_SIZE = 30


def _page_number() -> int:
    page = request.args.get("page", "1")
    return int(page) if page.isdigit() and int(page) > 0 else 1


@blp.get("/veille/releves")
@staff_required
def polls():
    source = request.args.get("source", "")
    params = {"page": _page_number(), "page_size": PAGE_SIZE}
    if source in ("boamp", "ted", "decp"):
        params["source"] = source
    else:
        source = ""
    result = get_page("veille", "/api/feeds/polls", params)
    quarantine = get_page("veille", "/api/quarantine", {"page_size": 1})
    latest = {}
    for poll in result.items:  # newest first: the first of each source is its last poll
        latest.setdefault(poll["source"], poll)
    missing = sum(poll["missing"] for poll in result.items)
    return render_template("feeds/polls.html", result=result, source=source, latest=latest,
                           missing=missing, quarantined_total=quarantine.total,
                           sources={k: LABELS["feed_source"][k] for k in ("boamp", "ted", "decp")})


@blp.get("/veille/quarantaine")
@staff_required
def quarantine():
    result = get_page("veille", "/api/quarantine", {"page": _page_number(), "page_size": PAGE_SIZE})
    return render_template("feeds/quarantine.html", result=result)


@blp.get("/veille/quarantaine/<int:quarantine_id>/texte-brut.txt")
@staff_required
def quarantined_text(quarantine_id: int):
    """The record's whole raw text as it arrived, as plain text (never rendered as HTML)."""
    row = call("veille", "GET", f"/api/quarantine/{quarantine_id}")  # its 404 is ours
    return Response(row["content"] or row.get("excerpt") or "",
                    mimetype="text/plain", headers={
                        "Content-Type": "text/plain; charset=utf-8",
                        "Content-Disposition":
                            f'inline; filename="quarantaine-{quarantine_id}.txt"'})
