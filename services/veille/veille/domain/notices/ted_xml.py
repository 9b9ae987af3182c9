"""TED_EXPORT notices (TED XML R2.0.8/R2.0.9, the pre-eForms forms F01-F25).

The schema namespace changes with each release, so elements are found by
local name. The form itself is the first child of FORM_SECTION marked
CATEGORY="ORIGINAL" (the others are translations).

Award forms (F03, F06, F21, F22, F23, F25) carry one AWARD_CONTRACT per
lot and contract: AWARDED_CONTRACT names its CONTRACTORS (several when
awarded to a group: one Award each, VALUES/VAL_TOTAL, the awarded value,
on the first) and DATE_CONCLUSION_CONTRACT; NO_AWARDED_CONTRACT says
PROCUREMENT_UNSUCCESSFUL (« infructueux ») or PROCUREMENT_DISCONTINUED
(« sans suite »). VAL_ESTIMATED_TOTAL is an estimate, never an award.
"""

from __future__ import annotations

import re

from lxml import etree

from . import codes
from .consolidate import consolidate
from .dates import combine, parse_date, parse_datetime, zone_for_country
from .errors import NoticeError
from .model import Award, Buyer, Lot, Notice, Place, Winner
from .values import clean_text, money, siret

_NOTICE_TYPES = {
    "CONTRACT": "contract",
    "PRI_ONLY": "prior_information",
    "PRI_CALL_COMPETITION": "prior_information",
    "PRI_REDUCING_TIME_LIMITS": "prior_information",
    "PER_ONLY": "prior_information",
    "PER_CALL_COMPETITION": "prior_information",
    "PER_REDUCING_TIME_LIMITS": "prior_information",
    "AWARD_CONTRACT": "award",
    "QUALIFICATION_SYSTEM": "other",
    "CONCESSION": "contract",
}
# CODIF_DATA/TD_DOCUMENT_TYPE codes, when the form says nothing clearer.
_DOCUMENT_TYPES = {"0": "prior_information", "3": "contract", "7": "award", "1": "corrigendum", "V": "award"}


def _path(*steps: str) -> str:
    return "/".join("*" if step == "*" else f"*[local-name()='{step}']" for step in steps)


def _all(element: etree._Element | None, *steps: str) -> list:
    return element.xpath(_path(*steps)) if element is not None else []


def _first(element: etree._Element | None, *steps: str) -> etree._Element | None:
    found = _all(element, *steps)
    return found[0] if found else None


def _paragraphs(element: etree._Element | None) -> str:
    """A TED text block (TITLE, SHORT_DESCR...) is a list of <P>; join them."""
    if element is None:
        return ""
    return clean_text("\n".join("".join(p.itertext()) for p in _all(element, "P")) or "".join(element.itertext()))


def _codes(element: etree._Element | None, *steps: str) -> list[str]:
    return [node.get("CODE") for node in _all(element, *steps) if node.get("CODE")]


def notices_from_xml(root: etree._Element) -> list[Notice]:
    forms = _all(root, "FORM_SECTION", "*")
    if not forms:
        raise NoticeError("TED_EXPORT sans formulaire (FORM_SECTION vide)")
    form = next((f for f in forms if f.get("CATEGORY") == "ORIGINAL"), forms[0])
    return [_notice(root, form)]


