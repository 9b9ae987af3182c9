"""The shared rules: document shapes, territory tables, CPV, dates, graceful degradation."""

import json
from datetime import date
from pathlib import Path

import pytest

from centrale import territory
from veille.domain.notices import Buyer, Notice, normalize
from veille.domain.notices.codes import cpv, procedure_from_french, reservations_from_french
from veille.domain.notices.consolidate import consolidate
from veille.domain.notices.dates import add_months, combine, parse_datetime

DEMO_DATA = Path(__file__).resolve().parents[1] / "veille" / "demo_data"
PAGE = json.loads((DEMO_DATA / "boamp-api-page-loire-haute-loire.json").read_text(encoding="utf-8"))
RECORD = PAGE["results"][0]

KEYS = ["source", "source_id", "procedure_id", "notice_type", "title", "description", "buyer", "cpv_main",
        "cpv_additional", "place", "estimated_value", "deadline", "procedure_type", "reserved",
        "social_criteria", "lots", "url", "language", "awards", "cancelled", "result", "social_clause",
        "insertion_clause", "insertion_hours", "documents_url", "contract"]
LOT_KEYS = ["id", "title", "cpv_main", "estimated_value", "deadline", "reserved", "result", "social_clause",
            "insertion_clause", "insertion_hours"]


def ids(document) -> list[str]:
    return [notice.source_id for notice in normalize(json.dumps(document, ensure_ascii=False).encode(), "doc.json")]


# --- shapes ----------------------------------------------------------------------------------

def test_to_dict_has_exactly_the_published_keys():
    [notice] = normalize(json.dumps(RECORD).encode(), "record.json")
    data = notice.to_dict()
    assert list(data) == KEYS
    assert list(data["buyer"]) == ["name", "siret", "nuts"]
    assert list(data["place"]) == ["nuts", "departments"]
    assert list(data["estimated_value"]) == ["amount", "currency"]
    assert list(data["lots"][0]) == LOT_KEYS
    json.dumps(data)  # JSON-ready


def test_boamp_api_page_body_wrapper_list_and_single_record_all_work():
    expected = ["26-118204", "26-118342", "26-119877", "26-119003"]
    assert ids(PAGE) == expected
    assert ids({"ok": True, "url": "https://example.org", "status": 200, "data": PAGE}) == expected
    assert ids(PAGE["results"]) == expected
    assert ids(RECORD) == ["26-118204"]
    assert ids({"nhits": 1, "records": [{"fields": RECORD}]}) == ["26-118204"]  # API v1
    assert ids({"total_count": 0, "results": []}) == []


def test_decp_single_contract_and_bare_list():
    contracts = json.loads((DEMO_DATA / "decp-loire-marches.json").read_text(encoding="utf-8"))["marches"]["marche"]
    assert ids(contracts[0]) == ["2023-0412"]
    assert ids(contracts[:2]) == ["2023-0412", "23AR07"]
    assert ids({"marches": contracts}) == ["2023-0412", "23AR07", "2022-EV-03", "2023-RS-01"]  # format 1.5 shape


def test_unknown_donnees_shape_degrades_to_the_flat_fields():
    record = {**RECORD, "donnees": json.dumps({"FORMULAIRE_INCONNU": {"x": 1}}), "gestion": "pas du JSON"}
    [notice] = normalize(json.dumps(record).encode(), "record.json")
    assert notice.source_id == "26-118204"
    assert notice.title == "Nettoyage des locaux de l'hôtel de ville et des équipements sportifs"
    assert notice.buyer.name == "Ville de Saint-Chamond"
    assert notice.place.departments == ["42"]
    assert notice.social_criteria is True  # criteres ["sociaux"]
    assert notice.procedure_type == "open"  # type_procedure "OUVERT"; only donnees knew it was a MAPA
    # The flat "2026-12-18T12:00:00+00:00" is Paris wall-clock time.
    assert notice.to_dict()["deadline"] == "2026-12-18T12:00:00+01:00"
    assert notice.cpv_main is None and notice.lots == []


def test_broken_eforms_donnees_degrades_too():
    record = {**PAGE["results"][1], "donnees": json.dumps({"EFORMS": {"ContractNotice": {"bad key": {"x": 1}}}})}
    [notice] = normalize(json.dumps(record).encode(), "record.json")
    assert notice.source_id == "26-118342"
    assert notice.procedure_id == "3f9c2a71-5d4e-4b8a-9e61-0c7d2b4a8e15"
    assert notice.to_dict()["deadline"] == "2027-01-12T12:00:00+01:00"  # from gestion


def test_html_entities_in_boamp_text_are_decoded():
    record = {**RECORD, "donnees": None, "gestion": None, "objet": "Communauté d&#039;Agglomération"}
    [notice] = normalize(json.dumps(record).encode(), "record.json")
    assert notice.title == "Communauté d'Agglomération"


