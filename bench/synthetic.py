"""Realistic synthetic volumes built from the real formats: BOAMP API records derived from the
project's own fixture (same fields, same nested ``donnees`` JSON), alert profiles and tender
features drawn from the real CPV vocabulary when the code list is at hand."""

from __future__ import annotations

import random
from pathlib import Path

from centrale.territory import DEPARTMENT_NAMES
from veille.domain.matching import LotFeatures, Profile, TenderFeatures
# The notices themselves are veille's (its demo loads a territory's worth of them).
from veille.synthetic_notices import (CODELIST, DEPARTMENTS, WORDS,  # noqa: F401 (re-exported)
                                      boamp_pages, cpv_codes)

ROOT = Path(__file__).resolve().parents[1]
# A national deployment: every département has its centrale, its structures and its buyers.
ALL_DEPARTMENTS = sorted(DEPARTMENT_NAMES)


def profiles(count: int, seed: int = 11) -> list[Profile]:
    """Profiles of structures all over France: one to three neighbouring départements, one to
    three CPV prefixes (from division to full code), sometimes a keyword or reserved lots."""
    rng = random.Random(seed)
    codes = cpv_codes()
    result = []
    for pid in range(1, count + 1):
        home = rng.randrange(len(ALL_DEPARTMENTS))
        departments = tuple(ALL_DEPARTMENTS[(home + step) % len(ALL_DEPARTMENTS)]
                            for step in range(rng.randint(1, 3)))
        prefixes = tuple(sorted({rng.choice(codes)[:rng.choice((3, 4, 5, 6, 8))]
                                 for _ in range(rng.randint(1, 3))}))
        word = rng.choice(WORDS)
        result.append(Profile(
            pid, pid // 3 + 1, cpv_prefixes=prefixes if rng.random() < 0.95 else (),
            keywords=((word, (word[:6],)),) if rng.random() < 0.3 else (),
            departments=departments, reserved_only=rng.random() < 0.1))
    return result


def tenders(count: int, seed: int = 13) -> list[TenderFeatures]:
    rng = random.Random(seed)
    codes = cpv_codes()
    result = []
    for tid in range(count):
        lot_codes = [rng.choice(codes) for _ in range(rng.randint(1, 4))]
        result.append(TenderFeatures(
            id=tid, cpv_codes=tuple(lot_codes), departments=(rng.choice(ALL_DEPARTMENTS),),
            lexemes=frozenset(w[:6] for w in rng.sample(WORDS, 6)),
            value=float(rng.randint(10, 2000) * 1000),
            lots=tuple(LotFeatures(str(i + 1), cpv_codes=(code,),
                                   reserved=("insertion",) if rng.random() < 0.15 else ())
                       for i, code in enumerate(lot_codes))))
    return result
