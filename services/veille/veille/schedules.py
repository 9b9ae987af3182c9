"""Temporal Schedules that poll the live sources (BOAMP hourly, TED every six hours, the DECP
consolidated publication's daily files once a day).

Created or updated idempotently by ``veille schedules``. Where the sources cannot be reached
(a developer's machine, CI) they are created paused: ``CENTRALE_VEILLE_POLL=on`` makes them
run; ``CENTRALE_VEILLE_BOAMP_URL`` / ``CENTRALE_VEILLE_TED_URL`` / ``CENTRALE_VEILLE_DECP_URL``
point them elsewhere.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio.client import (Schedule, ScheduleActionStartWorkflow, ScheduleAlreadyRunningError,
                               ScheduleIntervalSpec, ScheduleSpec, ScheduleState, ScheduleUpdate)

from centrale.settings import Settings
from centrale.temporal import TemporalBridge

from .feeds import boamp, decp, ted
from .workflows import FeedPollInput, FeedPollWorkflow


def planned(settings: Settings) -> list[tuple[str, FeedPollInput, timedelta]]:
    return [
        (f"{settings.task_queue}-poll-boamp",
         FeedPollInput("boamp", settings.option("VEILLE_BOAMP_URL", boamp.DEFAULT_BASE_URL),
                       page_size=boamp.PAGE_SIZE), timedelta(hours=1)),
        (f"{settings.task_queue}-poll-ted",
         FeedPollInput("ted", settings.option("VEILLE_TED_URL", ted.DEFAULT_BASE_URL),
                       page_size=ted.PAGE_SIZE), timedelta(hours=6)),
        (f"{settings.task_queue}-poll-decp",
         FeedPollInput("decp", settings.option("VEILLE_DECP_URL", decp.DEFAULT_BASE_URL)), timedelta(days=1)),
    ]


def apply_schedules(settings: Settings, dry_run: bool = False) -> list[str]:
    paused = settings.option("VEILLE_POLL", "off") != "on"
    state = "en pause" if paused else "actif"
    lines = []
    for schedule_id, poll, every in planned(settings):
        lines.append(f"{schedule_id} : {poll.source} toutes les {every} depuis {poll.base_url}"
                     f" ({state})" + (" — simulation" if dry_run else ""))
        if dry_run:
            continue
        schedule = Schedule(
            action=ScheduleActionStartWorkflow(FeedPollWorkflow.run, poll, id=schedule_id,
                                               task_queue=settings.task_queue),
            spec=ScheduleSpec(intervals=[ScheduleIntervalSpec(every=every)]),
            state=ScheduleState(paused=paused,
                                note="CENTRALE_VEILLE_POLL=on pour activer" if paused else ""),
        )

        async def create_or_update(client, schedule_id=schedule_id, schedule=schedule):
            try:
                await client.create_schedule(schedule_id, schedule)
            except ScheduleAlreadyRunningError:
                await client.get_schedule_handle(schedule_id).update(
                    lambda _input: ScheduleUpdate(schedule=schedule))

        TemporalBridge(settings).run(create_or_update)
    return lines
