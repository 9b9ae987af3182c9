"""After the session: attendance, satisfaction survey, certificate, figures for the period."""

import re
import zlib
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from centrale.testing import outbox_events
from formation.activities import RequestSurveyInput, SessionActivities
from centrale.french import PARIS, long_date

from .conftest import yesterday_morning

pytestmark = pytest.mark.integration


def pdf_text(pdf: bytes) -> bytes:
    """The page content of an fpdf2 PDF, its compressed streams inflated."""
    out = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out.append(zlib.decompress(stream))
        except zlib.error:
            pass
    return b"\n".join(out)


@pytest.fixture
def held_session(client, make_session, move_session, service_headers):
    """A memoire-technique session (7 h) of yesterday with three confirmed people."""
    session = make_session(capacity=3, module_code="memoire-technique")
    url = f"/api/sessions/{session['id']}/registrations"
    people = [
        {"name": "Amélie Durand", "email": "amelie.durand@ressourcerie.example.org",
         "structure_id": 1},
        {"name": "Karim Benali", "email": "karim.benali@jardins.example.org", "structure_id": 2},
        {"name": "Élodie Vacher", "email": "elodie.vacher@esat.example.org", "structure_id": 3},
    ]
    ids = [client.post(url, headers=service_headers, json=p).json["id"] for p in people]
    early = client.post(f"/api/sessions/{session['id']}/attendance", headers=service_headers,
                        json={"attendance": [{"registration_id": ids[0], "attended": True}]})
    assert early.status_code == 409
    assert early.json["detail"] == "La présence s'enregistre à partir du début de la session."
    move_session(session["id"], yesterday_morning(), status="held")
    return session, ids


def test_attendance_survey_and_certificate(app, client, db, held_session, service_headers,
                                          make_headers):
    session, (amelie, karim, elodie) = held_session
    url = f"/api/sessions/{session['id']}/attendance"
    wrong = client.post(url, headers=service_headers, json={"attendance": [
        {"registration_id": 999999, "attended": True},
        {"registration_id": karim, "attended": True, "hours": 9}]})
    assert wrong.status_code == 422
    assert wrong.json["errors"]["json"]["attendance"] == {
        "0": {"registration_id": [
            "Aucune inscription confirmée de ce numéro pour cette session."]},
        "1": {"hours": ["Les heures de présence doivent être comprises entre 0 et 7.00."]}}

    sheet = client.post(url, headers=service_headers, json={"attendance": [
        {"registration_id": amelie, "attended": True},
        {"registration_id": karim, "attended": True, "hours": 3.5},
        {"registration_id": elodie, "attended": False}]})
    assert sheet.status_code == 200
    by_id = {r["id"]: r for r in sheet.json}
    assert (by_id[amelie]["attended_hours"], by_id[karim]["attended_hours"]) == (7, 3.5)
    assert by_id[amelie]["certificate_path"] == f"/api/registrations/{amelie}/certificate.pdf"
    assert by_id[elodie]["certificate_path"] is None

    # The certificate: a real PDF, in French, with the person's name, module, date, duration.
    member = make_headers("membre", structure_id=1)
    response = client.get(f"/api/registrations/{amelie}/certificate.pdf", headers=member)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    pdf = response.data
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    text = pdf_text(pdf)
    day = yesterday_morning()
    for expected in ("Attestation de présence", "Amélie Durand", "Rédiger un mémoire technique",
                     long_date(day), "7 h"):
        assert expected.encode("cp1252") in text, expected
    half = pdf_text(client.get(f"/api/registrations/{karim}/certificate.pdf",
                               headers=service_headers).data)
    assert "durée de 3 h 30".encode("cp1252") in half
    absent = client.get(f"/api/registrations/{elodie}/certificate.pdf", headers=service_headers)
    assert absent.status_code == 409
    assert absent.json["detail"] == (
        "Aucune présence enregistrée pour cette inscription : pas d'attestation.")

    # The survey: once, 1 to 5, not for someone absent.
    survey = f"/api/registrations/{amelie}/survey"
    assert client.post(survey, headers=member, json={"score": 6}).json["errors"]["json"] == {
        "score": ["Une note de 1 à 5 est attendue."]}
    answered = client.post(survey, headers=member,
                           json={"score": 5, "comment": "Très concret, merci !"})
    assert answered.status_code == 201
    assert answered.json["survey"]["score"] == 5
    assert answered.json["survey"]["comment"] == "Très concret, merci !"
    twice = client.post(survey, headers=member, json={"score": 1})
    assert twice.status_code == 409
    assert twice.json["detail"] == "Le questionnaire a déjà été rempli pour cette inscription."
    assert client.post(f"/api/registrations/{elodie}/survey", headers=service_headers,
                       json={"score": 4}).status_code == 409
    assert client.post(f"/api/registrations/{karim}/survey", headers=service_headers,
                       json={"score": 3}).status_code == 201

    # The workflow's survey request goes to the people present who have not answered.
    asked = SessionActivities(db).request_survey(RequestSurveyInput(session_id=session["id"]))
    assert asked == 0  # both present people already answered; Élodie was absent
    assert SessionActivities(db).request_survey(
        RequestSurveyInput(session_id=session["id"])) == 0


