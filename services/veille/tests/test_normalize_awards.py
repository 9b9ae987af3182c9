"""Winners, amounts, results and cancellations, on the project's own fixtures (tests/fixtures):
BOAMP award notices (XML and API records of every `donnees` schema), eForms results, TED_EXPORT
award forms; then what a bad record or a wrong field type does to its page."""

import json
from pathlib import Path

import pytest

from veille.domain.notices import NoticeError, normalize
from veille.domain.notices.errors import RecordError
from veille.domain.notices.normalizer import read

FIXTURES = Path(__file__).resolve().parent / "fixtures"
DEMO_DATA = Path(__file__).resolve().parents[1] / "veille" / "demo_data"


def read_fixture(name: str) -> list[dict]:
    return [notice.to_dict() for notice in normalize((FIXTURES / name).read_bytes(), name)]


def award(lot, name, siret=None, amount=None, day=None) -> dict:
    return {"lot": lot, "winner": {"name": name, "siret": siret},
            "amount": {"amount": amount, "currency": "EUR"} if amount else None, "date": day}


def results(notice: dict) -> dict:
    return {lot["id"]: lot["result"] for lot in notice["lots"]}


# --- BOAMP XML (Boamp_v230) ------------------------------------------------------------------

def test_boamp_xml_award_one_entry_per_lot_and_winner_and_none_for_the_unsuccessful_lot():
    [notice] = read_fixture("boamp-attribution-firminy-espaces-verts.xml")
    assert notice["notice_type"] == "award"
    assert notice["procedure_id"] == "26-98412"  # the contract notice it concludes
    assert notice["awards"] == [
        # A consortium: each member its own entry, the amount (given on the mandataire) once.
        award("1", "LOIRE PAYSAGES INSERTION (mandataire)", amount=84500, day="2026-11-12"),
        award("1", "ESAT LES JARDINS DU FOREZ (co-traitant)", day="2026-11-12"),
        award("2", "VERT ONDAINE SARL", amount=47400, day="2026-11-13"),
    ]
    assert results(notice) == {"1": "awarded", "2": "awarded", "3": "unsuccessful"}
    assert [lot["title"] for lot in notice["lots"]] == [
        "Parcs et jardins du centre-ville", "Cimetières communaux", "Fauchage des accotements"]
    assert notice["result"] == "awarded" and notice["cancelled"] is False
    assert notice["documents_url"] == "https://marches.example.ville-firminy.fr"
    assert notice["url"] == "https://www.boamp.fr/pages/avis/?q=idweb:26-131077"


# --- BOAMP API records, every donnees schema --------------------------------------------------

@pytest.fixture(scope="module")
def api_page() -> dict[str, dict]:
    return {notice["source_id"]: notice for notice in read_fixture("boamp-api-page-attributions.json")}


def test_boamp_v230_record_reads_the_consortium_from_donnees_not_the_flat_titulaire(api_page):
    notice = api_page["26-131502"]
    # The flat field says "LOIRE PAYSAGES INSERTION", "VERT GIER SARL": the co-contractor is missing.
    assert notice["awards"] == [
        award("1", "LOIRE PAYSAGES INSERTION", amount=96200, day="2026-11-20"),
        award("1", "ESAT LES JARDINS DU FOREZ", day="2026-11-20"),
        award("2", "VERT GIER SARL", amount=40000, day="2026-11-21"),  # a framework: its maximum
    ]
    assert notice["procedure_id"] == "26-104410"
    assert results(notice) == {"1": "awarded", "2": "awarded"}
    assert notice["documents_url"] == "https://marches.example.saint-chamond.fr"


def test_boamp_v240_corrigendum_declaring_the_procedure_sans_suite_cancels_it(api_page):
    notice = api_page["26-131610"]
    assert notice["notice_type"] == "corrigendum"
    assert notice["procedure_id"] == "26-117702"
    assert notice["cancelled"] is True and notice["result"] == "cancelled"
    assert notice["awards"] == []


