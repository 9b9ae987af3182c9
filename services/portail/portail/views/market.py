"""The market's memory, read from veille: a buyer's page (its tenders, awards, renewals to come
and its share of reserved lots and lots with a social clause) and a winner's page (what it
won, who else wins on its trades). Advisors and members alike: awards are public information."""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, abort, render_template, request

from ..clients import ApiError, call
from ..security import login_required

blp = Blueprint("market", __name__)


@blp.get("/acheteurs")
@login_required
def buyers():
    words = request.args.get("q", "").strip()
    found, error = None, None
    if len(words) >= 2:
        found = call("veille", "GET", "/api/buyers", params={"q": words[:200]})
    elif words:
        error = "Tapez au moins deux lettres du nom de l'acheteur."
    return render_template("market/buyers.html", words=words, found=found, error=error)


@blp.get("/acheteurs/<string:buyer_key>")
@login_required
def buyer(buyer_key: str):
    # The key is a SIRET or « nom:… » (a folded name): quoted whole, it stays one path segment.
    # (veille's 404, an unknown buyer, is the portail's « Page introuvable »: app.py)
    page = call("veille", "GET", f"/api/buyers/{quote(buyer_key[:220], safe='')}")
    return render_template("market/buyer.html", buyer=page)


@blp.get("/titulaires/<string:siret>")
@login_required
def winner(siret: str):
    if not (len(siret) == 14 and siret.isdigit()):
        abort(404)
    page = call("veille", "GET", f"/api/winners/{siret}")
    return render_template("market/winner.html", winner=page,
                           trades=cpv_labels(page["cpv_classes"]))


def cpv_labels(classes: list[str]) -> list[tuple[str, str | None]]:
    """Each CPV class with the label of its code (« 7731 » is « 77310000 »), when veille has
    the vocabulary."""
    named = []
    for prefix in classes:
        code = prefix.ljust(8, "0")
        try:
            rows = call("veille", "GET", "/api/cpv", params={"prefix": code})
        except ApiError:
            rows = []
        named.append((prefix, next((r["label_fr"] for r in rows if r["code"] == code), None)))
    return named
