"""The service's own commands. ``schedules``: the daily digest's Temporal Schedule, created,
left alone, updated, idempotently, and starting digests that the worker compiles (on the real
Temporal dev server, with this test run's task queue: the platform's schedule is never
touched). ``send``: the due emails, listed or sent."""

import asyncio
import os
import subprocess
import sys
from dataclasses import replace
from datetime import time

import pytest
from temporalio.service import RPCError

from centrale.testing import isolated_environment, running_worker, wait_until
from centrale.temporal import connect
from notifications.activities import DigestActivities
from centrale.schedules import ensure_schedule
from notifications.schedules import daily_digest, schedule_id
from notifications.workflows import DigestWorkflow

pytestmark = pytest.mark.integration


def cli(*args: str, command: str = "schedules", **env_extra: str) -> str:
    env = {**os.environ, **isolated_environment("notifications"), "CENTRALE_LOG_LEVEL": "WARNING",
           **env_extra}
    done = subprocess.run([sys.executable, "-m", "notifications", command, *args], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


async def describe(settings):
    client = await connect(settings)
    return await client.get_schedule_handle(schedule_id(settings)).describe()


async def delete(settings):
    client = await connect(settings)
    try:
        await client.get_schedule_handle(schedule_id(settings)).delete()
    except RPCError:
        pass


def test_the_schedules_command_creates_the_schedule_once(settings, config, db):
    try:
        out = cli("--dry-run")
        assert "tous les jours à 7 h 00 (Europe/Paris)" in out and out.strip().endswith("à créer")
        with pytest.raises(RPCError):
            asyncio.run(describe(settings))  # a dry run creates nothing
        assert cli().strip().endswith(": créé")
        assert cli().strip().endswith(": inchangé")
        assert cli("--dry-run").strip().endswith(": inchangé")

        description = asyncio.run(describe(settings))
        spec = description.schedule.spec
        assert spec.time_zone_name == "Europe/Paris"
        assert (spec.calendars[0].hour[0].start, spec.calendars[0].minute[0].start) == (7, 0)
        assert description.schedule.action.task_queue == settings.task_queue
        assert description.schedule.action.workflow == "Digest"

        async def update():
            client = await connect(settings)
            later = replace(config, digest_time=time(6, 30))
            planned = daily_digest(settings, later)
            return (await ensure_schedule(client, planned, dry_run=True),
                    await ensure_schedule(client, planned),
                    await ensure_schedule(client, planned))

        assert asyncio.run(update()) == ("à mettre à jour", "mis à jour", "inchangé")
        spec = asyncio.run(describe(settings)).schedule.spec
        assert (spec.calendars[0].hour[0].start, spec.calendars[0].minute[0].start) == (6, 30)

        # What the schedule starts is a digest the worker compiles.
        with running_worker(settings, [DigestWorkflow], DigestActivities(db, config).all()):
            async def trigger():
                client = await connect(settings)
                await client.get_schedule_handle(schedule_id(settings)).trigger()
            asyncio.run(trigger())

            def compiled():
                with db.transaction() as conn:
                    return conn.execute("SELECT workflow_id FROM digests"
                                        " WHERE workflow_id LIKE 'digest-quotidien-%%'").fetchall()
            assert wait_until(compiled, timeout=30)
    finally:
        asyncio.run(delete(settings))


def test_the_send_command_lists_then_sends_the_due_emails(factory, notify, smtp_sink):
    anne = factory.address("anne")
    structure = factory.structure(contacts=[{"email": anne}])
    notify(structure, factory.deadline_reminder(structure.data["structure_id"], advisor=False))
    port = {"CENTRALE_SMTP_PORT": str(smtp_sink.port)}
    listed = cli("--dry-run", command="send", **port)
    assert listed.startswith("notifications: 1 courriel(s) en attente")
    assert f"→ {anne} : Échéance dans 7 jours" in listed
    assert smtp_sink.messages() == []
    assert cli(command="send", **port).startswith("notifications: 1 courriel(s) envoyé(s)")
    assert [m.to for m in smtp_sink.messages()] == [anne]
