"""The demo loader: realistic structures of Loire and Haute-Loire, an advisor and cases on
veille's demo tenders; idempotent, with a dry run that writes nothing."""

from datetime import timedelta

import pytest

from accompagnement.demo import load_demo
from accompagnement.store import cases as case_store
from accompagnement.store import structures as structure_store
from centrale.testing.clock import paris_at

pytestmark = pytest.mark.integration

# What veille's demo publishes (source id, title, deadline, lots). Its notices' deadlines are
# in January 2027; here they stay ahead of the real clock, since the demo moves its cases on
# to stages a passed deadline refuses.
VEILLE_DEMO = {
    "26-118204": ("Nettoyage des locaux de l'hôtel de ville et des équipements sportifs",
                  paris_at(42, 12), ["1", "2"]),
    "26-118342": ("Tri, conditionnement et numérisation de fonds des Archives départementales",
                  paris_at(50, 12), ["LOT-0001", "LOT-0002"]),
    "26-121456": ("Restauration scolaire et accueil de loisirs : fourniture et livraison de repas",
                  paris_at(39, 12), ["1", "2"]),
}
# Its awarded contracts with a social clause (DECP): (title, buyer, CPV, département).
VEILLE_DEMO_AWARDS = {
    "2023-0412": ("Nettoyage des locaux administratifs de Saint-Étienne Métropole",
                  "Saint-Étienne Métropole", "90911200", "42"),
    "2022-EV-03": ("Entretien des espaces verts communaux et des cimetières",
                   "Ville de Saint-Chamond", "77311000", "42"),
}


def count(db, sql: str, *params) -> int:
    with db.transaction() as conn:
        return conn.execute(sql, params).fetchone()["n"]


