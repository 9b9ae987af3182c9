"""Veille's Temporal Schedules (``veille schedules [--dry-run]``, through
:mod:`centrale.schedules`): the live sources' polls — BOAMP every hour, TED every six hours,
the DECP consolidated publication's daily files once a day — and the expected renewals,
computed again every day (``RefreshRenewals``, at ``CENTRALE_VEILLE_RENEWALS_TIME``).

Where the sources cannot be reached (a developer's machine, CI) they are created paused:
``CENTRALE_VEILLE_POLL=on`` makes them run (``config.py``).
"""

from __future__ import annotations

from datetime import timedelta

from centrale.schedules import DailySchedule, IntervalSchedule
from centrale.settings import Settings

from .config import config_from
from .feeds import boamp, ted
from .workflows import FeedPollInput

PAUSE_NOTE = "CENTRALE_VEILLE_POLL=on pour activer"


def planned(settings: Settings) -> list[IntervalSchedule | DailySchedule]:
    config = config_from(settings)
    polls = [(FeedPollInput("boamp", config.boamp_url, page_size=boamp.PAGE_SIZE),
              timedelta(hours=1)),
             (FeedPollInput("ted", config.ted_url, page_size=ted.PAGE_SIZE), timedelta(hours=6)),
             (FeedPollInput("decp", config.decp_url), timedelta(days=1))]
    return [IntervalSchedule(
        schedule_id=f"{settings.task_queue}-poll-{poll.source}", workflow="FeedPoll",
        task_queue=settings.task_queue, workflow_id=f"{settings.task_queue}-poll-{poll.source}",
        args=(poll,), every=every, paused=not config.poll, pause_note=PAUSE_NOTE,
        comment=f"relevé de {poll.source.upper()} depuis {poll.base_url}",
        command="veille schedules") for poll, every in polls] + [DailySchedule(
        schedule_id=f"{settings.task_queue}-renewals", workflow="RefreshRenewals",
        task_queue=settings.task_queue, workflow_id=f"{settings.task_queue}-renewals",
        at=config.renewals_at,
        comment="renouvellements attendus recalculés (fins de marché, avenants)",
        command="veille schedules")]
