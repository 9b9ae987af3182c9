"""The project's own fixtures (veille/demo_data): always present, so always run."""

from datetime import date
from pathlib import Path

import pytest

from veille.domain.notices import normalize

DEMO_DATA = Path(__file__).resolve().parents[1] / "veille" / "demo_data"


def read(name: str, *, replace: tuple[str, str] | None = None):
    data = (DEMO_DATA / name).read_bytes()
    if replace:
        data = data.replace(replace[0].encode(), replace[1].encode())
    return normalize(data, name)


def by_id(notices) -> dict[str, dict]:
    return {notice.source_id: notice.to_dict() for notice in notices}


# --- BOAMP API page --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def page():
    return by_id(read("boamp-api-page-loire-haute-loire.json"))


def test_page_holds_four_notices(page):
    assert list(page) == ["26-118204", "26-118342", "26-119877", "26-119003"]
    assert [n["notice_type"] for n in page.values()] == ["contract", "contract", "corrigendum", "contract"]


def test_saint_chamond_cleaning_reserved_to_insertion_structures(page):
    notice = page["26-118204"]
    assert notice["buyer"] == {"name": "Ville de Saint-Chamond", "siret": "21420207900015", "nuts": None}
    assert notice["procedure_id"] == "26-118204"
    assert notice["cpv_main"] == "90911200"
    assert notice["procedure_type"] == "adapted"
    assert notice["reserved"] == ["insertion"]  # reservationMarche oui + article L2113-13
    assert [lot["reserved"] for lot in notice["lots"]] == [["insertion"], ["insertion"]]
    assert [lot["id"] for lot in notice["lots"]] == ["1", "2"]
    assert [lot["estimated_value"]["amount"] for lot in notice["lots"]] == [130000, 80000]
    assert notice["estimated_value"] == {"amount": 210000, "currency": "EUR"}
    assert notice["deadline"] == "2026-12-18T12:00:00+01:00"
    assert notice["social_criteria"] is True
    assert notice["place"]["departments"] == ["42"]


def test_loire_archives_eforms_record_with_a_reserved_lot(page):
    notice = page["26-118342"]
    assert notice["source"] == "boamp"
    assert notice["procedure_id"] == "3f9c2a71-5d4e-4b8a-9e61-0c7d2b4a8e15"  # contractfolderid
    assert notice["buyer"] == {"name": "Département de la Loire", "siret": "22420031100013", "nuts": "FRK25"}
    assert notice["cpv_main"] == "79995100"
    assert notice["cpv_additional"] == ["79999100"]
    assert [lot["id"] for lot in notice["lots"]] == ["LOT-0001", "LOT-0002"]
    assert [lot["reserved"] for lot in notice["lots"]] == [["sheltered_workshop"], []]
    assert notice["reserved"] == ["sheltered_workshop"]
    assert notice["estimated_value"] == {"amount": 380000, "currency": "EUR"}
    assert notice["deadline"] == "2027-01-12T12:00:00+01:00"
    assert notice["procedure_type"] == "open"
    assert notice["place"] == {"nuts": ["FRK25"], "departments": ["42"]}
    assert notice["url"] == "https://www.boamp.fr/pages/avis/?q=idweb:26-118342"


def test_corrigendum_moves_the_archives_deadline_within_the_same_procedure(page):
    initial, change = page["26-118342"], page["26-119877"]
    assert change["notice_type"] == "corrigendum"
    assert change["procedure_id"] == initial["procedure_id"]
    assert initial["deadline"] == "2027-01-12T12:00:00+01:00"
    assert change["deadline"] == "2027-01-26T12:00:00+01:00"
    assert [lot["deadline"] for lot in change["lots"]] == ["2027-01-26T12:00:00+01:00"] * 2


def test_le_puy_windows_social_criteria_and_unknown_lot_estimates(page):
    notice = page["26-119003"]
    assert notice["buyer"] == {"name": "Commune du Puy-en-Velay", "siret": "21430157400015", "nuts": None}
    assert notice["place"]["departments"] == ["43"]
    assert notice["cpv_main"] == "90911300"
    assert notice["social_criteria"] is True
    assert notice["reserved"] == []
    assert notice["deadline"] == "2027-01-05T11:00:00+01:00"  # "2027-01-05T11:00:00.000", Paris time
    assert notice["estimated_value"] == {"amount": 90000, "currency": "EUR"}  # top of the range
    assert [lot["id"] for lot in notice["lots"]] == ["1", "2"]
    assert [lot["estimated_value"] for lot in notice["lots"]] == [None, None]  # "0.00"
    assert notice["lots"][0]["title"] == "Vitrerie des écoles maternelles et élémentaires"


# --- eForms contract notice ------------------------------------------------------------------

@pytest.fixture(scope="module")
def green_spaces():
    [notice] = read("eforms-cn-saint-etienne-metropole-espaces-verts.xml")
    return notice.to_dict()


def test_green_spaces_identity_buyer_and_place(green_spaces):
    assert green_spaces["source"] == "ted"
    assert green_spaces["source_id"] == "781234-2026"
    assert green_spaces["procedure_id"] == "b71e0a54-9c3d-4f28-8e6a-2d5f13c7a9e0"
    assert green_spaces["notice_type"] == "contract"
    assert green_spaces["buyer"] == {"name": "Saint-Étienne Métropole", "siret": "24420067100018", "nuts": "FRK25"}
    assert green_spaces["place"] == {"nuts": ["FRK25"], "departments": ["42"]}
    assert green_spaces["language"] == "fr"
    assert green_spaces["url"] == "https://ted.europa.eu/fr/notice/-/detail/781234-2026"


