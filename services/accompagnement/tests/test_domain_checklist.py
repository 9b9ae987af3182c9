"""Default checklists, validity of dated documents, the vault's expiry warnings."""

from datetime import date, datetime, timedelta, timezone

import pytest

from accompagnement.domain.checklist import (
    ChecklistItem,
    DocumentKind as K,
    ItemStatus as S,
    add_months,
    apply_validity,
    deadline_day,
    default_checklist,
    earliest_valid_issue_date,
    is_complete,
    missing_items,
    valid_until,
)
from accompagnement.domain.tenders import BuyerProcedure
from accompagnement.domain.vault import VaultDocument, best_document, expiry_warnings, fill_from_vault

DEADLINE_DAY = date(2027, 1, 20)


def kinds(items):
    return [item.kind.value for item in items]


def test_public_procedure_with_dc1_dc2():
    items = default_checklist(BuyerProcedure.MAPA)
    assert kinds(items) == [
        "dc1", "dc2", "attestation_urssaf", "attestation_fiscale", "kbis", "assurance",
        "references", "memoire_technique", "bpu", "acte_engagement",
    ]
    assert {item.status for item in items} == {S.A_FOURNIR}
    assert items[0].label == "DC1 – Lettre de candidature"


def test_public_procedure_with_the_dume_for_an_association():
    items = default_checklist(
        BuyerProcedure.APPEL_OFFRES, use_dume=True, price_schedule=K.DPGF, registered_at_rcs=False,
        reserved=True, with_subcontractors=True,
    )
    assert kinds(items) == [
        "dume", "attestation_urssaf", "attestation_fiscale", "avis_sirene", "assurance", "references",
        "memoire_technique", "dpgf", "acte_engagement", "justificatif_statut", "dc4",
    ]


def test_quotes():
    assert kinds(default_checklist(BuyerProcedure.PETIT_MONTANT)) == [
        "devis", "attestation_urssaf", "attestation_fiscale", "kbis", "assurance",
    ]
    assert kinds(default_checklist(BuyerProcedure.DEVIS_PRIVE, with_subcontractors=True)) == [
        "devis", "presentation", "references", "attestation_urssaf", "assurance",
    ]
    with pytest.raises(ValueError):
        default_checklist(BuyerProcedure.MAPA, price_schedule=K.DEVIS)


def test_add_months_clamps_to_the_end_of_the_month():
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert add_months(date(2027, 1, 20), -3) == date(2026, 10, 20)
    assert add_months(date(2026, 11, 15), 2) == date(2027, 1, 15)


def test_validity_of_dated_documents():
    assert valid_until(K.ATTESTATION_URSSAF, date(2026, 7, 20), None) == date(2027, 1, 19)
    assert valid_until(K.ATTESTATION_URSSAF, date(2026, 8, 31), None) == date(2027, 2, 27)
    assert valid_until(K.ATTESTATION_FISCALE, date(2026, 9, 1), None) == date(2027, 2, 28)
    assert valid_until(K.KBIS, date(2026, 10, 20), None) == date(2027, 1, 19)
    assert valid_until(K.KBIS, date(2026, 10, 21), None) == date(2027, 1, 20)
    assert valid_until(K.ASSURANCE, date(2026, 1, 1), date(2026, 12, 31)) == date(2026, 12, 31)
    assert valid_until(K.ASSURANCE, date(2026, 1, 1), None) is None  # no end date entered
    assert valid_until(K.MEMOIRE_TECHNIQUE, date(2026, 1, 1), None) is None


def test_deadline_day_is_the_paris_calendar_day():
    # 23:30 UTC on 19/01 is already 20/01 in Paris.
    assert deadline_day(datetime(2027, 1, 19, 23, 30, tzinfo=timezone.utc)) == DEADLINE_DAY


def test_earliest_issue_date_still_valid_on_the_deadline():
    assert earliest_valid_issue_date(K.KBIS, DEADLINE_DAY) == date(2026, 10, 21)
    assert earliest_valid_issue_date(K.ATTESTATION_URSSAF, DEADLINE_DAY) == date(2026, 7, 21)
    assert earliest_valid_issue_date(K.KBIS, date(2027, 5, 31)) == date(2027, 3, 1)
    assert earliest_valid_issue_date(K.MEMOIRE_TECHNIQUE, DEADLINE_DAY) is None


def test_earliest_issue_date_is_exact_every_day_of_two_years():
    for offset in range(730):
        on = date(2027, 1, 1) + timedelta(days=offset)
        for kind in (K.KBIS, K.ATTESTATION_URSSAF):
            earliest = earliest_valid_issue_date(kind, on)
            assert valid_until(kind, earliest, None) >= on
            assert valid_until(kind, earliest - timedelta(days=1), None) < on


