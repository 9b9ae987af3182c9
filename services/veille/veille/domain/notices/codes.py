"""Code lists shared by the parsers: CPV, languages, procedures, reservations.

Each source has its own words for the same things; this module holds the
tables that bring them to the vocabularies declared in `model.py`.
"""

from __future__ import annotations

import re
import unicodedata

# --- CPV -------------------------------------------------------------------

_CPV = re.compile(r"^(\d{8})(?:-\d)?$")


def cpv(code: str | None) -> str | None:
    """A CPV code as 8 digits, check digit removed ("55520000-1" -> "55520000")."""
    match = _CPV.match(re.sub(r"\s", "", str(code or "")))
    return match[1] if match else None


# --- Languages ---------------------------------------------------------------

# eForms writes the 24 EU languages (and a few more) as ISO 639-3 codes.
_LANGUAGES_639_3 = {
    "BUL": "bg", "CES": "cs", "DAN": "da", "DEU": "de", "ELL": "el", "ENG": "en",
    "EST": "et", "FIN": "fi", "FRA": "fr", "GLE": "ga", "HRV": "hr", "HUN": "hu",
    "ITA": "it", "LAV": "lv", "LIT": "lt", "MLT": "mt", "NLD": "nl", "POL": "pl",
    "POR": "pt", "RON": "ro", "SLK": "sk", "SLV": "sl", "SPA": "es", "SWE": "sv",
    "NOR": "no", "ISL": "is", "CAT": "ca", "EUS": "eu", "GLG": "gl",
}


def language(code: str | None) -> str | None:
    """A language code as ISO 639-1 lower case ("FRA" -> "fr", "FR" -> "fr")."""
    code = (code or "").strip()
    if len(code) == 2 and code.isalpha():
        return code.lower()
    return _LANGUAGES_639_3.get(code.upper())


# --- Text helpers ------------------------------------------------------------


def plain(text: str | None) -> str:
    """Upper case without accents, for keyword tests ("Procédure adaptée" -> "PROCEDURE ADAPTEE")."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(char for char in decomposed if not unicodedata.combining(char)).upper()


# --- Procedure types ---------------------------------------------------------

EFORMS_PROCEDURES = {
    "open": "open",
    "restricted": "restricted",
    "neg-w-call": "negotiated",
    "neg-wo-call": "negotiated_without_call",
    "comp-dial": "competitive_dialogue",
    "innovation": "innovation_partnership",
    "comp-tend": "other",
    "oth-single": "other",
    "oth-mult": "other",
    "exp-int-rail": "other",
}

TED_PROCEDURES = {
    "PT_OPEN": "open",
    "PT_ACCELERATED_PROC": "open",
    "PT_RESTRICTED": "restricted",
    "PT_ACCELERATED_RESTRICTED": "restricted",
    "PT_COMPETITIVE_NEGOTIATION": "negotiated",
    "PT_NEGOTIATED_WITH_PRIOR_CALL": "negotiated",
    "PT_NEGOTIATED_WITH_COMPETITION": "negotiated",
    "PT_ACCELERATED_NEGOTIATED": "negotiated",
    "PT_NEGOTIATED": "negotiated",
    "PT_COMPETITIVE_DIALOGUE": "competitive_dialogue",
    "PT_INNOVATION_PARTNERSHIP": "innovation_partnership",
    "PT_AWARD_CONTRACT_WITHOUT_CALL": "negotiated_without_call",
    "PT_AWARD_CONTRACT_WITHOUT_PUBLICATION": "negotiated_without_call",
    "PT_NEGOTIATED_WITHOUT_PUBLICATION": "negotiated_without_call",
    "PT_INVOLVING_NEGOTIATION": "negotiated",
}

# French words, tested in this order on upper-case unaccented text: "procédure
# adaptée ouverte" is adapted, "négociée sans publicité" is without call.
_FRENCH_PROCEDURE_WORDS = (
    ("ADAPT", "adapted"),
    ("MAPA", "adapted"),
    ("DIALOGUE", "competitive_dialogue"),
    ("INNOVATION", "innovation_partnership"),
    ("SANS PUBLICITE", "negotiated_without_call"),
    ("SANS MISE EN CONCURRENCE", "negotiated_without_call"),
    ("NEGOCI", "negotiated"),
    ("RESTREINT", "restricted"),
    ("OUVERT", "open"),
    ("CONCOURS", "design_contest"),
)


def procedure_from_french(label: str | None) -> str | None:
    """A BOAMP/DECP procedure label or code -> procedure type, None if empty."""
    text = plain(label).replace("_", " ")
    if not text.strip() or text.strip() in ("NC", "PROCEDURE NC", "/"):
        return None
    for word, procedure in _FRENCH_PROCEDURE_WORDS:
        if word in text:
            return procedure
    return "other"


# --- Reservations ------------------------------------------------------------

EFORMS_RESERVATIONS = {"res-ws": "sheltered_workshop", "res-pub-ser": "public_service_mission"}

TED_RESERVATIONS = {
    "RESTRICTED_SHELTERED_WORKSHOP": "sheltered_workshop",
    "RESTRICTED_SHELTERED_PROGRAM": "sheltered_workshop",
    "RESERVED_ORGANISATIONS_SERVICE_MISSION": "public_service_mission",
}

# How French notices and contracts name who a reserved contract is for. Read
# only once the source has said the contract *is* reserved.
_FRENCH_RESERVATION_WORDS = (
    (re.compile(r"L\.?\s?2113-?13|\bSIAE\b|INSERTION PAR L.ACTIVITE|STRUCTURES? D.INSERTION|\bINSERTION\b"),
     "insertion"),
    (re.compile(r"L\.?\s?2113-?12|\bESAT\b|\bEA\b|ENTREPRISES? ADAPTEES?|TRAVAILLEURS HANDICAPES"
                r"|ATELIERS? PROTEGES?|EMPLOIS? PROTEGES?|AIDE PAR LE TRAVAIL"), "sheltered_workshop"),
    (re.compile(r"L\.?\s?2113-?15|\bESS\b|ECONOMIE SOCIALE ET SOLIDAIRE"), "ess"),
)


def reservations_from_french(*texts: str | None) -> set[str]:
    """Who a reserved French contract is for, read from its texts.

    Returns {"sheltered_workshop"} when nothing names a beneficiary: an
    unspecified reservation is the EU article 20 one (eForms res-ws), which
    the vocabulary files under sheltered_workshop.
    """
    text = plain(" ".join(t for t in texts if t)).replace("_", " ")
    found = {category for pattern, category in _FRENCH_RESERVATION_WORDS if pattern.search(text)}
    return found or {"sheltered_workshop"}


# --- Social clauses and criteria --------------------------------------------

_SOCIAL_WORDS = re.compile(
    r"INSERTION|CLAUSES? SOCIALES?|CRITERES? SOCIA|SOCIAUX|HANDICAP|PUBLICS? ELOIGNES? DE L.EMPLOI"
)


def mentions_social(*texts: str | None) -> bool:
    """True when award criteria or execution conditions mention social aims.

    Only call it on criteria and execution-condition texts: elsewhere "social"
    is noise ("sécurité sociale", "raison sociale", "obligations sociales").
    """
    return bool(_SOCIAL_WORDS.search(plain(" ".join(t for t in texts if t)).replace("_", " ")))
