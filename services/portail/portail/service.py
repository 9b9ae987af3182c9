"""The portail as a process: its migrations, demo accounts and account commands."""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path

from centrale.db import Database
from centrale.service import ServiceDefinition, entry_point
from centrale.settings import Settings

from .demo import load_demo


def add_user_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("email")
    parser.add_argument("name")
    parser.add_argument("--role", choices=("admin", "conseiller", "membre"), default="conseiller")
    parser.add_argument("--structure", type=int, default=None)
    parser.add_argument("--dry-run", action="store_true", help="montre sans rien créer")


def run_create_user(args: argparse.Namespace, settings: Settings) -> int:
    from . import accounts

    if args.role == "membre" and args.structure is None:
        print("portail create-user : un membre appartient à une structure (--structure N)")
        return 2
    if args.dry_run:
        print(f"portail (simulation) : créerait {args.email} ({args.role})")
        return 0
    password = getpass.getpass("Mot de passe (12 caractères au moins) : ")
    if len(password) < 12:
        print("portail create-user : mot de passe trop court")
        return 2
    db = Database.from_settings(settings).open()
    with db.transaction() as conn:
        accounts.create_user(conn, args.email, args.name, password, args.role, args.structure)
    db.close()
    print(f"portail : compte {args.email} créé")
    return 0


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name="portail",
        migrations=Path(__file__).with_name("migrations"),
        load_demo=load_demo,
        commands={"create-user": ("crée un compte (mot de passe demandé)", add_user_arguments,
                                  run_create_user)},
    )


console_script = entry_point(definition)