def _notice(root: etree._Element, form: etree._Element) -> Notice:
    notice_data = _first(root, "CODED_DATA_SECTION", "NOTICE_DATA")
    country = _first(notice_data, "ISO_COUNTRY")
    zone = zone_for_country(country.get("VALUE") if country is not None else None)
    publication = (root.get("DOC_ID") or "").lstrip("0") or None
    contract = _first(form, "OBJECT_CONTRACT")
    procedure = _first(form, "PROCEDURE")
    descriptions = _all(contract, "OBJECT_DESCR")
    awards, lot_results = _awards(form)
    lots = [_lot(d, i) for i, d in enumerate(descriptions, 1)] if _first(contract, "NO_LOT_DIVISION") is None else []
    for lot in lots:
        lot.result = lot_results.get(lot.id)
    clauses = codes.clauses_in(*_performance_conditions(form))
    notice = Notice(
        source="ted",
        source_id=publication or "",
        procedure_id=_original_notice(notice_data) or publication,
        notice_type=_notice_type(root, form),
        title=_paragraphs(_first(contract, "TITLE")),
        description=_paragraphs(_first(contract, "SHORT_DESCR")),
        buyer=_buyer(form),
        cpv_main=codes.cpv(next(iter(_codes(contract, "CPV_MAIN", "CPV_CODE")), None)),
        cpv_additional=[c for d in descriptions for c in _codes(d, "CPV_ADDITIONAL", "CPV_CODE")],
        place=_place(notice_data, descriptions),
        estimated_value=_value(_first(contract, "VAL_ESTIMATED_TOTAL")),
        deadline=_deadline(root, form, procedure, zone),
        procedure_type=_procedure(root, procedure),
        reserved=sorted({codes.TED_RESERVATIONS[name] for name in _element_names(form)
                         if name in codes.TED_RESERVATIONS}),
        social_criteria=_social(form),
        lots=lots,
        url=_url(notice_data),
        language=codes.language(_text(notice_data, "LG_ORIG") or form.get("LG")),
        awards=awards,
        result=lot_results.get(None) if not lots and not awards else None,
        social_clause=clauses[0],
        insertion_clause=clauses[1],
        insertion_hours=clauses[2],
        documents_url=_text(form, "CONTRACTING_BODY", "URL_DOCUMENT") or _text(
            form, "CONTRACTING_BODY", "ADDRESS_CONTRACTING_BODY", "URL_BUYER"),
    )
    if lots and len(lot_results) == len(lots) and len(set(lot_results.values())) == 1:
        notice.result = next(iter(lot_results.values()))
    return consolidate(notice)


_NO_AWARD = {"PROCUREMENT_UNSUCCESSFUL": "unsuccessful", "PROCUREMENT_DISCONTINUED": "cancelled"}


def _awards(form: etree._Element) -> tuple[list[Award], dict[str | None, str]]:
    awards: list[Award] = []
    results: dict[str | None, str] = {}
    for award in _all(form, "AWARD_CONTRACT"):
        lot = _text(award, "LOT_NO")
        missing = _first(award, "NO_AWARDED_CONTRACT")
        if missing is not None:
            names = _element_names(missing)
            results[lot] = next((result for name, result in _NO_AWARD.items() if name in names), "unsuccessful")
            continue
        awarded = _first(award, "AWARDED_CONTRACT")
        value = _first(awarded, "VALUES", "VAL_TOTAL")
        amount = money("".join(value.itertext()), value.get("CURRENCY")) if value is not None else None
        day = parse_date(_text(awarded, "DATE_CONCLUSION_CONTRACT"))
        # R2.0.9 lists CONTRACTORS/CONTRACTOR; R2.0.8 a single CONTRACTOR directly.
        contractors = _all(awarded, "CONTRACTORS", "CONTRACTOR") or _all(awarded, "CONTRACTOR")
        for position, contractor in enumerate(contractors):
            address = _first(contractor, "ADDRESS_CONTRACTOR")
            country = _first(address, "COUNTRY")
            french = country is None or country.get("VALUE") == "FR"
            awards.append(Award(
                lot=lot,
                winner=Winner(name=_text(address, "OFFICIALNAME"),
                              siret=siret(_text(address, "NATIONALID")) if french else None),
                amount=amount if position == 0 else None,
                date=day,
            ))
    return awards, results


def _performance_conditions(form: etree._Element) -> list[str]:
    """Execution conditions (III.2.2), reservations restated there left out."""
    conditions = [_paragraphs(node) for node in form.xpath(".//*[local-name()='PERFORMANCE_CONDITIONS']")]
    return [text for text in conditions if "RESERV" not in codes.plain(text)]


def _text(element: etree._Element | None, *steps: str) -> str | None:
    node = _first(element, *steps)
    text = "".join(node.itertext()).strip() if node is not None else ""
    return text or None


def _element_names(form: etree._Element) -> set[str]:
    return {etree.QName(el).localname for el in form.iter() if isinstance(el.tag, str)}


def _original_notice(notice_data: etree._Element | None) -> str | None:
    """A corrigendum points at the notice it corrects: "2019/S 040-091489" -> "91489-2019"."""
    reference = _text(notice_data, "REF_NOTICE", "NO_DOC_OJS")
    match = re.match(r"(\d{4})/S\s*\d+-0*(\d+)", reference or "")
    return f"{match[2]}-{match[1]}" if match else None


