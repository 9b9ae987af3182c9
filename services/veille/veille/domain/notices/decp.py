"""DECP: données essentielles de la commande publique (awarded contracts).

Formats read:
- 2022 regulatory format (in force since 2024): `{"marches": {"marche": [...],
  "contrat-concession": [...]}}`;
- format 1.5 and consolidated files: `{"marches": [...]}`, each contract
  possibly with `uid` and `acheteur.nom`;
- a bare list of contracts, or one contract.

A DECP record is an award: it has no answer deadline, but its end date
(`dateNotification` + `dureeMois`) tells when the need will be tendered again;
it is kept in `Notice.contract_end`.
"""

from __future__ import annotations

from typing import Any

from . import codes
from .consolidate import consolidate
from .dates import add_months, parse_date
from .errors import NoticeError
from .model import Buyer, Notice, Place
from .values import clean_text, money, siret
from centrale.territory import (
    department_from_insee, department_from_postcode, departments_from_region, normalise_department,
)


def notices_from_json(document: Any) -> list[Notice]:
    contracts = _contracts(document)
    return [_notice(contract, position) for position, contract in enumerate(contracts, 1)]


def _contracts(document: Any) -> list:
    if isinstance(document, dict) and "marches" in document:
        marches = document["marches"]
        if isinstance(marches, list):
            return marches
        if isinstance(marches, dict):
            return [*_as_list(marches.get("marche")), *_as_list(marches.get("contrat-concession"))]
        raise NoticeError("JSON DECP inattendu : « marches » n'est ni une liste ni un objet")
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        return [document]
    raise NoticeError("JSON DECP inattendu")


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _notice(contract: Any, position: int) -> Notice:
    if not isinstance(contract, dict) or not contract.get("id"):
        raise NoticeError(f"marché DECP n° {position} sans identifiant « id »")
    buyer = contract.get("acheteur") or contract.get("autoriteConcedante") or {}
    buyer_id = str(buyer.get("id") or "").strip()
    contract_id = str(contract["id"]).strip()
    considerations = (contract.get("considerationsSociales") or {}).get("considerationSociale")
    social = [str(item) for item in _as_list(considerations)]
    starts = parse_date(
        contract.get("dateNotification") or contract.get("dateDebutExecution") or contract.get("dateSignature")
    )
    months = str(contract.get("dureeMois") or "").strip()  # real files hold "NC" too
    notice = Notice(
        source="decp",
        source_id=contract_id,
        # The DECP "uid": buyer SIRET + contract id, unique nationwide.
        procedure_id=contract.get("uid") or (f"{buyer_id}{contract_id}" if buyer_id else contract_id),
        notice_type="award",
        title=clean_text(contract.get("objet")),
        buyer=Buyer(name=clean_text(buyer.get("nom")) or None, siret=siret(buyer_id)),
        cpv_main=codes.cpv(contract.get("codeCPV")),
        place=_place(contract.get("lieuExecution")),
        estimated_value=money(contract.get("montant") or contract.get("valeurGlobale")),
        procedure_type=codes.procedure_from_french(contract.get("procedure")),
        # DECP does not say which reservation: read as the EU art. 20 one (see model.RESERVATIONS).
        reserved=["sheltered_workshop"] if "Marché réservé" in social else [],
        social_criteria=any(item in ("Clause sociale", "Critère social") for item in social),
        language="fr",
        contract_end=add_months(starts, int(months)) if starts and months.isdigit() and int(months) > 0 else None,
    )
    return consolidate(notice)


def _place(place: Any) -> Place:
    """`lieuExecution` {code, typeCode} -> départements."""
    if not isinstance(place, dict):
        return Place()
    code, kind = str(place.get("code") or "").strip(), codes.plain(place.get("typeCode"))
    if "POSTAL" in kind:
        departments = [department_from_postcode(code)]
    elif "DEPARTEMENT" in kind:
        departments = [normalise_department(code)]
    elif "REGION" in kind:
        departments = departments_from_region(code)
    elif "PAYS" in kind:
        departments = []
    else:  # commune, canton, arrondissement: INSEE codes starting with the département
        departments = [department_from_insee(code)]
    return Place(departments=[dep for dep in departments if dep])
