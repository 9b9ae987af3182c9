"""Alert profiles through the API, tenders through the ingester, matches through the real
database (French stemming, accents folded) and the real broker."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from centrale.bus import Bus
from centrale.outbox import OutboxRelay
from centrale.testing import outbox_events, running_consumer, wait_until
from veille.ingest import IngestReport, Ingester
from veille.matcher import Matcher, matching_handlers

pytestmark = pytest.mark.integration

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime.now(PARIS).replace(microsecond=0)
TODAY = NOW.date()
# Deadlines well ahead of whenever the tests run: matching alerts open tenders only.
DEADLINE = (NOW + timedelta(days=45)).isoformat()
LATER = (NOW + timedelta(days=60)).isoformat()


def notice(source_id, title, cpv="90911200", departments=("42",), lots=(), description="",
           deadline=DEADLINE, value=None, notice_type="contract"):
    return {"source": "boamp", "source_id": source_id, "procedure_id": source_id,
            "notice_type": notice_type, "title": title, "description": description,
            "buyer": {"name": "Saint-Étienne Métropole", "siret": None, "nuts": "FRK25"},
            "cpv_main": cpv, "cpv_additional": [],
            "place": {"nuts": [], "departments": list(departments)},
            "estimated_value": {"amount": value, "currency": "EUR"} if value else None,
            "deadline": deadline, "procedure_type": "open", "reserved": [],
            "social_criteria": False, "lots": list(lots), "url": None, "language": "fr"}


@pytest.fixture
def env(make_service_app, veille_db, veille_settings, service_headers):
    client = make_service_app("veille").test_client()

    def profile(structure_id, **fields):
        body = {"structure_id": structure_id, "name": fields.pop("name", "Profil"), **fields}
        response = client.post("/api/profiles", json=body, headers=service_headers)
        assert response.status_code == 201, response.json
        return response.json

    def ingest(*notices):
        report = IngestReport()
        Ingester(veille_db, veille_settings, today=TODAY).store(notices, report, "test")
        with veille_db.transaction() as conn:
            return [conn.execute("SELECT tender_id FROM tender_notices WHERE source_id = %s",
                                 (n["source_id"],)).fetchone()["tender_id"] for n in notices]

    matcher = Matcher()

    def match(tender_id):
        with veille_db.transaction() as conn:
            return matcher.match_tender(conn, tender_id)

    return client, profile, ingest, match


def test_keywords_match_with_or_without_accents_through_french_stemming(env):
    _client, profile, ingest, match = env
    with_accent = profile(1, name="accents", keywords=["propreté des écoles"])
    without = profile(2, name="sans accents", keywords=["proprete ecole"])
    other = profile(3, name="autre", keywords=["restauration"])
    [tender] = ingest(notice("26-1", "Propreté et nettoyage des écoles maternelles"))
    found = {a.profile_ids[0]: a for a in match(tender)}
    assert set(found) == {with_accent["id"], without["id"]}
    assert found[without["id"]].reasons == ["mot-clé « proprete ecole »"]
    assert other["id"] not in found


def test_a_tender_matches_once_per_profile_even_when_it_changes(env, veille_db):
    _client, profile, ingest, match = env
    wanted = profile(5, cpv_prefixes=["90910000"], departments=["42"])
    [tender] = ingest(notice("26-2", "Nettoyage des locaux administratifs"))
    first = match(tender)
    assert [(a.profile_ids, a.reasons) for a in first] == [
        ([wanted["id"]], ["CPV 90911200 sous votre 9091", "Loire"])]
    ingest(notice("26-2", "Nettoyage des locaux administratifs", deadline=LATER))
    assert match(tender) == []  # no second alert
    events = outbox_events(veille_db, "tender.matched")
    assert len(events) == 1
    data = events[0]["data"]
    assert {key: data[key] for key in ("tender_id", "structure_id", "profile_id", "profile_ids",
                                       "title", "deadline", "reasons", "lots", "buyer",
                                       "expected_renewal")} == {
        "tender_id": tender, "structure_id": 5, "profile_id": wanted["id"],
        "profile_ids": [wanted["id"]], "title": "Nettoyage des locaux administratifs",
        "deadline": DEADLINE, "buyer": "Saint-Étienne Métropole",
        "reasons": ["CPV 90911200 sous votre 9091", "Loire"], "lots": [],
        "expected_renewal": False}
    assert [part["part"] for part in data["score_parts"]] == ["cpv", "lot", "time"]


def test_outside_the_territory_tenders_are_kept_and_searchable_but_not_alerted(env,
                                                                              service_headers):
    client, profile, ingest, match = env
    profile(6, cpv_prefixes=["9091"])
    [lyon] = ingest(notice("26-3", "Nettoyage des gymnases de Lyon", departments=("69",)))
    assert match(lyon) == []
    found = client.get("/api/tenders?q=gymnases", headers=service_headers).json
    assert [(t["id"], t["in_territory"]) for t in found] == [(lyon, False)]


def test_a_dismissed_tender_is_not_alerted_and_disappears_from_the_list(env, service_headers,
                                                                        make_headers):
    client, profile, ingest, match = env
    profile(7, cpv_prefixes=["7731"])
    [first, second] = ingest(notice("26-4", "Tonte des espaces verts", cpv="77311000"),
                             notice("26-5", "Élagage des arbres", cpv="77311000"))
    member = make_headers("membre", structure_id=7)
    refused = client.post(f"/api/structures/7/matches/{second}/dismiss", headers=member,
                          json={"reason": "Pas de matériel d'élagage"})
    assert refused.status_code == 204
    match(first)
    match(second)
    listed = client.get("/api/structures/7/matches", headers=member)
    assert [m["tender_id"] for m in listed.json] == [first]
    everything = client.get("/api/structures/7/matches?include_dismissed=true", headers=member)
    assert {m["tender_id"]: m["dismissed_reason"] for m in everything.json} == {first: None}
    # Another structure's alerts: 404, as in every service (nothing tells they exist).
    assert client.get("/api/structures/8/matches", headers=member).status_code == 404


def test_a_dismissal_is_seen_again_and_undone(env, make_headers):
    client, profile, ingest, match = env
    profile(17, cpv_prefixes=["7731"])
    [tender] = ingest(notice("26-41", "Taille des haies du parc", cpv="77311000"))
    match(tender)
    member = make_headers("membre", structure_id=17)
    client.post(f"/api/structures/17/matches/{tender}/dismiss", headers=member,
                json={"reason": "Trop loin"})
    everything = client.get("/api/structures/17/matches?include_dismissed=true", headers=member)
    assert [(m["tender_id"], m["dismissed_reason"]) for m in everything.json] == [
        (tender, "Trop loin")]
    assert client.delete(f"/api/structures/17/matches/{tender}/dismiss",
                         headers=member).status_code == 204
    assert [m["tender_id"] for m in client.get("/api/structures/17/matches",
                                               headers=member).json] == [tender]
    assert client.delete(f"/api/structures/17/matches/{tender}/dismiss",
                         headers=member).status_code == 404
    other = make_headers("membre", structure_id=18)  # another structure's: nothing revealed
    assert client.delete(f"/api/structures/17/matches/{tender}/dismiss",
                         headers=other).status_code == 404


def test_a_departement_is_given_by_its_code_or_its_name(env, service_headers):
    client, _profile, ingest, _match = env
    ingest(notice("26-42", "Entretien des berges", cpv="77311000"))
    by_code = client.get("/api/tenders?department=42&q=berges", headers=service_headers).json
    by_name = client.get("/api/tenders?department=Loire&q=berges", headers=service_headers).json
    assert by_name == by_code and len(by_code) == 1
    refused = client.get("/api/tenders?department=Mars", headers=service_headers)
    assert refused.status_code == 422
    assert refused.json["errors"]["query"]["department"] == {
        "0": ["« Mars » n'est ni un numéro ni un nom de département."]}


def test_matching_runs_from_the_event_through_the_real_broker(veille_settings, veille_db, env):
    _client, profile, ingest, _match = env
    wanted = profile(9, keywords=["numérisation"], departments=["42"])
    handlers = matching_handlers()
    with running_consumer(veille_settings, veille_db, handlers):
        [tender] = ingest(notice("26-6", "Numérisation des archives communales", cpv="79995100"))
        OutboxRelay(veille_db, Bus.from_settings(veille_settings)).drain()
        matched = wait_until(lambda: outbox_events(veille_db, "tender.matched"), timeout=20)
    assert [(e["data"]["tender_id"], e["data"]["profile_id"]) for e in matched] == [
        (tender, wanted["id"])]
    assert matched[0]["data"]["reasons"] == ["mot-clé « numérisation »", "Loire"]


def test_profiles_are_validated_and_private_to_their_structure(env, make_headers):
    client, profile, _ingest, _match = env
    member = make_headers("membre", structure_id=12)
    mine = client.post("/api/profiles", headers=member,
                       json={"name": "Mes marchés", "cpv_prefixes": ["9091"]})
    assert mine.status_code == 201 and mine.json["structure_id"] == 12
    theirs = profile(13, name="Chez les autres", cpv_prefixes=["4521"])
    assert client.get(f"/api/profiles/{theirs['id']}", headers=member).status_code == 404
    assert client.put(f"/api/profiles/{theirs['id']}", headers=member,
                      json={"name": "Pris"}).status_code == 404
    assert client.delete(f"/api/profiles/{theirs['id']}", headers=member).status_code == 404
    assert [p["id"] for p in client.get("/api/profiles", headers=member).json] == [mine.json["id"]]
    assert client.post("/api/profiles", headers=member,
                       json={"name": "Ailleurs", "structure_id": 13}).status_code == 403
    duplicate = client.post("/api/profiles", headers=member,
                            json={"name": "Mes marchés", "cpv_prefixes": ["7731"]})
    assert duplicate.status_code == 409
    bad = client.post("/api/profiles", headers=member,
                      json={"name": "x", "cpv_prefixes": ["9"], "departments": ["420"],
                            "keywords": ["de la"], "min_value": 10, "max_value": 5})
    assert bad.status_code == 422
    assert set(bad.json["errors"]["json"]) == {"name", "cpv_prefixes", "departments"}
    stopwords = client.post("/api/profiles", headers=member,
                            json={"name": "Trop général", "keywords": ["de la", "espaces verts"]})
    assert stopwords.status_code == 422
    assert stopwords.json["errors"]["json"]["keywords"] == [
        "« de la » ne contient aucun mot significatif."]


def test_a_moved_deadline_is_told_to_the_structures_alerted_and_not_to_those_who_dismissed(
        env, veille_db, make_headers):
    from centrale.consumer import apply_once
    from centrale.events import Event

    client, profile, ingest, match = env
    profile(21, cpv_prefixes=["9091"])
    profile(22, cpv_prefixes=["909112"])
    profile(23, cpv_prefixes=["90911200"])
    [tender] = ingest(notice("26-21", "Nettoyage de la piscine municipale"))
    assert {a.structure_id for a in match(tender)} == {21, 22, 23}
    assert client.post(f"/api/structures/23/matches/{tender}/dismiss",
                       headers=make_headers("membre", structure_id=23),
                       json={"reason": "Trop loin"}).status_code == 204
    ingest(notice("26-21", "Nettoyage de la piscine municipale", notice_type="corrigendum",
                  deadline=LATER))
    [updated] = [e for e in outbox_events(veille_db, "tender.updated")
                 if e["data"]["tender_id"] == tender]
    profile(24, cpv_prefixes=["90"])  # arrives after the corrigendum, matched at once
    [handler, _structures] = matching_handlers(Matcher())
    assert apply_once(veille_db, handler, Event.from_message(updated))

    moved = [e["data"] for e in outbox_events(veille_db, "tender.deadline_moved")
             if e["data"]["tender_id"] == tender]
    assert sorted(moved, key=lambda d: d["structure_id"]) == [
        {"tender_id": tender, "structure_id": s, "title": "Nettoyage de la piscine municipale",
         "deadline_before": DEADLINE, "deadline": LATER} for s in (21, 22)]
    # The newcomer's first alert already carries the new deadline.
    [first_alert] = [e["data"] for e in outbox_events(veille_db, "tender.matched")
                     if e["data"]["structure_id"] == 24]
    assert first_alert["deadline"] == LATER
    assert not apply_once(veille_db, handler, Event.from_message(updated))  # once


def test_a_new_profile_announces_its_best_open_tenders_and_lists_them_all(env, veille_db,
                                                                          make_headers):
    from veille.matcher import BACKFILL_ANNOUNCED

    client, profile, ingest, _match = env
    many = BACKFILL_ANNOUNCED + 5
    ingest(*[notice(f"26-9{n:03d}", f"Entretien des orgues de l'église n° {n}", cpv="50530000",
                    deadline=(NOW + timedelta(days=10 + n)).isoformat()) for n in range(many)])
    created = profile(31, name="Orgues", cpv_prefixes=["50530000"], departments=["42"])
    assert created["found"] == many
    announced = [e for e in outbox_events(veille_db, "tender.matched")
                 if e["data"]["structure_id"] == 31]
    assert len(announced) == BACKFILL_ANNOUNCED
    listed = client.get("/api/structures/31/matches?page_size=100",
                        headers=make_headers("membre", structure_id=31)).json
    assert len(listed) == many


def test_keywords_are_met_in_the_tender_never_in_its_buyer_s_name(env):
    _client, profile, ingest, match = env
    wanted = profile(32, keywords=["balayage"], departments=["42"])
    cars = {**notice("26-8801", "Achat de trois véhicules utilitaires", cpv="34130000"),
            "buyer": {"name": "Régie de balayage urbain", "siret": None, "nuts": "FRK25"}}
    sweeping = notice("26-8802", "Marché de balayage des voiries", cpv="90610000",
                      lots=[{"id": "1", "title": "Balayage mécanisé du centre-ville"}])
    [car_tender, sweep_tender] = ingest(cars, sweeping)
    assert match(car_tender) == []
    with_lot = notice("26-8803", "Entretien de la voirie communale", cpv="90610000",
                      lots=[{"id": "1", "title": "Balayage manuel des trottoirs"}])
    [lot_tender] = ingest(with_lot)
    assert [a.profile_ids for a in match(sweep_tender)] == [[wanted["id"]]]
    assert [a.profile_ids for a in match(lot_tender)] == [[wanted["id"]]]  # a lot's title


def test_search_by_state_buyer_and_clause(env, service_headers):
    client, _profile, ingest, _match = env
    buyer = {"name": "Syndicat intercommunal des eaux du Furan", "siret": "25420001000015",
             "nuts": "FRK25"}
    ingest({**notice("26-8901", "Curage des réseaux d'eaux pluviales", cpv="90470000",
                     lots=[{"id": "1", "title": "Curage", "insertion_clause": True,
                            "social_clause": True, "insertion_hours": 350}]), "buyer": buyer},
           {**notice("26-8902", "Entretien des stations de pompage", cpv="50511000",
                     notice_type="award"), "buyer": buyer,
            "awards": [{"lot": None, "winner": {"name": "Pompes Foréziennes", "siret": None},
                        "amount": None, "date": None}]})

    def search(**params):
        response = client.get("/api/tenders", headers=service_headers, query_string=params)
        assert response.status_code == 200, response.json
        return sorted((t["title"], t["state"]) for t in response.json)

    assert search(buyer="eaux du Furan") == [
        ("Curage des réseaux d'eaux pluviales", "open"),
        ("Entretien des stations de pompage", "awarded")]
    assert search(buyer="25420001000015", status="awarded") == [
        ("Entretien des stations de pompage", "awarded")]
    assert search(buyer="Furan", clause="insertion") == [
        ("Curage des réseaux d'eaux pluviales", "open")]
    assert client.get("/api/tenders?clause=vert", headers=service_headers).status_code == 422