def _notice_type(root: etree._Element, form: etree._Element) -> str:
    if etree.QName(form).localname.startswith("F14"):
        return "corrigendum"
    notice = _first(form, "NOTICE")
    if notice is not None and notice.get("TYPE") in _NOTICE_TYPES:
        return _NOTICE_TYPES[notice.get("TYPE")]
    document_type = _first(root, "CODED_DATA_SECTION", "CODIF_DATA", "TD_DOCUMENT_TYPE")
    return _DOCUMENT_TYPES.get(document_type.get("CODE") if document_type is not None else "", "other")


def _buyer(form: etree._Element) -> Buyer:
    address = _first(form, "CONTRACTING_BODY", "ADDRESS_CONTRACTING_BODY")
    nuts = _codes(address, "NUTS")
    return Buyer(
        name=_text(address, "OFFICIALNAME"),
        siret=siret(_text(address, "NATIONALID")),
        nuts=nuts[0] if nuts else None,
    )


def _place(notice_data: etree._Element | None, descriptions: list[etree._Element]) -> Place:
    place = Place(nuts=_codes(notice_data, "PERFORMANCE_NUTS"))
    for description in descriptions:
        place.nuts.extend(_codes(description, "NUTS"))
    return place


def _value(element: etree._Element | None):
    if element is None:
        return None
    return money("".join(element.itertext()), element.get("CURRENCY"))


def _deadline(root: etree._Element, form: etree._Element, procedure: etree._Element | None, zone):
    moved = _moved_deadline(form, zone)
    if moved:
        return moved
    day = _text(procedure, "DATE_RECEIPT_TENDERS")
    if day:
        return combine(day, _text(procedure, "TIME_RECEIPT_TENDERS"), zone)
    return parse_datetime(_text(root, "CODED_DATA_SECTION", "CODIF_DATA", "DT_DATE_FOR_SUBMISSION"), zone)


def _moved_deadline(form: etree._Element, zone):
    """A corrigendum (F14) moving the time limit: CHANGE at section IV.2.2 with a NEW_VALUE date."""
    for change in form.xpath(".//*[local-name()='CHANGE']"):
        section = (_text(change, "WHERE", "SECTION") or "").strip()
        label = codes.plain(_text(change, "WHERE", "LABEL"))
        if section.startswith("IV.2.2") or "DATE LIMITE" in label or "TIME LIMIT" in label:
            new_value = _first(change, "NEW_VALUE")
            day = _text(new_value, "DATE")
            if day:
                return combine(day, _text(new_value, "TIME"), zone)
    return None


def _procedure(root: etree._Element, procedure: etree._Element | None) -> str | None:
    for child in procedure if procedure is not None else []:
        if isinstance(child.tag, str) and etree.QName(child).localname in codes.TED_PROCEDURES:
            return codes.TED_PROCEDURES[etree.QName(child).localname]
    label = _text(root, "CODED_DATA_SECTION", "CODIF_DATA", "PR_PROC")
    if not label:
        return None
    text = label.lower()
    for word, procedure_type in (("open", "open"), ("restricted", "restricted"), ("dialogue", "competitive_dialogue"),
                                 ("innovation", "innovation_partnership"), ("without", "negotiated_without_call"),
                                 ("negotiat", "negotiated")):
        if word in text:
            return procedure_type
    return "other"


def _social(form: etree._Element) -> bool:
    """Social award criteria or execution conditions.

    French buyers often copy the reserved-contract article into
    PERFORMANCE_CONDITIONS: that text is a reservation (read from LEFTI), not
    a social clause, so it is skipped.
    """
    criteria = ["".join(node.itertext()) for node in form.xpath(".//*[local-name()='AC_CRITERION']")]
    return codes.mentions_social(*criteria, *_performance_conditions(form))


def _lot(description: etree._Element, position: int) -> Lot:
    return Lot(
        id=_text(description, "LOT_NO") or str(position),
        title=_paragraphs(_first(description, "TITLE")) or None,
        cpv_main=next(iter(_codes(description, "CPV_ADDITIONAL", "CPV_CODE")), None),
        cpv_additional=_codes(description, "CPV_ADDITIONAL", "CPV_CODE")[1:],
        estimated_value=_value(_first(description, "VAL_OBJECT")),
    )


def _url(notice_data: etree._Element | None) -> str | None:
    uris = [(uri.text or "").strip() for uri in _all(notice_data, "URI_LIST", "URI_DOC")]
    return next((uri for uri in uris if uri), None)
