"""OCDS release packages converted from DECP (data.gouv.fr, ocid prefix "ocds-78apv2-").

The same contract published as DECP JSON and as OCDS must normalise to the
same identity: `source_id` is the DECP contract id and `procedure_id` the
DECP uid (buyer SIRET + contract id), both recovered from `decpUID`.
Packages from other OCDS publishers are not DECP and are refused (each
release on its own: one foreign release does not cost the others).

Winners are each award's `suppliers`, named and identified through
`parties`; the award's value goes to its first supplier (see `model.Award`).
The contract's life comes from `contracts[0].period` (a duration in days is
read in months, as DECP writes it).
"""

from __future__ import annotations

from typing import Any

from . import codes
from .consolidate import consolidate
from .dates import add_months, parse_date
from .errors import NoticeError
from .model import Award, Buyer, Contract, Notice, Winner
from .reading import RecordFormat
from .values import clean_text, list_field, money, number_field, object_field, siret, text_field

_DAYS_PER_MONTH = 365.25 / 12
_AWARD_STATUSES = {"unsuccessful": "unsuccessful", "cancelled": "cancelled"}

DECP_OCID_PREFIX = "ocds-78apv2-"


def _releases(document: Any) -> list:
    releases = document.get("releases") if isinstance(document, dict) else None
    if not isinstance(releases, list):
        raise NoticeError("paquet OCDS sans « releases »")
    return releases


def notices_from_json(document: Any) -> list[Notice]:
    return [_notice(release) for release in _releases(document)]


def _label(release: Any, position: int) -> str:
    ocid = release.get("ocid") if isinstance(release, dict) else None
    return f"release OCDS « {ocid} » (n° {position})" if isinstance(ocid, str) else f"release OCDS n° {position}"


def _notice(release: Any, _position: int = 1) -> Notice:
    if not isinstance(release, dict) or not str(release.get("ocid", "")).startswith(DECP_OCID_PREFIX):
        raise NoticeError("release non DECP (préfixe d'ocid attendu : ocds-78apv2-)")
    uid = release.get("decpUID") or release["ocid"][len(DECP_OCID_PREFIX):]
    buyer_party = next((p for p in release.get("parties", []) if "buyer" in p.get("roles", [])), {})
    buyer_siret = siret((buyer_party.get("identifier") or {}).get("id"))
    award = next(iter(release.get("awards") or []), {})
    contract = next(iter(release.get("contracts") or []), {})
    items = [*award.get("items", []), *contract.get("items", [])]
    cpvs = [codes.cpv((item.get("classification") or {}).get("id")) for item in items
            if (item.get("classification") or {}).get("scheme", "CPV").upper() == "CPV"]
    value = award.get("value") or contract.get("value") or {}
    notice = Notice(
        source="decp",
        # uid = 14-digit buyer SIRET + the buyer's own contract id.
        source_id=uid[14:] if buyer_siret and uid.startswith(buyer_siret) else uid,
        procedure_id=uid,
        notice_type="award",
        title=clean_text(
            award.get("description") or contract.get("description") or (release.get("tender") or {}).get("title")
        ),
        buyer=Buyer(name=clean_text(buyer_party.get("name")) or None, siret=buyer_siret),
        cpv_main=next((code for code in cpvs if code), None),
        cpv_additional=[code for code in cpvs[1:] if code],
        estimated_value=money(value.get("amount"), value.get("currency")),
        language=codes.language(release.get("language")) or "fr",
    )
    notice.awards, lot_results = _awards(release)
    if not notice.awards:  # an award that names nobody says what became of the procedure
        notice.result = lot_results.get(None)
    notice.contract = _contract(contract, parse_date(text_field(award, "date")))
    notice.contract_end = notice.contract.end
    return consolidate(notice)


def _awards(release: dict) -> tuple[list[Award], dict]:
    """Every (award, supplier), and the results of the awards that name no winner."""
    parties = {party.get("id"): party for party in list_field(release, "parties") if isinstance(party, dict)}
    awards, results = [], {}
    for award in list_field(release, "awards"):
        if not isinstance(award, dict):
            continue
        lots = [str(lot) for lot in list_field(award, "relatedLots")]
        lot = lots[0] if lots else None
        status = (text_field(award, "status") or "").lower()
        if status in _AWARD_STATUSES:
            results[lot] = _AWARD_STATUSES[status]
            continue
        value = object_field(award, "value")
        amount = money(number_field(value, "amount"), text_field(value, "currency"))
        awarded_on = parse_date(text_field(award, "date"))
        for position, supplier in enumerate(list_field(award, "suppliers")):
            party = parties.get(supplier.get("id"), {}) if isinstance(supplier, dict) else {}
            identifier = object_field(party, "identifier")
            awards.append(Award(
                lot=lot,
                winner=Winner(name=clean_text(text_field(supplier, "name") or text_field(party, "name")) or None,
                              siret=siret(text_field(identifier, "id"))),
                amount=amount if position == 0 else None,
                date=awarded_on,
            ))
    return awards, results


def _contract(contract: dict, awarded_on) -> Contract:
    period = object_field(contract, "period")
    start = parse_date(text_field(period, "startDate")) or awarded_on
    days = number_field(period, "durationInDays")
    duration = round(float(days) / _DAYS_PER_MONTH) if days not in (None, "") else None
    end = parse_date(text_field(period, "endDate"))
    if end is None and start and duration:
        end = add_months(start, duration)
    value = object_field(contract, "value")
    return Contract(start=start, duration_months=duration or None, end=end,
                    amount=money(number_field(value, "amount"), text_field(value, "currency")))


FORMAT = RecordFormat(records=_releases, notice=_notice, label=_label)
