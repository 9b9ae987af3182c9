"""CPV codes (Common Procurement Vocabulary) and their prefix hierarchy, once for every service.

A CPV code has 8 digits plus an optional check digit ("90911200-8"). Its significant digits form
a tree: division (2 digits), group (3), class (4), category (5) and finer levels; trailing zeros
only pad the code to 8 digits. So "90910000" is the class "9091" (cleaning services) and covers
"90911200" (building-cleaning services).

A prefix is read the same way as a code: its trailing zeros pad too, so "9090", "909" and
"90900000" all name the group 909 (cleaning and sanitation services), which covers "90911200".
(Veille used to read "9090" as "909" and accompagnement as "9090", which covered nothing under
9091: the one reading here is the code list's.) The division always keeps its two digits:
"90000000" is "90", "03000000" is "03".
"""

from __future__ import annotations

import re

_CODE = re.compile(r"^(\d{2,8})(?:-\d)?$")

DIVISION_DIGITS = 2


class InvalidCpv(ValueError):
    """A string that is neither a CPV code nor a CPV prefix (its message is French)."""


def cpv_prefix(code: str) -> str:
    """The significant digits of a code or prefix: "90911200-8" -> "909112", "9090" -> "909".

    Raises InvalidCpv with a French message.
    """
    text = str(code).strip().replace(" ", "")
    match = _CODE.match(text)
    if not match:
        raise InvalidCpv(
            f"Code CPV invalide : « {code} » (attendu 8 chiffres, par exemple 90911200, "
            "ou un préfixe d'au moins 2 chiffres).")
    return match.group(1).rstrip("0").ljust(DIVISION_DIGITS, "0")


def full_cpv(code: str) -> str:
    """The 8-digit form without check digit: "9091" -> "90910000"."""
    return cpv_prefix(code).ljust(8, "0")


def covers(activity: str, code: str) -> bool:
    """True when the activity node contains the code (9091 covers 90911200)."""
    return cpv_prefix(code).startswith(cpv_prefix(activity))


def covers_any(activities: tuple[str, ...] | list[str], codes: tuple[str, ...] | list[str]) -> bool:
    """True when one of the activities covers one of the codes."""
    return any(covers(activity, code) for activity in activities for code in codes)


def prefixes_of(code: str) -> list[str]:
    """Every prefix of an 8-digit code, from its division down: what a code is filed under."""
    digits = code[:8]
    return [digits[:k] for k in range(DIVISION_DIGITS, len(digits) + 1)]
