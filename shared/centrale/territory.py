"""French territory codes, once for every service: départements, their names and neighbours,
and the NUTS, postcode, INSEE and region codes notices and structures locate themselves with.

A structure of the Centrale works in one or a few départements ("42" Loire, "43" Haute-Loire...),
while notices locate themselves with NUTS codes (TED, eForms, BOAMP JOUE), postcodes, INSEE
commune codes (DECP) or BOAMP's own département lists. Everything here turns those into
département codes, the one vocabulary matching, partner suggestions and the portail speak.

Département codes are strings: two characters for metropolitan France ("01", "42", "2A", "2B")
and three for overseas départements ("971" ... "976").
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


# Each Auvergne-Rhône-Alpes département with every département it touches (the platform's
# territory is Loire Sud and its borders); two départements outside it are only "neighbours"
# if listed. Extend BORDERS when the platform serves another region.
BORDERS: dict[str, tuple[str, ...]] = {
    "01": ("38", "39", "69", "71", "73", "74"),
    "03": ("18", "23", "42", "58", "63", "71"),
    "07": ("26", "30", "38", "42", "43", "48", "84"),
    "15": ("12", "19", "43", "46", "48", "63"),
    "26": ("04", "05", "07", "38", "84"),
    "38": ("01", "05", "07", "26", "42", "69", "73"),
    "42": ("03", "07", "38", "43", "63", "69", "71"),
    "43": ("07", "15", "42", "48", "63"),
    "63": ("03", "15", "19", "23", "42", "43"),
    "69": ("01", "38", "42", "71"),
    "73": ("01", "05", "38", "74"),
    "74": ("01", "73"),
}


def _symmetric(borders: dict[str, tuple[str, ...]]) -> dict[str, frozenset[str]]:
    # Built both ways so that "is 71 a neighbour of 42?" works from either side.
    pairs: dict[str, set[str]] = {}
    for code, others in borders.items():
        for other in others:
            pairs.setdefault(code, set()).add(other)
            pairs.setdefault(other, set()).add(code)
    return {code: frozenset(others) for code, others in pairs.items()}


_NEIGHBOURS = _symmetric(BORDERS)



def are_neighbours(first: str, second: str) -> bool:
    """True when two distinct départements share a border (per BORDERS)."""
    return second in _NEIGHBOURS.get(first, frozenset())


# French names, for explanations shown to people.
DEPARTMENT_NAMES = {
    "01": "Ain", "02": "Aisne", "03": "Allier", "04": "Alpes-de-Haute-Provence",
    "05": "Hautes-Alpes", "06": "Alpes-Maritimes", "07": "Ardèche", "08": "Ardennes",
    "09": "Ariège", "10": "Aube", "11": "Aude", "12": "Aveyron", "13": "Bouches-du-Rhône",
    "14": "Calvados", "15": "Cantal", "16": "Charente", "17": "Charente-Maritime", "18": "Cher",
    "19": "Corrèze", "2A": "Corse-du-Sud", "2B": "Haute-Corse", "21": "Côte-d'Or",
    "22": "Côtes-d'Armor", "23": "Creuse", "24": "Dordogne", "25": "Doubs", "26": "Drôme",
    "27": "Eure", "28": "Eure-et-Loir", "29": "Finistère", "30": "Gard", "31": "Haute-Garonne",
    "32": "Gers", "33": "Gironde", "34": "Hérault", "35": "Ille-et-Vilaine", "36": "Indre",
    "37": "Indre-et-Loire", "38": "Isère", "39": "Jura", "40": "Landes", "41": "Loir-et-Cher",
    "42": "Loire", "43": "Haute-Loire", "44": "Loire-Atlantique", "45": "Loiret", "46": "Lot",
    "47": "Lot-et-Garonne", "48": "Lozère", "49": "Maine-et-Loire", "50": "Manche",
    "51": "Marne", "52": "Haute-Marne", "53": "Mayenne", "54": "Meurthe-et-Moselle",
    "55": "Meuse", "56": "Morbihan", "57": "Moselle", "58": "Nièvre", "59": "Nord",
    "60": "Oise", "61": "Orne", "62": "Pas-de-Calais", "63": "Puy-de-Dôme",
    "64": "Pyrénées-Atlantiques", "65": "Hautes-Pyrénées", "66": "Pyrénées-Orientales",
    "67": "Bas-Rhin", "68": "Haut-Rhin", "69": "Rhône", "70": "Haute-Saône",
    "71": "Saône-et-Loire", "72": "Sarthe", "73": "Savoie", "74": "Haute-Savoie", "75": "Paris",
    "76": "Seine-Maritime", "77": "Seine-et-Marne", "78": "Yvelines", "79": "Deux-Sèvres",
    "80": "Somme", "81": "Tarn", "82": "Tarn-et-Garonne", "83": "Var", "84": "Vaucluse",
    "85": "Vendée", "86": "Vienne", "87": "Haute-Vienne", "88": "Vosges", "89": "Yonne",
    "90": "Territoire de Belfort", "91": "Essonne", "92": "Hauts-de-Seine",
    "93": "Seine-Saint-Denis", "94": "Val-de-Marne", "95": "Val-d'Oise", "971": "Guadeloupe",
    "972": "Martinique", "973": "Guyane", "974": "La Réunion", "976": "Mayotte",
}



def department_name(code: str) -> str:
    """"Loire" for "42"; the bare code when unknown."""
    return DEPARTMENT_NAMES.get(code, code)


def department_label(code: str) -> str:
    """"42 Loire" when the name is known, else the bare code."""
    name = DEPARTMENT_NAMES.get(code)
    return f"{code} {name}" if name else code


class InvalidDepartment(ValueError):
    """Not a French département code (its message is French, for people)."""


def department_code(code: str | int) -> str:
    """"42", 42, "2a", "7", "974" -> the canonical code; raises InvalidDepartment.

    What people type (a missing leading zero is accepted, as real feeds send it);
    ``normalise_department`` is its lenient twin for what sources write.
    """
    found = normalise_department(code)
    if found is None:
        raise InvalidDepartment(
            f"Département inconnu : « {code} » (attendu par exemple 42, 2A ou 974).")
    return found


def _folded(text: str) -> str:
    import unicodedata

    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).lower()
    return " ".join(plain.replace("-", " ").replace("'", " ").split())


_CODES_BY_NAME = {_folded(name): code for code, name in DEPARTMENT_NAMES.items()}


def department_from_text(text: str) -> str:
    """A département as people write it in a search: its code (« 42 », « 7 ») or its name
    (« Loire », « haute loire », « Puy de Dome »); raises InvalidDepartment (French)."""
    value = (text or "").strip()
    found = _CODES_BY_NAME.get(_folded(value))
    if found is not None:
        return found
    try:
        return department_code(value)
    except InvalidDepartment:
        raise InvalidDepartment(
            f"« {value} » n'est ni un numéro ni un nom de département.") from None