def test_fnsimple_award_names_the_winner_with_its_siret_and_the_unsuccessful_lot(api_page):
    notice = api_page["26-131733"]
    assert notice["awards"] == [award("1", "CUISINE SOLIDAIRE DU VELAY", "33645219800011", 64800, "2026-11-27")]
    assert results(notice) == {"1": "awarded", "2": "unsuccessful"}
    assert notice["result"] == "awarded"
    assert notice["documents_url"] == "https://marches.example.monistrol.fr/consultation/2026-RC-02"
    assert notice["buyer"]["siret"] == "21430137600015"


def test_mapa_form_lot_less_award(api_page):
    notice = api_page["26-131850"]
    assert notice["awards"] == [award(None, "ASSOCIATION PILAT EMPLOI", "21420218900012", 38900, "2026-11-30")]
    assert notice["lots"] == []
    assert notice["result"] == "awarded"
    assert notice["cpv_main"] == "85312320"


def test_eforms_record_results_of_the_demo_archives_procedure(api_page):
    notice = api_page["27-14012"]
    assert notice["procedure_id"] == "3f9c2a71-5d4e-4b8a-9e61-0c7d2b4a8e15"  # the demo contract notice's
    assert notice["awards"] == [
        award("LOT-0001", "ESAT Archives et Services du Pilat", "44799012300013", 171300, "2027-02-15"),
        award("LOT-0002", "Numérique Forez SAS", "39204567100014", 178500, "2027-02-15"),  # group leader first
        award("LOT-0002", "Atelier Mémoire Vive (entreprise adaptée)", "88412005600012", None, "2027-02-15"),
    ]
    assert results(notice) == {"LOT-0001": "awarded", "LOT-0002": "awarded"}
    assert notice["url"] == "https://www.boamp.fr/pages/avis/?q=idweb:27-14012"
    assert notice["documents_url"] == "https://marches.example.loire.fr"


def test_an_unknown_donnees_shape_is_read_from_the_flat_fields_and_said_unread():
    reading = read((FIXTURES / "boamp-api-page-attributions.json").read_bytes(), "page.json")
    notice = next(n for n in reading.notices if n.source_id == "26-131955")
    assert notice.title == "fourniture de mobilier pour la maison France services"  # gestion's RESUME_OBJET
    assert notice.buyer.name == "Commune de Bourg-Argental"
    assert notice.deadline.isoformat() == "2027-01-15T12:00:00+01:00"
    assert [(u.record, u.what) for u in reading.unread] == [
        ("enregistrement BOAMP « 26-131955 » (n° 6)",
         "donnees de forme inconnue (schéma « 9.0.1 », clés : FORMULAIRE_NATIONAL_V9)")]
    assert reading.failures == [] and reading.announced_total == 6


def test_a_donnees_that_breaks_its_mapping_is_said_unread_too():
    page = json.loads((FIXTURES / "boamp-api-page-attributions.json").read_text(encoding="utf-8"))
    record = next(r for r in page["results"] if r["idweb"] == "27-14012")
    record["donnees"] = json.dumps({"EFORMS": {"ContractAwardNotice": {}, "ContractNotice": {}}})
    reading = read(json.dumps(record).encode(), "record.json")
    assert [n.source_id for n in reading.notices] == ["27-14012"]
    assert reading.notices[0].awards[0].winner.name == "ESAT ARCHIVES ET SERVICES DU PILAT"  # flat field
    assert reading.unread[0].what.startswith("donnees EFORMS illisible (ValueError")


# --- eForms results (TED) ---------------------------------------------------------------------

def test_eforms_result_notice_winners_siret_amounts_and_unsuccessful_lot():
    [notice] = read_fixture("eforms-can-saint-etienne-metropole-espaces-verts.xml")
    assert notice["notice_type"] == "award"
    assert notice["procedure_id"] == "b71e0a54-9c3d-4f28-8e6a-2d5f13c7a9e0"  # the demo contract notice's
    assert notice["awards"] == [
        award("LOT-0001", "Loire Paysages Insertion", "42801234500016", 412000, "2026-11-18"),
        award("LOT-0001", "ESAT Les Jardins du Forez", "43911872600017", None, "2026-11-18"),
        award("LOT-0002", "Gier Environnement SAS", "79822041300016", 268500, "2026-12-01"),
    ]  # the losing tender of lot 2 (ranked 2nd) names nobody
    assert results(notice) == {"LOT-0001": "awarded", "LOT-0002": "awarded", "LOT-0003": "unsuccessful"}
    assert notice["result"] == "awarded" and notice["cancelled"] is False
    assert notice["url"] == "https://ted.europa.eu/fr/notice/-/detail/792210-2026"
    assert notice["documents_url"] == "https://marches.example.saint-etienne-metropole.fr"


