"""The BOAMP normaliser against the real samples (API JSON pages and Boamp_v230 XML).

The samples are third-party files kept beside the checkout (`../shared/samples`);
they are read in place, never copied into the repository.
"""

from pathlib import Path

import pytest

from veille.domain.notices import normalize

SAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "samples"

pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/samples absent")


def notices(relative: str) -> dict[str, dict]:
    path = SAMPLES / relative
    return {notice.source_id: notice.to_dict() for notice in normalize(path.read_bytes(), path.name)}


# --- boamp-where-date.json: FNSimple records, scraper wrapper {ok, url, status, data} ------

@pytest.fixture(scope="module")
def where_date():
    return notices("boamp/opendatasoft/boamp-where-date.json")


def test_where_date_holds_the_five_records_in_order(where_date):
    assert list(where_date) == ["26-7298", "26-7308", "26-7319", "26-7109", "26-7113"]
    assert {n["source"] for n in where_date.values()} == {"boamp"}
    assert {n["notice_type"] for n in where_date.values()} == {"contract"}
    # FNS is the MAPA family: "procedureAdapteeO" whatever the top-level "OUVERT" says.
    assert {n["procedure_type"] for n in where_date.values()} == {"adapted"}


def test_fnsimple_buyer_siret_cpv_and_deadline_with_offset(where_date):
    madeleine = where_date["26-7298"]
    assert madeleine["procedure_id"] == "26-7298"
    assert madeleine["buyer"] == {"name": "COMMUNE DE LA MADELEINE", "siret": "21590368300013", "nuts": None}
    assert madeleine["cpv_main"] == "45432111"
    assert madeleine["cpv_additional"] == []
    # gestion/donnees say 12:00+01:00; the flat field's "12:00+00:00" is Paris time mislabelled.
    assert madeleine["deadline"] == "2026-02-16T12:00:00+01:00"
    assert madeleine["place"] == {"nuts": [], "departments": ["59"]}
    assert madeleine["lots"] == []
    assert madeleine["url"] == "https://www.boamp.fr/pages/avis/?q=idweb:26-7298"
    assert madeleine["language"] == "fr"


def test_fnsimple_naive_deadline_is_paris_time_and_range_estimate_counts_at_its_top(where_date):
    urssaf = where_date["26-7308"]
    assert urssaf["deadline"] == "2026-02-27T12:00:00+01:00"
    assert urssaf["estimated_value"] == {"amount": 75000, "currency": "EUR"}
    assert urssaf["buyer"]["siret"] == "90209799700016"
    assert urssaf["cpv_main"] == "55520000"
    assert urssaf["social_criteria"] is True  # criteres ["sociaux", "environnementaux"]
    assert urssaf["place"]["departments"] == ["14", "27", "50", "61", "76"]
    assert [lot["id"] for lot in urssaf["lots"]] == ["1", "2", "3", "4", "5", "6", "7"]
    assert urssaf["lots"][0]["title"] == "1- Prestations pour l’URSSAF de Rouen (Seine Maritime)"
    assert {lot["cpv_main"] for lot in urssaf["lots"]} == {"55520000"}
    assert urssaf["reserved"] == []


def test_fnsimple_lot_numbers_come_from_descriptions_and_zero_estimates_mean_unknown(where_date):
    lycee = where_date["26-7319"]
    assert [lot["id"] for lot in lycee["lots"]] == ["2", "5"]  # "Lot 2 : Finition", "Lot 5 : Menuiserie"
    assert [lot["cpv_main"] for lot in lycee["lots"]] == ["45410000", "45421000"]
    assert [lot["estimated_value"] for lot in lycee["lots"]] == [None, None]  # "valeur": "0.00"
    assert lycee["estimated_value"] is None
    assert lycee["cpv_main"] == "45454100"
    assert lycee["cpv_additional"] == ["45410000", "45421000"]
    assert lycee["buyer"]["siret"] == "20005376700014"
    assert lycee["place"]["departments"] == ["69", "74"]
    assert lycee["deadline"] == "2026-02-11T12:00:00+01:00"


