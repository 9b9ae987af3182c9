"""The eForms and TED_EXPORT normalisers against the real samples in ../shared/samples."""

from pathlib import Path

import pytest

from veille.domain.notices import normalize

SAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "samples"

pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/samples absent")


def only_notice(relative: str) -> dict:
    path = SAMPLES / relative
    notices = normalize(path.read_bytes(), path.name)
    assert len(notices) == 1
    return notices[0].to_dict()


# --- eForms as published on TED -------------------------------------------------------------

def test_modena_social_services_publication_number_without_leading_zeros():
    notice = only_notice("eforms/ted-published/650276-2023.xml")
    assert notice["source"] == "ted"
    assert notice["source_id"] == "650276-2023"  # NoticePublicationID 00650276-2023
    assert notice["procedure_id"] == "63ccfa66-7681-46e1-bd49-bbfc898ab319"
    assert notice["notice_type"] == "contract"  # cn-social
    assert notice["buyer"] == {"name": "Comune di Modena", "siret": None, "nuts": "ITH54"}  # CompanyID is Italian
    assert notice["cpv_main"] == "85300000"
    assert notice["cpv_additional"] == []
    assert notice["estimated_value"] == {"amount": 1966486, "currency": "EUR"}
    assert notice["deadline"] == "2023-11-24T13:00:00+01:00"
    assert notice["procedure_type"] == "open"
    assert notice["social_criteria"] is True  # acc-all, gen-eq, opp, work-cond on each lot
    assert notice["reserved"] == []
    assert notice["place"] == {"nuts": ["ITH54"], "departments": []}  # Italian postcode 41121 is no département
    assert [lot["id"] for lot in notice["lots"]] == ["LOT-0001", "LOT-0002"]
    assert [lot["estimated_value"] for lot in notice["lots"]] == [
        {"amount": 1021378, "currency": "EUR"}, {"amount": 945108, "currency": "EUR"}]
    assert notice["language"] == "it"
    assert notice["url"] == "https://ted.europa.eu/fr/notice/-/detail/650276-2023"


def test_ripoll_prefixed_root_pin_with_two_sheltered_lots():
    notice = only_notice("eforms/ted-published/262891-2023.xml")
    assert notice["source_id"] == "262891-2023"
    assert notice["procedure_id"] == "01eef4c6-3aa2-4c44-aafb-d756a4b52eb1"
    assert notice["notice_type"] == "prior_information"  # pin-cfc-standard
    assert notice["buyer"] == {"name": "AYUNTAMIENTO DE RIPOLL", "siret": None, "nuts": None}
    assert notice["cpv_main"] == "90911200"
    assert notice["cpv_additional"] == ["90919300"]  # lot 2's main code
    assert [lot["id"] for lot in notice["lots"]] == ["LOT-0001", "LOT-0002", "LOT-0003", "LOT-0004"]
    assert [lot["reserved"] for lot in notice["lots"]] == [[], [], ["sheltered_workshop"], ["sheltered_workshop"]]
    assert notice["reserved"] == ["sheltered_workshop"]
    # A PIN used as a call for competition: the deadline is the one for expressions of interest.
    assert notice["deadline"] == "2023-06-02T14:00:00+02:00"
    assert notice["estimated_value"] is None
    assert notice["language"] == "es"


# --- eForms SDK examples ---------------------------------------------------------------------

def test_french_sdk_example_rouen_habitat():
    notice = only_notice("eforms/sdk-examples/cn_24_FRA_comments.xml")
    assert notice["source_id"] == "da4d46e9-490b-41ff-a2ae-8166d356a619"  # no publication: the notice id
    assert notice["procedure_id"] == "e3cdabf1-e057-47a5-9210-b1f6fc757228"
    assert notice["title"] == "Service d'entretien de remise en état et de nettoyage des espaces verts"
    # CompanyID "123 456 789" is a SIREN, not a SIRET: not reported as one.
    assert notice["buyer"] == {"name": "Rouen Habitat", "siret": None, "nuts": "FRD22"}
    assert notice["cpv_main"] == "77310000"
    assert notice["place"] == {"nuts": ["FRD22"], "departments": ["76"]}
    assert notice["deadline"] == "2019-06-24T16:00:00+00:00"
    assert [lot["id"] for lot in notice["lots"]] == ["LOT-0001", "LOT-0002"]
    assert [lot["title"] for lot in notice["lots"]] == ["Agence centre", "Agence Hauts de Rouen"]
    assert notice["url"] is None
    assert notice["language"] == "fr"