def test_eforms_non_award_for_a_change_of_need_is_a_cancelled_lot():
    data = (FIXTURES / "eforms-can-saint-etienne-metropole-espaces-verts.xml").read_bytes()
    data = data.replace(b">no-rece<", b">chan-need<")
    [notice] = normalize(data, "can.xml")
    assert {lot.id: lot.result for lot in notice.lots}["LOT-0003"] == "cancelled"
    assert notice.cancelled is False  # the other lots were awarded


def test_eforms_change_notice_with_reason_cancel_cancels_the_procedure():
    data = (DEMO_DATA / "eforms-cn-saint-etienne-metropole-espaces-verts.xml").read_bytes()
    changes = (b"<efac:Changes><efbc:ChangedNoticeIdentifier>8d2f6c3e-41a7-4b9e-a0d5-7e3c91f2b604-01"
               b"</efbc:ChangedNoticeIdentifier><efac:ChangeReason><cbc:ReasonCode "
               b"listName=\"change-corrig-justification\">cancel</cbc:ReasonCode></efac:ChangeReason>"
               b"</efac:Changes><efac:NoticeSubType>")
    [notice] = normalize(data.replace(b"<efac:NoticeSubType>", changes, 1), "change.xml")
    assert notice.notice_type == "corrigendum"
    assert notice.cancelled is True and notice.result == "cancelled"
    assert {lot.result for lot in notice.lots} == {"cancelled"}
    [plain] = normalize(data, "cn.xml")
    assert plain.cancelled is False and plain.result is None


def test_eforms_contract_notice_clauses_and_documents():
    [notice] = normalize((DEMO_DATA / "eforms-cn-saint-etienne-metropole-espaces-verts.xml").read_bytes(), "cn.xml")
    record = notice.to_dict()
    # Lot 1 carries the social objective "opp" (employment of people far from work): an insertion clause.
    assert [(lot["id"], lot["insertion_clause"], lot["social_clause"]) for lot in record["lots"]] == [
        ("LOT-0001", True, True), ("LOT-0002", False, False), ("LOT-0003", False, False)]
    assert record["insertion_clause"] is True and record["social_clause"] is True
    assert record["awards"] == [] and record["result"] is None


# --- TED_EXPORT award form --------------------------------------------------------------------

def test_ted_f03_group_award_the_awarded_value_and_the_unsuccessful_lot():
    [notice] = read_fixture("ted-f03-le-puy-restauration-scolaire.xml")
    assert notice["notice_type"] == "award"
    assert notice["procedure_id"] == "398765-2026"  # the contract notice 2026/S 150-398765
    assert notice["awards"] == [
        # VAL_TOTAL (1 180 000), never VAL_ESTIMATED_TOTAL (1 200 000); on the first of the group.
        award("1", "Cuisine Solidaire du Velay", "33645219800011", 1180000, "2026-11-05"),
        award("1", "Ferme des Sucs SCOP", "81503324700017", None, "2026-11-05"),
    ]
    assert results(notice) == {"1": "awarded", "2": "unsuccessful"}
    assert notice["insertion_clause"] is True and notice["insertion_hours"] == 1200
    assert notice["documents_url"] == "https://marches.example.lepuyenvelay.fr"
    assert notice["url"] == "https://ted.europa.eu/udl?uri=TED:NOTICE:612345-2026:TEXT:FR:HTML"


