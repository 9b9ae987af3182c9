"""The templates write dates, amounts and labels through ``centrale.french``, as every service
does: these filters only read what the APIs send (ISO 8601 text, amounts as JSON numbers) and show
« — » where there is nothing to show."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from centrale import french
from centrale.french import PARIS


def _parse(value) -> datetime | date | None:
    if value in (None, ""):
        return None
    if isinstance(value, (datetime, date)):
        return value
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=PARIS)


def french_date(value, with_time: bool = True) -> str:
    """« lundi 20 janvier 2027 à 12 h 00 » (or without the time)."""
    moment = _parse(value)
    if moment is None:
        return "—"
    if isinstance(moment, datetime) and with_time:
        return french.long_datetime(moment)
    return french.long_date(moment)


def short_date(value) -> str:
    """« 20/01/2027 », in a table's column."""
    moment = _parse(value)
    return "—" if moment is None else french.short_date(moment)


def session_span(starts_at, ends_at) -> str:
    """« le jeudi 4 mars 2027, de 9 h à 17 h 30 »: how a training session's dates read."""
    start, end = _parse(starts_at), _parse(ends_at)
    if not isinstance(start, datetime):
        return "—"
    if not isinstance(end, datetime):
        return f"le {french.long_datetime(start)}"
    return french.time_span(start, end)


def euros(value) -> str:
    return french.euros(value) or "—"


def money(amount, currency=None) -> str:
    """An amount in its currency: « 84 000,00 € », « 12 000 CHF »; « — » for nothing."""
    if amount in (None, ""):
        return "—"
    if currency in (None, "", "EUR"):
        return euros(amount)
    return f"{number(amount)} {currency}"


def share(part, whole) -> str:
    """« 3 sur 20 (15 %) »: a part of a whole, as a count and a rounded percentage."""
    part, whole = int(part or 0), int(whole or 0)
    if whole <= 0:
        return "—"
    percent = french.decimal_comma(Decimal(part) * 100 / Decimal(whole), 0)
    return f"{french.whole_number(part)} sur {french.whole_number(whole)} ({percent} %)"


def number(value, places: int = 2) -> str:
    """« 1,5 », « 12 » — a decimal comma, no trailing zeros; « — » for nothing."""
    if value in (None, ""):
        return "—"
    try:
        return french.decimal_comma(Decimal(str(value)), places)
    except InvalidOperation:
        return "—"


def hours(value) -> str:
    """« 1 h 30 »; « — » for nothing."""
    if value in (None, ""):
        return "—"
    return french.hours(value)


def month(value) -> str:
    """« mars 2027 »."""
    moment = _parse(value)
    if moment is None:
        return "—"
    return f"{french.MONTHS[moment.month - 1]} {moment.year}"


def tender_value(name: str, value) -> str:
    """One side of a change in a tender's history (veille's field ``name``), as people read
    it: dates and amounts in French, codes by their label."""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if value in (None, "", [], {}):
        return "—"
    if name == "deadline":
        return french_date(value)
    if name == "estimated_value":
        return euros(value.get("amount") if isinstance(value, dict) else value)
    if name == "procedure_type":
        return french.label("procedure", value)
    if name == "reserved":
        values = value if isinstance(value, list) else [value]
        return ", ".join(french.label("tender_reservation", v) for v in values)
    if name == "buyer" and isinstance(value, dict):
        return value.get("name") or "—"
    if name == "lots" and isinstance(value, list):
        return french.plural(len(value), "lot")
    if name == "awards" and isinstance(value, list):
        return french.plural(len(value), "attribution")
    if name == "result":
        return french.label("tender_result", value)
    if isinstance(value, (dict, list)):
        return "modifié"
    return str(value)


def install(app) -> None:
    from .people_names import person

    app.jinja_env.filters.update(french_date=french_date, short_date=short_date, euros=euros,
                                 session_span=session_span, hours=hours, number=number,
                                 month=month, person=person, money=money,
                                 quoted=french.quoted, et=french.join_with_et,
                                 whole_number=lambda n: french.whole_number(int(n or 0)))
    app.jinja_env.globals.update(label=french.label, plural=french.plural, LABELS=french.LABELS,
                                 tender_value=tender_value, share=share)
