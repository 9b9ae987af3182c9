"""The polling schedules exist on the real Temporal server, paused where sources are out of
reach, and applying them twice changes nothing."""

import asyncio
from dataclasses import replace

import pytest

from centrale.temporal import connect
from veille.schedules import apply_schedules

pytestmark = pytest.mark.integration


def test_schedules_are_created_paused_then_updated_in_place(veille_settings):
    assert all("simulation" in line for line in apply_schedules(veille_settings, dry_run=True))
    lines = apply_schedules(veille_settings)
    assert [line.split(" : ")[0] for line in lines] == [
        f"{veille_settings.task_queue}-poll-boamp", f"{veille_settings.task_queue}-poll-ted",
        f"{veille_settings.task_queue}-poll-decp"]
    active = replace(veille_settings, options={**veille_settings.options,
                                               "CENTRALE_VEILLE_POLL": "on"})
    apply_schedules(active)

    async def describe():
        client = await connect(veille_settings)
        try:
            described = [await client.get_schedule_handle(
                f"{veille_settings.task_queue}-poll-{suffix}").describe() for suffix in ("boamp", "decp")]
            return [description.schedule for description in described]
        finally:
            for suffix in ("boamp", "ted", "decp"):
                await client.get_schedule_handle(
                    f"{veille_settings.task_queue}-poll-{suffix}").delete()

    boamp, decp = asyncio.run(describe())
    assert boamp.state.paused is False
    assert boamp.spec.intervals[0].every.total_seconds() == 3600
    assert decp.state.paused is False
    assert decp.spec.intervals[0].every.total_seconds() == 24 * 3600
