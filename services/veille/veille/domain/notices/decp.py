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

Winners are `titulaires` (2022: `[{"titulaire": {id, typeIdentifiant}}]`;
1.5: `[{id, typeIdentifiant, denominationSociale}]`) or a concession's
`concessionnaires`: one Award each, the contract's `montant` on the first
(see `model.Award`). `modifications` (avenants) each state the new total
amount and duration: the latest wins, in date order, and the end date
follows (`Notice.contract`, `contract_end`). The award keeps the amount
first awarded.
"""

from __future__ import annotations

from typing import Any

from . import codes
from .consolidate import consolidate
from .dates import add_months, parse_date
from .errors import NoticeError
from .model import Award, Buyer, Contract, Modification, Notice, Place, Winner
from .reading import RecordFormat
from .values import (clean_text, list_field, money, months, number_field, object_field, siret,
                     text_field)
from centrale.territory import (
    department_from_insee, department_from_postcode, departments_from_region, normalise_department,
)


def notices_from_json(document: Any) -> list[Notice]:
    contracts = _contracts(document)
    return [_notice(contract, position) for position, contract in enumerate(contracts, 1)]


def _label(contract: Any, position: int) -> str:
    contract_id = contract.get("id") if isinstance(contract, dict) else None
    if isinstance(contract_id, (str, int)) and not isinstance(contract_id, bool):
        return f"marché DECP « {contract_id} » (n° {position})"
    return f"marché DECP n° {position}"


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
        raise NoticeError("sans identifiant « id »")
    buyer = object_field(contract, "acheteur") or object_field(contract, "autoriteConcedante")
    buyer_id = (text_field(buyer, "id") or "").strip()
    contract_id = text_field(contract, "id").strip()
    considerations = object_field(contract, "considerationsSociales").get("considerationSociale")
    social = [str(item) for item in _as_list(considerations)]
    life = _contract(contract)
    amount = money(number_field(contract, "montant") or number_field(contract, "valeurGlobale"))
    notice = Notice(
        source="decp",
        source_id=contract_id,
        # The DECP "uid": buyer SIRET + contract id, unique nationwide.
        procedure_id=text_field(contract, "uid") or (f"{buyer_id}{contract_id}" if buyer_id else contract_id),
        notice_type="award",
        title=clean_text(text_field(contract, "objet")),
        buyer=Buyer(name=clean_text(text_field(buyer, "nom")) or None, siret=siret(buyer_id)),
        cpv_main=codes.cpv(text_field(contract, "codeCPV")),
        place=_place(contract.get("lieuExecution")),
        estimated_value=amount,
        procedure_type=codes.procedure_from_french(text_field(contract, "procedure")),
        # DECP does not say which reservation: read as the EU art. 20 one (see model.RESERVATIONS).
        reserved=["sheltered_workshop"] if "Marché réservé" in social else [],
        social_criteria=any(item in ("Clause sociale", "Critère social") for item in social),
        social_clause="Clause sociale" in social,
        language="fr",
        contract_end=life.end,
        awards=_awards(contract, amount, parse_date(_start_text(contract))),
        contract=life,
    )
    return consolidate(notice)


def _start_text(contract: dict) -> str | None:
    return (text_field(contract, "dateNotification") or text_field(contract, "dateDebutExecution")
            or text_field(contract, "dateSignature"))


def _holders(contract: dict) -> list[dict]:
    """`titulaires` (or `concessionnaires`), each unwrapped from its 2022 envelope."""
    holders = list_field(contract, "titulaires") or list_field(contract, "concessionnaires")
    unwrapped = []
    for holder in holders:
        if isinstance(holder, dict):
            inner = holder.get("titulaire") or holder.get("concessionnaire")
            unwrapped.append(inner if isinstance(inner, dict) else holder)
    return unwrapped


def _awards(contract: dict, amount, awarded_on) -> list[Award]:
    awards = []
    for position, holder in enumerate(_holders(contract)):
        kind = (text_field(holder, "typeIdentifiant") or "SIRET").upper()
        name = clean_text(text_field(holder, "denominationSociale") or text_field(holder, "nom")) or None
        awards.append(Award(
            lot=None,  # a DECP record is one contract: one lot of a procedure at most, never said which
            winner=Winner(name=name, siret=siret(text_field(holder, "id")) if kind == "SIRET" else None),
            amount=amount if position == 0 else None,
            date=awarded_on,
        ))
    return awards


def _contract(contract: dict) -> Contract:
    """The contract's life: start, duration and amount as its modifications leave them."""
    start = parse_date(_start_text(contract))
    life = Contract(start=start, duration_months=months(number_field(contract, "dureeMois")),
                    amount=money(number_field(contract, "montant") or number_field(contract, "valeurGlobale")))
    changes = []
    for order, item in enumerate(list_field(contract, "modifications")):
        change = item.get("modification") if isinstance(item, dict) and "modification" in item else item
        if not isinstance(change, dict):
            continue
        day = parse_date(text_field(change, "dateNotificationModification")
                         or text_field(change, "dateSignatureModification")
                         or text_field(change, "datePublicationDonneesModification"))
        changes.append((day or start, order, Modification(
            date=day,
            amount=money(number_field(change, "montant") or number_field(change, "valeurGlobale")),
            duration_months=months(number_field(change, "dureeMois")),
        )))
    # Sorted by date (undated ones where they were written): the latest states the contract.
    for _day, _order, change in sorted(changes, key=lambda item: (item[0] is None, item[0] or start, item[1])):
        life.modifications.append(change)
        life.amount = change.amount or life.amount
        life.duration_months = change.duration_months or life.duration_months
    life.end = add_months(start, life.duration_months) if start and life.duration_months else None
    return life


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


FORMAT = RecordFormat(records=_contracts, notice=_notice, label=_label)
