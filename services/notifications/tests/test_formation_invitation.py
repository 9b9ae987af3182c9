"""A training reminder carries formation's own invitation when formation serves it (fetched
with a service token), and the copy built from the event when it does not."""

import threading
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from centrale.auth import verify_token
from notifications.sender import Sender

pytestmark = pytest.mark.integration

FORMATION_ICS = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//formation//FR\r\n"
                 b"BEGIN:VEVENT\r\nUID:session-servie-par-formation\r\n"
                 b"SUMMARY:Invitation de formation\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")


@pytest.fixture
def formation(unused_port):
    """Formation's invitation route, standing in for the service (the outside world here)."""
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            seen.append((self.path, self.headers.get("Authorization")))
            self.send_response(200)
            self.send_header("Content-Type", "text/calendar; charset=utf-8")
            self.end_headers()
            self.wfile.write(FORMATION_ICS)

        def log_message(self, *args):
            pass

    port = unused_port()
    server = HTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}", seen
    server.shutdown()
    server.server_close()


def test_the_reminder_carries_formations_invitation(factory, notify, db, config, smtp_sink,
                                                    formation, token_secret):
    url, seen = formation
    lea = {"email": factory.address("lea"), "name": "Léa"}
    reminder = factory.registration("training.reminder", factory.number(), lea, days_before=1)
    notify(reminder)
    Sender(db, replace(config, formation_url=url)).send_due()

    [(path, authorization)] = seen
    assert path == f"/api/sessions/{reminder.data['session_id']}/invitation.ics"
    identity = verify_token(token_secret, authorization.removeprefix("Bearer "))
    assert identity.role == "service" and identity.subject == "service:notifications"
    [mail] = smtp_sink.messages()
    [invitation] = mail.attachments()
    content = invitation.get_content()
    assert (content.encode() if isinstance(content, str) else content) == FORMATION_ICS
