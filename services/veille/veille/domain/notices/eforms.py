"""eForms (EU 2019/1780) UBL notices, as published on TED or inside BOAMP records.

Paths follow the eForms SDK business terms (BT-xx in comments). The root
element may be any notice type and any namespace prefix
(`<ContractNotice>`, `<urn:PriorInformationNotice>`...), so only its children
are addressed, through the fixed UBL namespaces.
"""

from __future__ import annotations

from datetime import datetime

from lxml import etree

from . import codes
from .consolidate import consolidate
from .dates import combine
from .model import Buyer, Lot, Notice, Place
from .trees import UBL_NAMESPACES as NS
from .values import clean_text, money, siret
from centrale.territory import department_from_postcode

_EXTENSION = "ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/efext:EformsExtension"
_CPV = "cbc:ItemClassificationCode[not(@listName) or @listName='cpv']"
_DEADLINE_PERIODS = (
    "cac:TenderingProcess/cac:TenderSubmissionDeadlinePeriod",  # BT-131 tenders
    "cac:TenderingProcess/cac:ParticipationRequestReceptionPeriod",  # BT-1311 requests to participate
    f"cac:TenderingProcess/{_EXTENSION}/efac:InterestExpressionReceptionPeriod",  # BT-630 PIN interest
)


def notices_from_xml(root: etree._Element) -> list[Notice]:
    """An eForms XML document holds exactly one notice."""
    return [notice_from_ubl(root)]


def notice_from_ubl(root: etree._Element) -> Notice:
    """Map an eForms UBL tree to a Notice (source "ted"; BOAMP overrides its identity)."""
    reader = _Reader(root)
    publication = reader.text(f"{_EXTENSION}/efac:Publication/efbc:NoticePublicationID")  # OPP-010
    publication_number = publication.lstrip("0") if publication else None
    notice_id = reader.text("cbc:ID[@schemeName='notice-id']") or reader.text("cbc:ID")  # BT-701
    lot_elements = _lot_elements(root)
    project = _first(root, "cac:ProcurementProject")
    notice = Notice(
        source="ted",
        source_id=publication_number or notice_id or "",
        procedure_id=reader.text("cbc:ContractFolderID"),  # BT-04
        notice_type=_notice_type(reader.text("cbc:NoticeTypeCode"), bool(_all(root, f"{_EXTENSION}/efac:Changes"))),
        title=reader.localized(project, "cbc:Name"),  # BT-21
        description=reader.localized(project, "cbc:Description"),  # BT-24
        buyer=_buyer(root),
        cpv_main=_text(project, f"cac:MainCommodityClassification/{_CPV}"),  # BT-262
        cpv_additional=_texts(project, f"cac:AdditionalCommodityClassification/{_CPV}"),  # BT-263
        place=_place([project, *(_first(lot, "cac:ProcurementProject") for lot in lot_elements)]),
        estimated_value=_value(project),
        procedure_type=_procedure(reader.text("cac:TenderingProcess/cbc:ProcedureCode")),  # BT-105
        reserved=sorted(_reservations(_first(root, "cac:TenderingTerms"))),
        social_criteria=_social(root) or any(_social(lot) for lot in lot_elements),
        lots=[_lot(reader, lot) for lot in lot_elements],
        url=f"https://ted.europa.eu/fr/notice/-/detail/{publication_number}" if publication_number else None,
        language=codes.language(reader.text("cbc:NoticeLanguageCode")),  # BT-702
    )
    return consolidate(notice)


class _Reader:
    """Reads texts from the root, preferring French, then the notice's language."""

    def __init__(self, root: etree._Element):
        self.root = root
        notice_language = _text(root, "cbc:NoticeLanguageCode") or ""
        self.languages = ["FRA", notice_language.upper()]

    def text(self, path: str) -> str | None:
        return _text(self.root, path)

    def localized(self, element: etree._Element | None, path: str) -> str:
        if element is None:
            return ""
        nodes = [node for node in _all(element, path) if (node.text or "").strip()]
        for wanted in self.languages:
            for node in nodes:
                if (node.get("languageID") or "").upper() == wanted:
                    return clean_text(node.text)
        return clean_text(nodes[0].text) if nodes else ""


def _all(element: etree._Element | None, path: str) -> list:
    return element.xpath(path, namespaces=NS) if element is not None else []


def _first(element: etree._Element | None, path: str) -> etree._Element | None:
    found = _all(element, path)
    return found[0] if found else None


def _text(element: etree._Element | None, path: str) -> str | None:
    for node in _all(element, path):
        if (node.text or "").strip():
            return node.text.strip()
    return None


def _texts(element: etree._Element | None, path: str) -> list[str]:
    return [node.text.strip() for node in _all(element, path) if (node.text or "").strip()]


def _lot_elements(root: etree._Element) -> list[etree._Element]:
    # Lot groups (GLO-xxxx) share the element but are not lots.
    return _all(root, "cac:ProcurementProjectLot[not(cbc:ID/@schemeName) or cbc:ID/@schemeName='Lot']")


def _notice_type(code: str | None, is_change: bool) -> str:
    code = (code or "").lower()
    if is_change or code == "corr":
        return "corrigendum"  # a change notice keeps its form's type code and adds efac:Changes
    if code.startswith("pin-"):
        return "prior_information"
    if code.startswith("cn-") or code == "subco":
        return "contract"
    if code.startswith("can-modif"):
        return "other"
    if code.startswith(("can-", "veat")):
        return "award"
    return "other"