def test_maximal_sdk_example_reservations_values_and_lot_group_excluded():
    notice = only_notice("eforms/sdk-examples/cn_24_maximal.xml")
    assert notice["source_id"] == "14549263-b47b-4e59-96a1-2d0d13e19343"
    assert notice["procedure_type"] == "negotiated"  # neg-w-call
    # Three ProcurementProjectLot elements, one of which is the lot group GLO-0001.
    assert [lot["id"] for lot in notice["lots"]] == ["LOT-0001", "LOT-0002"]
    # res-pub-ser, and reserved-execution "yes" (sheltered employment programmes)
    assert notice["lots"][0]["reserved"] == ["public_service_mission", "sheltered_workshop"]
    assert notice["lots"][1]["reserved"] == ["sheltered_workshop"]  # reserved-execution yes
    assert notice["reserved"] == ["public_service_mission", "sheltered_workshop"]
    assert notice["estimated_value"] == {"amount": 9999999.99, "currency": "EUR"}
    assert notice["cpv_main"] == "79710000"
    assert notice["cpv_additional"] == ["79720000", "75121000"]
    assert notice["social_criteria"] is True  # social-objective acc-all
    assert notice["deadline"] == "2023-05-22T20:59:32+01:00"  # requests to participate
    assert notice["buyer"]["nuts"] == "LU000"
    assert notice["place"]["departments"] == []


def test_pin_social_sdk_example_reserved_lot():
    notice = only_notice("eforms/sdk-examples/pin-cfc-social_24.xml")
    assert notice["notice_type"] == "prior_information"
    assert notice["procedure_id"] == "7a0d92d2-de31-4c7d-9baa-023a9a2db87b"
    assert notice["cpv_main"] == "85000000"
    assert [lot["id"] for lot in notice["lots"]] == ["LOT-0001"]
    assert notice["lots"][0]["reserved"] == ["sheltered_workshop"]
    assert notice["deadline"] == "2023-05-31T15:00:00+03:00"
    assert notice["procedure_type"] == "other"  # oth-mult
    assert notice["buyer"]["name"] == "ZenithNova Innovations Ltd."


def test_social_contract_notice_sdk_example():
    notice = only_notice("eforms/sdk-examples/cn-social_24.xml")
    assert notice["source_id"] == "76c82dad-10b1-4e6a-9326-9312b4bf9baf"
    assert notice["notice_type"] == "contract"
    assert notice["cpv_main"] == "85311300"
    assert notice["cpv_additional"] == ["85310000", "85300000", "85000000", "80000000"]
    assert [lot["id"] for lot in notice["lots"]] == ["LOT-0000"]
    assert notice["deadline"] == "2020-01-06T12:00:00+01:00"
    assert notice["buyer"] == {"name": "Scotland Excel", "siret": None, "nuts": None}
    assert notice["language"] == "en"


# --- TED_EXPORT R2.0.9 -----------------------------------------------------------------------

