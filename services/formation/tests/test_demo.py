"""The demo loader: the catalogue, sessions in the coming weeks with a waitlist, a past
session with figures; idempotent, and --dry-run writes nothing."""

from datetime import timedelta

import pytest
from temporalio.service import RPCError

from centrale.temporal import TemporalBridge
from centrale.testing.clock import paris_today
from formation.demo import ESAT, REGIE, RELAIS, load_demo
from formation.domain.catalogue import CATALOGUE

pytestmark = pytest.mark.integration
# accompagnement's demo structures as its registry would number them
STRUCTURES = {REGIE: 1, RELAIS: 2, ESAT: 3}


def counts(db):
    with db.transaction() as conn:
        return conn.execute(
            "SELECT (SELECT count(*) FROM sessions) AS sessions,"
            " (SELECT count(*) FROM registrations) AS registrations,"
            " (SELECT count(*) FROM centrale_outbox) AS events,"
            " (SELECT coalesce(max(id), 0) FROM sessions) AS last_session").fetchone()


def test_the_demo_loads_once_and_dry_run_writes_nothing(app, db, settings, client,
                                                        service_headers):
    before = counts(db)
    described = load_demo(settings, dry_run=True)
    assert described == ("formation (simulation) : 6 modules mis à jour, 5 session(s) à venir "
                         "et 1 session passée seraient créées, avec leurs inscriptions "
                         "(dont une liste d'attente).")
    assert counts(db) == before

    bridge = TemporalBridge(settings)
    try:
        first = load_demo(settings, dry_run=False, structures=STRUCTURES)
        assert first == ("formation : 6 modules à jour, 5 session(s) à venir créée(s), "
                         "8 inscription(s) ajoutée(s), 1 session passée créée "
                         "(présences et questionnaires).")
        after_first = counts(db)
        second = load_demo(settings, dry_run=False, structures=STRUCTURES)
        assert second == ("formation : 6 modules à jour, 0 session(s) à venir créée(s), "
                          "0 inscription(s) ajoutée(s), 0 session passée créée "
                          "(présences et questionnaires).")
        assert counts(db) == after_first
        assert "0 session(s) à venir et 0 session passée" in load_demo(settings, dry_run=True)

        modules = client.get("/api/modules", headers=service_headers).json
        assert {m["code"] for m in modules} >= {m.code for m in CATALOGUE}
        sessions = client.get("/api/sessions?upcoming=true&module_code=groupement&limit=200",
                              headers=service_headers).json
        (groupement,) = [s for s in sessions if s["place"] == "Hôtel de ville, Le Puy-en-Velay"]
        assert (groupement["capacity"], groupement["confirmed_count"],
                groupement["waitlisted_count"]) == (4, 4, 2)
        waiting = client.get(f"/api/sessions/{groupement['id']}/registrations?status=waitlisted",
                             headers=service_headers).json
        assert [(r["name"], r["waitlist_position"]) for r in waiting] == [
            ("Nadia Rousset", 1), ("Lucas Moulin", 2)]

        # The past session feeds the figures.
        today = paris_today()  # the demo's days are Paris days, not the machine's
        figures = client.get(f"/api/figures?start={today - timedelta(days=40)}&end={today}",
                             headers=service_headers).json["total"]
        assert figures["people_present"] >= 3 and figures["satisfaction_answers"] >= 2
    finally:
        with db.transaction() as conn:
            created = [r["workflow_id"] for r in conn.execute(
                "SELECT workflow_id FROM sessions WHERE id > %s AND status = 'scheduled'",
                (before["last_session"],)).fetchall()]
        for workflow_id in created:  # no worker runs them here: stop them on the shared server
            try:
                bridge.run(lambda c, w=workflow_id: c.get_workflow_handle(w).terminate(
                    "fin du test de la démo"))
            except RPCError:
                pass
