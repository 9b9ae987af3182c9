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


# -- the activities of the territory's social-economy structures -------------------------------
#
# The CPV codes ESS structures most often work under, with their French label (the code list's
# own wording, sometimes shortened) and the everyday words a buyer or a structure uses for
# them. It labels a structure's activities on its public card when veille's full code list is
# not loaded, and suggests codes for a need described in plain French (veille adds its loaded
# code list to these). Words are compared folded (no accent, lower case, no plural « s »/« x »).

ACTIVITIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("90910000", "Services de nettoyage",
     ("nettoyage", "menage", "proprete", "entretien des locaux")),
    ("90911200", "Services de nettoyage de bâtiments",
     ("nettoyage", "locaux", "bureaux", "batiment", "menage", "sanitaires")),
    ("90911300", "Services de nettoyage de vitres", ("vitre", "vitrerie", "fenetre", "carreau")),
    ("90919200", "Services de nettoyage de bureaux", ("bureau", "nettoyage")),
    ("77310000", "Services de plantation et d'entretien d'espaces verts",
     ("espaces verts", "espace vert", "jardin", "tonte", "plantation", "taille", "haie",
      "desherbage", "paysage")),
    ("77311000", "Services d'entretien des jardins d'ornement et d'agrément",
     ("jardin", "massif", "fleurissement", "parc")),
    ("77211400", "Services d'abattage d'arbres", ("abattage", "elagage", "arbre")),
    ("55520000", "Services traiteur", ("traiteur", "buffet", "repas", "plateau repas", "cocktail")),
    ("55523100", "Services de restauration scolaire", ("cantine", "restauration scolaire", "repas")),
    ("55300000", "Services de restaurant et de service de repas",
     ("restaurant", "restauration", "repas")),
    ("15890000", "Produits alimentaires divers", ("alimentaire", "epicerie", "panier")),
    ("79995100", "Services d'archivage", ("archive", "archivage", "tri de document")),
    ("79999100", "Services de numérisation", ("numerisation", "scan", "scanner", "dematerialisation")),
    ("79810000", "Services d'impression", ("impression", "imprimerie", "reprographie", "flyer")),
    ("79342200", "Services de promotion", ("publipostage", "mise sous pli", "routage", "promotion")),
    ("79520000", "Services de reprographie", ("reprographie", "photocopie")),
    ("98310000", "Services de blanchisserie et de nettoyage à sec",
     ("blanchisserie", "linge", "pressing", "repassage", "lavage")),
    ("90510000", "Élimination et traitement des ordures", ("dechet", "ordure", "traitement")),
    ("90511000", "Services de collecte des ordures", ("collecte", "dechet", "encombrant")),
    ("90514000", "Services de recyclage des ordures",
     ("recyclage", "ressourcerie", "reemploi", "recyclerie")),
    ("90720000", "Protection de l'environnement", ("environnement", "depollution", "nature")),
    ("45442100", "Travaux de peinture", ("peinture", "peintre", "ravalement")),
    ("45421000", "Travaux de menuiserie", ("menuiserie", "menuisier", "bois")),
    ("45000000", "Travaux de construction", ("travaux", "batiment", "chantier", "renovation",
                                              "maconnerie")),
    ("45111000", "Travaux de démolition", ("demolition", "desamiantage")),
    ("50000000", "Services de réparation et d'entretien", ("reparation", "maintenance")),
    ("50800000", "Services divers d'entretien et de réparation",
     ("petit entretien", "bricolage", "second oeuvre")),
    ("60000000", "Services de transport", ("transport", "livraison", "navette")),
    ("60130000", "Services spécialisés de transport routier de passagers",
     ("transport de personne", "transport adapte", "accompagnement")),
    ("64120000", "Services de courrier", ("courrier", "coursier", "pli")),
    ("63120000", "Services de stockage et d'entreposage", ("stockage", "entrepot", "logistique")),
    ("79620000", "Services de mise à disposition de personnel",
     ("mise a disposition", "interim", "personnel", "remplacement")),
    ("79952000", "Services d'organisation d'événements", ("evenement", "evenementiel", "salon")),
    ("79710000", "Services de sécurité", ("securite", "gardiennage", "surveillance")),
    ("72000000", "Services informatiques", ("informatique", "logiciel", "site internet", "web")),
    ("50312000", "Entretien et réparation de matériel informatique",
     ("ordinateur", "reconditionnement", "materiel informatique")),
    ("39000000", "Meubles, aménagements, électroménager", ("mobilier", "meuble", "amenagement")),
    ("18000000", "Vêtements et accessoires", ("vetement", "textile", "couture", "uniforme")),
    ("18100000", "Vêtements professionnels", ("vetement de travail", "tenue", "epi")),
    ("85310000", "Services d'action sociale", ("action sociale", "aide a domicile", "social")),
    ("85320000", "Services sociaux", ("service social", "mediation")),
    ("92000000", "Services récréatifs, culturels et sportifs", ("culture", "sport", "animation")),
    ("80500000", "Services de formation", ("formation", "atelier")),
    ("03000000", "Produits agricoles et de l'élevage", ("agricole", "maraichage", "legume",
                                                        "fruit", "bio")),
    ("98300000", "Services divers", ("conciergerie", "service a la personne")),
)

_ACTIVITY_BY_PREFIX = {cpv_prefix(code): label_fr for code, label_fr, _words in ACTIVITIES}


def fold_words(text: str) -> str:
    """Lower case, accents off, plurals off, punctuation as spaces: how words are compared."""
    import unicodedata

    bare = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", bare)
    return " ".join(w[:-1] if len(w) > 3 and w[-1] in "sx" else w for w in words)


def activity_label(code: str) -> str | None:
    """The French label of a code or prefix this vocabulary knows: its own, else its nearest
    known parent's (9091 « Services de nettoyage » for 909112); None when none is known."""
    try:
        prefix = cpv_prefix(code)
    except InvalidCpv:
        return None
    for length in range(len(prefix), DIVISION_DIGITS - 1, -1):
        found = _ACTIVITY_BY_PREFIX.get(prefix[:length])
        if found:
            return found
    return None


def suggest_from_text(text: str, limit: int = 5) -> list[tuple[str, str, int]]:
    """(code, label, score) of the activities whose words a French text uses, best first: a
    word of several words (« espaces verts ») counts twice, a word of the label once."""
    folded = f" {fold_words(text)} "
    scored = []
    for code, label_fr, words in ACTIVITIES:
        score = 0
        for word in words:
            folded_word = fold_words(word)
            if folded_word and f" {folded_word} " in folded:
                score += 2 if " " in folded_word else 1
        score += sum(1 for word in fold_words(label_fr).split()
                     if len(word) > 4 and f" {word} " in folded)
        if score:
            scored.append((code, label_fr, score))
    scored.sort(key=lambda item: (-item[2], item[0]))
    return scored[:limit]