# --- territory -------------------------------------------------------------------------------

@pytest.mark.parametrize("nuts, departments", [
    ("FRK25", ["42"]),  # Loire
    ("FRK13", ["43"]),  # Haute-Loire
    ("FRK14", ["63"]),  # Puy-de-Dôme (eForms SDK NUTS labels)
    ("FRM01", ["2A"]),
    ("FRY40", ["974"]),
    ("FR715", ["42"]),  # NUTS 2013 Loire
    ("FR723", ["43"]),  # NUTS 2013 Haute-Loire
    ("FRK1", ["03", "15", "43", "63"]),
    ("FR", []),
    ("ITH54", []),
    ("FRZZZ", []),
])
def test_nuts_to_departments(nuts, departments):
    assert territory.department_from_nuts(nuts) == departments


def test_nuts_2021_table_is_complete():
    assert len(territory.NUTS_2021_LEVEL3) == 101  # 96 metropolitan + 5 overseas départements
    assert len(set(territory.NUTS_2021_LEVEL3.values())) == 101


@pytest.mark.parametrize("postcode, department", [
    ("42400", "42"), ("43000", "43"), ("02100", "02"), ("20000", "2A"), ("20200", "2B"),
    ("97400", "974"), ("98000", None), ("4240", None), ("", None),
])
def test_postcodes_to_departments(postcode, department):
    assert territory.department_from_postcode(postcode) == department


@pytest.mark.parametrize("code, department", [("2", "02"), ("8", "08"), ("42", "42"), ("2a", "2A"), ("974", "974"),
                                              ("20", None), ("99", None), (None, None)])
def test_boamp_department_codes_are_normalised(code, department):
    assert territory.normalise_department(code) == department


def test_insee_codes_and_regions():
    assert territory.department_from_insee("42218") == "42"
    assert territory.department_from_insee("2B002") == "2B"
    assert territory.department_from_insee("97411") == "974"
    assert len(territory.departments_from_region("84")) == 12  # Auvergne-Rhône-Alpes


# --- codes and dates -------------------------------------------------------------------------

@pytest.mark.parametrize("code, expected", [("55520000-1", "55520000"), ("90911200", "90911200"),
                                            (" 77311000 ", "77311000"), ("9091120", None), ("abc", None)])
def test_cpv_codes_lose_their_check_digit(code, expected):
    assert cpv(code) == expected


@pytest.mark.parametrize("label, procedure", [
    ("Procédure adaptée", "adapted"), ("Appel d'offres ouvert", "open"), ("Appel d'offres restreint", "restricted"),
    ("Procédure avec négociation", "negotiated"), ("Dialogue compétitif", "competitive_dialogue"),
    ("Marché passé sans publicité ni mise en concurrence préalable", "negotiated_without_call"),
    ("procedureAdapteeO", "adapted"), ("Procédure NC", None), ("", None), ("Autre chose", "other"),
])
def test_french_procedure_labels(label, procedure):
    assert procedure_from_french(label) == procedure


def test_french_reservation_wording():
    assert reservations_from_french("article L2113-13, structures d'insertion") == {"insertion"}
    assert reservations_from_french("réservé aux ESAT et entreprises adaptées") == {"sheltered_workshop"}
    assert reservations_from_french("L. 2113-15 : entreprises de l'économie sociale et solidaire") == {"ess"}
    assert reservations_from_french("") == {"sheltered_workshop"}  # unspecified: the EU art. 20 reservation


def test_dates_keep_their_offsets_and_naive_times_are_paris_time():
    assert parse_datetime("2026-02-16T12:00:00.000+01:00").isoformat() == "2026-02-16T12:00:00+01:00"
    assert parse_datetime("2026-07-01T12:00:00").isoformat() == "2026-07-01T12:00:00+02:00"  # summer time
    assert parse_datetime("2026-02-20T11:00:00.000").isoformat() == "2026-02-20T11:00:00+01:00"
    assert parse_datetime("13/04/2015 à 16h00").isoformat() == "2015-04-13T16:00:00+02:00"
    assert combine("2019-06-24Z", "16:00:00Z").isoformat() == "2019-06-24T16:00:00+00:00"
    assert combine("2023-11-24+01:00", None).isoformat() == "2023-11-24T00:00:00+01:00"
    assert parse_datetime("2023-02-30T10:00:00") is None
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)


def test_notice_defaults_are_json_ready():
    assert Notice(source="boamp", source_id="x").to_dict()["lots"] == []


def test_a_notice_without_place_is_placed_at_its_buyer():
    notice = consolidate(Notice(source="ted", source_id="x", buyer=Buyer(name="Saint-Étienne Métropole", nuts="FRK25")))
    assert notice.place.to_dict() == {"nuts": ["FRK25"], "departments": ["42"]}
