"""A buyer's need told to the people it concerns, through the real PostgreSQL and SMTP sink:
the territory's admins when it waits for review, the buyer (at the address the event carries,
being nobody's contact) when it is validated, sent back or answered, and each structure that
answered its own outcome — the chosen one with its amount, the other « non retenue »."""

from dataclasses import replace

import pytest

from centrale.consumer import Handler, apply_once
from notifications.notifier import HANDLED_EVENT_TYPES, Notifier
from notifications.sender import Sender

pytestmark = pytest.mark.integration

OBJECT = "Entretien des espaces verts du parc de Novaciéries"


def need_event(factory, type_, need_id, **extra):
    return factory.event(type_, f"need:{need_id}", {
        "need_id": need_id, "object": OBJECT, "buyer_name": "Ville de Saint-Chamond",
        "buyer_kind": "public", "buyer_email": factory.address("Achats.Mairie"),
        "buyer_contact": "Paul Achard", "tender_id": None, "reason": None, **extra})


def test_a_need_is_told_to_the_admins_then_the_buyer_then_each_structure_that_answered(
        factory, db, config, smtp_sink):
    settings = replace(config, admins=(factory.address("alice.admin"),))
    handler = Handler("notify", HANDLED_EVENT_TYPES, Notifier(settings))
    chosen = factory.structure(name="Jardins de la Vallée du Gier")
    other = factory.structure(name="Régie de quartier du Soleil", contacts=[
        {"email": factory.address("marc.soleil"), "name": "Marc Soleil", "role": "direction"}])
    need_id = factory.number()
    for event in (chosen, other,
                  need_event(factory, "need.submitted", need_id),
                  need_event(factory, "need.returned", need_id,
                             reason="Précisez la surface des espaces verts.")):
        assert apply_once(db, handler, event)
    Sender(db, settings).send_due()

    [review] = smtp_sink.messages(to=factory.address("alice.admin"))
    assert review.subject == f"Besoin d'acheteur à valider : « {OBJECT} »"
    assert "Ville de Saint-Chamond a déposé un besoin" in review.text
    assert f"/besoins/{need_id}" in review.text
    buyer = factory.address("achats.mairie")
    [returned] = smtp_sink.messages(to=buyer)
    assert returned.subject == f"Votre besoin est à reprendre : « {OBJECT} »"
    assert returned.text.startswith("Bonjour Paul Achard,")
    assert "Motif : Précisez la surface des espaces verts." in returned.text
    assert "en tant qu'acheteur qui a déposé ce besoin" in returned.text

    chosen_id, other_id = chosen.data["structure_id"], other.data["structure_id"]
    for event in (need_event(factory, "need.published", need_id, tender_id=factory.number()),
                  need_event(factory, "need.answered", need_id, structure_id=chosen_id,
                             structure_name="Jardins de la Vallée du Gier", answer_id=1),
                  need_event(factory, "need.decided", need_id, outcomes=[
                      {"structure_id": chosen_id, "chosen": True, "amount": 18400},
                      {"structure_id": other_id, "chosen": False, "amount": None}])):
        assert apply_once(db, handler, event)
    Sender(db, settings).send_due()

    assert [m.subject for m in smtp_sink.messages(to=buyer)] == [
        f"Votre besoin est à reprendre : « {OBJECT} »", f"Votre besoin est publié : « {OBJECT} »",
        f"Une structure intéressée : « {OBJECT} »"]
    [won] = smtp_sink.messages(to=factory.address("anne.martin"))  # the chosen's contact
    assert won.subject == f"Réponse retenue : « {OBJECT} »"
    assert "Ville de Saint-Chamond retient Jardins de la Vallée du Gier" in won.text
    assert "18 400,00 €" in won.text.replace("\u202f", " ").replace("\xa0", " ")
    [not_won] = smtp_sink.messages(to=factory.address("marc.soleil"))
    assert not_won.subject == f"Réponse non retenue : « {OBJECT} »"
    assert "/nos-reponses" in not_won.text
    # The answering structure is not told of its own answer, nor the admins of the buyer's.
    assert len(smtp_sink.messages(to=factory.address("alice.admin"))) == 1