def test_the_survey_request_names_the_survey_and_the_certificate(client, db, held_session,
                                                                  service_headers):
    session, (amelie, karim, elodie) = held_session
    client.post(f"/api/sessions/{session['id']}/attendance", headers=service_headers,
                json={"attendance": [{"registration_id": amelie, "attended": True},
                                     {"registration_id": elodie, "attended": False}]})
    activities = SessionActivities(db)
    assert activities.request_survey(RequestSurveyInput(session_id=session["id"])) == 2
    assert activities.request_survey(RequestSurveyInput(session_id=session["id"])) == 0
    asked = {e["data"]["registration_id"]: e["data"]
             for e in outbox_events(db, "training.survey_requested")
             if e["data"]["session_id"] == session["id"]}
    assert set(asked) == {amelie, karim}  # Karim's presence is not recorded: asked anyway
    assert asked[amelie]["survey_path"] == f"/api/registrations/{amelie}/survey"
    assert asked[amelie]["certificate_path"] == f"/api/registrations/{amelie}/certificate.pdf"
    assert asked[karim]["certificate_path"] is None


def test_figures_for_a_period(client, make_session, move_session, service_headers, make_headers):
    """Sessions moved to May 2025, a month no other test uses."""
    def held(day, module_code, people, sheet, scores):
        session = make_session(capacity=5, module_code=module_code)
        ids = [client.post(f"/api/sessions/{session['id']}/registrations",
                           headers=service_headers,
                           json={"name": f"Personne {i}", "email": f"p{i}.{session['id']}@x.org",
                                 "structure_id": structure}).json["id"]
               for i, structure in enumerate(people)]
        move_session(session["id"], datetime(2025, 5, day, 9, 0, tzinfo=PARIS), status="held")
        client.post(f"/api/sessions/{session['id']}/attendance", headers=service_headers,
                    json={"attendance": [{"registration_id": ids[i], **line}
                                         for i, line in sheet.items()]})
        for i, score in scores.items():
            assert client.post(f"/api/registrations/{ids[i]}/survey", headers=service_headers,
                               json={"score": score}).status_code == 201
        return session

    # dume: 3.5 h; chiffrage: 7 h
    held(6, "dume", [1, 1, 2], {0: {"attended": True}, 1: {"attended": True},
                                2: {"attended": False}}, {0: 5, 1: 3})
    held(20, "chiffrage", [2, 3], {0: {"attended": True, "hours": 5}, 1: {"attended": True}},
         {1: 4})
    cancelled = make_session(module_code="dume")
    move_session(cancelled["id"], datetime(2025, 5, 27, 9, 0, tzinfo=PARIS), status="cancelled")

    response = client.get("/api/figures?start=2025-05-01&end=2025-05-31",
                          headers=service_headers)
    assert response.status_code == 200
    total = response.json["total"]
    assert total["sessions_held"] == 2 and total["sessions_cancelled"] == 1
    assert (total["participants"], total["people_present"]) == (5, 4)
    assert total["training_hours"] == 19  # 3.5 + 3.5 + 5 + 7
    assert total["attendance_rate"] == 0.8
    assert total["satisfaction_mean"] == 4 and total["satisfaction_answers"] == 3
    assert [(m["key"], m["figures"]["training_hours"]) for m in response.json["by_module"]] == [
        ("chiffrage", 12), ("dume", 7)]
    assert [m["label"] for m in response.json["by_month"]] == ["mai 2025"]

    # A member sees their structure's figures only; another structure's are refused.
    member = make_headers("membre", structure_id=2)
    mine = client.get("/api/figures?start=2025-05-01&end=2025-05-31", headers=member).json
    assert mine["structure_id"] == 2
    assert mine["total"]["training_hours"] == 5  # absent in May 6, 5 h on May 20
    assert mine["total"]["attendance_rate"] == 0.5
    assert client.get("/api/figures?start=2025-05-01&end=2025-05-31&structure_id=1",
                      headers=member).status_code == 403
    bad = client.get("/api/figures?start=2025-05-31&end=2025-05-01", headers=service_headers)
    assert bad.status_code == 422
    assert bad.json["errors"]["query"]["end"] == ["La fin de la période doit suivre son début."]
    assert client.get("/api/figures?start=hier", headers=service_headers).json["errors"][
        "query"] == {"start": ["Date invalide (AAAA-MM-JJ attendu)."],
                     "end": ["Ce champ est obligatoire."]}
