"""Veille's tender summary read into the service's own Tender (pure)."""

from datetime import datetime
from decimal import Decimal

from accompagnement.domain.reservations import Reservation
from accompagnement.domain.tender_summary import (euros_of, procedure_from_veille,
                                                  reservation_from_veille, tender_from_mirror)
from accompagnement.domain.tenders import BuyerProcedure


def test_veille_reservations():
    assert reservation_from_veille([]) is Reservation.NONE
    assert reservation_from_veille(["insertion"]) is Reservation.INSERTION
    # EU article 20 (eForms res-ws) covers EA/ESAT and SIAE alike.
    assert reservation_from_veille(["sheltered_workshop"]) is Reservation.HANDICAP_INSERTION
    assert reservation_from_veille(["public_service_mission"]) is Reservation.ESS
    assert reservation_from_veille(["ess"]) is Reservation.ESS


def test_procedures_and_amounts():
    assert procedure_from_veille("adapted") is BuyerProcedure.MAPA
    assert procedure_from_veille("open") is BuyerProcedure.APPEL_OFFRES
    assert procedure_from_veille(None) is BuyerProcedure.MAPA
    assert euros_of({"amount": 130000, "currency": "EUR"}) == Decimal("130000")
    assert euros_of({"amount": 0, "currency": "EUR"}) is None  # "0.00" estimates of real notices
    assert euros_of({"amount": 1000, "currency": "CHF"}) is None


def test_a_mirrored_tender_with_lots():
    tender = tender_from_mirror({
        "id": 7, "source_id": "26-118204", "title": "Nettoyage des locaux",
        "buyer_name": "Ville de Saint-Chamond", "deadline": "2027-01-18T12:00:00+01:00",
        "departments": ["42"], "procedure_type": "adapted", "cpv_main": "90911200",
        "lots": [{"id": "1", "title": "Hôtel de ville", "reserved": ["insertion"],
                  "estimated_value": {"amount": 130000, "currency": "EUR"}},
                 {"id": "2", "title": "Gymnases", "cpv_main": "77310000"}]},
        min_headcount=10)
    assert (tender.reference, tender.departement, tender.procedure, tender.min_headcount) == (
        "26-118204", "42", BuyerProcedure.MAPA, 10)
    assert tender.deadline == datetime.fromisoformat("2027-01-18T12:00:00+01:00")
    assert [(l.number, l.cpv_codes, l.reservation, l.estimated_amount) for l in tender.lots] == [
        ("1", ("90911200",), Reservation.INSERTION, Decimal("130000")),
        ("2", ("77310000",), Reservation.NONE, None)]


def test_a_tender_without_lots_is_one_lot():
    tender = tender_from_mirror({"id": 8, "title": "Vitrerie", "cpv_main": "90911300",
                                 "cpv_additional": ["90910000"], "reserved": ["insertion"],
                                 "lots": [], "estimated_amount": Decimal("40000")})
    [lot] = tender.lots
    assert (lot.number, lot.title, lot.cpv_codes, lot.reservation, lot.estimated_amount) == (
        "1", "Vitrerie", ("90911300", "90910000"), Reservation.INSERTION, Decimal("40000"))
    assert tender.buyer_name == "Acheteur non précisé"