def test_green_spaces_three_lots_one_reserved_to_sheltered_workshops(green_spaces):
    assert [lot["id"] for lot in green_spaces["lots"]] == ["LOT-0001", "LOT-0002", "LOT-0003"]
    assert [lot["reserved"] for lot in green_spaces["lots"]] == [[], [], ["sheltered_workshop"]]
    assert green_spaces["reserved"] == ["sheltered_workshop"]
    assert [lot["estimated_value"]["amount"] for lot in green_spaces["lots"]] == [180000, 150000, 95000]
    assert green_spaces["estimated_value"] == {"amount": 425000, "currency": "EUR"}
    assert green_spaces["cpv_main"] == "77311000"
    assert green_spaces["cpv_additional"] == ["77312000", "77314000"]
    assert green_spaces["deadline"] == "2027-01-11T12:00:00+01:00"
    assert green_spaces["procedure_type"] == "open"
    assert green_spaces["social_criteria"] is True  # social objective "opp" on lot 1


def test_green_spaces_change_notice_is_a_corrigendum():
    changes = ("<efac:NoticeSubType>",
               "<efac:Changes><efbc:ChangedNoticeIdentifier>8d2f6c3e-41a7-4b9e-a0d5-7e3c91f2b604-01"
               "</efbc:ChangedNoticeIdentifier></efac:Changes><efac:NoticeSubType>")
    [notice] = read("eforms-cn-saint-etienne-metropole-espaces-verts.xml", replace=changes)
    assert notice.notice_type == "corrigendum"
    assert notice.procedure_id == "b71e0a54-9c3d-4f28-8e6a-2d5f13c7a9e0"


# --- BOAMP XML -------------------------------------------------------------------------------

def test_le_puy_school_catering_boamp_xml():
    [notice] = read("boamp-le-puy-restauration-scolaire.xml")
    data = notice.to_dict()
    assert data["source"] == "boamp"
    assert data["source_id"] == "26-121456"
    assert data["procedure_id"] == "26-121456"
    assert data["notice_type"] == "contract"
    assert data["buyer"] == {"name": "Ville du Puy-en-Velay", "siret": None, "nuts": "FRK13"}
    assert data["cpv_main"] == "55523100"
    assert data["cpv_additional"] == ["15894210", "55524000"]
    assert data["place"] == {"nuts": ["FRK13"], "departments": ["43"]}
    assert data["estimated_value"] == {"amount": 1450000, "currency": "EUR"}  # ACCORD_CADRE/VALEUR_MAX
    assert data["deadline"] == "2027-01-15T12:00:00+01:00"
    assert data["procedure_type"] == "open"
    assert data["social_criteria"] is True
    assert data["reserved"] == []
    assert [lot["id"] for lot in data["lots"]] == ["1", "2"]
    assert [lot["cpv_main"] for lot in data["lots"]] == ["55523100", "55524000"]
    assert [lot["estimated_value"]["amount"] for lot in data["lots"]] == [1100000, 350000]


def test_boamp_xml_reserved_to_sheltered_workshops_applies_to_every_lot():
    reserved = ("<MARCHE_RESERVE_NON/>", "<MARCHE_RESERVE_OUI><ATELIERS_PROTEGES/></MARCHE_RESERVE_OUI>")
    [notice] = read("boamp-le-puy-restauration-scolaire.xml", replace=reserved)
    assert notice.reserved == ["sheltered_workshop"]
    assert [lot.reserved for lot in notice.lots] == [["sheltered_workshop"], ["sheltered_workshop"]]


def test_boamp_xml_reservation_naming_insertion_structures():
    reserved = ("<MARCHE_RESERVE_NON/>",
                "<MARCHE_RESERVE_OUI>Marché réservé aux SIAE (article L2113-13 du code de la commande publique)"
                "</MARCHE_RESERVE_OUI>")
    [notice] = read("boamp-le-puy-restauration-scolaire.xml", replace=reserved)
    assert notice.reserved == ["insertion"]


# --- DECP ------------------------------------------------------------------------------------

def test_decp_loire_contracts_all_end_within_a_year_of_the_demo_date():
    notices = read("decp-loire-marches.json")
    assert [n.source_id for n in notices] == ["2023-0412", "23AR07", "2022-EV-03", "2023-RS-01"]
    ends = [n.contract_end for n in notices]
    assert ends == [date(2027, 1, 9), date(2027, 3, 1), date(2027, 6, 15), date(2027, 9, 1)]
    assert all(date(2026, 12, 1) <= end <= date(2027, 12, 1) for end in ends)
    assert {n.buyer.siret for n in notices} == {"24420067100018", "22420031100013", "21420207900015"}
    assert {dep for n in notices for dep in n.place.departments} == {"42"}
    assert {n.notice_type for n in notices} == {"award"}


def test_decp_loire_contract_details():
    notices = {n.source_id: n.to_dict() for n in read("decp-loire-marches.json")}
    cleaning = notices["2023-0412"]
    assert cleaning["procedure_id"] == "244200671000182023-0412"
    assert cleaning["buyer"]["name"] == "Saint-Étienne Métropole"
    assert cleaning["cpv_main"] == "90911200"
    assert cleaning["estimated_value"] == {"amount": 1240000, "currency": "EUR"}
    assert cleaning["procedure_type"] == "open"
    assert cleaning["social_criteria"] is True
    archives = notices["23AR07"]
    assert archives["reserved"] == ["sheltered_workshop"]  # "Marché réservé"
    assert archives["social_criteria"] is False
    assert archives["cpv_main"] == "79995100"
    assert archives["procedure_type"] == "adapted"
    assert notices["2022-EV-03"]["cpv_main"] == "77311000"
    assert notices["2023-RS-01"]["cpv_main"] == "55523100"
    assert notices["2023-RS-01"]["estimated_value"] == {"amount": 2100000, "currency": "EUR"}
