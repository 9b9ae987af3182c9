"""French territory codes: NUTS, postcodes and INSEE codes to département codes.

A structure of the Centrale works in one or a few départements ("42" Loire,
"43" Haute-Loire...), while notices locate themselves with NUTS codes (TED,
eForms, BOAMP JOUE), postcodes, INSEE commune codes (DECP) or BOAMP's own
département lists. Everything here turns those into département codes, the
one vocabulary the matching speaks.

Département codes are strings: two characters for metropolitan France ("01",
"42", "2A", "2B") and three for overseas départements ("971" ... "976").
"""

from __future__ import annotations

import re

# NUTS 2021 (also valid for NUTS 2016, the codes did not move for France),
# level 3 -> département. Labels checked against the eForms SDK NUTS code list
# (code_fr.xml): note that FRK25 is Loire (42) and FRK14 is Puy-de-Dôme (63).
NUTS_2021_LEVEL3 = {
    # FR1 Île-de-France
    "FR101": "75", "FR102": "77", "FR103": "78", "FR104": "91",
    "FR105": "92", "FR106": "93", "FR107": "94", "FR108": "95",
    # FRB Centre-Val de Loire
    "FRB01": "18", "FRB02": "28", "FRB03": "36", "FRB04": "37", "FRB05": "41", "FRB06": "45",
    # FRC Bourgogne-Franche-Comté
    "FRC11": "21", "FRC12": "58", "FRC13": "71", "FRC14": "89",
    "FRC21": "25", "FRC22": "39", "FRC23": "70", "FRC24": "90",
    # FRD Normandie
    "FRD11": "14", "FRD12": "50", "FRD13": "61", "FRD21": "27", "FRD22": "76",
    # FRE Hauts-de-France
    "FRE11": "59", "FRE12": "62", "FRE21": "02", "FRE22": "60", "FRE23": "80",
    # FRF Grand Est
    "FRF11": "67", "FRF12": "68", "FRF21": "08", "FRF22": "10", "FRF23": "51",
    "FRF24": "52", "FRF31": "54", "FRF32": "55", "FRF33": "57", "FRF34": "88",
    # FRG Pays de la Loire
    "FRG01": "44", "FRG02": "49", "FRG03": "53", "FRG04": "72", "FRG05": "85",
    # FRH Bretagne
    "FRH01": "22", "FRH02": "29", "FRH03": "35", "FRH04": "56",
    # FRI Nouvelle-Aquitaine
    "FRI11": "24", "FRI12": "33", "FRI13": "40", "FRI14": "47", "FRI15": "64",
    "FRI21": "19", "FRI22": "23", "FRI23": "87",
    "FRI31": "16", "FRI32": "17", "FRI33": "79", "FRI34": "86",
    # FRJ Occitanie
    "FRJ11": "11", "FRJ12": "30", "FRJ13": "34", "FRJ14": "48", "FRJ15": "66",
    "FRJ21": "09", "FRJ22": "12", "FRJ23": "31", "FRJ24": "32",
    "FRJ25": "46", "FRJ26": "65", "FRJ27": "81", "FRJ28": "82",
    # FRK Auvergne-Rhône-Alpes
    "FRK11": "03", "FRK12": "15", "FRK13": "43", "FRK14": "63",
    "FRK21": "01", "FRK22": "07", "FRK23": "26", "FRK24": "38",
    "FRK25": "42", "FRK26": "69", "FRK27": "73", "FRK28": "74",
    # FRL Provence-Alpes-Côte d'Azur
    "FRL01": "04", "FRL02": "05", "FRL03": "06", "FRL04": "13", "FRL05": "83", "FRL06": "84",
    # FRM Corse
    "FRM01": "2A", "FRM02": "2B",
    # FRY Régions ultrapériphériques
    "FRY10": "971", "FRY20": "972", "FRY30": "973", "FRY40": "974", "FRY50": "976",
}

# NUTS 2010/2013 level 3 -> département. Notices published before 2018 (BOAMP
# 2015 records, old TED exports) still carry these codes; they never collide
# with the 2021 ones (old regions are digits, new ones letters).
NUTS_2013_LEVEL3 = {
    "FR211": "08", "FR212": "10", "FR213": "51", "FR214": "52",
    "FR221": "02", "FR222": "60", "FR223": "80",
    "FR231": "27", "FR232": "76",
    "FR241": "18", "FR242": "28", "FR243": "36", "FR244": "37", "FR245": "41", "FR246": "45",
    "FR251": "14", "FR252": "50", "FR253": "61",
    "FR261": "21", "FR262": "58", "FR263": "71", "FR264": "89",
    "FR301": "59", "FR302": "62",
    "FR411": "54", "FR412": "55", "FR413": "57", "FR414": "88",
    "FR421": "67", "FR422": "68",
    "FR431": "25", "FR432": "39", "FR433": "70", "FR434": "90",
    "FR511": "44", "FR512": "49", "FR513": "53", "FR514": "72", "FR515": "85",
    "FR521": "22", "FR522": "29", "FR523": "35", "FR524": "56",
    "FR531": "16", "FR532": "17", "FR533": "79", "FR534": "86",
    "FR611": "24", "FR612": "33", "FR613": "40", "FR614": "47", "FR615": "64",
    "FR621": "09", "FR622": "12", "FR623": "31", "FR624": "32",
    "FR625": "46", "FR626": "65", "FR627": "81", "FR628": "82",
    "FR631": "19", "FR632": "23", "FR633": "87",
    "FR711": "01", "FR712": "07", "FR713": "26", "FR714": "38",
    "FR715": "42", "FR716": "69", "FR717": "73", "FR718": "74",
    "FR721": "03", "FR722": "15", "FR723": "43", "FR724": "63",
    "FR811": "11", "FR812": "30", "FR813": "34", "FR814": "48", "FR815": "66",
    "FR821": "04", "FR822": "05", "FR823": "06", "FR824": "13", "FR825": "83", "FR826": "84",
    "FR831": "2A", "FR832": "2B",
    "FR910": "971", "FR920": "972", "FR930": "973", "FR940": "974",
    "FRA10": "971", "FRA20": "972", "FRA30": "973", "FRA40": "974", "FRA50": "976",
}

