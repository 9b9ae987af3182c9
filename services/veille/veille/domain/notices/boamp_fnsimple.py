"""BOAMP "FNSimple" notices (family FNS, MAPA between 90 k€ and EU thresholds).

`donnees` is `{"FNSimple": {"organisme": {...}, "initial": {...}}}` with
camelCase keys. Flags are `{"oui": ""}` or `{"non": ...}` (sometimes
`{"non": {"#text": "true"}}`): only the key matters. Lots carry no number
field, so the number is read from the description ("Lot 2 : Finition").

The body is `initial` for a first publication, else the form's other block
(`rectificatif`, `attribution`...). No published sample shows a FNSimple
award; its reading assumes the v230 semantics in camelCase, found at any
depth: `decision`s with `numLot`, flags `attribue` / `infructueux` /
`sansSuite` / `nonAttribue`, `titulaire`s (`denominationSociale` or
`denomination`, `siret` or `codeIdentificationNational`) and amounts as
`montant` (`{"@devise", "#text"}`) on the holder, its `renseignement` or the
decision. Consultation documents: `communication/urlDocConsul`, else the
buyer profile `urlProfilAch`.
"""

from __future__ import annotations

import re
from typing import Any

from . import codes
from .boamp_common import all_texts, dig, dig_all, each, find_key, keys_of, text_of
from .dates import parse_date, parse_datetime
from .model import Award, Buyer, Lot, Notice, Winner
from .values import clean_text, first_line, money, siret

# "Lot 2 : Finition", "Lot n° 3", or "1- Prestations..." (a bare number needs a separator).
_LOT_NUMBER = re.compile(r"^\s*(?:lot\s*(?:n\s*[°o.]?\s*)?(\d{1,3})\b|(\d{1,3})\s*[-:.)–])", re.IGNORECASE)
_SOCIAL_KEYS = re.compile(r"crit|clause|condition", re.IGNORECASE)
_CLAUSE_KEYS = re.compile(r"clause|execution|conditionParticuliere", re.IGNORECASE)
_NAME_KEYS = ("denominationSociale", "denomination", "nomOfficiel", "raisonSociale", "nom")
_SIRET_KEYS = ("siret", "codeIdentificationNational", "numeroSiret")
_DATE_KEYS = ("dateAttribution", "dateDecision", "dateNotification")
_FAILED_FLAGS = (("infructueux", "unsuccessful"), ("sanssuite", "cancelled"), ("nonattribue", "unsuccessful"))


def notice_from_fnsimple(fnsimple: Any) -> Notice:
    """The FNSimple content of a record (identity comes from the record itself)."""
    organisme = dig(fnsimple, "organisme")
    body = _body(fnsimple)
    nature = dig(body, "natureMarche")
    procedure = dig(body, "procedure")
    reserved = _reservations(body)
    main_cpv = codes.cpv(text_of(dig(nature, "codeCPV/objetPrincipal/classPrincipale")))
    lots = _lots(body, reserved)
    kind = _body_kind(fnsimple)
    # A first publication decides nothing: only the other forms are searched for decisions.
    decisions = [] if kind == "initial" else _decisions(body)
    awards, lot_results, result = _awards(body, decisions)
    known = {lot.id for lot in lots}
    for number, title in _decided_lots(decisions):  # an award notice seldom repeats its lots
        if number not in known:
            known.add(number)
            lots.append(Lot(id=number, title=title, reserved=sorted(reserved)))
    for lot in lots:
        lot.result = lot_results.get(lot.id)
    # Only a corrigendum or a cancellation can cancel: an initial notice's « pourra être
    # déclarée sans suite » is no decision.
    cancels, cancelled_lots = (True, []) if "annul" in kind else (
        codes.cancellation_in(*all_texts(body)) if "rectif" in kind else (False, []))
    for lot in lots:
        lot.result = lot.result or ("cancelled" if lot.id in cancelled_lots else None)
    clauses = codes.clauses_in(*_texts_under(body, _CLAUSE_KEYS))
    communication = dig(body, "communication")
    return Notice(
        source="boamp",
        source_id="",
        title=clean_text(text_of(dig(nature, "intitule"))),
        description=clean_text(text_of(dig(nature, "description"))),
        buyer=Buyer(
            name=clean_text(text_of(dig(organisme, "nomOfficiel"))) or None,
            siret=siret(text_of(dig(organisme, "codeIdentificationNational")))
            if "siret" in keys_of(dig(organisme, "typeIdentificationNational")) else None,
        ),
        cpv_main=main_cpv,
        cpv_additional=[code for code in map(codes.cpv, all_texts(dig(nature, "codeCPV")))
                        if code and code != main_cpv],
        estimated_value=_estimate(dig(nature, "valeurEstimee")),
        deadline=_deadline(procedure),
        procedure_type=_procedure_type(procedure),
        reserved=sorted(reserved),
        social_criteria=_social(body),
        lots=lots,
        awards=awards,
        result="cancelled" if cancels and not cancelled_lots else result,
        social_clause=clauses[0],
        insertion_clause=clauses[1],
        insertion_hours=clauses[2],
        documents_url=text_of(dig(communication, "urlDocConsul")) or text_of(dig(communication, "urlProfilAch")),
        language="fr",
    )


