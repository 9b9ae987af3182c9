"""Who did something, as people read it: the services record the acting person's token
subject (« user:12 » for a portail account, « système » for a workflow, « service:… » for a
machine); the portail owns the accounts, so it alone turns a subject into a name."""

from __future__ import annotations

import re

from flask import current_app, g

from . import accounts

ACCOUNT = re.compile(r"^user:(\d+)$")
AUTOMATIC = "la Centrale (automatique)"


def person(subject) -> str:
    if subject in (None, ""):
        return "—"
    text = str(subject)
    if text in ("système", "systeme", "system") or text.startswith("service:"):
        return AUTOMATIC
    found = ACCOUNT.match(text)
    if found is None:
        return text if "@" in text else AUTOMATIC
    names = g.setdefault("account_names", {})
    user_id = int(found.group(1))
    if user_id not in names:
        with current_app.extensions["centrale"].db.transaction() as conn:
            names[user_id] = accounts.account_name(conn, user_id)
    return names[user_id] or "un compte supprimé"