NUTS_LEVEL3_TO_DEPARTMENT = {**NUTS_2021_LEVEL3, **NUTS_2013_LEVEL3}

# INSEE region codes (since 2016) -> the NUTS 1 code covering the same area,
# so that a DECP "Code région" reuses the NUTS expansion below.
INSEE_REGION_TO_NUTS = {
    "11": "FR1", "24": "FRB", "27": "FRC", "28": "FRD", "32": "FRE", "44": "FRF",
    "52": "FRG", "53": "FRH", "75": "FRI", "76": "FRJ", "84": "FRK", "93": "FRL",
    "94": "FRM", "01": "FRY1", "02": "FRY2", "03": "FRY3", "04": "FRY4", "06": "FRY5",
}

ALL_DEPARTMENTS = frozenset(NUTS_2021_LEVEL3.values())

_POSTCODE = re.compile(r"^\d{5}$")


def department_from_nuts(code: str | None) -> list[str]:
    """Départements covered by a French NUTS code, sorted.

    Level 3 gives one département; a level 1 or 2 code ("FRK2", "FR10") is
    expanded to every département it contains, because a notice placed in
    "Rhône-Alpes" concerns a structure of the Loire. The bare country code "FR"
    is not expanded (it says nothing local). Foreign codes give nothing.
    """
    code = (code or "").strip().upper()
    if not code.startswith("FR") or len(code) < 3 or code.startswith("FRZ"):
        return []
    if code in NUTS_LEVEL3_TO_DEPARTMENT:
        return [NUTS_LEVEL3_TO_DEPARTMENT[code]]
    return sorted({dep for nuts, dep in NUTS_LEVEL3_TO_DEPARTMENT.items() if nuts.startswith(code)})


def department_from_postcode(postcode: str | None) -> str | None:
    """Département of a French postcode ("42400" -> "42", "20200" -> "2B").

    Corsican postcodes start with 20: 200xx-201xx are Corse-du-Sud, the rest
    Haute-Corse. Overseas postcodes 971xx-976xx give three-character codes.
    Monaco and the overseas collectivities (98xxx) are not départements.
    """
    postcode = re.sub(r"\s", "", postcode or "")
    if not _POSTCODE.match(postcode) or postcode.startswith("00"):
        return None
    if postcode.startswith("20"):
        return "2A" if int(postcode[2:5]) < 200 else "2B"
    if postcode.startswith("97"):
        return postcode[:3] if postcode[:3] in ALL_DEPARTMENTS else None
    if postcode.startswith("98"):
        return None
    return postcode[:2]


def department_from_insee(code: str | None) -> str | None:
    """Département of an INSEE commune, canton or arrondissement code.

    These codes start with the département: "42218" (Saint-Étienne),
    "2B002", "97411". Only the prefix is read.
    """
    code = (code or "").strip().upper()
    if len(code) < 3:
        return None
    if code[:2] in ("2A", "2B"):
        return code[:2]
    if code.startswith("97"):
        return code[:3] if code[:3] in ALL_DEPARTMENTS else None
    return code[:2] if code[:2].isdigit() and code[:2] in ALL_DEPARTMENTS else None


def departments_from_region(code: str | None) -> list[str]:
    """Départements of an INSEE region code ("84" -> the 12 of Auvergne-Rhône-Alpes)."""
    nuts = INSEE_REGION_TO_NUTS.get((code or "").strip().zfill(2))
    return department_from_nuts(nuts) if nuts else []


def normalise_department(code: str | int | None) -> str | None:
    """A département code as written by sources -> its canonical form.

    BOAMP writes "2" for Aisne in its top-level `code_departement` and "02"
    inside `gestion`; both become "02". Corsica stays "2A"/"2B", overseas
    "971"... Anything that is not a known département gives None.
    """
    if code is None:
        return None
    text = str(code).strip().upper()
    if text.isdigit() and len(text) < 2:
        text = text.zfill(2)
    return text if text in ALL_DEPARTMENTS else None