def test_ted_discontinued_procedure_is_cancelled():
    data = (FIXTURES / "ted-f03-le-puy-restauration-scolaire.xml").read_bytes()
    start, end = data.index(b'<AWARD_CONTRACT ITEM="1">'), data.index(b'<AWARD_CONTRACT ITEM="2">')
    data = data[:start] + data[end:]  # lot 1 no longer awarded
    data = data.replace(b"<PROCUREMENT_UNSUCCESSFUL/>", b"<PROCUREMENT_DISCONTINUED/>")
    data = data.replace(b"<LOT_DIVISION/>", b"<NO_LOT_DIVISION/>").replace(b"<LOT_NO>2</LOT_NO>\n        <TITLE>", b"<TITLE>")
    [notice] = normalize(data, "f03.xml")
    assert notice.awards == [] and notice.lots == []
    assert notice.result == "cancelled" and notice.cancelled is True


# --- A bad record costs only itself -----------------------------------------------------------

def test_a_page_with_one_bad_record_reads_the_others_and_keeps_the_bad_one_whole():
    name = "boamp-api-page-one-bad-record.json"
    data = (FIXTURES / name).read_bytes()
    reading = read(data, name)
    assert [notice.source_id for notice in reading.notices] == ["26-140101", "26-140103"]
    [failure] = reading.failures
    assert failure.position == 2
    assert failure.record == "enregistrement BOAMP « 26-140102 » (n° 2)"
    assert failure.reason == "champ « objet » : texte attendu, pas une liste"
    assert json.loads(failure.raw) == json.loads(data)["results"][1]  # the whole record, every field
    with pytest.raises(RecordError) as error:
        normalize(data, name)  # the strict form: all or nothing
    assert str(error.value) == (f"{name} : enregistrement BOAMP « 26-140102 » (n° 2) : "
                                "champ « objet » : texte attendu, pas une liste")


BOAMP_RECORD = json.loads((FIXTURES / "boamp-api-page-one-bad-record.json").read_text(encoding="utf-8"))["results"][0]
DECP_CONTRACT = json.loads((DEMO_DATA / "decp-loire-marches.json").read_text(encoding="utf-8"))["marches"]["marche"][0]


@pytest.mark.parametrize("field, value, expected", [
    ("objet", ["Entretien", "des haies"], "champ « objet » : texte attendu, pas une liste"),
    ("nomacheteur", {"nom": "Sorbiers"}, "champ « nomacheteur » : texte attendu, pas un objet"),
    ("idweb", ["26-140101"], "champ « idweb » : texte attendu, pas une liste"),
    ("datelimitereponse", ["2027-01-20"], "champ « datelimitereponse » : texte attendu, pas une liste"),
    ("contractfolderid", True, "champ « contractfolderid » : texte attendu, pas un booléen"),
    ("code_departement", [{"code": "42"}], "champ « code_departement » : texte ou liste de textes attendu,"
                                           " pas une liste"),
])
def test_a_boamp_field_of_the_wrong_type_names_the_file_the_record_and_the_field(field, value, expected):
    record = {**BOAMP_RECORD, field: value}
    with pytest.raises(NoticeError) as error:
        normalize(json.dumps({"total_count": 1, "results": [record]}).encode(), "flux.json")
    assert error.value.source_name == "flux.json"
    assert str(error.value).startswith("flux.json : enregistrement BOAMP ")
    assert str(error.value).endswith(f"n° 1) : {expected}") or str(error.value).endswith(f"n° 1 : {expected}")


@pytest.mark.parametrize("field, value, expected", [
    ("objet", ["Archives", "numérisation"], "champ « objet » : texte attendu, pas une liste"),
    ("montant", [172000], "champ « montant » : nombre attendu, pas une liste"),
    ("acheteur", ["22420031100013"], "champ « acheteur » : objet attendu, pas une liste"),
    ("titulaires", "Atelier", "champ « titulaires » : liste attendu, pas du texte"),
])
def test_a_decp_field_of_the_wrong_type_names_the_file_the_contract_and_the_field(field, value, expected):
    contract = {**DECP_CONTRACT, field: value}
    with pytest.raises(RecordError) as error:
        normalize(json.dumps({"marches": {"marche": [DECP_CONTRACT, contract]}}).encode(), "decp.json")
    assert str(error.value) == f"decp.json : marché DECP « {DECP_CONTRACT['id']} » (n° 2) : {expected}"
