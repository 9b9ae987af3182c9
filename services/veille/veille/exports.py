"""What leaves veille as a file: a search as CSV (for a spreadsheet), and a profile's matches as
a private Atom feed (for a feed reader), at a URL signed with the platform's secret."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any, Iterable

from feedgen.feed import FeedGenerator
from itsdangerous import BadSignature, URLSafeSerializer

from centrale.french import label, spreadsheet_datetime

FEED_SALT = "veille.profile_feed"
CSV_COLUMNS = (
    ("id", "Numéro"), ("title", "Objet"), ("buyer_name", "Acheteur"),
    ("buyer_siret", "SIRET de l'acheteur"), ("state", "État"), ("closes_at", "Date limite"),
    ("estimated_amount", "Montant estimé (HT)"), ("currency", "Devise"),
    ("cpv_main", "CPV principal"), ("departments", "Départements"),
    ("reserved", "Réservé à"), ("social_clause", "Clause sociale"),
    ("insertion_clause", "Clause d'insertion"), ("lot_count", "Lots"),
    ("url", "Avis officiel"), ("documents_url", "Dossier de consultation"))


# Codes a person would read raw, by the label kind that says them in French.
CSV_LABELS = {"state": "tender_state", "reserved": "tender_reservation"}


def _cell(value: Any, kind: str | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if kind is not None:
        values = value if isinstance(value, (list, tuple)) else [value]
        return ", ".join(label(kind, v) for v in values)
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    if isinstance(value, datetime):
        return spreadsheet_datetime(value)
    text = str(value)
    # A cell starting with = + - @ is a formula to a spreadsheet: quote it as text.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def tenders_csv(rows: Iterable[dict[str, Any]]) -> str:
    """A search's tenders as CSV, with French headers, states and reservations, dates as a French
    spreadsheet reads them (« 20/01/2027 12:00 », Paris), read by spreadsheets (BOM, « ; »)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([label for _key, label in CSV_COLUMNS])
    for row in rows:
        writer.writerow([_cell(row.get(key), CSV_LABELS.get(key)) for key, _label in CSV_COLUMNS])
    return "\ufeff" + out.getvalue()


class FeedSigner:
    def __init__(self, secret: str) -> None:
        self._serializer = URLSafeSerializer(secret, salt=FEED_SALT)

    def token(self, profile_id: int) -> str:
        return self._serializer.dumps({"p": profile_id})

    def profile_of(self, token: str) -> int | None:
        try:
            data = self._serializer.loads(token)
        except BadSignature:
            return None
        value = data.get("p") if isinstance(data, dict) else None
        return value if isinstance(value, int) and not isinstance(value, bool) else None


def feed_path(signer: FeedSigner, profile_id: int) -> str:
    return f"/flux/{signer.token(profile_id)}.atom"


def profile_atom(profile: dict[str, Any], matches: list[dict[str, Any]], self_url: str,
                 portail_url: str) -> bytes:
    feed = FeedGenerator()
    feed.id(self_url)
    feed.title(f"Centrale des marchés solidaires — {profile['name']}")
    feed.subtitle("Les appels d'offres que ce profil d'alerte a trouvés, les plus récents d'abord.")
    feed.link(href=self_url, rel="self")
    feed.language("fr")
    feed.updated(max((m["matched_at"] for m in matches), default=profile["updated_at"]))
    for match in reversed(matches):  # feedgen puts the last added first
        entry = feed.add_entry()
        link = f"{portail_url}/appels-d-offres/{match['tender_id']}"
        entry.id(f"{self_url}#{match['tender_id']}")
        entry.title(match["title"])
        entry.link(href=link)
        if match.get("url"):
            entry.link(href=match["url"], rel="related", title="Avis officiel")
        entry.updated(match["matched_at"])
        lines = [f"Acheteur : {match['buyer_name']}"] if match.get("buyer_name") else []
        if match.get("closes_at"):
            lines.append(f"Date limite : {match['closes_at'].isoformat(timespec='minutes')}")
        lines += list(match.get("reasons") or [])
        entry.summary(" · ".join(lines))
    return feed.atom_str(pretty=True)