def test_the_demo_loads_once_and_tells_what_it_did(settings, db, worker, publish_tender):
    before = count(db, "SELECT count(*) AS n FROM structures")
    waiting = load_demo(settings, dry_run=True)
    assert waiting == (
        "accompagnement (simulation) : 6 structure(s), 1 conseiller, 6 dossier(s) seraient "
        "créés, 0 marché(s) à clause sociale seraient suivis. 5 dossier(s) ou marché(s) "
        "attendent leur consultation (26-118204, 26-118342, 26-121456, 2023-0412, 2022-EV-03), "
        "pas encore reçue de la veille : relancez la commande après `veille demo`.")
    assert count(db, "SELECT count(*) AS n FROM structures") == before  # nothing written

    for source_id, (title, deadline, lots) in VEILLE_DEMO.items():
        data = publish_tender(source_id=source_id, title=title, deadline=deadline)
        data["tender"]["lots"] = [{"id": lot, "title": f"Lot {lot}", "cpv_main": "90911200"}
                                  for lot in lots]
        publish_tender("tender.updated", tender_id=data["tender_id"], version=2, changes={},
                       title=title, deadline=deadline.isoformat(), tender=data["tender"])
    for source_id, (title, buyer, cpv, departement) in VEILLE_DEMO_AWARDS.items():
        data = publish_tender(source="decp", source_id=source_id, title=title,
                              deadline=paris_at(-900, 12))
        data["tender"].update(buyer={"name": buyer, "siret": None, "nuts": None}, cpv_main=cpv,
                              departments=[departement], lots=[], notice_type="award")
        publish_tender("tender.updated", tender_id=data["tender_id"], version=2, changes={},
                       title=title, deadline=data["deadline"], tender=data["tender"])
    assert load_demo(settings, dry_run=True) == (
        "accompagnement (simulation) : 6 structure(s), 1 conseiller, 9 dossier(s) seraient "
        "créés, 2 marché(s) à clause sociale seraient suivis.")
    assert load_demo(settings, dry_run=False, wait_for_tenders_s=0, profiles=False) == (
        "accompagnement : 6 structure(s), 1 conseiller, 9 dossier(s) créés, 2 marché(s) à "
        "clause sociale suivis.")
    assert load_demo(settings, dry_run=False, wait_for_tenders_s=0, profiles=False) == (
        "accompagnement : 0 structure(s), 0 conseiller, 0 dossier(s) créés, 0 marché(s) à "
        "clause sociale suivis.")
    # A territory at work: every stage, a win in a groupement, a loss.
    with db.transaction() as conn:
        stages = {row["title"]: row["stage"] for row in conn.execute(
            "SELECT title, stage FROM cases WHERE kind = 'private_quote'")}
        won = conn.execute("SELECT id, outcome_amount, consortium_formed_at FROM cases"
                           " WHERE stage = 'won'").fetchone()
        partners = count(db, "SELECT count(*) AS n FROM consortium_members"
                             " WHERE case_id = %s AND status = 'accepted'", won["id"])
    assert set(stages.values()) >= {"diagnosis", "review", "awaiting_result", "won", "lost",
                                    "abandoned"}
    assert won["outcome_amount"] == 36400 and won["consortium_formed_at"] is not None
    assert partners == 1

    with db.transaction() as conn:
        regie = structure_store.get_structure(
            conn, structure_store.id_of_siret(conn, "42100011800016"))
        cases = {c["title"]: c for c in case_store.list_cases(conn, None, None, 200, 0)
                 if c["opened_by"] == "user:demo-conseiller"}
        documents = conn.execute("SELECT count(*) AS n FROM vault_documents"
                                 " WHERE structure_id = %s", (regie["id"],)).fetchone()["n"]
    assert (regie["legal_name"], regie["departement"], regie["insertion_kind"]) == (
        "Régie de quartier Solidarité Montreynaud", "42", "aci")
    assert [c["name"] for c in regie["contacts"]] == ["Nadia Benali", "Karim Ait-Ali"]
    assert documents == 3
    cleaning = cases[VEILLE_DEMO["26-118204"][0]]
    assert (cleaning["structure_id"], cleaning["stage"], cleaning["advisor_name"]) == (
        regie["id"], "drafting", "Claire Martin")
    assert cleaning["deadline"] == VEILLE_DEMO["26-118204"][1]
    assert cases[VEILLE_DEMO["26-121456"][0]]["stage"] == "review"
    assert cases[VEILLE_DEMO["26-118342"][0]]["lot_numbers"] == ["LOT-0001"]
    quote = cases["Devis : entretien des espaces verts de la résidence Les Tilleuls à Montbrison"]
    assert (quote["kind"], quote["buyer_name"], quote["deadline"].hour) == (
        "private_quote", "Résidence Les Tilleuls (syndic bénévole)", 17)

    # The facilitator's follow-up: both contracts, their hours in the months before this one,
    # and the insertion structures that could subcontract for the cleaning one told.
    with db.transaction() as conn:
        followed = {row["title"]: row for row in conn.execute(
            "SELECT id, title, winner_siret, hours_required, structures_told"
            " FROM clause_contracts WHERE created_by = 'user:demo-facilitatrice'")}
        months = {row["contract_id"]: row["months"] for row in conn.execute(
            "SELECT contract_id, array_agg(month ORDER BY month) AS months"
            " FROM clause_hours GROUP BY contract_id")}
        siae = {structure_store.id_of_siret(conn, s) for s in ("42100011800016", "42100022500019")}
    cleaning_contract = followed[VEILLE_DEMO_AWARDS["2023-0412"][0]]
    green_contract = followed[VEILLE_DEMO_AWARDS["2022-EV-03"][0]]
    assert (cleaning_contract["winner_siret"], cleaning_contract["hours_required"]) == (
        "51284963900038", 2400)
    this_month = paris_at(0, 12).date().replace(day=1)
    before = [this_month]
    for _ in range(5):
        before.insert(0, (before[0] - timedelta(days=1)).replace(day=1))
    assert months[cleaning_contract["id"]] == before[:5]
    assert months[green_contract["id"]] == before[2:5]
    assert siae <= set(cleaning_contract["structures_told"])
