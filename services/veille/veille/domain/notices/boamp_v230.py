"""BOAMP notices in the Boamp_v230 schema (JOUE and MAPA families, before eForms).

The same element names arrive two ways: as the XML published by BOAMP
(`<ANNONCE><GESTION/><DONNEES/></ANNONCE>`) and as the `gestion`/`donnees`
JSON strings of Opendatasoft records. Both are read here as dicts.
Boamp_v240 keeps these element names: it is read by the same mapping.

Award notices carry `ATTRIBUTION`: flags for the whole procedure
(`SANS_SUITE`, `INFRUCTUEUX`), `VALEUR_TOTALE`, `DATE_DECISION`, then one
`DECISION` per lot (`NUM_LOT`, `ATTRIBUE` / `INFRUCTUEUX` / `SANS_SUITE` /
`NON_ATTRIBUE`) whose `TITULAIRE`s (several for a consortium or a
multi-holder framework) are each followed by their own `RENSEIGNEMENT`
(`DATE_ATTRIBUTION`, `MONTANT` or the framework's `MONTANT_MAXI`).
A corrigendum (`RECTIF`) cancels when its texts say so (« déclaré sans
suite », « la procédure est annulée »; « annule et remplace » does not).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from . import codes
from .boamp_common import (
    BOAMP_NOTICE_URL, all_texts, dig, dig_all, each, find_key, keys_of, notice_type_from_words, overlay, text_of,
)
from .dates import parse_date, parse_datetime
from .model import Award, Buyer, Lot, Notice, Place, Winner
from .values import clean_text, first_line, money, siret
from centrale.territory import department_from_postcode, normalise_department

_VALUE_PATHS = (
    "OBJET/CARACTERISTIQUES/VALEUR", "OBJET/CARACTERISTIQUES/VALEUR_MAX",
    "OBJET/ACCORD_CADRE/VALEUR", "OBJET/ACCORD_CADRE/VALEUR_MAX",
)


def notice_from_gestion(gestion: Any) -> Notice:
    """What the management block says: identity, type, indexing, deadline."""
    idweb = text_of(dig(gestion, "REFERENCE/IDWEB")) or ""
    indexation = dig(gestion, "INDEXATION")
    departments = [normalise_department(text_of(code)) for code in
                   dig_all(indexation, "DEP_PUBLICATION") + dig_all(indexation, "DEP_PRESTATION")]
    return Notice(
        source="boamp",
        source_id=idweb,
        procedure_id=_previous_idweb(gestion),
        notice_type=notice_type_from_words(*keys_of(dig(gestion, "REFERENCE/TYPE_AVIS/NATURE")),
                                           *keys_of(dig(gestion, "REFERENCE/TYPE_AVIS/STATUT"))),
        title=clean_text(text_of(dig(indexation, "RESUME_OBJET"))),
        buyer=Buyer(name=clean_text(text_of(dig(indexation, "NOMORGANISME"))) or None),
        place=Place(departments=[dep for dep in departments if dep]),
        deadline=parse_datetime(text_of(dig(indexation, "DATE_LIMITE_REPONSE"))),
        procedure_type=codes.procedure_from_french(" ".join(keys_of(dig(indexation, "TYPE_PROCEDURE")))),
        social_criteria="SOCIAUX" in keys_of(dig(indexation, "CRITERES_SOCIAUX_ENV")),
        cancelled=any("ANNUL" in key for key in keys_of(dig(gestion, "REFERENCE/TYPE_AVIS/STATUT"))),
        url=BOAMP_NOTICE_URL.format(idweb=idweb) if idweb else None,
        documents_url=text_of(dig(gestion, "MARCHE/URL_CONSULTATION")),
        language="fr",
    )


def notice_from_v230(gestion: Any, donnees: Any) -> Notice:
    """A full Boamp_v230 notice: the management block completed by the notice data.

    `procedure_id` is the IDWEB of the notice this one follows, if any; the
    callers fall back on the notice's own IDWEB (a first notice opens its procedure).
    """
    return overlay(notice_from_gestion(gestion), _notice_from_donnees(donnees))


def _previous_idweb(*blocks: Any) -> str | None:
    """The notice this one follows (a corrigendum's or award's initial notice)."""
    for block in blocks:
        for previous in find_key(block, "ANNONCE_ANTERIEUR"):
            idweb = text_of(dig(previous, "REFERENCE/IDWEB"))
            if idweb:
                return idweb
    return None


def _notice_from_donnees(donnees: Any) -> Notice:
    objet = dig(donnees, "OBJET")
    main_cpv, other_cpv = _cpv(dig_all(objet, "CPV"))
    reserved = _reservations(donnees)
    lots = [_lot(lot, position, reserved) for position, lot in enumerate(dig_all(objet, "LOTS/LOT"), 1)]
    awards, lot_results, result = _attribution(dig(donnees, "ATTRIBUTION"))
    cancels, cancelled_lots = _cancellation(donnees)
    # An award notice seldom repeats the lots: its decisions name them.
    known = {lot.id for lot in lots}
    for number, title in _decided_lots(dig(donnees, "ATTRIBUTION")):
        if number not in known:
            known.add(number)
            lots.append(Lot(id=number, title=title, reserved=sorted(reserved)))
    for lot in lots:
        lot.result = lot_results.get(lot.id) or ("cancelled" if lot.id in cancelled_lots else None)
    conditions = _execution_conditions(donnees)
    notice = Notice(
        source="boamp",
        source_id="",
        procedure_id=_previous_idweb(donnees),
        title=clean_text(text_of(dig(objet, "TITRE_MARCHE"))),
        description=clean_text(text_of(dig(objet, "OBJET_COMPLET"))),
        buyer=Buyer(
            name=clean_text(text_of(dig(donnees, "IDENTITE/DENOMINATION"))) or None,
            siret=siret(text_of(dig(donnees, "IDENTITE/SIRET"))),
            nuts=text_of(dig(donnees, "IDENTITE/ADJUDICATEUR_NUTS")),
        ),
        cpv_main=main_cpv,
        cpv_additional=other_cpv,
        place=_place(objet),
        estimated_value=next(filter(None, (_money(dig(donnees, path)) for path in _VALUE_PATHS)), None),
        deadline=_deadline(donnees),
        procedure_type=codes.procedure_from_french(" ".join(keys_of(dig(donnees, "PROCEDURE/TYPE_PROCEDURE")))),
        reserved=sorted(reserved),
        social_criteria=_social(donnees),
        lots=lots,
        awards=awards,
        result="cancelled" if cancels and not cancelled_lots else result,
        **_clauses(conditions),
        documents_url=_documents_url(donnees),
    )
    return notice


def _clauses(conditions: list[str]) -> dict:
    social, insertion, hours = codes.clauses_in(*conditions)
    return {"social_clause": social, "insertion_clause": insertion, "insertion_hours": hours}


def _documents_url(donnees: Any) -> str | None:
    """Where the consultation documents are: URL_DOCUMENT, else the buyer profile."""
    for path in ("IDENTITE/URL_DOCUMENT", "RENSEIGNEMENTS_COMPLEMENTAIRES/URL_DOCUMENT", "IDENTITE/URL_PROFIL_ACHETEUR",
                 "IDENTITE/URL_PARTICIPATION"):
        url = text_of(dig(donnees, path))
        if url:
            return url
    return None


def _execution_conditions(donnees: Any) -> list[str]:
    """The texts that set execution conditions: where social and insertion clauses are written."""
    return (all_texts(dig_all(donnees, "CONDITION_PARTICIPATION/CONDITION_PARTICULIERE_EXECUTION"))
            + all_texts(dig_all(donnees, "CONDITION_RELATIVE_MARCHE/CONDITION_PARTICULIERE_EXECUTION"))
            + all_texts(dig_all(donnees, "CONDITION_RELATIVE_MARCHE/AUTRES_CONDITIONS_PART_OUI")))


def _cancellation(donnees: Any) -> tuple[bool, list[str]]:
    """Whether a corrigendum cancels the procedure (lots == []) or some lots."""
    rectif = dig(donnees, "RECTIF")
    if rectif is None:
        return False, []
    if any("ANNUL" in key or "SANS_SUITE" in key for key in keys_of(rectif)):
        return True, []
    texts = [text for change in dig_all(rectif, "MODIFICATION") for text in all_texts(dig(change, "LIRE"))]
    texts += [text for key in ("INFO_RECTIF", "INFORMATION", "TEXTE") for text in all_texts(dig_all(rectif, key))]
    texts += all_texts(dig_all(donnees, "RENSEIGNEMENTS_COMPLEMENTAIRES/RENS_COMPLEMENT"))
    return codes.cancellation_in(*texts)


def _decided_lots(attribution: Any) -> list[tuple[str, str | None]]:
    """(lot number, title) of each DECISION that names its lot."""
    found = []
    for decision in dig_all(attribution, "DECISION"):
        number = text_of(dig(decision, "NUM_LOT"))
        if number:
            title = clean_text(text_of(dig(decision, "INTITULE"))) or first_line(text_of(dig(decision, "DESCRIPTION")))
            found.append((number, title or None))
    return found


_DECISION_RESULTS = (("INFRUCTUEUX", "unsuccessful"), ("SANS_SUITE", "cancelled"), ("NON_ATTRIBUE", "unsuccessful"))


def _attribution(attribution: Any) -> tuple[list[Award], dict[str | None, str], str | None]:
    """(awards, result of each lot that has no winner, result of the whole procedure)."""
    if not isinstance(attribution, dict):
        return [], {}, None
    flags = keys_of(attribution)
    procedure_result = next((result for flag, result in _DECISION_RESULTS if flag in flags), None)
    decided_on = parse_date(text_of(dig(attribution, "DATE_DECISION")))
    decisions = dig_all(attribution, "DECISION")
    total = _money(dig(attribution, "VALEUR_TOTALE"))
    awards: list[Award] = []
    lot_results: dict[str | None, str] = {}
    for decision in decisions:
        lot = text_of(dig(decision, "NUM_LOT"))
        decision_flags = keys_of(decision)
        failed = next((result for flag, result in _DECISION_RESULTS if flag in decision_flags), None)
        holders = each(decision.get("TITULAIRE")) if isinstance(decision, dict) else []
        if failed or not holders:
            if failed:
                lot_results[lot] = failed
            continue
        details = each(decision.get("RENSEIGNEMENT"))
        for position, holder in enumerate(holders):
            # Each TITULAIRE is followed by its own RENSEIGNEMENT; a single one is shared.
            detail = details[position] if position < len(details) else (details[0] if len(details) == 1 else None)
            amount = _money(dig(detail, "MONTANT")) or _money(dig(detail, "MONTANT_MAXI"))
            if amount is None and position == 0 and len(decisions) == 1:
                amount = total  # one decision: the notice's total is its amount
            awards.append(Award(
                lot=lot,
                winner=Winner(name=clean_text(text_of(dig(holder, "DENOMINATION"))) or None,
                              siret=siret(text_of(dig(holder, "SIRET")) or text_of(dig(holder, "CODE_IDENT_NATIONAL")))),
                amount=amount,
                date=parse_date(text_of(dig(detail, "DATE_ATTRIBUTION"))) or decided_on,
            ))
    if procedure_result is None and None in lot_results and not awards:
        procedure_result = lot_results.pop(None)  # a lot-less decision speaks for the procedure
    return awards, lot_results, procedure_result


def _cpv(blocks: list) -> tuple[str | None, list[str]]:
    """CPV blocks -> (main, others): the first PRINCIPAL is the main code."""
    principal = [codes.cpv(text_of(code)) for block in blocks for code in dig_all(block, "PRINCIPAL")]
    additional = [codes.cpv(text_of(code)) for block in blocks for code in dig_all(block, "SUPPLEMENTAIRE")]
    principal = [code for code in principal if code]
    return (principal[0] if principal else None), [c for c in principal[1:] + additional if c]


def _money(node: Any):
    return money(text_of(node), node.get("@DEVISE") if isinstance(node, dict) else "EUR") if node else None


def _place(objet: Any) -> Place:
    codes_nuts = dig_all(objet, "LIEU_EXEC_LIVR/CODE_NUTS") + dig_all(objet, "LOTS/LOT/CODE_NUTS")
    nuts = [text_of(code) for code in codes_nuts]
    department = department_from_postcode(text_of(dig(objet, "LIEU_EXEC_LIVR/CP")))
    return Place(nuts=[code for code in nuts if code], departments=[department] if department else [])


def _deadline(donnees: Any) -> datetime | None:
    # A corrigendum that moves the deadline says so in RECTIF/MODIFICATION:
    # RUB_INIT names the section, LIRE holds the new value.
    for change in dig_all(donnees, "RECTIF/MODIFICATION"):
        if "DATE LIMITE" in codes.plain(text_of(dig(change, "RUB_INIT"))):
            moved = parse_datetime(text_of(dig(change, "LIRE")))
            if moved:
                return moved
    limits = [parse_datetime(text_of(dig(donnees, f"CONDITION_DELAI/{key}")))
              for key in ("RECEPT_OFFRES", "RECEPT_CANDIDAT")]
    limits = [limit for limit in limits if limit]
    return min(limits) if limits else None


def _reservations(donnees: Any) -> set[str]:
    """MARCHE_RESERVE_OUI (its children ATELIERS_PROTEGES / EMPLOIS_PROTEGES, or a text)."""
    flags = (dig_all(donnees, "CONDITION_PARTICIPATION/MARCHE_RESERVE_OUI")
             + dig_all(donnees, "OBJET/MARCHE_RESERVE_OUI"))
    if not any(flag is not None for flag in flags):
        return set()
    return codes.reservations_from_french(*[text for flag in flags for text in all_texts(flag)])


def _social(donnees: Any) -> bool:
    texts = (all_texts(dig_all(donnees, "PROCEDURE/CRITERES_ATTRIBUTION"))
             + all_texts(dig_all(donnees, "OBJET/LOTS/LOT/CRITERES_ATTRIBUTION"))
             + all_texts(dig_all(donnees, "CONDITION_PARTICIPATION/CONDITION_PARTICULIERE_EXECUTION"))
             + all_texts(dig_all(donnees, "CONDITION_RELATIVE_MARCHE/AUTRES_CONDITIONS_PART_OUI"))
             + all_texts(dig_all(donnees, "CONDITION_RELATIVE_MARCHE/CONDITION_PARTICULIERE_EXECUTION")))
    return codes.mentions_social(*texts)


def _lot(lot: Any, position: int, notice_reserved: set[str]) -> Lot:
    main_cpv, other_cpv = _cpv(dig_all(lot, "CPV"))
    title = clean_text(text_of(dig(lot, "INTITULE"))) or first_line(text_of(dig(lot, "DESCRIPTION")))
    value = _money(dig(lot, "VALEUR")) or _money(dig(lot, "VALEUR_MAX"))
    conditions = all_texts(dig_all(lot, "CONDITION_PARTICULIERE_EXECUTION"))
    return Lot(
        id=text_of(dig(lot, "NUM")) or str(position),
        title=title or None,
        cpv_main=main_cpv,
        cpv_additional=other_cpv,
        estimated_value=value,
        # Boamp_v230 reserves the whole contract, never one lot: every lot inherits it.
        reserved=sorted(notice_reserved),
        **_clauses(conditions),
    )


