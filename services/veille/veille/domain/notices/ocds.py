"""OCDS release packages converted from DECP (data.gouv.fr, ocid prefix "ocds-78apv2-").

The same contract published as DECP JSON and as OCDS must normalise to the
same identity: `source_id` is the DECP contract id and `procedure_id` the
DECP uid (buyer SIRET + contract id), both recovered from `decpUID`.
Packages from other OCDS publishers are not DECP and are refused.
"""

from __future__ import annotations

from typing import Any

from . import codes
from .consolidate import consolidate
from .dates import parse_date
from .errors import NoticeError
from .model import Buyer, Notice
from .values import clean_text, money, siret

DECP_OCID_PREFIX = "ocds-78apv2-"


def notices_from_json(document: Any) -> list[Notice]:
    releases = document.get("releases") if isinstance(document, dict) else None
    if not isinstance(releases, list):
        raise NoticeError("paquet OCDS sans « releases »")
    return [_notice(release) for release in releases]


def _notice(release: Any) -> Notice:
    if not isinstance(release, dict) or not str(release.get("ocid", "")).startswith(DECP_OCID_PREFIX):
        raise NoticeError("paquet OCDS non DECP (préfixe d'ocid attendu : ocds-78apv2-)")
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
        contract_end=parse_date((contract.get("period") or {}).get("endDate")),
    )
    return consolidate(notice)