def test_fnsimple_without_lots_and_profession_reservation_is_not_a_social_reservation(where_date):
    levaparc = where_date["26-7109"]
    assert levaparc["lots"] == []
    assert levaparc["reserved"] == []  # reserved to statutory auditors, not to ESS structures
    assert levaparc["cpv_main"] == "79200000"
    assert levaparc["deadline"] == "2026-03-06T12:00:00+01:00"
    assert levaparc["buyer"] == {"name": "Spl Levaparc", "siret": "35334722200286", "nuts": None}


def test_fnsimple_departments_are_zero_padded(where_date):
    gendarmerie = where_date["26-7113"]
    assert gendarmerie["place"]["departments"] == ["02", "08", "10", "51", "52", "54", "55", "57", "77"]
    assert gendarmerie["deadline"] == "2026-02-20T11:00:00+01:00"
    assert gendarmerie["cpv_main"] == "45443000"
    assert gendarmerie["cpv_additional"] == ["45261900", "45421000", "45442100"]
    assert [lot["id"] for lot in gendarmerie["lots"]] == ["1", "2", "3", "4"]
    assert gendarmerie["social_criteria"] is True
    assert gendarmerie["buyer"]["name"] == "SGAMI EST"


# --- boamp-pagination-page-*.json: Boamp_v230 (JOUE) records -------------------------------

PAGE_IDS = {
    1: ["15-31501", "15-27549", "15-29477", "15-30976", "15-31001", "15-31036", "15-31061", "15-31108",
        "15-31163", "15-31204"],
    2: ["15-31232", "15-31314", "15-31438", "15-31441", "15-31468", "15-31553", "15-28470", "15-28783",
        "15-29327", "15-30328"],
    3: ["15-31233", "15-31324", "15-31409", "15-31443", "15-31506", "15-31534", "15-31538", "15-31576",
        "15-31796", "15-31901"],
}
CORRIGENDA = {"15-31204": "15-28759", "15-31438": "15-26190", "15-31468": "15-18821"}


@pytest.fixture(scope="module")
def pages():
    return {page: notices(f"boamp/opendatasoft/boamp-pagination-page-{page}.json") for page in PAGE_IDS}


@pytest.mark.parametrize("page", sorted(PAGE_IDS))
def test_each_page_gives_its_ten_records_with_types_and_procedures(pages, page):
    assert list(pages[page]) == PAGE_IDS[page]
    for source_id, notice in pages[page].items():
        if source_id in CORRIGENDA:
            assert notice["notice_type"] == "corrigendum"
            assert notice["procedure_id"] == CORRIGENDA[source_id]  # the initial notice's IDWEB
        else:
            assert notice["notice_type"] == "contract"
            assert notice["procedure_id"] == source_id
        assert notice["language"] == "fr"


def test_page_1_concession_without_procedure_type_and_several_principal_cpv(pages):
    zac = pages[1]["15-31501"]
    assert zac["title"] == "Concession d'aménagement pour la réalisation de la ZAC de Château-Gaillard"
    assert zac["procedure_type"] is None  # "Procédure NC"
    assert zac["cpv_main"] == "45111291"
    assert zac["cpv_additional"] == ["71000000", "70122100", "70122200"]
    assert zac["deadline"] == "2015-04-20T12:00:00+01:00"  # RECEPT_CANDIDAT
    assert zac["place"] == {"nuts": ["FR523"], "departments": ["35"]}  # NUTS 2013 Ille-et-Vilaine
    assert zac["buyer"] == {"name": "Cté Cnes Moyenne Vilaine et Semnon", "siret": None, "nuts": None}


def test_page_1_colmar_has_33_numbered_lots(pages):
    colmar = pages[1]["15-27549"]
    assert len(colmar["lots"]) == 33
    assert [lot["id"] for lot in colmar["lots"]][:3] == ["101", "102", "103"]
    assert colmar["lots"][-1]["id"] == "312"
    assert {lot["cpv_main"] for lot in colmar["lots"]} == {"34300000"}
    assert colmar["procedure_type"] == "open"
    assert colmar["place"] == {"nuts": ["FR422"], "departments": ["67", "68"]}
    assert colmar["deadline"] == "2015-04-13T12:00:00+01:00"
    assert colmar["lots"][0]["deadline"] == "2015-04-13T12:00:00+01:00"  # inherited from the notice