def _texts_under(body: Any, keys: re.Pattern, strings_only: bool = False) -> list[str]:
    """Every text held under a key matching `keys`, at any depth (with `strings_only`, only the
    values that are a text themselves, not the texts nested below them)."""
    texts: list[str] = []
    stack = [body]
    while stack:
        node = stack.pop()
        for item in node if isinstance(node, list) else [node]:
            if isinstance(item, dict):
                for key, value in item.items():
                    if keys.search(key):
                        if isinstance(value, str):
                            texts.append(value)
                        elif not strings_only:
                            texts.extend(all_texts(value))
                    stack.append(value)
    return texts


def _flag_result(node: Any) -> str | None:
    flags = {key.lower() for key in keys_of(node)}
    return next((result for flag, result in _FAILED_FLAGS if flag in flags), None)


def _first_text(node: Any, keys: tuple[str, ...]) -> str | None:
    return next((text for key in keys if (text := text_of(dig(node, key)))), None)


def _amount(node: Any):
    for key in ("montant", "montantAttribue", "montantMaxi", "valeur"):
        value = dig(node, key)
        if value is not None:
            found = money(text_of(value), value.get("@devise", "EUR") if isinstance(value, dict) else "EUR")
            if found:
                return found
    return None


def _decisions(body: Any) -> list:
    return [decision for found in find_key(body, "decision") for decision in each(found)]


def _decided_lots(decisions: list) -> list[tuple[str, str | None]]:
    found = []
    for decision in decisions:
        number = _first_text(decision, ("numLot", "numeroLot", "lot"))
        if number:
            found.append((number, clean_text(_first_text(decision, ("intitule", "description"))) or None))
    return found


def _awards(body: Any, decisions: list) -> tuple[list[Award], dict[str | None, str], str | None]:
    """(awards, result of each lot without a winner, result of the whole procedure)."""
    procedure_result = _flag_result(dig(body, "attribution")) or _flag_result(body)
    decided_on = parse_date(_first_text(dig(body, "attribution"), _DATE_KEYS))
    awards: list[Award] = []
    lot_results: dict[str | None, str] = {}
    for decision in decisions:
        lot = _first_text(decision, ("numLot", "numeroLot", "lot"))
        failed = _flag_result(decision)
        holders = [holder for found in find_key(decision, "titulaire") for holder in each(found)
                   if isinstance(holder, dict)]
        if failed or not holders:
            if failed:
                lot_results[lot] = failed
            continue
        details = [detail for found in find_key(decision, "renseignement") for detail in each(found)]
        for position, holder in enumerate(holders):
            detail = details[position] if position < len(details) else (details[0] if len(details) == 1 else None)
            amount = _amount(holder) or _amount(detail)
            if amount is None and position == 0:
                amount = _amount(decision) or _amount(dig(decision, "attribue"))
            day = _first_text(holder, _DATE_KEYS) or _first_text(detail, _DATE_KEYS) \
                or _first_text(decision, _DATE_KEYS) or _first_text(dig(decision, "attribue"), _DATE_KEYS)
            awards.append(Award(
                lot=lot,
                winner=Winner(name=clean_text(_first_text(holder, _NAME_KEYS)) or None,
                              siret=siret(_first_text(holder, _SIRET_KEYS))),
                amount=amount,
                date=parse_date(day) or decided_on,
            ))
    if procedure_result is None and None in lot_results and not awards:
        procedure_result = lot_results.pop(None)
    return awards, lot_results, procedure_result