def _procedure(code: str | None) -> str | None:
    return codes.EFORMS_PROCEDURES.get(code, "other") if code else None


def _buyer(root: etree._Element) -> Buyer:
    buyer_ids = _texts(root, "cac:ContractingParty/cac:Party/cac:PartyIdentification/cbc:ID")  # OPT-300
    companies = _all(root, f"{_EXTENSION}/efac:Organizations/efac:Organization/efac:Company")
    company = next(
        (c for c in companies if _text(c, "cac:PartyIdentification/cbc:ID") in buyer_ids),
        companies[0] if companies else None,
    )
    if company is None:
        return Buyer()
    country = _text(company, "cac:PostalAddress/cac:Country/cbc:IdentificationCode")
    return Buyer(
        name=clean_text(_text(company, "cac:PartyName/cbc:Name")) or None,  # BT-500
        # BT-501 is a SIRET for French buyers only; elsewhere another registry's number.
        siret=siret(_text(company, "cac:PartyLegalEntity/cbc:CompanyID")) if country in (None, "FRA") else None,
        nuts=_text(company, "cac:PostalAddress/cbc:CountrySubentityCode"),  # BT-507
    )


def _place(projects: list[etree._Element | None]) -> Place:
    """Places of performance of the procedure and of every lot."""
    place = Place()
    addresses = [address for project in projects for address in _all(project, "cac:RealizedLocation/cac:Address")]
    for address in addresses:
        place.nuts.extend(_texts(address, "cbc:CountrySubentityCode"))  # BT-5071
        # Postcodes locate French work only: an Italian 41121 is not the Loir-et-Cher.
        if _text(address, "cac:Country/cbc:IdentificationCode") == "FRA":
            department = department_from_postcode(_text(address, "cbc:PostalZone"))
            if department:
                place.departments.append(department)
    return place


def _value(project: etree._Element | None):
    amount = _first(project, "cac:RequestedTenderTotal/cbc:EstimatedOverallContractAmount")  # BT-27
    if amount is None:
        amount = _first(project, f"cac:RequestedTenderTotal/{_EXTENSION}/efbc:FrameworkMaximumAmount")  # BT-271
    return money(amount.text, amount.get("currencyID")) if amount is not None else None


def _reservations(terms: etree._Element | None) -> set[str]:
    reserved = {
        codes.EFORMS_RESERVATIONS[code]
        for code in _texts(terms, "cac:TendererQualificationRequest/cac:SpecificTendererRequirement/"
                                  "cbc:TendererRequirementTypeCode[@listName='reserved-procurement']")  # BT-71
        if code in codes.EFORMS_RESERVATIONS
    }
    # BT-736: execution reserved to sheltered employment programmes, the
    # TED_EXPORT "RESTRICTED_SHELTERED_PROGRAM", hence sheltered_workshop.
    execution = _texts(terms, "cac:ContractExecutionRequirement/"
                              "cbc:ExecutionRequirementCode[@listName='reserved-execution']")
    if "yes" in execution:
        reserved.add("sheltered_workshop")
    return reserved


def _social(holder: etree._Element) -> bool:
    """Social objectives (BT-775), strategic procurement soc-obj (BT-06) or social criteria/clauses.

    `holder` is the notice root or a lot: both have a ProcurementProject and TenderingTerms.
    """
    project = _first(holder, "cac:ProcurementProject")
    additional_types = "cac:ProcurementAdditionalType/cbc:ProcurementTypeCode[@listName='{}']"
    objectives = _texts(project, additional_types.format("social-objective"))
    strategic = _texts(project, additional_types.format("strategic-procurement"))
    if any(code != "none" for code in objectives) or "soc-obj" in strategic:
        return True
    criteria = _texts(holder, "cac:TenderingTerms/cac:AwardingTerms/cac:AwardingCriterion//cbc:Name"
                               " | cac:TenderingTerms/cac:AwardingTerms/cac:AwardingCriterion//cbc:Description")
    conditions = _texts(holder, "cac:TenderingTerms/cac:ContractExecutionRequirement"
                                 "[cbc:ExecutionRequirementCode/@listName='conditions']/cbc:Description")
    return codes.mentions_social(*criteria, *conditions)


def _lot(reader: _Reader, element: etree._Element) -> Lot:
    project = _first(element, "cac:ProcurementProject")
    return Lot(
        id=_text(element, "cbc:ID") or "",  # BT-137
        title=reader.localized(project, "cbc:Name") or None,
        cpv_main=_text(project, f"cac:MainCommodityClassification/{_CPV}"),
        cpv_additional=_texts(project, f"cac:AdditionalCommodityClassification/{_CPV}"),
        estimated_value=_value(project),
        deadline=_earliest_deadline(element),
        reserved=sorted(_reservations(_first(element, "cac:TenderingTerms"))),
    )


def _earliest_deadline(lot: etree._Element) -> datetime | None:
    """The first date a structure must act by: tenders, requests to participate or PIN interest."""
    found = []
    for path in _DEADLINE_PERIODS:
        period = _first(lot, path)
        if period is not None:
            moment = combine(_text(period, "cbc:EndDate"), _text(period, "cbc:EndTime"))
            if moment:
                found.append(moment)
    return min(found) if found else None