def test_ted_export_reserved_meal_preparation():
    notice = only_notice("ted-xml/19-090974-001-EXP.xml")
    assert notice["source"] == "ted"
    # DOC_ID "091489-2019", the OJ S publication number 2019/S 040-091489.
    assert notice["source_id"] == "91489-2019"
    assert notice["procedure_id"] == "91489-2019"
    assert notice["notice_type"] == "contract"
    assert notice["buyer"] == {"name": "EPS Paul Guiraud", "siret": None, "nuts": "FR107"}
    assert notice["cpv_main"] == "55321000"
    assert notice["cpv_additional"] == []  # the additional code repeats the main one
    assert notice["place"] == {"nuts": ["FR105"], "departments": ["92"]}
    assert notice["deadline"] == "2019-03-22T15:00:00+01:00"  # local time in France
    assert notice["procedure_type"] == "open"
    # RESTRICTED_SHELTERED_WORKSHOP, RESTRICTED_SHELTERED_PROGRAM, RESERVED_ORGANISATIONS_SERVICE_MISSION
    assert notice["reserved"] == ["public_service_mission", "sheltered_workshop"]
    assert notice["social_criteria"] is False  # the performance condition quotes the reservation
    assert notice["lots"] == []  # NO_LOT_DIVISION
    assert notice["language"] == "fr"
    assert notice["url"] == "http://ted.europa.eu/udl?uri=TED:NOTICE:091489-2019:TEXT:FR:HTML"


def test_ted_export_corrigendum_derived_from_the_sample_moves_the_deadline():
    data = (SAMPLES / "ted-xml/19-090974-001-EXP.xml").read_text(encoding="utf-8")
    data = data.replace("F21_2014", "F14_2014").replace(
        "<NO_DOC_OJS>2019/S 040-091489</NO_DOC_OJS>",
        "<NO_DOC_OJS>2019/S 045-104321</NO_DOC_OJS><REF_NOTICE><NO_DOC_OJS>2019/S 040-091489</NO_DOC_OJS></REF_NOTICE>",
    ).replace('DOC_ID="091489-2019"', 'DOC_ID="104321-2019"').replace(
        "<COMPLEMENTARY_INFO>",
        "<CHANGES><CHANGE><WHERE><SECTION>IV.2.2</SECTION></WHERE>"
        "<OLD_VALUE><DATE>2019-03-22</DATE><TIME>15:00</TIME></OLD_VALUE>"
        "<NEW_VALUE><DATE>2019-04-05</DATE><TIME>12:00</TIME></NEW_VALUE></CHANGE></CHANGES><COMPLEMENTARY_INFO>",
    )
    [notice] = normalize(data.encode(), "corrigendum.xml")
    assert notice.notice_type == "corrigendum"
    assert notice.source_id == "104321-2019"
    assert notice.procedure_id == "91489-2019"  # the corrected notice opens the procedure
    assert notice.to_dict()["deadline"] == "2019-04-05T12:00:00+02:00"  # summer time in Paris


def test_documents_url_and_notice_url_from_eforms_and_ted_export():
    rouen = only_notice("eforms/sdk-examples/cn_24_FRA_comments.xml")
    assert rouen["documents_url"] == "https://www.marches-publics.info/accueil.htm"  # BT-15 of lot 1
    maximal = only_notice("eforms/sdk-examples/cn_24_maximal.xml")
    assert maximal["documents_url"] == "http://nonrestricteddocuments.com"  # the non-restricted one first
    modena = only_notice("eforms/ted-published/650276-2023.xml")
    assert modena["url"] == "https://ted.europa.eu/fr/notice/-/detail/650276-2023"
    assert modena["documents_url"].startswith("https://intercenter.regione.emilia-romagna.it/")
    ted = only_notice("ted-xml/19-090974-001-EXP.xml")
    assert ted["documents_url"] == "http://www.klekoon.com"
    for notice in (rouen, maximal, modena, ted):
        assert notice["awards"] == [] and notice["result"] is None and notice["cancelled"] is False


def test_social_objectives_per_lot_are_social_clauses():
    modena = only_notice("eforms/ted-published/650276-2023.xml")
    # Every lot lists acc-all, gen-eq, opp, work-cond: "opp" is employment for people far from work.
    clauses = [(lot["social_clause"], lot["insertion_clause"]) for lot in modena["lots"]]
    assert clauses == [(True, True), (True, True)]
    assert modena["social_clause"] and modena["insertion_clause"]
    rouen = only_notice("eforms/sdk-examples/cn_24_FRA_comments.xml")
    assert not rouen["social_clause"] and not rouen["insertion_clause"]
