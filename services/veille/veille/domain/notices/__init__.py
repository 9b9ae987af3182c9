"""Tender notice normalisation: BOAMP, TED (eForms and TED_EXPORT), DECP -> Notice.

Pure domain code: bytes in, dataclasses out; no database, network or web.

    from veille.domain.notices import normalize, NoticeError
    for notice in normalize(data, "boamp-page-1.json"):
        notice.to_dict()
"""

from .errors import NoticeError
from .model import Award, Buyer, Contract, Lot, Modification, Money, Notice, Place, Winner
from .normalizer import MAX_INPUT_BYTES, normalize

__all__ = ["Award", "Buyer", "Contract", "Lot", "MAX_INPUT_BYTES", "Modification", "Money", "Notice", "NoticeError",
           "Place", "Winner", "normalize"]
