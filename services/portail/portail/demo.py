"""Demo accounts: an admin, an advisor and one member for each demo structure.

Their password is generated on first load and written to ``.run/demo-accounts.txt``
(never committed); ``make up`` prints where it is.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from centrale.db import Database
from centrale.settings import Settings

from . import accounts

ACCOUNTS = [
    ("admin@centrale.example", "Alice Admin", "admin", None),
    # The advisor of accompagnement's demo data, so her cases and notifications are hers.
    ("claire.martin@centrale-solidaire.fr", "Claire Martin", "conseiller", None),
    # Contacts of accompagnement's demo structures: each member belongs to the structure
    # whose contact they are, found by their address (no structure number is assumed).
    ("direction@regie-montreynaud.example", "Nadia Benali (Régie de quartier Montreynaud)",
     "membre", None),
    ("commercial@ateliers-velay.example", "Bruno Faure (ESAT Les Ateliers du Velay)", "membre",
     None),
    ("gerance@cuisiniers-velay.example", "Julien Crouzet (SCOP Les Cuisiniers du Velay)",
     "membre", None),
    # The territory's social-clause facilitator (at the Maison de l'emploi).
    ("clause.sociale@maison-emploi-loire.example", "Inès Garnier (facilitatrice de la clause"
     " sociale)", "facilitateur", None),
]


def structures_by_contact(settings: Settings) -> dict[str, int]:
    """{contact address: structure id}, asked of accompagnement (its demo runs first)."""
    import requests

    from centrale.auth import service_token

    headers = {"Authorization": f"Bearer {service_token(settings.require_token_secret(), 'portail')}"}
    found, offset = {}, 0
    while True:
        page = requests.get(settings.service_urls["accompagnement"].rstrip("/") + "/api/structures",
                            params={"limit": 200, "offset": offset}, headers=headers, timeout=20)
        page.raise_for_status()
        for structure in page.json():
            for contact in structure["contacts"]:
                found.setdefault(contact["email"].lower(), structure["id"])
        if len(page.json()) < 200:
            return found
        offset += 200
ACCOUNTS_FILE = Path(__file__).resolve().parents[3] / ".run" / "demo-accounts.txt"


def demo_password() -> str:
    if ACCOUNTS_FILE.exists():
        for line in ACCOUNTS_FILE.read_text().splitlines():
            if line.startswith("mot de passe : "):
                return line.split(" : ", 1)[1]
    return secrets.token_urlsafe(12)


def load_demo(settings: Settings, dry_run: bool) -> str:
    db = Database.from_settings(settings).open()
    with db.transaction() as conn:
        missing = [a for a in ACCOUNTS if accounts.find_user_by_email(conn, a[0]) is None]
    if dry_run:
        db.close()
        return f"portail (simulation) : {len(missing)} compte(s) de démonstration à créer"
    password = demo_password()
    ids = structures_by_contact(settings) if any(a[2] == "membre" for a in missing) else {}
    with db.transaction() as conn:
        for email, name, role, _none in missing:
            structure_id = ids.get(email) if role == "membre" else None
            if role == "membre" and structure_id is None:
                continue  # its structure is not in accompagnement's registry
            accounts.create_user(conn, email, name, password, role, structure_id)
    db.close()
    ACCOUNTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    ACCOUNTS_FILE.write_text(
        "Comptes de démonstration du portail (http://127.0.0.1:8000)\n"
        + "".join(f"  {email}  ({role})\n" for email, _n, role, _s in ACCOUNTS)
        + f"mot de passe : {password}\n")
    ACCOUNTS_FILE.chmod(0o600)
    return f"portail : {len(missing)} compte(s) de démonstration créé(s) — voir {ACCOUNTS_FILE}"
