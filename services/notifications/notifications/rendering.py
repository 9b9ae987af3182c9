"""Email bodies from the Jinja2 templates of ``notifications/templates/email/``.

Each notified event type has a text and an HTML template (``case.deadline_reminder.txt`` and
``.html``) extending a common layout that greets the person and ends with the unsubscribe link.
The HTML environment escapes everything; undefined variables are errors, so a template that
names a fact its event does not carry fails the handler (and the test) instead of mailing a gap.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from .domain.digest import DigestPlan
from .domain.messages import Message
from .domain.recipients import Recipient

TEMPLATES = Path(__file__).with_name("templates")


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def _environment(autoescape: bool) -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=autoescape,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                       keep_trailing_newline=True)


_TEXT = _environment(autoescape=False)
_HTML = _environment(autoescape=True)


def _render(name: str, context: dict[str, Any]) -> tuple[str, str]:
    text = _TEXT.get_template(f"email/{name}.txt").render(context)
    html = _HTML.get_template(f"email/{name}.html").render(context)
    return text, html


def render_notification(message: Message, recipient: Recipient, unsubscribe_url: str,
                        calendar_url: str | None = None,
                        portail_url: str | None = None) -> Rendered:
    """``portail_url``: where the portail is; with the message's path, the email's link."""
    open_url = f"{portail_url}{message.path}" if portail_url and message.path else None
    context = {"m": message, "f": message.facts, "r": recipient,
               "kind_label": message.kind.label, "unsubscribe_url": unsubscribe_url,
               "calendar_url": calendar_url, "open_url": open_url, "digest": False}
    text, html = _render(message.template, context)
    return Rendered(message.title, text, html)


def render_digest(plan: DigestPlan, subject: str, unsubscribe_url: str,
                  portail_url: str | None = None) -> Rendered:
    context = {"plan": plan, "sections": plan.sections, "subject": subject,
               "portail_url": portail_url,
               "r": {"email": plan.recipient, "name": plan.recipient_name},
               "kind_label": "résumé quotidien", "unsubscribe_url": unsubscribe_url,
               "digest": True}
    text, html = _render("digest", context)
    return Rendered(subject, text, html)


def render_page(name: str, **context: Any) -> str:
    """A small public HTML page of ``templates/pages/`` (unsubscribing)."""
    return _HTML.get_template(f"pages/{name}.html").render(context)
