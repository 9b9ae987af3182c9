"""Dates and times as notices write them, turned into aware datetimes.

Sources disagree: eForms splits a deadline into a date and a time, each with
its own offset ("2023-11-24+01:00", "13:00:00+01:00"); BOAMP writes ISO
datetimes, sometimes with milliseconds, sometimes without zone (then it is
Paris time); TED_EXPORT writes "2019-03-22" and "15:00" in the buyer's local
time; French free text writes "13/04/2015 à 16h00". A time given with an
offset keeps that offset; a time without one is read in the zone the source
implies, Europe/Paris by default.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")

_OFFSET = r"(?P<offset>Z|[+-]\d{2}:?\d{2})?"
_ISO_DATETIME = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})[T ](?P<time>\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?" + _OFFSET + r"$"
)
_ISO_DATE = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})" + _OFFSET + r"$")
_ISO_TIME = re.compile(r"^(?P<time>\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?" + _OFFSET + r"$")
_COMPACT = re.compile(r"^(?P<date>\d{8})(?:\s+(?P<time>\d{2}:\d{2}))?$")  # TED "20190322 15:00"
_FRENCH = re.compile(
    r"(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-](?P<year>\d{4})"
    r"(?:\D{1,6}?(?P<hour>\d{1,2})\s*[h:]\s*(?P<minute>\d{2})?)?"
)

# Time zone of a notice's local times by ISO country code, for TED_EXPORT
# which writes "local time" without saying which. Unknown countries read as
# Brussels time (CET/CEST), the zone of most EU buyers.
_COUNTRY_ZONES = {
    "FR": "Europe/Paris", "PT": "Europe/Lisbon", "IE": "Europe/Dublin", "UK": "Europe/London",
    "GB": "Europe/London", "FI": "Europe/Helsinki", "EE": "Europe/Tallinn", "LV": "Europe/Riga",
    "LT": "Europe/Vilnius", "RO": "Europe/Bucharest", "BG": "Europe/Sofia", "GR": "Europe/Athens",
    "EL": "Europe/Athens", "CY": "Asia/Nicosia",
}


def zone_for_country(country: str | None) -> ZoneInfo:
    """The zone a country's notices write local times in (Paris when unknown or French)."""
    return ZoneInfo(_COUNTRY_ZONES.get((country or "FR").upper(), "Europe/Brussels"))


def parse_offset(text: str | None) -> timezone | None:
    if not text:
        return None
    if text == "Z":
        return timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4])))


def _attach(moment: datetime, offset: str | None, default_zone: ZoneInfo) -> datetime:
    zone = parse_offset(offset)
    return moment.replace(tzinfo=zone) if zone else moment.replace(tzinfo=default_zone)


def parse_datetime(value: str | None, default_zone: ZoneInfo = PARIS) -> datetime | None:
    """An ISO, TED-compact or French datetime -> aware datetime, or None.

    A date alone means the start of that day: reading it as midnight can only
    make a deadline look earlier than it is, never later.
    """
    text = (value or "").strip()
    if not text:
        return None
    try:
        if match := _ISO_DATETIME.match(text):
            moment = datetime.fromisoformat(f"{match['date']}T{match['time']}")
            return _attach(moment, match["offset"], default_zone)
        if match := _ISO_DATE.match(text):
            moment = datetime.fromisoformat(match["date"])
            return _attach(moment, match["offset"], default_zone)
        if match := _COMPACT.match(text):
            moment = datetime.strptime(match["date"] + (match["time"] or "00:00"), "%Y%m%d%H:%M")
            return moment.replace(tzinfo=default_zone)
        if match := _FRENCH.search(text):
            moment = datetime(
                int(match["year"]), int(match["month"]), int(match["day"]),
                int(match["hour"] or 0), int(match["minute"] or 0),
            )
            return moment.replace(tzinfo=default_zone)
    except ValueError:  # 2023-02-30 and the like
        return None
    return None


def combine(date_text: str | None, time_text: str | None, default_zone: ZoneInfo = PARIS) -> datetime | None:
    """eForms/TED deadline parts -> aware datetime.

    The time's own offset wins (it is the buyer's clock); then the date's;
    then `default_zone`. Without a time, the day starts at midnight.
    """
    date_text = (date_text or "").strip()
    time_text = (time_text or "").strip()
    day = _ISO_DATE.match(date_text)
    if not day:
        return parse_datetime(date_text, default_zone) if date_text else None
    clock = _ISO_TIME.match(time_text) if time_text else None
    try:
        moment = datetime.combine(
            date.fromisoformat(day["date"]),
            time.fromisoformat(clock["time"]) if clock else time(0, 0),
        )
    except ValueError:
        return None
    offset = (clock["offset"] if clock else None) or day["offset"]
    return _attach(moment, offset, default_zone)


def parse_date(value: str | None) -> date | None:
    """The calendar date at the start of `value` ("2019-04-25+02:00" -> 2019-04-25)."""
    match = re.match(r"^\s*(\d{4}-\d{2}-\d{2})", value or "")
    if not match:
        return None
    try:
        return date.fromisoformat(match[1])
    except ValueError:
        return None


def add_months(start: date, months: int) -> date:
    """`start` + `months` calendar months, clamped to the month's last day."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    for day in (start.day, 30, 29, 28):
        try:
            return date(year, month, min(start.day, day))
        except ValueError:
            continue
    raise ValueError("unreachable")
