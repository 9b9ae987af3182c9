"""The email leg of a trace: an event arriving with a trace context (AMQP headers, as the
outbox relay sends them) is consumed by ``notifications bus`` and its email sent by
``notifications worker`` in that same trace, both processes exporting to a local OTLP receiver.

The two orders an event and its structure can arrive in are both shown: the structure first,
and the event first (parked until its structure is known, then routed in its own trace, not in
the structure's)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest

from centrale.bus import Bus
from centrale.otlp_receiver import OtlpReceiver
from centrale.testing import isolated_environment, wait_until
from notifications.handlers import handlers

pytestmark = pytest.mark.integration


def is_parked(db, event_id) -> bool:
    with db.transaction() as conn:
        return conn.execute("SELECT 1 FROM parked_events WHERE event_id = %s",
                            (event_id,)).fetchone() is not None


@pytest.mark.parametrize("parked", [False, True], ids=["structure-first", "event-parked"])
def test_the_email_sent_about_an_event_is_in_the_event_s_trace(parked, factory, settings, db,
                                                                smtp_sink, tmp_path):
    receiver = OtlpReceiver()
    env = {**os.environ, **isolated_environment("notifications"), **receiver.environment(),
           "CENTRALE_SMTP_PORT": str(settings.smtp_port),
           "CENTRALE_FORMATION_URL": settings.service_urls["formation"],
           "CENTRALE_LOG_LEVEL": "WARNING"}
    bus = Bus.from_settings(settings)
    for handler in handlers(settings):
        bus.declare(bus.queues_for("notifications", handler.name, handler.event_types))
    started = [subprocess.Popen([sys.executable, "-m", "notifications", role], env=env,
                                stdout=open(tmp_path / f"{role}.log", "wb"),
                                stderr=subprocess.STDOUT) for role in ("bus", "worker")]
    trace_id, parent_id = secrets.token_hex(16), secrets.token_hex(8)
    try:
        structure = factory.structure(
            contacts=[{"email": factory.address("anne.trace"), "name": "Anne"}])
        reminder = factory.deadline_reminder(structure.data["structure_id"], advisor=False)
        traced = {"traceparent": f"00-{trace_id}-{parent_id}-01"}
        if parked:
            bus.publish_many([reminder.to_message()], [traced])
            wait_until(lambda: is_parked(db, reminder.id), timeout=30,
                       message="the reminder is not parked for its unknown structure")
            bus.publish_many([structure.to_message()], [None])
        else:
            bus.publish_many([structure.to_message(), reminder.to_message()], [None, traced])
        wait_until(lambda: smtp_sink.messages(to=factory.address("anne.trace")), timeout=30)

        def names():
            return {(s["service"], s["name"]) for s in receiver.traces().get(trace_id, [])}

        wait_until(lambda: ("notifications", "send email") in names(), timeout=30,
                   message="the email's sending is not in the event's trace")
    finally:
        for process in started:
            process.terminate()
        for process in started:
            process.wait(30)
        receiver.close()
    spans = receiver.traces()[trace_id]
    # Each handler of the event (the feed, the email) consumed it under the producer's span.
    consumed = [s for s in spans if s["name"] == "consume case.deadline_reminder"]
    assert consumed and {s["parent"] for s in consumed} == {parent_id}
    sent = [s for s in spans if s["name"] == "send email"]
    assert len(sent) == 1
    # The sending hangs under the handler that queued the email.
    ids = {s["span_id"] for s in spans}
    assert sent[0]["parent"] in ids
