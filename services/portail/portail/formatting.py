"""French formatting of dates, amounts and labels for the templates."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from centrale.french import PARIS, long_date, long_datetime

RESERVATIONS = {
    "sheltered_workshop": "Réservé ESAT / EA",
    "insertion": "Réservé insertion (SIAE)",
    "ess": "Réservé ESS",
    "public_service_mission": "Réservé mission de service public",
}
NOTICE_TYPES = {"contract": "Avis de marché", "prior_information": "Pré-information",
                "award": "Attribution", "corrigendum": "Rectificatif", "other": "Autre"}
PROCEDURES = {"open": "Appel d'offres ouvert", "restricted": "Appel d'offres restreint",
              "negotiated": "Procédure négociée", "adapted": "Procédure adaptée (MAPA)",
              "competitive_dialogue": "Dialogue compétitif",
              "innovation_partnership": "Partenariat d'innovation",
              "design_contest": "Concours", "negotiated_without_call": "Négocié sans publicité",
              "other": "Autre procédure"}


STAGES = {"diagnosis": "Diagnostic", "drafting": "Rédaction", "review": "Relecture",
          "submission": "Dépôt", "awaiting_result": "En attente du résultat", "won": "Gagné",
          "lost": "Perdu", "abandoned": "Abandonné", "missed": "Manqué"}


def _parse(value) -> datetime | date | None:
    if value in (None, ""):
        return None
    if isinstance(value, (datetime, date)):
        return value
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


def french_date(value, with_time: bool = True) -> str:
    moment = _parse(value)
    if moment is None:
        return "—"
    if isinstance(moment, datetime):
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=PARIS)
        return long_datetime(moment) if with_time else long_date(moment)
    return long_date(moment)


def short_date(value) -> str:
    moment = _parse(value)
    if moment is None:
        return "—"
    if isinstance(moment, datetime) and moment.tzinfo is not None:
        moment = moment.astimezone(PARIS)
    return moment.strftime("%d/%m/%Y")


def euros(value) -> str:
    if value in (None, ""):
        return "—"
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    whole = f"{amount:,.0f}".replace(",", "\u202f")
    return f"{whole} €"


def install(app) -> None:
    app.jinja_env.filters.update(french_date=french_date, short_date=short_date, euros=euros)
    app.jinja_env.globals.update(RESERVATIONS=RESERVATIONS, NOTICE_TYPES=NOTICE_TYPES,
                                 PROCEDURES=PROCEDURES, STAGES=STAGES)
