"""French labels for the codes other services put in their events.

Notifications keeps its own copy (a service never imports another's code): an unknown code is
shown as it is rather than refused, so a new stage or role in accompagnement never blocks a
notification.
"""

from __future__ import annotations

STAGES = {
    "diagnosis": "Diagnostic",
    "drafting": "Rédaction",
    "review": "Relecture",
    "submission": "Dépôt",
    "awaiting_result": "En attente du résultat",
    "won": "Gagné",
    "lost": "Perdu",
    "abandoned": "Abandonné",
    "missed": "Manqué",
}

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

CONSORTIUM_ROLES = {
    "mandataire": "mandataire",
    "cotraitant_conjoint": "cotraitant conjoint",
    "cotraitant_solidaire": "cotraitant solidaire",
    "sous_traitant": "sous-traitant",
}

DIAGNOSIS_DECISIONS = {
    "go": "y aller",
    "review": "approfondir avant de décider",
    "no_go": "ne pas répondre cette fois",
}

TRAINING_MODULES = {
    "comprendre-marches-publics": "Comprendre les marchés publics et lire un DCE",
    "memoire-technique": "Rédiger un mémoire technique et valoriser ses références",
    "groupement": "Répondre en groupement ou avec un sous-traitant",
    "dume": "Constituer vite son dossier administratif avec le DUME",
    "chiffrage": "Chiffrer son offre (BPU, DPGF, DQE)",
}


def stage(code: str | None) -> str:
    if not code:
        return "inconnue"
    return STAGES.get(code, code.replace("_", " "))


def next_step(code: str | None) -> str | None:
    return NEXT_STEPS.get(code or "")


def consortium_role(code: str | None) -> str:
    if not code:
        return "partenaire"
    return CONSORTIUM_ROLES.get(code, code.replace("_", " "))


def diagnosis_decision(code: str) -> str:
    return DIAGNOSIS_DECISIONS.get(code, code.replace("_", " "))


def training_module(code: str) -> str:
    return TRAINING_MODULES.get(code, code)
