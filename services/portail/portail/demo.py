"""Demo accounts: an admin, an advisor and one member for each demo structure.

Their password is generated on first load and written to ``.run/demo-accounts.txt``
(never committed); ``make up`` prints where it is. Every load sets the demo accounts that
already exist to that password again (and active): databases that outlived ``.run/`` — or a
demo password someone changed — would otherwise keep a password the file does not say.
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
    # A public buyer, to post needs from its space (the last field: the buyer's organisation).
    ("achats@ville-saint-chamond.example", "Paul Achard (Ville de Saint-Chamond)", "acheteur",
     accounts.Organisation("Ville de Saint-Chamond", "21420207900015", "public")),
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


def demo_password(accounts_file: Path = ACCOUNTS_FILE) -> str:
    if accounts_file.exists():
        for line in accounts_file.read_text().splitlines():
            if line.startswith("mot de passe : "):
                return line.split(" : ", 1)[1]
    return secrets.token_urlsafe(12)


def _active(conn, user_id: int) -> bool:
    return conn.execute("SELECT active FROM users WHERE id = %s", (user_id,)).fetchone()["active"]


def load_demo(settings: Settings, dry_run: bool, accounts_file: Path = ACCOUNTS_FILE) -> str:
    db = Database.from_settings(settings).open()
    password = demo_password(accounts_file)
    with db.transaction() as conn:
        found = {a[0]: accounts.find_user_by_email(conn, a[0]) for a in ACCOUNTS}
        missing = [a for a in ACCOUNTS if found[a[0]] is None]
        # The accounts the file's password would not open (it is checked, not just set, so
        # that a load leaves the sessions of accounts already right alone).
        stale = [user for user in found.values() if user is not None
                 and not (_active(conn, user.id)
                          and accounts.password_matches(conn, user.id, password))]
    if dry_run:
        db.close()
        return (f"portail (simulation) : {len(missing)} compte(s) de démonstration à créer, "
                f"{len(stale)} à remettre au mot de passe de {accounts_file}")
    ids = structures_by_contact(settings) if any(a[2] == "membre" for a in missing) else {}
    with db.transaction() as conn:
        for email, name, role, organisation in missing:
            structure_id = ids.get(email) if role == "membre" else None
            if role == "membre" and structure_id is None:
                continue  # its structure is not in accompagnement's registry
            accounts.create_user(conn, email, name, password, role, structure_id, organisation)
        for user in stale:
            accounts.change_password(conn, user.id, password)
            accounts.set_active(conn, user.id, True)
    db.close()
    accounts_file.parent.mkdir(parents=True, exist_ok=True)
    accounts_file.write_text(
        "Comptes de démonstration du portail (http://127.0.0.1:8000)\n"
        + "".join(f"  {email}  ({role})\n" for email, _n, role, _s in ACCOUNTS)
        + f"mot de passe : {password}\n")
    accounts_file.chmod(0o600)
    return (f"portail : {len(missing)} compte(s) de démonstration créé(s), {len(stale)} remis au "
            f"mot de passe indiqué — voir {accounts_file}")
