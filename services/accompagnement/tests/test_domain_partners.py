"""Partner suggestions for a groupement: ranking and French explanations."""

from decimal import Decimal

from accompagnement.domain.consortium import ConsortiumRole
from accompagnement.domain.partners import lead_gaps, suggest_partners
from accompagnement.domain.reservations import Reservation
from accompagnement.domain.structures import Capacities, Category, InsertionKind, LegalForm, Structure
from accompagnement.domain.tenders import Lot, Tender

TENDER = Tender(
    reference="27-001",
    title="Entretien des bâtiments communaux",
    buyer_name="Ville de Saint-Chamond",
    lots=(
        Lot("1", "Nettoyage des locaux", ("90911200-8",)),
        Lot("2", "Entretien des espaces verts", ("77310000-6",), Reservation.INSERTION),
        Lot("3", "Blanchisserie", ("98310000-9",), Reservation.HANDICAP),
    ),
    departement="42",
    min_headcount=20,
    min_annual_turnover=Decimal("500000"),
)


def structure(name, siret, category, departement, activities, headcount=None, turnover=None,
              kind=None, form=LegalForm.ASSOCIATION):
    return Structure(
        name, siret, form, category, departement, insertion_kind=kind, activities=activities,
        capacities=Capacities(headcount=headcount, annual_turnover=None if turnover is None else Decimal(turnover)),
    )


LEAD = structure("Régie de quartier Le Soleil", "55208131700018", Category.INSERTION, "42", ("9091",),
                 12, 300000, InsertionKind.ACI)
JARDINS = structure("Jardins du Forez", "73282932000074", Category.INSERTION, "42", ("7731",),
                    10, 250000, InsertionKind.ACI)
ESAT = structure("ESAT des Monts du Velay", "77567227200017", Category.ESAT, "43", ("9831", "7731"),
                 40, 600000)
EA = structure("Blanchisserie Adaptée du Gier", "35600000049837", Category.EA, "42", ("9831",),
               5, 100000, form=LegalForm.SAS)
NETTOYAGE_LYON = structure("Nettoyage Solidaire Lyonnais", "41816609600010", Category.ESUS, "69", ("90911200",),
                           30, 900000, form=LegalForm.SAS)
TRAITEUR = structure("Traiteur Coopératif Parisien", "38012986600014", Category.SCOP, "75", ("5552",),
                     form=LegalForm.COOPERATIVE)
LEAD_OTHER_SITE = structure("Régie de quartier Le Soleil – antenne", "55208131700026", Category.INSERTION, "42",
                            ("7731", "9831"), 50, 900000, InsertionKind.ACI)


def test_what_the_lead_lacks():
    gaps = lead_gaps(LEAD, TENDER)
    assert [lot.number for lot in gaps.missing_lots] == ["2", "3"]
    assert gaps.headcount == 8
    assert gaps.turnover == Decimal("200000")


def test_ranking():
    # TRAITEUR brings neither a lot nor capacity; LEAD_OTHER_SITE is the lead's own legal entity.
    candidates = [NETTOYAGE_LYON, TRAITEUR, EA, ESAT, JARDINS, LEAD_OTHER_SITE, LEAD]
    ranked = suggest_partners(LEAD, TENDER, candidates)
    assert [(s.structure.legal_name, s.score, s.covered_lots, s.suggested_role) for s in ranked] == [
        # lots 20 + capacity 25 + same département 20 + reserved 7.5 = 72.5
        ("Jardins du Forez", 73, ("2",), ConsortiumRole.COTRAITANT_CONJOINT),
        # 20 + 25 + neighbour 10 + 7.5 = 62.5
        ("ESAT des Monts du Velay", 63, ("3",), ConsortiumRole.COTRAITANT_CONJOINT),
        # 20 + 25 x (5/8 + 1/2) / 2 + 20 + 7.5 = 61.6
        ("Blanchisserie Adaptée du Gier", 62, ("3",), ConsortiumRole.COTRAITANT_CONJOINT),
        # capacity only: 0 + 25 + 10 + 0 = 35
        ("Nettoyage Solidaire Lyonnais", 35, (), ConsortiumRole.SOUS_TRAITANT),
    ]
    assert [s.structure.legal_name for s in suggest_partners(LEAD, TENDER, candidates, limit=2)] == [
        "Jardins du Forez", "ESAT des Monts du Velay",
    ]


def test_explanations_in_french():
    jardins, esat, ea, lyon = suggest_partners(LEAD, TENDER, [JARDINS, ESAT, EA, NETTOYAGE_LYON])
    assert jardins.reasons == (
        "Couvre le lot 2 « Entretien des espaces verts » (CPV 77310000), que la structure pilote ne couvre pas.",
        "Renforce l'effectif : 12 + 10 = 22 salariés pour 20 exigés.",
        "Renforce le chiffre d'affaires : 300 000,00 € + 250 000,00 € = 550 000,00 € pour 500 000,00 € exigés.",
        "Même département que le lieu d'exécution (42 Loire).",
        "Éligible aux lots réservés : lot 2.",
        "Rôle suggéré : cotraitant conjoint, chacun exécutant ses lots.",
    )
    assert esat.reasons == (
        "Couvre le lot 3 « Blanchisserie » (CPV 98310000), que la structure pilote ne couvre pas.",
        "Fait les prestations du lot 2 « Entretien des espaces verts » mais n'est pas éligible à sa "
        "réservation (SIAE).",
        "Renforce l'effectif : 12 + 40 = 52 salariés pour 20 exigés.",
        "Renforce le chiffre d'affaires : 300 000,00 € + 600 000,00 € = 900 000,00 € pour 500 000,00 € exigés.",
        "Département voisin (43 Haute-Loire) du lieu d'exécution (42 Loire).",
        "Éligible aux lots réservés : lot 3.",
        "Rôle suggéré : cotraitant conjoint, chacun exécutant ses lots.",
    )
    assert ea.reasons[1:3] == (
        "Renforce l'effectif : 12 + 5 = 17 salariés pour 20 exigés (encore insuffisant).",
        "Renforce le chiffre d'affaires : 300 000,00 € + 100 000,00 € = 400 000,00 € pour 500 000,00 € "
        "exigés (encore insuffisant).",
    )
    assert lyon.reasons[-2:] == (
        "Département voisin (69 Rhône) du lieu d'exécution (42 Loire).",
        "Rôle suggéré : sous-traitant, ses capacités s'ajoutant à celles de la structure pilote.",
    )


def test_a_lot_the_lead_does_but_may_not_answer():
    lead = structure("Nettoyage Vert", "55208131700018", Category.SCOP, "42", ("9091", "7731"),
                     25, 800000, form=LegalForm.COOPERATIVE)
    [suggestion] = suggest_partners(lead, TENDER, [JARDINS], lot_numbers=("1", "2"))
    assert suggestion.reasons[0] == (
        "Peut porter le lot 2 « Entretien des espaces verts », réservé aux SIAE, auquel la structure pilote "
        "n'est pas éligible."
    )
    # lots 40 + same département 20 + reserved 15, out of 75 applicable points (no capacity gap)
    assert suggestion.score == 100


def test_nothing_to_suggest_when_the_lead_lacks_nothing():
    complete = structure("Régie complète", "55208131700018", Category.INSERTION, "42", ("9091",), 30, 900000,
                         InsertionKind.ACI)
    assert suggest_partners(complete, TENDER, [JARDINS, ESAT], lot_numbers=("1",)) == []
