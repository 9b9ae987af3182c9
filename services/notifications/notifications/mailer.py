"""Emails as MIME messages, and an SMTP session that lets the caller commit before the end.

:meth:`SmtpSession.begin` runs the SMTP transaction up to, but not including, the end-of-data
marker (the line holding a single « . »). Until that marker arrives, the server holds nothing:
RFC 5321 servers discard a message whose connection closes before it (aiosmtpd, Postfix and
Mailpit all do). The sender commits « handed over » in PostgreSQL *between* :meth:`begin` and
:meth:`finish`, which writes the marker and reads the server's verdict.
"""

from __future__ import annotations

import re
import smtplib
import socket
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.headerregistry import Address
from email.utils import format_datetime
from typing import Any

CRLF = b"\r\n"


class SmtpRefused(Exception):
    """The server answered a command with an error code before the message was complete."""

    def __init__(self, code: int, reply: bytes | str, stage: str) -> None:
        text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
        super().__init__(f"{stage} refusé : {code} {text}")
        self.code = code
        self.stage = stage


class EndNotSent(Exception):
    """The end-of-data marker could not be written: the server holds no message."""


class ReplyLost(Exception):
    """The marker was written but no reply came back: the message may well be delivered."""


def compose(email: dict[str, Any], sender: str,
            attachment: bytes | None = None) -> EmailMessage:
    """The MIME message of an ``emails`` row (a re-send is byte-for-byte the same message)."""
    message = EmailMessage(policy=SMTP)
    message["From"] = sender
    message["To"] = Address(email.get("recipient_name") or "", addr_spec=email["recipient"])
    message["Subject"] = email["subject"]
    created: datetime = email["created_at"]
    message["Date"] = format_datetime(created)
    message["Message-ID"] = email["message_id"]
    message["List-Unsubscribe"] = f"<{email['unsubscribe_url']}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["Auto-Submitted"] = "auto-generated"
    message["Content-Language"] = "fr"
    message.set_content(email["body_text"], cte="quoted-printable")
    message.add_alternative(email["body_html"], subtype="html", cte="quoted-printable")
    spec = email.get("attachment")
    if spec:
        content = attachment if attachment is not None else spec["content"].encode("utf-8")
        message.add_attachment(content, maintype="text", subtype="calendar",
                               filename=spec.get("filename", "invitation.ics"),
                               params={"method": "PUBLISH", "charset": "utf-8"})
    return message


def wire_bytes(message: EmailMessage) -> bytes:
    """CRLF lines, leading dots doubled (RFC 5321 §4.5.2), ending with CRLF."""
    data = message.as_bytes(policy=SMTP)
    data = re.sub(rb"(?m)^\.", b"..", data)
    return data if data.endswith(CRLF) else data + CRLF


class SmtpSession:
    """One SMTP connection, reused for a batch of emails."""

    def __init__(self, host: str, port: int, timeout: float = 30.0) -> None:
        self.host = host
        self.port = port
        self.timeout = timeout
        self._smtp: smtplib.SMTP | None = None

    @property
    def connected(self) -> bool:
        return self._smtp is not None and self._smtp.sock is not None

    def _connection(self) -> smtplib.SMTP:
        if not self.connected:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            # The marker is a separate small write: without this, Nagle's algorithm holds it
            # until the previous segment is acknowledged (40 ms per email).
            smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            code, reply = smtp.ehlo()
            if code != 250:
                smtp.close()
                raise SmtpRefused(code, reply, "EHLO")
            self._smtp = smtp
        return self._smtp

    def begin(self, sender: str, recipient: str, data: bytes) -> None:
        """MAIL, RCPT, DATA and the message, without the end-of-data marker."""
        smtp = self._connection()
        code, reply = smtp.mail(sender)
        if code != 250:
            self._reset()
            raise SmtpRefused(code, reply, "MAIL FROM")
        code, reply = smtp.rcpt(recipient)
        if code not in (250, 251):
            self._reset()
            raise SmtpRefused(code, reply, "RCPT TO")
        smtp.putcmd("data")
        code, reply = smtp.getreply()
        if code != 354:
            self._reset()
            raise SmtpRefused(code, reply, "DATA")
        smtp.send(data)

    def finish(self) -> tuple[int, str]:
        """Write the end-of-data marker and return the server's reply."""
        smtp = self._connection()
        try:
            smtp.send(b"." + CRLF)
        except smtplib.SMTPServerDisconnected as exc:
            self.drop()
            raise EndNotSent(str(exc)) from exc
        try:
            code, reply = smtp.getreply()
        except smtplib.SMTPServerDisconnected as exc:
            self.drop()
            raise ReplyLost(str(exc)) from exc
        return code, reply.decode("utf-8", "replace")

    def _reset(self) -> None:
        try:
            self._smtp.rset()
        except (smtplib.SMTPException, OSError):
            self.drop()

    def drop(self) -> None:
        """Close the connection at once: an unfinished message is discarded by the server."""
        if self._smtp is not None:
            try:
                self._smtp.close()
            except OSError:
                pass
        self._smtp = None

    def close(self) -> None:
        if self.connected:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass
        self.drop()