def test_apply_validity_against_the_tender_deadline():
    items = [
        ChecklistItem(K.KBIS, S.VALIDE, issued_on=date(2026, 10, 20)),  # 3 months old on the deadline day
        ChecklistItem(K.ATTESTATION_URSSAF, S.FOURNI, issued_on=date(2026, 10, 1)),
        ChecklistItem(K.ASSURANCE, S.VALIDE, expires_on=date(2026, 12, 31)),
        ChecklistItem(K.ATTESTATION_FISCALE, S.EXPIRE, issued_on=date(2026, 12, 1)),  # renewed since
        ChecklistItem(K.MEMOIRE_TECHNIQUE, S.EN_COURS),
    ]
    assert [item.status for item in apply_validity(items, DEADLINE_DAY)] == [
        S.EXPIRE, S.FOURNI, S.EXPIRE, S.FOURNI, S.EN_COURS,
    ]


def test_missing_items_and_completeness():
    items = [
        ChecklistItem(K.DC1, S.VALIDE),
        ChecklistItem(K.DC2, S.FOURNI),
        ChecklistItem(K.KBIS, S.EXPIRE),
        ChecklistItem(K.MEMOIRE_TECHNIQUE, S.EN_COURS),
        ChecklistItem(K.REFERENCES, S.A_FOURNIR, required=False),
    ]
    assert kinds(missing_items(items)) == ["kbis", "memoire_technique"]
    assert not is_complete(items)
    assert is_complete(items[:2])


def test_status_labels():
    assert [status.label for status in S] == ["À fournir", "En cours", "Fourni", "Validé", "Expiré"]


# --- vault ----------------------------------------------------------------------

TODAY = date(2027, 1, 10)


def test_expiry_warnings_soonest_first_in_french():
    documents = [
        VaultDocument(K.ATTESTATION_URSSAF, issued_on=date(2026, 7, 20)),  # valid until 19/01/2027
        VaultDocument(K.KBIS, issued_on=date(2026, 9, 1)),  # valid until 30/11/2026
        VaultDocument(K.ASSURANCE, expires_on=date(2027, 2, 9)),  # 30 days left: warned
        VaultDocument(K.JUSTIFICATIF_STATUT, expires_on=date(2027, 2, 10)),  # 31 days: not yet
        VaultDocument(K.ATTESTATION_FISCALE, issued_on=date(2026, 12, 1)),
        VaultDocument(K.REFERENCES),
    ]
    assert [(w.document.kind.value, w.days_left, w.message) for w in expiry_warnings(documents, TODAY)] == [
        ("kbis", -41, "Extrait Kbis : validité terminée le lundi 30 novembre 2026, à renouveler."),
        (
            "attestation_urssaf", 9,
            "Attestation de vigilance URSSAF : valable jusqu'au mardi 19 janvier 2027 (encore 9 jours), à renouveler.",
        ),
        (
            "assurance", 30,
            "Attestation d'assurance responsabilité civile professionnelle : valable jusqu'au mardi 9 février 2027 "
            "(encore 30 jours), à renouveler.",
        ),
    ]
    assert [w.document.kind for w in expiry_warnings(documents, TODAY, warning_days=7)] == [K.KBIS]


def test_a_renewed_document_silences_the_old_one():
    documents = [
        VaultDocument(K.ATTESTATION_URSSAF, issued_on=date(2026, 7, 20)),
        VaultDocument(K.ATTESTATION_URSSAF, issued_on=date(2027, 1, 5)),  # valid until 04/07/2027
    ]
    assert expiry_warnings(documents, TODAY) == []
    assert best_document(documents, K.ATTESTATION_URSSAF).issued_on == date(2027, 1, 5)


def test_expiring_today():
    [warning] = expiry_warnings([VaultDocument(K.KBIS, issued_on=date(2026, 10, 11))], TODAY)
    assert warning.message == "Extrait Kbis : valable jusqu'à aujourd'hui (dimanche 10 janvier 2027), à renouveler."


def test_fill_checklist_from_the_vault():
    items = default_checklist(BuyerProcedure.PETIT_MONTANT)
    documents = [
        VaultDocument(K.ATTESTATION_URSSAF, issued_on=date(2026, 9, 1), document_id="doc-1"),
        VaultDocument(K.KBIS, issued_on=date(2026, 10, 2)),  # until 01/01/2027: too old on 20/01
        VaultDocument(K.ASSURANCE, expires_on=date(2027, 12, 31)),
    ]
    filled = fill_from_vault(items, documents, DEADLINE_DAY)
    assert [(item.kind.value, item.status.value) for item in filled] == [
        ("devis", "a_fournir"),
        ("attestation_urssaf", "fourni"),
        ("attestation_fiscale", "a_fournir"),
        ("kbis", "expire"),
        ("assurance", "fourni"),
    ]
    assert filled[1].issued_on == date(2026, 9, 1)
