"""A structure's calendar: deadlines and trainings as iCalendar, in Europe/Paris."""

from datetime import datetime, timezone

from icalendar import Calendar

from notifications.domain.calendar import (CANCELLED, TENTATIVE, CancelCase, CancelEntry,
                                           CancelSession, Entry, build_ics, changes_for,
                                           deadline_uid, registration_uid)

REMINDER = {"case_id": 12, "structure_id": 3, "title": "Nettoyage des locaux",
            "deadline": "2027-01-20T12:00:00+01:00", "days_before": 7, "stage": "drafting"}
REGISTRATION = {"session_id": 4, "registration_id": 40, "structure_id": 3,
                "person": {"email": "lea@asso.fr", "name": "Léa Morel"},
                "module_title": "Rédiger un mémoire technique",
                "starts_at": "2027-02-04T09:00:00+01:00", "ends_at": "2027-02-04T17:00:00+01:00",
                "place": "Maison de l'ESS, Saint-Étienne"}


def test_case_events_give_the_structure_a_deadline_entry():
    [entry] = changes_for("case.deadline_reminder", REMINDER)
    assert entry.uid == deadline_uid(12) and entry.structure_id == 3
    assert entry.summary == "Date limite : Nettoyage des locaux"
    assert entry.starts_at == datetime(2027, 1, 20, 11, tzinfo=timezone.utc)
    assert changes_for("case.opened", {"case_id": 1, "structure_id": 3, "title": "x"}) == []


def test_registrations_give_training_entries_and_cancellations_cancel():
    [entry] = changes_for("training.registration_confirmed", REGISTRATION)
    assert entry.summary == "Formation : Rédiger un mémoire technique (Léa Morel)"
    [waiting] = changes_for("training.waitlisted", REGISTRATION)
    assert waiting.status == TENTATIVE
    assert changes_for("training.session_cancelled", {"session_id": 4}) == [CancelSession(4)]
    assert changes_for("case.stage_changed", {"case_id": 12, "to": "abandoned"}) == \
        [CancelCase(12)]
    assert changes_for("tender.matched", {"structure_id": 3}) == []
    [cancelled] = changes_for("training.registration_cancelled", REGISTRATION)
    assert cancelled.status == CANCELLED and cancelled.uid == registration_uid(40)
    assert changes_for("training.registrations_closed", {"session_id": 4, "waitlisted_people": [
        {"email": "lea@asso.fr", "registration_id": 41}]}) == [CancelEntry(registration_uid(41))]


def test_the_ics_has_paris_times_and_the_paris_vtimezone():
    entries = changes_for("case.deadline_reminder", REMINDER) + \
        [Entry(**{**changes_for("training.reminder", REGISTRATION)[0].__dict__,
                  "status": CANCELLED, "sequence": 2})]
    text = build_ics("Centrale — Régie", entries,
                     datetime(2027, 1, 13, tzinfo=timezone.utc)).decode()
    assert "BEGIN:VTIMEZONE\r\nTZID:Europe/Paris" in text
    assert "DTSTART;TZID=Europe/Paris:20270120T120000" in text
    assert "DTSTART;TZID=Europe/Paris:20270204T090000" in text
    assert "STATUS:CANCELLED" in text and "SEQUENCE:2" in text
    parsed = Calendar.from_ical(text)
    assert parsed["X-WR-CALNAME"] == "Centrale — Régie"
    assert [str(e["UID"]) for e in parsed.walk("VEVENT")] == [
        "dossier-12-echeance@centrale-marches-solidaires",
        "inscription-40@centrale-marches-solidaires"]


def test_a_moved_session_moves_each_registration_entry():
    moved = {"session_id": 4, "module_title": "Rédiger un mémoire technique",
             "starts_at": "2027-02-11T14:00:00+01:00", "ends_at": "2027-02-11T17:00:00+01:00",
             "place": "Maison de l'ESS", "people": [
                 {"email": "lea@asso.fr", "name": "Léa", "structure_id": 3,
                  "registration_id": 40, "status": "confirmed"},
                 {"email": "marc@scop.fr", "structure_id": 5, "registration_id": 41,
                  "status": "waitlisted"},
                 {"email": "sans-numero@asso.fr"}]}
    lea, marc = changes_for("training.session_rescheduled", moved)
    assert (lea.uid, lea.structure_id, lea.status) == (registration_uid(40), 3, "CONFIRMED")
    assert (marc.uid, marc.structure_id, marc.status) == (registration_uid(41), 5, TENTATIVE)
    assert lea.starts_at == datetime(2027, 2, 11, 13, tzinfo=timezone.utc)
    assert lea.summary == "Formation : Rédiger un mémoire technique (Léa)"