def test_page_1_haute_loire_hospital_and_corrigendum_without_deadline(pages):
    emile_roux = pages[1]["15-31163"]
    assert emile_roux["buyer"]["name"] == "Centre Hospitalier Émile Roux"
    assert emile_roux["place"]["departments"] == ["43"]
    assert emile_roux["cpv_main"] == "15500000"
    assert emile_roux["cpv_additional"] == ["03142500"]
    assert emile_roux["social_criteria"] is False  # criteres: ["environnementaux"] only
    signalisation = pages[1]["15-31204"]
    assert signalisation["deadline"] is None  # the correction is about the description
    assert signalisation["cpv_main"] == "34992200"
    assert signalisation["place"]["departments"] == ["974"]


def test_page_2_corrigendum_moving_the_deadline(pages):
    velten = pages[2]["15-31468"]
    assert velten["notice_type"] == "corrigendum"
    assert velten["procedure_id"] == "15-18821"
    assert velten["deadline"] == "2015-04-13T16:00:00+01:00"  # LIRE, was 2015-04-08
    assert velten["cpv_main"] == "45111100"
    assert velten["cpv_additional"] == ["45300000", "45442100", "45313100", "45331000"]
    assert velten["buyer"]["name"] == "Ville de Marseille"


def test_page_2_values_social_clause_and_regional_nuts(pages):
    assert pages[2]["15-28783"]["estimated_value"] == {"amount": 270000, "currency": "EUR"}  # VALEUR_MAX
    assert pages[2]["15-29327"]["estimated_value"] == {"amount": 2640000, "currency": "EUR"}
    assert pages[2]["15-29327"]["cpv_main"] == "55523100"
    saint_paul = pages[2]["15-30328"]
    assert saint_paul["estimated_value"] == {"amount": 350000, "currency": "EUR"}
    assert [lot["id"] for lot in saint_paul["lots"]] == ["1", "2", "3"]
    assert saint_paul["place"] == {"nuts": ["FR94"], "departments": ["974"]}  # NUTS 2010 Réunion
    # "heures d'insertion" in AUTRES_CONDITIONS_PART_OUI is a social clause.
    assert pages[2]["15-31553"]["social_criteria"] is True
    crous = pages[2]["15-31441"]
    assert crous["place"] == {"nuts": ["FR43"], "departments": ["25", "39", "70", "90"]}
    assert [lot["id"] for lot in crous["lots"]] == ["1", "2"]
    assert crous["deadline"] == "2015-03-27T12:00:00+01:00"


def test_page_3_lots_values_and_country_wide_nuts(pages):
    barcares = pages[3]["15-31443"]
    assert barcares["estimated_value"] == {"amount": 1000000, "currency": "EUR"}
    assert [lot["id"] for lot in barcares["lots"]] == ["1", "2", "3", "4", "5"]
    assert barcares["cpv_main"] == "34144700"
    assert barcares["place"] == {"nuts": ["FR"], "departments": ["66"]}  # "FR" is not expanded
    assert barcares["deadline"] == "2015-04-14T14:00:00+01:00"
    blagnac = pages[3]["15-31506"]
    assert blagnac["estimated_value"] == {"amount": 125000, "currency": "EUR"}
    assert len(blagnac["lots"]) == 5
    pont_st_martin = pages[3]["15-31324"]
    assert pont_st_martin["cpv_main"] == "66515200"
    assert pont_st_martin["cpv_additional"] == ["66516000", "66514110", "66512000", "66513100"]
    assert pages[3]["15-31901"]["place"]["departments"] == ["974"]
    assert pages[3]["15-31538"]["cpv_main"] == "09100000"


# --- boamp/xml: the Boamp_v230 XML itself ---------------------------------------------------

