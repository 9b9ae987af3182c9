import uuid

import pytest
from marshmallow import ValidationError

from centrale.events import Event


def test_envelope_round_trip_keeps_every_field():
    event = Event(type="tender.published", subject="tender:1", producer="veille",
                  data={"tender_id": 1, "source": "boamp", "source_id": "26-1",
                        "title": "Entretien des espaces verts"})
    message = event.to_message()
    assert set(message) == {"id", "type", "version", "occurred_at", "producer", "subject", "data"}
    assert message["occurred_at"].endswith("+00:00")
    again = Event.from_message(message)
    assert again == event


@pytest.mark.parametrize("bad", [
    {"type": "Tender"}, {"type": "tender"}, {"version": 0}, {"producer": ""},
    {"occurred_at": "2026-01-01T10:00:00"}, {"id": "not-a-uuid"}, {"data": [1]},
])
def test_malformed_envelopes_are_refused(bad):
    message = Event(type="essai.ouvert", subject="essai:1", producer="t", data={}).to_message()
    message.update(bad)
    with pytest.raises(ValidationError):
        Event.from_message(message)


def test_an_event_with_a_bad_type_never_leaves_its_producer():
    with pytest.raises(ValidationError):
        Event(type="NOT VALID", subject="x:1", producer="t", data={}, id=uuid.uuid4()).to_message()


def test_event_data_follows_its_contract():
    good = Event(type="case.deadline_reminder", subject="case:3", producer="accompagnement",
                 data={"case_id": 3, "structure_id": 1, "title": "Nettoyage",
                       "deadline": "2027-01-20T12:00:00+01:00", "days_before": 7,
                       "stage": "drafting",
                       "advisor": {"id": "7", "name": "Claire", "email": "claire@example.org"}})
    assert good.to_message()["data"]["days_before"] == 7
    bad = Event(type="case.deadline_reminder", subject="case:3", producer="accompagnement",
                data={"case_id": 3, "advisor": {"email": "pas-une-adresse"}})
    with pytest.raises(ValidationError) as error:
        bad.to_message()
    assert set(error.value.messages["data"]) >= {"structure_id", "deadline", "advisor"}


def test_stage_changed_carries_from_and_to():
    event = Event(type="case.stage_changed", subject="case:1", producer="accompagnement",
                  data={"case_id": 1, "from": "diagnosis", "to": "drafting", "by": "user:1"})
    assert event.to_message()["data"]["from"] == "diagnosis"
