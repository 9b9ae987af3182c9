"""Compiling a digest: each person's items kept for the digest, in one email each.

Runs in one transaction (the ``notifications.compile_digest`` activity): the digest run is
recorded under its workflow id (a retried activity finds it and adds nothing), the items are
attached to their digest email, and the emails are queued for the sender, which sends them
with the same once-only protocol as immediate emails.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg

from . import store
from .config import NotificationConfig
from .domain.delivery import digest_email_key, message_id
from .domain.digest import digest_subject, plan_digests
from centrale.french import paris
from .domain.kinds import DIGEST_SCOPE
from .rendering import render_digest
from .store.deliveries import EmailDraft
from .tokens import LinkSigner, unsubscribe_url


@dataclass(frozen=True)
class CompiledDigest:
    digest_id: int
    item_count: int
    email_count: int
    since: Any
    until: Any


def compile_digest(conn: psycopg.Connection, config: NotificationConfig,
                   workflow_id: str) -> CompiledDigest:
    digest, created = store.digests.start(conn, workflow_id)
    if not created:
        return CompiledDigest(digest["id"], digest["event_count"], digest["email_count"],
                              digest["since"], digest["until"])
    signer = LinkSigner(config.token_secret)
    day = paris(digest["until"]).date()
    items = emails = 0
    for plan in plan_digests(store.digests.candidates(conn)):
        if plan.skipped:
            store.digests.skip(conn, [c.delivery_id for c in plan.skipped])
        if not plan.items:
            continue
        link = unsubscribe_url(config.public_url,
                               signer.unsubscribe_token(plan.recipient, DIGEST_SCOPE))
        rendered = render_digest(plan, digest_subject(day, len(plan.items)), link,
                                 portail_url=config.portail_url)
        email_id = store.deliveries.insert_email(conn, EmailDraft(
            purpose="digest", recipient=plan.recipient, recipient_name=plan.recipient_name,
            subject=rendered.subject, body_text=rendered.text, body_html=rendered.html,
            unsubscribe_url=link,
            message_id=message_id(digest_email_key(workflow_id, plan.recipient),
                                  config.mail_domain),
            digest_id=digest["id"]))
        items += store.digests.attach(conn, email_id, [c.delivery_id for c in plan.items])
        emails += 1
    done = store.digests.finish(conn, digest["id"], items, emails)
    return CompiledDigest(done["id"], items, emails, done["since"], done["until"])