def _body_kind(fnsimple: Any) -> str:
    """Which block holds the notice: "initial", "rectificatif", "attribution"... (lower case)."""
    if isinstance(fnsimple, dict):
        if "initial" in fnsimple:
            return "initial"
        for key, value in fnsimple.items():
            if key != "organisme" and isinstance(value, dict):
                return key.lower()
    return ""


def _body(fnsimple: Any) -> Any:
    """The notice part: "initial" for a first publication, else the first other block."""
    if isinstance(fnsimple, dict):
        if "initial" in fnsimple:
            return fnsimple["initial"]
        for key, value in fnsimple.items():
            if key != "organisme" and isinstance(value, dict):
                return value
    return {}


def _procedure_type(procedure: Any) -> str | None:
    # "procedureAdapteeO" (adaptée ouverte), "procedureAdapteeR"...: the family
    # is below EU thresholds, so these are MAPA whatever the top-level says.
    names = [key for key in keys_of(procedure) if key.lower().startswith("procedure")]
    return codes.procedure_from_french(" ".join(names)) if names else None


def _deadline(procedure: Any):
    limits = [parse_datetime(text_of(value)) for key, value in (procedure or {}).items()
              if key.startswith("dateReception")] if isinstance(procedure, dict) else []
    limits = [limit for limit in limits if limit]
    return min(limits) if limits else None


def _estimate(node: Any):
    """`valeurEstimee`: {"valeur"} or a range {"fourchette": {valeurBasse, valeurHaute}}.

    A range counts at its top: the most the buyer expects to spend.
    """
    if not isinstance(node, dict):
        return None
    currency = node.get("@devise", "EUR")
    return (money(text_of(dig(node, "valeur")), currency)
            or money(text_of(dig(node, "fourchette/valeurHaute")), currency))


def _reservations(body: Any) -> set[str]:
    flag = dig(body, "natureMarche/reservationMarche")
    if not isinstance(flag, dict) or "oui" not in flag:
        return set()
    # Which kind of reservation: read the flag's content, then the texts a
    # buyer writes the legal article in.
    return codes.reservations_from_french(
        *all_texts(flag["oui"]),
        *all_texts(dig(body, "informComplementaire")),
        text_of(dig(body, "natureMarche/description")),
    )


def _social(body: Any) -> bool:
    return codes.mentions_social(*_texts_under(body, _SOCIAL_KEYS, strings_only=True))


def _lots(body: Any, notice_reserved: set[str]) -> list[Lot]:
    raw = dig_all(body, "lots/lot")
    descriptions = [clean_text(text_of(dig(lot, "description"))) for lot in raw]
    numbers = [_lot_number(text) for text in descriptions]
    if None in numbers or len(set(numbers)) != len(numbers):
        numbers = [str(position) for position in range(1, len(raw) + 1)]
    lots = []
    for lot, number, description in zip(raw, numbers, descriptions):
        estimate = dig(lot, "estimationValeur")
        lots.append(Lot(
            id=number,
            title=first_line(description) or None,
            cpv_main=codes.cpv(text_of(dig(lot, "codeCPV/objetPrincipal/classPrincipale"))),
            estimated_value=money(text_of(dig(estimate, "valeur")), estimate.get("@devise", "EUR"))
            if isinstance(estimate, dict) else None,
            # FNSimple reserves the whole contract: every lot inherits it.
            reserved=sorted(notice_reserved),
        ))
    return lots


def _lot_number(description: str) -> str | None:
    match = _LOT_NUMBER.match(description)
    return str(int(match[1] or match[2])) if match else None
