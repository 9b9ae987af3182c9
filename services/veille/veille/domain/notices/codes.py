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


# --- Social and insertion clauses --------------------------------------------

# A social clause in the contract's terms. Read only on execution conditions
# (never on candidature conditions: « obligation d'emploi des travailleurs
# handicapés » there is the law's boilerplate, not a clause).
_SOCIAL_CLAUSE_WORDS = re.compile(
    r"CLAUSES? SOCIALES?|CLAUSES? D.INSERTION|INSERTION|PUBLICS? ELOIGNES? DE L.EMPLOI"
    r"|PERSONNES? ELOIGNEES? DE L.EMPLOI|EGALITE (FEMMES?.HOMMES?|PROFESSIONNELLE)|COMMERCE EQUITABLE"
    r"|HANDICAP|CONDITIONS? DE TRAVAIL|ACCESSIBILITE"
)
# The insertion kind: work hours for people far from employment (art. L2112-2).
_INSERTION_WORDS = re.compile(
    r"CLAUSES? D.INSERTION|HEURES? D.INSERTION|INSERTION (PROFESSIONNELLE|SOCIALE|PAR L.ACTIVITE|PAR L.EMPLOI)"
    r"|ACTIONS? D.INSERTION|PUBLICS? ELOIGNES? DE L.EMPLOI|PERSONNES? ELOIGNEES? DE L.EMPLOI"
    r"|PERSONNES? EN DIFFICULTES? D.INSERTION|L\.?\s?2112-?2"
)
_RESERVATION_TEXT = re.compile(r"RESERV")
_NUMBER = r"(\d{1,3}(?:[ .\u00a0\u202f]?\d{3})+|\d+)"
_HOURS = (
    re.compile(_NUMBER + r"\s*(?:H\b|HEURES?)\s*(?:DE TRAVAIL\s*)?(?:D.|EN\s*|DE\s*|POUR L.\s*)INSERTION"),
    re.compile(r"HEURES? D.INSERTION\D{0,40}?" + _NUMBER + r"\s*(?:H\b|HEURES?)"),
)


def _clause_text(texts) -> str:
    # A text that restates a reservation (« marché réservé aux SIAE ») is not a clause.
    kept = [text for text in texts if text and not _RESERVATION_TEXT.search(plain(text))]
    return plain(" ".join(kept)).replace("_", " ")


def clauses_in(*texts: str | None) -> tuple[bool, bool, float | None]:
    """(social clause, insertion clause, insertion hours) of execution-condition texts, read once."""
    text = _clause_text(texts)
    if not text:
        return False, False, None
    return bool(_SOCIAL_CLAUSE_WORDS.search(text)), bool(_INSERTION_WORDS.search(text)), _hours(text)


def social_clause_in(*texts: str | None) -> bool:
    """True when execution conditions carry a social clause (insertion included)."""
    return bool(_SOCIAL_CLAUSE_WORDS.search(_clause_text(texts)))


def insertion_clause_in(*texts: str | None) -> bool:
    """True when execution conditions ask for insertion (hours for people far from employment)."""
    return bool(_INSERTION_WORDS.search(_clause_text(texts)))


def insertion_hours_in(*texts: str | None) -> float | None:
    """The insertion hours a text requires (« 1 500 heures d'insertion »), summed over mentions."""
    return _hours(_clause_text(texts))


def _hours(text: str) -> float | None:
    found = []
    for pattern in _HOURS:
        found = [float(re.sub(r"\D", "", match)) for match in pattern.findall(text)]
        if found:
            break
    return sum(found) if found else None


# --- Results: what became of a procedure --------------------------------------

# Phrases that cancel a procedure or a lot in a French notice or corrigendum.
# « annule et remplace » (a corrigendum replacing a text) cancels nothing.
_CANCEL_PHRASES = re.compile(
    r"SANS SUITE|PROCEDURE (?:EST |A ETE )?(?:ANNULEE|ABANDONNEE)|(?:AVIS|CONSULTATION|MARCHE|APPEL D.OFFRES?)"
    r" (?:EST |A ETE )?ANNULEE?\b(?! ET REMPLACE)"
    r"|ANNULATION DE (?:LA PROCEDURE|L.AVIS|LA CONSULTATION|L.APPEL|CE MARCHE|LA MISE)"
    r"|ABANDON DE LA PROCEDURE|RENONCE A (?:ATTRIBUER|CONCLURE|POURSUIVRE)"
)
# « La procédure pourra être déclarée sans suite » is a warning, not a decision.
_CONDITIONAL = re.compile(r"\bPOURR|\bPEU[TV]|SE RESERVE|EVENTUEL|\bSI\b|EN CAS D")
_LOT_NUMBERS = re.compile(r"\bLOTS? ?(?:N ?[O°.]? ?)?(\d{1,3})")


def cancellation_in(*texts: str | None) -> tuple[bool, list[str]]:
    """(cancels, lots): whether French texts cancel, and which lot numbers if only some.

    Each sentence that cancels is read alone: one naming lots cancels those
    lots, one naming none cancels the procedure (lots == []).
    """
    cancels, lots, whole = False, [], False
    for text in texts:
        for sentence in re.split(r"(?<=[.;:!?])\s+|\n", plain(text or "").replace("_", " ")):
            if _CANCEL_PHRASES.search(sentence) and not _CONDITIONAL.search(sentence):
                cancels = True
                named = [str(int(number)) for number in _LOT_NUMBERS.findall(sentence)]
                lots.extend(named)
                whole = whole or not named
    return cancels, ([] if whole else sorted(set(lots), key=int))
