"""BOAMP "FNSimple" notices (family FNS, MAPA between 90 k€ and EU thresholds).

`donnees` is `{"FNSimple": {"organisme": {...}, "initial": {...}}}` with
camelCase keys. Flags are `{"oui": ""}` or `{"non": ...}` (sometimes
`{"non": {"#text": "true"}}`): only the key matters. Lots carry no number
field, so the number is read from the description ("Lot 2 : Finition").
"""

from __future__ import annotations

import re
from typing import Any

from . import codes
from .boamp_common import all_texts, dig, dig_all, keys_of, text_of
from .dates import parse_datetime
from .model import Buyer, Lot, Notice
from .values import clean_text, first_line, money, siret

# "Lot 2 : Finition", "Lot n° 3", or "1- Prestations..." (a bare number needs a separator).
_LOT_NUMBER = re.compile(r"^\s*(?:lot\s*(?:n\s*[°o.]?\s*)?(\d{1,3})\b|(\d{1,3})\s*[-:.)–])", re.IGNORECASE)
_SOCIAL_KEYS = re.compile(r"crit|clause|condition", re.IGNORECASE)


def notice_from_fnsimple(fnsimple: Any) -> Notice:
    """The FNSimple content of a record (identity comes from the record itself)."""
    organisme = dig(fnsimple, "organisme")
    body = _body(fnsimple)
    nature = dig(body, "natureMarche")
    procedure = dig(body, "procedure")
    reserved = _reservations(body)
    main_cpv = codes.cpv(text_of(dig(nature, "codeCPV/objetPrincipal/classPrincipale")))
    lots = _lots(body, reserved)
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
        language="fr",
    )


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
    texts: list[str] = []
    stack = [body]
    while stack:
        node = stack.pop()
        for item in node if isinstance(node, list) else [node]:
            if isinstance(item, dict):
                for key, value in item.items():
                    if _SOCIAL_KEYS.search(key) and isinstance(value, str):
                        texts.append(value)
                    stack.append(value)
    return codes.mentions_social(*texts)


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
