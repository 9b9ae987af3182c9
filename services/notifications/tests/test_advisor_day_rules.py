"""What a person trying the portail hit, on the notifications side: close stage changes of a
case make one email, an outcome is told once, escalations of cases without an advisor reach
the admins, a moved case deadline moves the calendar entry, and a regenerated calendar address
revokes the old one."""

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

import pytest
from icalendar import Calendar

from centrale.consumer import Handler, apply_once
from centrale.testing import wait_until
from notifications.notifier import HANDLED_EVENT_TYPES, Notifier
from notifications.sender import Sender

pytestmark = pytest.mark.integration


@pytest.fixture
def client(make_service_app):
    return make_service_app("notifications").test_client()


def test_four_moves_in_a_minute_make_one_email_per_person(factory, db, config, smtp_sink):
    grouped = replace(config, grouping_window=timedelta(seconds=2))
    handler = Handler("notify", HANDLED_EVENT_TYPES, Notifier(grouped))
    structure = factory.structure()
    sid = structure.data["structure_id"]
    case_id = factory.number()
    apply_once(db, handler, structure)
    for before, after in (("diagnosis", "drafting"), ("drafting", "review"),
                          ("review", "drafting"), ("drafting", "review")):
        apply_once(db, handler, factory.event("case.stage_changed", f"case:{case_id}", {
            "case_id": case_id, "structure_id": sid, "title": "Nettoyage de la médiathèque",
            "from": before, "to": after, "by": "user:2", "advisor": factory.advisor()}))
    assert Sender(db, grouped).send_due()["sent"] == 0  # they wait for the next change
    wait_until(lambda: Sender(db, grouped).send_due()["sent"] > 0, timeout=10)
    anne, jeanne = factory.address("anne.martin"), factory.address("jeanne.dupont")
    assert len(smtp_sink.messages(to=anne)) == 1  # not 4
    assert len(smtp_sink.messages(to=jeanne)) == 1
    [mail] = smtp_sink.messages(to=anne)
    assert "Relecture" in mail.subject  # where the case stands now


def test_a_loss_is_told_once(factory, notify, db, config, smtp_sink):
    structure = factory.structure()
    sid = structure.data["structure_id"]
    case_id = factory.number()
    lost = factory.stage_changed(sid, case_id=case_id, to="lost")
    outcome = factory.event("case.outcome_recorded", f"case:{case_id}", {
        "case_id": case_id, "structure_id": sid, "outcome": "lost", "amount": None,
        "title": "Entretien des espaces verts de Roche-la-Molière", "feedback": "Prix trop haut"})
    notify(structure, lost, outcome)
    Sender(db, config).send_due()
    assert len(smtp_sink.messages(to=factory.address("anne.martin"))) == 1  # not 2


def test_an_idle_case_without_an_advisor_is_mailed_to_the_admins(factory, db, config,
                                                                smtp_sink):
    admins = replace(config, admins=(factory.address("alice.admin"),))
    handler = Handler("notify", HANDLED_EVENT_TYPES, Notifier(admins))
    structure = factory.structure()
    sid = structure.data["structure_id"]
    case_id = factory.number()
    apply_once(db, handler, structure)
    apply_once(db, handler, factory.event("case.idle_escalated", f"case:{case_id}", {
        "case_id": case_id, "structure_id": sid, "title": "Nettoyage de la médiathèque",
        "stage": "drafting", "idle_since": "2027-01-02T09:00:00+01:00", "idle_days": 10}))
    Sender(db, admins).send_due()
    assert len(smtp_sink.messages(to=factory.address("alice.admin"))) == 1


def test_a_moved_case_deadline_moves_the_calendar_entry_and_a_new_address_revokes_the_old(
        client, factory, notify, person_headers):
    structure = factory.structure(name="Régie des Hauts de Firminy")
    sid = structure.data["structure_id"]
    case_id = factory.number()
    notify(structure, factory.event("case.opened", f"case:{case_id}", {
        "case_id": case_id, "structure_id": sid, "tender_id": None,
        "title": "Nettoyage de la médiathèque", "deadline": "2027-03-01T12:00:00+01:00"}))
    notify(factory.event("case.deadline_changed", f"case:{case_id}", {
        "case_id": case_id, "structure_id": sid, "title": "Nettoyage de la médiathèque",
        "deadline": "2027-03-15T12:00:00+01:00", "previous_deadline": "2027-03-01T12:00:00+01:00",
        "reason": "Date limite modifiée par la veille (version 2)."}))
    member = person_headers(factory.address("anne.martin"), structure_id=sid)
    path = urlsplit(client.get(f"/api/structures/{sid}/calendar", headers=member).json["url"]).path
    [entry] = Calendar.from_ical(client.get(path).get_data(as_text=True)).walk("VEVENT")
    assert entry.decoded("DTSTART") == datetime(2027, 3, 15, 11, tzinfo=timezone.utc)

    renewed = client.post(f"/api/structures/{sid}/calendar/regenerate", headers=member)
    assert renewed.status_code == 200
    new_path = urlsplit(renewed.json["url"]).path
    assert new_path != path
    assert client.get(path).status_code == 404  # the old address is revoked
    assert client.get(new_path).status_code == 200
    assert urlsplit(client.get(f"/api/structures/{sid}/calendar",
                               headers=member).json["url"]).path == new_path
    other = person_headers(factory.address("intrus"), structure_id=sid + 1)
    assert client.post(f"/api/structures/{sid}/calendar/regenerate",
                       headers=other).status_code == 404
