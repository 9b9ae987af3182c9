"""Text written into a PDF with fpdf2's core fonts, once for every service that makes one
(formation's attendance certificate, the portail's funders' report).

Core fonts (Helvetica) in the Windows-1252 encoding hold every French letter, « », ’, œ and €,
so no font file has to ship with the image; a character outside it (a name in another script)
is written without its accent or replaced, never refused. Pure: no fpdf2 import here.
"""

from __future__ import annotations

import unicodedata

ENCODING = "windows-1252"
# Letters NFKD does not decompose into a base letter and an accent.
_LETTERS = str.maketrans({"Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Ħ": "H", "ħ": "h",
                          "ı": "i", "Ŧ": "T", "ŧ": "t", "ĸ": "k", "Ŋ": "N", "ŋ": "n"})


def printable(text: str) -> str:
    """``text`` with what Windows-1252 cannot hold transliterated (Ł → L) or replaced (?)."""
    out = []
    for char in text.translate(_LETTERS):
        try:
            char.encode(ENCODING)
            out.append(char)
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
            out.append(base or "?")
    return "".join(out)
