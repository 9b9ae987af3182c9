"""Tender search over the real database: French full text, filters, sort, pagination."""

import json
from datetime import date

import pytest

from veille.demo import DEMO_DATA
from veille.ingest import ingest_files

pytestmark = pytest.mark.integration


# The demo's "today" (demo_data/README.md): its four DECP contracts end within the next twelve
# months, expected renewals — the first no longer after 9 January 2027 by the real clock.
DEMO_TODAY = date(2026, 12, 1)


@pytest.fixture
def client(make_service_app, veille_db, veille_settings):
    report = ingest_files(veille_db, veille_settings, [DEMO_DATA], progress=False,
                          today=DEMO_TODAY)
    assert report.created == 9
    return make_service_app("veille").test_client()


def titles(response):
    assert response.status_code == 200, response.json
    return [t["title"] for t in response.json]


def test_full_text_is_french_stemmed_and_accent_blind(client, service_headers):
    with_accents = titles(client.get("/api/tenders?q=numérisation archives",
                                     headers=service_headers))
    without = titles(client.get("/api/tenders?q=numerisation%20archive",
                                headers=service_headers))
    assert with_accents == without
    assert len(with_accents) == 1 and "Archives" in with_accents[0]


def test_filters_combine_and_pagination_is_reported(client, service_headers):
    response = client.get("/api/tenders?department=43&sort=deadline&page_size=1",
                          headers=service_headers)
    assert response.status_code == 200
    pagination = json.loads(response.headers["X-Pagination"])
    assert pagination["total"] == 2 and pagination["total_pages"] == 2
    page_two = client.get("/api/tenders?department=43&sort=deadline&page_size=1&page=2",
                          headers=service_headers)
    both = response.json + page_two.json
    assert [t["departments"] for t in both] == [["43"], ["43"]]
    assert both[0]["deadline"] <= both[1]["deadline"]


def test_cpv_prefix_reserved_and_value_filters(client, service_headers):
    green = client.get("/api/tenders?cpv=7731", headers=service_headers).json
    assert all(t["cpv_main"].startswith("7731") or t["lot_count"] for t in green)
    assert len(green) >= 1
    reserved = client.get("/api/tenders?reserved=true", headers=service_headers).json
    assert reserved and all(t["reserved"] for t in reserved)
    renewals = client.get("/api/tenders?renewal=true", headers=service_headers).json
    assert len(renewals) == 4 and all(t["renewal_expected_on"] for t in renewals)


def test_detail_shows_lots_sources_and_versions(client, service_headers):
    [archives] = client.get("/api/tenders?q=numérisation archives&notice_type=contract",
                            headers=service_headers).json
    detail = client.get(f"/api/tenders/{archives['id']}", headers=service_headers).json
    assert [n["source_id"] for n in detail["notices"]] == ["26-118342", "26-119877"]
    assert [v["version"] for v in detail["versions"]] == [1, 2]
    assert "deadline" in detail["versions"][1]["changes"]
    assert detail["lots"] and detail["lots"][0]["reserved"] == ["sheltered_workshop"]


@pytest.mark.parametrize("hostile", ["'; DROP TABLE tenders; --", "\\", "%", "_", "a' OR '1'='1",
                                     "<script>", "!!!", "(((", "nettoyage & | !"])
def test_sql_and_tsquery_metacharacters_are_harmless(client, service_headers, hostile):
    response = client.get("/api/tenders", query_string={"q": hostile}, headers=service_headers)
    assert response.status_code == 200
    assert client.get("/api/tenders", headers=service_headers).json  # still there


def test_invalid_filters_get_field_errors(client, service_headers):
    response = client.get("/api/tenders?cpv=9&department=420&status=bientot&min_value=-1",
                          headers=service_headers)
    assert response.status_code == 422
    assert set(response.json["errors"]["query"]) == {"cpv", "department", "status", "min_value"}
    reversed_range = client.get("/api/tenders?min_value=10&max_value=5", headers=service_headers)
    assert reversed_range.json["errors"]["query"]["min_value"] == ["Le minimum dépasse le maximum."]
