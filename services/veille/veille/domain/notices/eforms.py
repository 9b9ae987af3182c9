"""eForms (EU 2019/1780) UBL notices, as published on TED or inside BOAMP records.

Paths follow the eForms SDK business terms (BT-xx in comments). The root
element may be any notice type and any namespace prefix
(`<ContractNotice>`, `<urn:PriorInformationNotice>`...), so only its children
are addressed, through the fixed UBL namespaces.

Results (`efac:NoticeResult`): each LotResult says whether a winner was
chosen (BT-142 `selec-w`) or not (`clos-nw`, with the reason BT-144: no
tender or all rejected is « infructueux », a change of need or a lack of
funds is « sans suite »). The winning LotTenders (those a SettledContract
concludes, else those the LotResult names) give the amount (BT-720) and
their TenderingParty, whose Tenderers are Organizations: one Award per
member, the group leader first, the tender's amount on it. A change notice
whose reason is `cancel` cancels the procedure.
"""

from __future__ import annotations

from datetime import datetime

from lxml import etree

from . import codes
from .consolidate import consolidate
from .dates import combine, parse_date
from .model import Award, Buyer, Lot, Notice, Place, Winner
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
    awards, lot_results = _results(root)
    lots = [_lot(reader, lot) for lot in lot_elements]
    for lot in lots:
        lot.result = lot_results.get(lot.id)
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
        lots=lots,
        url=f"https://ted.europa.eu/fr/notice/-/detail/{publication_number}" if publication_number else None,
        language=codes.language(reader.text("cbc:NoticeLanguageCode")),  # BT-702
        awards=awards,
        cancelled=any(code.startswith("cancel") for code in _texts(
            root, f"{_EXTENSION}/efac:Changes/efac:ChangeReason/cbc:ReasonCode")),  # BT-140
        social_clause=_social_clause(root),
        insertion_clause=_insertion_clause(root),
        insertion_hours=codes.insertion_hours_in(*_conditions(root)),
        documents_url=_documents_url(root, lot_elements),
    )
    if lots and len(lot_results) == len(lots) and len(set(lot_results.values())) == 1:
        notice.result = next(iter(lot_results.values()))
    elif not lots and None in lot_results:
        notice.result = lot_results[None]
    return consolidate(notice)


# BT-144 non-award justifications that mean the buyer gave up (« sans suite »); the others
# (no tender received, all rejected) leave the procedure « infructueux ».
_GIVEN_UP = {"chan-need", "ins-funds", "buy-dec"}
_RESULT = f"{_EXTENSION}/efac:NoticeResult"


def _organizations(root: etree._Element) -> dict[str, Winner]:
    winners = {}
    for company in _all(root, f"{_EXTENSION}/efac:Organizations/efac:Organization/efac:Company"):
        identifier = _text(company, "cac:PartyIdentification/cbc:ID")
        country = _text(company, "cac:PostalAddress/cac:Country/cbc:IdentificationCode")
        winners[identifier] = Winner(
            name=clean_text(_text(company, "cac:PartyName/cbc:Name")) or None,
            # BT-501 is a SIRET for French organisations only.
            siret=siret(_text(company, "cac:PartyLegalEntity/cbc:CompanyID")) if country in (None, "FRA") else None,
        )
    return winners


def _results(root: etree._Element) -> tuple[list[Award], dict[str | None, str]]:
    """Every (lot, winner) of the notice's results, and the result of lots without a winner."""
    result = _first(root, _RESULT)
    if result is None:
        return [], {}
    organizations = _organizations(root)
    tenders = {_text(tender, "cbc:ID"): tender for tender in _all(result, "efac:LotTender")}
    parties = {_text(party, "cbc:ID"): party for party in _all(result, "efac:TenderingParty")}
    concluded: dict[str, etree._Element] = {}  # tender id -> the contract that concludes it
    for contract in _all(result, "efac:SettledContract"):
        for tender_id in _texts(contract, "efac:LotTender/cbc:ID"):
            concluded.setdefault(tender_id, contract)
    awards: list[Award] = []
    lot_results: dict[str | None, str] = {}
    for lot_result in _all(result, "efac:LotResult"):
        lot = _text(lot_result, "efac:TenderLot/cbc:ID")  # BT-13713
        code = _text(lot_result, "cbc:TenderResultCode")  # BT-142
        if code == "clos-nw":
            reason = _text(lot_result, "efac:DecisionReason/efbc:DecisionReasonCode")  # BT-144
            lot_results[lot] = "cancelled" if reason in _GIVEN_UP else "unsuccessful"
            continue
        if code == "open-nw":
            continue  # the procedure goes on for this lot
        named = _texts(lot_result, "efac:LotTender/cbc:ID")
        winning = [tender_id for tender_id in named if tender_id in concluded] or named
        for tender_id in winning:
            tender = tenders.get(tender_id)
            if tender is None:
                continue
            contract = concluded.get(tender_id)
            payable = _first(tender, "cac:LegalMonetaryTotal/cbc:PayableAmount")
            amount = money(payable.text, payable.get("currencyID")) if payable is not None else None
            day = parse_date(_text(contract, "cbc:AwardDate") or _text(contract, "cbc:IssueDate"))  # BT-1451, BT-145
            party = parties.get(_text(tender, "efac:TenderingParty/cbc:ID"))
            members = sorted(_all(party, "efac:Tenderer"),
                             key=lambda member: _text(member, "efbc:GroupLeadIndicator") != "true")
            for position, member in enumerate(members):
                winner = organizations.get(_text(member, "cbc:ID"), Winner())
                awards.append(Award(lot=_text(tender, "efac:TenderLot/cbc:ID") or lot,
                                    winner=Winner(winner.name, winner.siret),
                                    amount=amount if position == 0 else None, date=day))
    return awards, lot_results


def _conditions(holder: etree._Element) -> list[str]:
    """Execution conditions (BT-70), where social and insertion clauses are written."""
    return _texts(holder, ".//cac:TenderingTerms/cac:ContractExecutionRequirement"
                          "[cbc:ExecutionRequirementCode/@listName='conditions']/cbc:Description")


def _social_objectives(holder: etree._Element) -> list[str]:
    return _texts(holder, ".//cac:ProcurementProject/cac:ProcurementAdditionalType/"
                          "cbc:ProcurementTypeCode[@listName='social-objective']")  # BT-775


def _social_clause(holder: etree._Element) -> bool:
    """A social objective (BT-775) or execution conditions with a social clause."""
    return any(code != "none" for code in _social_objectives(holder)) or codes.social_clause_in(*_conditions(holder))


def _insertion_clause(holder: etree._Element) -> bool:
    """Employment opportunities for people far from work (BT-775 `opp`), or conditions asking for insertion."""
    return "opp" in _social_objectives(holder) or codes.insertion_clause_in(*_conditions(holder))


def _documents_url(root: etree._Element, lots: list[etree._Element]) -> str | None:
    """The procurement documents (BT-15, else restricted BT-615), else the buyer profile (BT-508)."""
    for kind in ("non-restricted-document", "restricted-document"):
        for holder in [*lots, root]:
            url = _text(holder, f"cac:TenderingTerms/cac:CallForTendersDocumentReference[cbc:DocumentType='{kind}']"
                                "/cac:Attachment/cac:ExternalReference/cbc:URI")
            if url:
                return url
    return _text(root, "cac:ContractingParty/cbc:BuyerProfileURI")


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
        social_clause=_social_clause(element),
        insertion_clause=_insertion_clause(element),
        insertion_hours=codes.insertion_hours_in(*_conditions(element)),
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
