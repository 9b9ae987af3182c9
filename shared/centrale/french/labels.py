"""The one table of labels: how every code of a stage, a status or a category reads in French.

Services, their domains and the portail look codes up here (:func:`label`) instead of keeping
their own copies, so a stage reads « En attente du résultat » on the board, in the email and in
the API alike. An unknown code reads as itself (underscores as spaces) rather than failing: a
new stage of accompagnement never blocks a notification or a page.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

_TABLE: dict[str, dict[str, str]] = {
    # accompagnement: cases and their answers
    "stage": {
        "diagnosis": "Diagnostic", "drafting": "Rédaction", "review": "Relecture",
        "submission": "Dépôt", "awaiting_result": "En attente du résultat", "won": "Gagné",
        "lost": "Perdu", "abandoned": "Abandonné", "missed": "Manqué",
    },
    "checklist_status": {
        "a_fournir": "À fournir", "en_cours": "En cours", "fourni": "Fourni",
        "valide": "Validé", "expire": "Expiré",
    },
    "document_kind": {
        "dc1": "DC1 – Lettre de candidature",
        "dc2": "DC2 – Déclaration du candidat",
        "dume": "DUME – Document unique de marché européen",
        "dc4": "DC4 – Déclaration de sous-traitance",
        "acte_engagement": "Acte d'engagement",
        "attestation_urssaf": "Attestation de vigilance URSSAF",
        "attestation_fiscale": "Attestation de régularité fiscale",
        "kbis": "Extrait Kbis",
        "avis_sirene": "Avis de situation au répertoire SIRENE",
        "assurance": "Attestation d'assurance responsabilité civile professionnelle",
        "justificatif_statut":
            "Justificatif du statut (conventionnement SIAE, agrément EA/ESAT ou ESUS)",
        "references": "Liste des références",
        "memoire_technique": "Mémoire technique",
        "bpu": "BPU – Bordereau des prix unitaires",
        "dpgf": "DPGF – Décomposition du prix global et forfaitaire",
        "dqe": "DQE – Détail quantitatif estimatif",
        "devis": "Devis",
        "presentation": "Présentation de la structure",
    },
    "buyer_procedure": {
        "mapa": "Marché à procédure adaptée (MAPA)",
        "appel_offres": "Appel d'offres",
        "petit_montant": "Achat public de faible montant, sur devis",
        "devis_prive": "Demande de devis d'un acheteur privé",
    },
    "lot_reservation": {
        "none": "Aucune réservation",
        "handicap": "Réservé aux EA et ESAT (art. L2113-12)",
        "insertion":
            "Réservé aux structures d'insertion par l'activité économique (art. L2113-13)",
        "handicap_insertion": "Réservé aux EA, ESAT et SIAE (art. L2113-14)",
        "ess": "Réservé aux entreprises de l'ESS (art. L2113-15)",
    },
    # who a reserved lot is for, inside an explanation: « réservé aux EA et ESAT »
    "lot_reservation_short": {
        "none": "tous", "handicap": "EA et ESAT", "insertion": "SIAE",
        "handicap_insertion": "EA, ESAT et SIAE", "ess": "entreprises de l'ESS",
    },
    "consortium_role": {
        "mandataire": "Mandataire", "cotraitant_conjoint": "Cotraitant conjoint",
        "cotraitant_solidaire": "Cotraitant solidaire", "sous_traitant": "Sous-traitant",
    },
    "consortium_status": {
        "lead": "Structure pilote", "invited": "Invitée, sans réponse",
        "accepted": "A accepté", "declined": "A décliné",
    },
    "diagnosis_decision": {"go": "Go", "review": "À examiner", "no_go": "No-go"},
    "diagnosis_criterion": {
        "activity_fit": "Adéquation des activités aux lots",
        "capacity": "Capacités (effectif, chiffre d'affaires, assurance)",
        "references": "Références",
        "time_left": "Délai restant",
        "price_position": "Positionnement prix",
        "reserved_eligibility": "Éligibilité aux lots réservés",
        "partner_need": "Autonomie (besoin de partenaires)",
    },
    # what an advisor's hours were spent on, for the funders' reports
    "journal_activity": {
        "entretien": "Entretien avec la structure", "diagnostic": "Diagnostic",
        "redaction": "Aide à la rédaction", "relecture": "Relecture", "depot": "Aide au dépôt",
        "groupement": "Montage du groupement", "autre": "Autre",
    },
    # accompagnement: the structures registry
    "structure_category": {
        "association": "Association",
        "insertion": "Structure d'insertion",
        "ea": "Entreprise adaptée (EA)",
        "esat": "Établissement et service d'aide par le travail (ESAT)",
        "scop": "Société coopérative et participative (SCOP)",
        "scic": "Société coopérative d'intérêt collectif (SCIC)",
        "esus": "Entreprise agréée ESUS",
    },
    # the parts of a structure's record (accompagnement), in its audit trail and forms
    "structure_field": {
        "legal_name": "raison sociale", "siret": "SIRET", "legal_form": "forme juridique",
        "category": "catégorie", "insertion_kind": "type de SIAE", "address": "adresse",
        "departement": "département", "activities": "activités", "capacities": "capacités",
        "social_value": "valeur sociale", "references": "références", "contacts": "contacts",
    },
    # a member's request to change their structure's official details
    "change_request_status": {
        "pending": "En attente", "approved": "Approuvée", "rejected": "Refusée",
    },
    "insertion_kind": {
        "aci": "Atelier et chantier d'insertion (ACI)",
        "ai": "Association intermédiaire (AI)",
        "ei": "Entreprise d'insertion (EI)",
        "etti": "Entreprise de travail temporaire d'insertion (ETTI)",
        "eiti": "Entreprise d'insertion par le travail indépendant (EITI)",
        "geiq": "Groupement d'employeurs pour l'insertion et la qualification (GEIQ)",
    },
    "legal_form": {
        "association": "Association loi 1901", "fondation": "Fondation",
        "mutuelle": "Mutuelle", "societe_cooperative": "Société coopérative", "sarl": "SARL",
        "eurl": "EURL", "sas": "SAS", "sasu": "SASU", "sa": "SA",
        "entreprise_individuelle": "Entreprise individuelle",
        "etablissement_public": "Établissement public", "autre": "Autre",
    },
    # veille: tenders as published
    "notice_type": {
        "contract": "Avis de marché", "prior_information": "Pré-information",
        "award": "Attribution", "corrigendum": "Rectificatif", "other": "Autre",
    },
    "procedure": {
        "open": "Appel d'offres ouvert", "restricted": "Appel d'offres restreint",
        "negotiated": "Procédure négociée", "adapted": "Procédure adaptée (MAPA)",
        "competitive_dialogue": "Dialogue compétitif",
        "innovation_partnership": "Partenariat d'innovation", "design_contest": "Concours",
        "negotiated_without_call": "Négocié sans publicité", "other": "Autre procédure",
    },
    # who a reserved tender or lot is for, inside veille's « pourquoi »: « lot 2 réservé aux … »
    "tender_reservation_phrase": {
        "sheltered_workshop": "réservé aux ESAT et entreprises adaptées",
        "insertion": "réservé aux structures d'insertion (SIAE)",
        "ess": "réservé aux entreprises de l'ESS",
        "public_service_mission": "réservé aux organisations de service public",
    },
    "tender_reservation": {
        "sheltered_workshop": "Réservé ESAT / EA",
        "insertion": "Réservé insertion (SIAE)",
        "ess": "Réservé ESS",
        "public_service_mission": "Réservé mission de service public",
    },
    # a tender's or a lot's lifecycle (veille): where it stands now
    "tender_state": {
        "open": "Ouvert aux réponses", "closed": "Clos, résultat attendu",
        "awarded": "Attribué", "unsuccessful": "Infructueux", "cancelled": "Sans suite",
    },
    # what its procedure ended with, in a sentence: « Résultat : attribué »
    "tender_result": {
        "awarded": "attribué", "unsuccessful": "déclaré infructueux",
        "cancelled": "déclaré sans suite",
    },
    # the search's choice of state, a list of tenders
    "tender_state_filter": {
        "open": "Ouverts", "closed": "Clos, résultat attendu", "awarded": "Attribués",
        "unsuccessful": "Infructueux", "cancelled": "Sans suite", "all": "Tous",
    },
    "tender_clause": {"social": "Clause sociale", "insertion": "Clause d'insertion"},
    # what an alert profile watches (veille's notice kinds)
    "profile_notice_kind": {
        "contract": "Avis de marché", "prior_information": "Pré-information",
        "renewal": "Marché à renouveler",
    },
    # veille's sources and their polls
    "feed_source": {"boamp": "BOAMP", "ted": "TED (JOUE)", "decp": "DECP",
                    "manuel": "Saisie manuelle"},
    "feed_poll_status": {"running": "En cours", "finished": "Terminé", "failed": "En échec"},
    # the fields a tender's versions track (veille), in its history
    "tender_field": {
        "title": "Intitulé", "deadline": "Date limite", "estimated_value": "Montant estimé",
        "cpv_main": "Code CPV principal", "procedure_type": "Procédure",
        "reserved": "Réservation", "lots": "Lots", "buyer": "Acheteur",
        "description": "Objet", "url": "Adresse de l'avis", "awards": "Attributions",
        "cancelled": "Procédure annulée", "result": "Résultat",
    },
    # formation
    "training_module": {
        "comprendre-marches-publics": "Comprendre la commande publique",
        "memoire-technique": "Rédiger un mémoire technique",
        "groupement": "Répondre en groupement solidaire",
        "dume": "Le DUME et le dossier administratif",
        "chiffrage": "Chiffrer son offre",
        "plateformes-depot": "Déposer sa réponse sur une plateforme",
    },
    "session_status": {
        "scheduled": "Programmée", "held": "Session tenue", "cancelled": "Session annulée",
    },
    "registration_status": {"confirmed": "Inscrit·e", "waitlisted": "Liste d'attente"},
    # notifications
    "notification_mode": {
        "immediate": "Un courriel à chaque fois",
        "digest": "Dans le résumé quotidien",
        "never": "Jamais par courriel (fil de notifications seulement)",
    },
    # people
    "role": {
        "membre": "Membre d'une structure", "conseiller": "Conseiller ou conseillère",
        "admin": "Administrateur ou administratrice", "service": "Service",
        "acheteur": "Acheteur public ou privé",
        "facilitateur": "Facilitateur ou facilitatrice de la clause sociale",
    },
    # the public directory's card: bands of the registry's figures, never the figures
    "staff_band": {
        "0": "Sans salarié", "1-9": "1 à 9 salariés", "10-49": "10 à 49 salariés",
        "50-249": "50 à 249 salariés", "250+": "250 salariés et plus",
    },
    "turnover_band": {
        "lt100k": "Moins de 100 000 €", "100k-500k": "De 100 000 à 500 000 €",
        "500k-2m": "De 500 000 € à 2 millions d'euros", "2m+": "Plus de 2 millions d'euros",
    },
    # buyers' needs (veille)
    "buyer_kind": {"public": "Acheteur public", "private": "Acheteur privé"},
    "need_status": {
        "draft": "Brouillon", "submitted": "En attente de validation",
        "returned": "Renvoyé à l'acheteur", "published": "Publié",
        "closed": "Clos", "decided": "Résultat enregistré",
    },
    "budget_band": {
        "lt4k": "Moins de 4 000 € HT", "4k-40k": "De 4 000 à 40 000 € HT",
        "40k-90k": "De 40 000 à 90 000 € HT", "90k-215k": "De 90 000 à 215 000 € HT",
        "215k+": "Plus de 215 000 € HT", "unknown": "Non précisé",
    },
    "need_reservation": {
        "none": "Ouvert à toutes les entreprises",
        "insertion": "Réservé aux structures d'insertion (SIAE)",
        "sheltered_workshop": "Réservé aux EA et ESAT",
        "ess": "Réservé aux entreprises de l'ESS",
    },
    "tender_origin": {
        "boamp": "BOAMP", "ted": "TED (Journal officiel de l'UE)", "decp": "Données essentielles",
        "centrale": "Besoin déposé à la Centrale", "api": "Saisi à la Centrale",
    },
}

LABELS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {kind: MappingProxyType(codes) for kind, codes in _TABLE.items()})


def label(kind: str, code: str | None) -> str:
    """The French label of ``code`` among ``kind`` (« stage », « structure_category »…).

    An unknown kind is a programming error (KeyError); an unknown code reads as itself with
    its underscores as spaces; no code reads « — »."""
    labels = LABELS[kind]
    if code is None or code == "":
        return "—"
    return labels.get(code, str(code).replace("_", " "))


def choices(kind: str, *codes: str) -> list[tuple[str, str]]:
    """``(code, label)`` pairs for a select list: the given codes in that order, or all."""
    labels = LABELS[kind]
    return [(code, labels[code]) for code in (codes or labels)]
