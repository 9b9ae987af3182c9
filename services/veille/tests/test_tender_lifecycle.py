"""One lifecycle per tender and per lot, whatever the format (veille.domain.tenders)."""

from datetime import date, datetime, timedelta

from zoneinfo import ZoneInfo

from veille.domain import procedures
from veille.domain.tenders import closes_at, lot_result, state, tender_columns, tender_result

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2027, 3, 10, 12, 0, tzinfo=PARIS)


def notice(**fields):
    return {"source": "boamp", "source_id": "27-1", "procedure_id": "P-1",
            "notice_type": "contract", "title": "Nettoyage des écoles de Firminy",
            "buyer": {"name": "Ville de Firminy", "siret": "21420099400019"},
            "deadline": "2027-03-20T12:00:00+01:00", "lots": [], **fields}


def test_a_tender_stays_open_while_one_of_its_lots_is():
    lots = [{"id": "1", "deadline": "2027-03-05T12:00:00+01:00"},
            {"id": "2", "deadline": "2027-04-02T12:00:00+02:00"}]
    tender = notice(lots=lots, deadline="2027-03-05T12:00:00+01:00")
    assert closes_at(tender) == "2027-04-02T12:00:00+02:00"
    assert state(tender_result(tender), datetime.fromisoformat(closes_at(tender)), NOW) == "open"
    # Lot 2 awarded early: only lot 1 counted, and its deadline has passed.
    lots[1]["result"] = "awarded"
    assert closes_at(tender) == "2027-03-05T12:00:00+01:00"
    assert state(None, datetime.fromisoformat(closes_at(tender)), NOW) == "closed"


def test_results_of_the_lots_make_the_result_of_the_tender():
    both = [{"id": "1", "result": "awarded"}, {"id": "2", "result": "unsuccessful"}]
    assert tender_result(notice(lots=both)) == "awarded"
    assert tender_result(notice(lots=[{"id": "1", "result": "unsuccessful"}])) == "unsuccessful"
    assert tender_result(notice(lots=[{"id": "1", "result": "cancelled"}])) == "cancelled"
    assert tender_result(notice(lots=[{"id": "1", "result": "awarded"}, {"id": "2"}])) is None
    assert tender_result(notice(cancelled=True, lots=both)) == "cancelled"
    assert tender_result(notice(awards=[{"lot": None, "winner": {"name": "Régie Services"}}])) \
        == "awarded"
    assert tender_result(notice()) is None


def test_a_lot_named_in_the_awards_is_awarded_and_a_cancelled_procedure_ends_them_all():
    tender = notice(lots=[{"id": "1"}, {"id": "2"}],
                    awards=[{"lot": "2", "winner": {"name": "ESAT du Forez"}}])
    assert [lot_result(tender, lot) for lot in tender["lots"]] == [None, "awarded"]
    tender["cancelled"] = True
    assert [lot_result(tender, lot) for lot in tender["lots"]] == ["cancelled", "awarded"]


def test_a_tender_whose_every_lot_the_awards_name_is_awarded_as_its_lots_are():
    tender = notice(lots=[{"id": "1"}, {"id": "2"}],
                    awards=[{"lot": "1", "winner": {"name": "ESAT du Forez"}},
                            {"lot": "2", "winner": {"name": "Régie Services"}}])
    assert [lot_result(tender, lot) for lot in tender["lots"]] == ["awarded", "awarded"]
    assert tender_result(tender) == "awarded"
    assert closes_at(tender) is None
    tender["awards"].pop()  # lot 2 still runs: so does the tender
    assert tender_result(tender) is None


def test_state_is_the_result_else_open_until_it_closes():
    assert state("cancelled", NOW + timedelta(days=3), NOW) == "cancelled"
    assert state(None, NOW + timedelta(seconds=1), NOW) == "open"
    assert state(None, NOW, NOW) == "closed"
    assert state(None, None, NOW) == "open"


def test_an_award_notice_merged_gives_its_lots_their_result_and_keeps_the_call():
    call = notice(lots=[{"id": "1", "title": "Écoles", "deadline": "2027-03-20T12:00:00+01:00"},
                        {"id": "2", "title": "Gymnases"}])
    award = {**notice(notice_type="award", source_id="27-9"),
             "lots": [{"id": "2", "result": "awarded"}, {"id": "1", "result": "unsuccessful"}],
             "awards": [{"lot": "2", "winner": {"name": "ESAT du Forez", "siret": None},
                         "amount": {"amount": 42000, "currency": "EUR"}, "date": "2027-05-02"}]}
    merged = procedures.merge(call, award, authoritative=False)
    assert [(lot["id"], lot.get("title"), lot.get("result")) for lot in merged["lots"]] == [
        ("1", "Écoles", "unsuccessful"), ("2", "Gymnases", "awarded")]
    assert tender_result(merged) == "awarded"
    columns = tender_columns(merged, {"42"}, date(2027, 3, 10))
    assert columns["result"] == "awarded" and columns["closes_at"] is None
    changes = procedures.changes_between(call, merged)
    assert set(changes) == {"lots", "awards"}
    again = procedures.merge(merged, award, authoritative=False)
    assert len(again["awards"]) == 1