def test_boamp_xml_paris_towing_two_lots_regional_nuts():
    notice = notices("boamp/xml/test-pub.xml")["16-186394"]
    assert notice["source"] == "boamp"
    assert notice["procedure_id"] == "16-186394"
    assert notice["notice_type"] == "contract"
    assert notice["title"] == "2016 DFA 167 - Prestations de remorquage pour les véhicules de la ville de Paris"
    assert notice["buyer"] == {"name": "Ville de Paris", "siret": None, "nuts": "FR101"}
    assert notice["cpv_main"] == "50118110"
    assert notice["cpv_additional"] == []
    assert [lot["id"] for lot in notice["lots"]] == ["1", "2"]
    assert notice["lots"][1]["title"] == "Prestations de remorquage pour les poids lourds de la ville de Paris"
    assert notice["deadline"] == "2017-02-07T12:00:00+01:00"
    assert notice["procedure_type"] == "open"
    # Lots are placed in FR10 (Île-de-France), which covers its eight départements.
    assert notice["place"] == {"nuts": ["FR10"], "departments": ["75", "77", "78", "91", "92", "93", "94", "95"]}
    assert notice["social_criteria"] is False  # CRITERES_SOCIAUX_ENV holds ENVIRONNEMENTAUX only
    assert notice["reserved"] == []
    assert notice["url"] == "https://www.boamp.fr/pages/avis/?q=idweb:16-186394"


def test_boamp_xml_design_contest_reserved_to_architects_is_not_reserved():
    notice = notices("boamp/xml/test-pub-3.xml")["16-186063"]
    assert notice["reserved"] == []  # MARCHE_RESERVE_NON; PRESTATION_RESERVEE_OUI is a profession
    assert notice["procedure_type"] == "restricted"
    assert notice["buyer"] == {"name": "SEMMY", "siret": None, "nuts": "FR102"}
    assert notice["cpv_main"] == "45211000"
    assert notice["deadline"] == "2017-02-10T15:00:00+01:00"
    assert notice["place"]["departments"] == ["77"]
    assert [lot["id"] for lot in notice["lots"]] == ["1"]
    assert notice["estimated_value"] is None


# --- results, cancellations, clauses and documents ---------------------------------------------

def test_the_sample_corrigenda_modify_and_cancel_nothing(pages):
    # 15-31204 rewrites a description, 15-31438 the duration, 15-31468 moves the deadline:
    # none declares the procedure « sans suite » or cancels it.
    corrigenda = {**pages[1], **pages[2]}
    for source_id in CORRIGENDA:
        assert corrigenda[source_id]["cancelled"] is False
        assert corrigenda[source_id]["result"] is None
        assert corrigenda[source_id]["awards"] == []


@pytest.mark.parametrize("page", sorted(PAGE_IDS))
def test_contract_notices_have_no_award_and_no_result(pages, page):
    for notice in pages[page].values():
        assert notice["awards"] == [] and notice["result"] is None
        assert {lot["result"] for lot in notice["lots"]} <= {None}


def test_insertion_hours_required_in_the_execution_conditions_are_an_insertion_clause(pages):
    lyon = pages[2]["15-31553"]  # « réaliser a minima le nombre d'heures d'insertion définies en annexe »
    assert lyon["insertion_clause"] is True and lyon["social_clause"] is True
    assert lyon["insertion_hours"] is None  # the number is in the CCAP's annex, not in the notice
    assert pages[2]["15-31232"]["insertion_clause"] is False


def test_documents_url_from_every_boamp_shape(where_date, pages):
    assert where_date["26-7298"]["documents_url"] == (
        "https://marchespublics596280.fr/entreprise/consultation/581998?orgAcronyme=50368")  # urlDocConsul
    assert where_date["26-7113"]["documents_url"].startswith(
        "https://www.marches-publics.gouv.fr/?page=Entreprise.EntrepriseAdvancedSearch")  # urlProfilAch
    assert pages[1]["15-31204"]["documents_url"] == "https://marches-publics.regionreunion.com"
    assert pages[1]["15-31204"]["url"] == "https://www.boamp.fr/pages/avis/?q=idweb:15-31204"
    [paris] = normalize((SAMPLES / "boamp/xml/test-pub.xml").read_bytes(), "test-pub.xml")
    assert paris.documents_url == "https://marches.maximilien.fr"
