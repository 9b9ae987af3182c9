"""DECP, OCDS and the non-notice files of ../shared/samples."""

from datetime import date
from pathlib import Path

import pytest

from veille.domain.notices import NoticeError, normalize

SAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "samples"

pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/samples absent")


def read(relative: str):
    path = SAMPLES / relative
    return normalize(path.read_bytes(), path.name)


def test_decp_2022_format_two_contracts():
    notices = read("decp/marches_avec_modifications.json")
    assert [n.source_id for n in notices] == ["TEST2022", "TEST2022Bis"]
    first = notices[0].to_dict()
    assert first["source"] == "decp"
    assert first["procedure_id"] == "21750001630066TEST2022"  # buyer SIRET + contract id
    assert first["notice_type"] == "award"
    assert first["title"] == "envoi pour Json test 1"
    assert first["buyer"] == {"name": None, "siret": "21750001630066", "nuts": None}
    assert first["cpv_main"] == "45000000"  # "45000000-7", check digit removed
    assert first["estimated_value"] == {"amount": 575000, "currency": "EUR"}
    assert first["procedure_type"] == "open"  # "Appel d'offres ouvert"
    assert first["place"] == {"nuts": [], "departments": ["75"]}  # Code postal 75000
    assert first["social_criteria"] is True  # Clause sociale, Critère social
    assert first["reserved"] == []
    assert first["deadline"] is None
    assert notices[1].to_dict()["buyer"]["siret"] == "21750001630040"


def test_decp_2022_winner_amount_and_the_avenant_that_sets_a_new_amount_and_duration():
    first = read("decp/marches_avec_modifications.json")[0]
    record = first.to_dict()
    # One holder, identified by SIRET; the amount first awarded, never an estimate.
    assert record["awards"] == [{"lot": None, "winner": {"name": None, "siret": "55204599900869"},
                                 "amount": {"amount": 575000, "currency": "EUR"}, "date": "2024-05-15"}]
    assert record["result"] == "awarded" and record["cancelled"] is False
    assert record["social_clause"] is True  # « Clause sociale »
    # The modification states the new total: 12 months and 123 457,87 € (DECP « Nouvelle durée »,
    # « Nouveau montant »), so the contract ends 12 months after its notification.
    assert record["contract"] == {
        "start": "2024-05-15", "duration_months": 12, "end": "2025-05-15",
        "amount": {"amount": 123457.87, "currency": "EUR"},
        "modifications": [{"date": "2022-10-18", "amount": {"amount": 123457.87, "currency": "EUR"},
                           "duration_months": 12}],
    }
    assert first.contract_end == date(2025, 5, 15)


def test_decp_1_5_and_ocds_name_the_same_winner_and_contract_life():
    source = read("ocds/decp-v1_001_marche_simple.source.json")[0].to_dict()
    ocds = read("ocds/decp-v1_001_marche_simple.ocds-release-package.json")[0].to_dict()
    winner = {"name": "TECAN FRANCE SASU", "siret": "38024392300089"}
    for notice in (source, ocds):
        assert notice["awards"] == [{"lot": None, "winner": winner,
                                     "amount": {"amount": 80000, "currency": "EUR"}, "date": "2018-12-03"}]
        assert notice["result"] == "awarded"
        # 39 months (1,189 days in OCDS) from 3 December 2018.
        assert notice["contract"]["start"] == "2018-12-03"
        assert notice["contract"]["duration_months"] == 39
        assert notice["contract"]["end"] == "2022-03-03"
        assert notice["contract"]["amount"] == {"amount": 80000, "currency": "EUR"}
    assert source["contract"]["modifications"] == []


def test_decp_1_5_record_and_its_ocds_conversion_share_their_identity():
    source = read("ocds/decp-v1_001_marche_simple.source.json")[0].to_dict()
    ocds = read("ocds/decp-v1_001_marche_simple.ocds-release-package.json")[0].to_dict()
    for notice in (source, ocds):
        assert notice["source"] == "decp"
        assert notice["source_id"] == "2018MAPA20180500"
        assert notice["procedure_id"] == "200013183000212018MAPA20180500"
        assert notice["notice_type"] == "award"
        assert notice["title"] == "FOURNITURE D'UN AUTOMATE DE SET UP PCR"
        assert notice["buyer"] == {"name": "LASAT", "siret": "20001318300021", "nuts": None}
        assert notice["cpv_main"] == "38950000"
        assert notice["estimated_value"] == {"amount": 80000, "currency": "EUR"}
    assert source["procedure_type"] == "adapted"
    assert source["place"]["departments"] == ["19"]  # Tulle, 19000
    assert ocds["procedure_type"] is None  # the OCDS package does not carry it


@pytest.mark.parametrize("relative, reason", [
    ("decp/schema_decp_v2.0.3.json", "JSON non reconnu"),
    ("codelists/cpv_social-service-cpv.gc", "racine <CodeList>"),
    ("codelists/reserved-procurement.gc", "racine <CodeList>"),
    ("codelists/social-objective.gc", "racine <CodeList>"),
    ("codelists/strategic-procurement.gc", "racine <CodeList>"),
    ("codelists/eforms-sdk_translations_code_fr.xml", "DOCTYPE"),  # a Java properties DTD
    ("codelists/eforms-sdk_translations_code_en.xml", "DOCTYPE"),
    ("codelists/ocds-eforms-mapping_procurement-procedure-type.csv", "ni JSON ni XML"),
    ("codelists/ocds-eforms-mapping_social-objective.csv", "ni JSON ni XML"),
    ("codelists/ocds-eforms-mapping_strategic-procurement.csv", "ni JSON ni XML"),
])
def test_reference_files_are_refused_as_notices(relative, reason):
    with pytest.raises(NoticeError, match=reason):
        read(relative)
