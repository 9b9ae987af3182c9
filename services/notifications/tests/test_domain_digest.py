"""What goes into a digest: only new items, never one already sent, grouped by kind."""

from datetime import date, datetime, timedelta, timezone

from notifications.domain.digest import Candidate, digest_subject, plan_digests
from notifications.domain.kinds import Mode

T0 = datetime(2027, 1, 18, 8, tzinfo=timezone.utc)


def item(delivery_id, recipient="anne@regie.fr", kind="dossiers", minutes=0, **kwargs):
    return Candidate(delivery_id, recipient, "Anne", kind, f"titre {delivery_id}",
                     f"résumé {delivery_id}", T0 + timedelta(minutes=minutes), **kwargs)


def test_one_plan_per_person_items_in_the_order_they_happened():
    plans = plan_digests([item(3, minutes=5), item(1, minutes=1), item(2, "paul@regie.fr")])
    assert [(p.recipient, [i.delivery_id for i in p.items]) for p in plans] == [
        ("anne@regie.fr", [1, 3]), ("paul@regie.fr", [2])]


def test_an_item_already_in_a_digest_is_never_selected_again():
    plans = plan_digests([item(1, in_digest=True), item(2)])
    assert [i.delivery_id for i in plans[0].items] == [2]
    assert plan_digests([item(1, in_digest=True)]) == []


def test_an_item_whose_kind_was_switched_to_never_is_skipped():
    plans = plan_digests([item(1, current_mode=Mode.NEVER), item(2, kind="formations")])
    assert [i.delivery_id for i in plans[0].items] == [2]
    assert [i.delivery_id for i in plans[0].skipped] == [1]


def test_sections_follow_the_catalogue_order():
    plan = plan_digests([item(1, kind="formations"), item(2, kind="echeances"),
                         item(3, kind="formations")])[0]
    assert [(s.label, [i.delivery_id for i in s.items]) for s in plan.sections] == [
        ("Échéances et relances", [2]), ("Formations", [1, 3])]


def test_subject():
    assert digest_subject(date(2027, 1, 18), 3) == \
        "Votre résumé du lundi 18 janvier 2027 : 3 nouvelles notifications"
    assert digest_subject(date(2027, 1, 18), 1) == \
        "Votre résumé du lundi 18 janvier 2027 : 1 nouvelle notification"
