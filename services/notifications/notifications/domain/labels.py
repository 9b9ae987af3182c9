"""How codes of other services' events read inside a sentence of a message.

Plain labels (a stage, a role, a module) are ``centrale.french``'s table; what is here is the
wording only messages need: what the structure should do now at each stage, and what a
diagnosis' decision means. An unknown code is shown as it is rather than refused, so a new
stage or role in accompagnement never blocks a notification.
"""

from __future__ import annotations

from centrale.french import label

# What the structure should do now, by stage: the heart of « tell everyone what is due ».
NEXT_STEPS = {
    "diagnosis": "décider avec votre conseiller d'y aller ou non (go / no go)",
    "drafting": "rédiger le mémoire technique, chiffrer l'offre et rassembler les pièces "
                "administratives",
    "review": "faire relire la réponse complète et corriger ce qui doit l'être",
    "submission": "déposer la réponse sur le profil d'acheteur, sans attendre la dernière heure",
    "awaiting_result": "attendre la décision de l'acheteur ; votre conseiller vous aidera à la lire",
    "won": "préparer le démarrage du marché avec votre conseiller",
    "lost": "demander à l'acheteur les motifs du rejet pour progresser la prochaine fois",
}

DIAGNOSIS_DECISIONS = {
    "go": "y aller",
    "review": "approfondir avant de décider",
    "no_go": "ne pas répondre cette fois",
}


def stage(code: str | None) -> str:
    return label("stage", code) if code else "inconnue"


def next_step(code: str | None) -> str | None:
    return NEXT_STEPS.get(code or "")


def consortium_role(code: str | None) -> str:
    """« cotraitant solidaire », lower-cased: it reads inside a sentence."""
    if not code:
        return "partenaire"
    return label("consortium_role", code).lower()


def diagnosis_decision(code: str) -> str:
    return DIAGNOSIS_DECISIONS.get(code, code.replace("_", " "))


def training_module(code: str) -> str:
    return label("training_module", code)
