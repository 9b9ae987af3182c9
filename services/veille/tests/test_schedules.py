"""The polling schedules exist on the real Temporal server, paused where sources are out of
reach, updated in place when that changes, and applying them twice changes nothing."""

import asyncio
from dataclasses import replace

import pytest

from centrale.temporal import connect
from centrale.schedules import apply_schedules
from veille.schedules import planned

pytestmark = pytest.mark.integration


def test_schedules_are_created_paused_then_updated_in_place(veille_settings):
    def apply(settings, dry_run=False):
        return apply_schedules(settings, planned(settings), dry_run)

    queue = veille_settings.task_queue
    assert [line.rsplit(" : ", 1)[1] for line in apply(veille_settings, dry_run=True)] == [
        "à créer"] * 4
    lines = apply(veille_settings)
    assert lines[0] == (f"programme « {queue}-poll-boamp » : toutes les heures, workflow "
                        f"FeedPoll sur la file « {queue} » (en pause) : créé")
    assert "« " + f"{queue}-poll-ted » : toutes les 6 heures" in lines[1]
    assert "« " + f"{queue}-poll-decp » : tous les jours" in lines[2]
    assert "« " + f"{queue}-renewals » : tous les jours à 5 h 30 (Europe/Paris)" in lines[3]
    assert [line.rsplit(" : ", 1)[1] for line in apply(veille_settings)] == ["inchangé"] * 4
    active = replace(veille_settings, options={**veille_settings.options,
                                               "CENTRALE_VEILLE_POLL": "on"})
    # The polls start; the renewals, computed from what is stored, never waited.
    assert [line.rsplit(" : ", 1)[1] for line in apply(active)] == ["mis à jour"] * 3 + [
        "inchangé"]

    async def describe():
        client = await connect(veille_settings)
        try:
            described = [await client.get_schedule_handle(
                f"{veille_settings.task_queue}-poll-{suffix}").describe() for suffix in ("boamp", "decp")]
            return [description.schedule for description in described]
        finally:
            for suffix in ("poll-boamp", "poll-ted", "poll-decp", "renewals"):
                await client.get_schedule_handle(
                    f"{veille_settings.task_queue}-{suffix}").delete()

    boamp, decp = asyncio.run(describe())
    assert boamp.state.paused is False
    assert boamp.spec.intervals[0].every.total_seconds() == 3600
    assert decp.state.paused is False
    assert decp.spec.intervals[0].every.total_seconds() == 24 * 3600
