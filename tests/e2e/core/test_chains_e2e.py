"""Timer chains are derived state: a restart (or the daily pass) rebuilds exactly the links a crash lost."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.checkins.reminders import MILESTONE_KIND, REMINDER_KIND, WEEKLY_KIND
from bot.privacy_ops import RETENTION_KIND
from tests.harness import Harness
from tests.support.members import leave_server


async def slash(h: Harness, member: Any, command: str, **options: Any) -> None:
    inter = await h.dd.slash(member, command, channel=h.world.general, options=options)
    await inter.response()
    assert inter.ephemeral, inter.content


async def pending(h: Harness) -> list[tuple[str, int | None, int | None, datetime]]:
    """Every pending timer as (kind, guild, member, due), in a stable order."""
    return sorted((t.kind, t.guild_id, t.user_id, t.due_at) for t in await h.bot.timers.pending())


async def crash_loses_pending_timers(h: Harness) -> None:
    """What a crash between a handler's send and its next link looks like: no pending timer at all."""
    await h.bot.db.execute("DELETE FROM timers WHERE status = 'pending'")


def reminders_to(h: Harness, member: Any) -> list[dict[str, Any]]:
    return [m for m in h.dd.dms_to(member) if "Time for your check-in" in m["content"]]


async def test_a_restart_rebuilds_every_lost_chain_once_and_reconciling_again_adds_nothing(running: Harness) -> None:
    h, w = running, running.world
    await slash(h, w.alice, "checkin remind set", time="19:00", timezone="Europe/London")
    await slash(h, w.bob, "checkin remind set", time="08:30", timezone="America/New_York")
    await slash(h, w.bob, "checkin weekly", setting="on")
    await slash(h, w.carol, "recovery set", date="2026-11-01")
    await slash(h, w.dave, "buddy join")
    await leave_server(h, w.carol)  # carol's data in this server waits out the retention period
    before = await pending(h)
    kinds = sorted({kind for kind, *_ in before})
    assert {REMINDER_KIND, WEEKLY_KIND, MILESTONE_KIND, RETENTION_KIND, "buddy-round"} <= set(kinds)

    await crash_loses_pending_timers(h)
    await h.restart()
    assert await pending(h) == before  # every link is back, due when it was
    for _ in range(2):
        assert set((await h.bot.chains.reconcile()).values()) == {0}
    assert await pending(h) == before


@pytest.mark.parametrize("moment", ["before the DM", "after the DM, before recording it", "after recording it"])
async def test_a_reminder_cut_off_by_a_crash_is_delivered_exactly_once(running: Harness, moment: str) -> None:
    h, alice = running, running.world.alice
    await slash(h, alice, "checkin remind set", time="13:00", timezone="UTC")
    h.clock.advance(timedelta(hours=1))
    if moment == "before the DM":
        await h.bot.timers.claim_due(h.clock.now())  # claimed, handler started, then the process died
    else:
        assert await h.run_timers() == 1
        # Put the database back as it was at the moment of the crash: the reminder still running, its
        # next link not yet written (and, earlier still, the delivered DM not yet recorded).
        await h.bot.db.execute(
            "UPDATE timers SET status = 'running' WHERE kind = ? AND status = 'done'", (REMINDER_KIND,)
        )
        await crash_loses_pending_timers(h)
        if moment == "after the DM, before recording it":
            await h.bot.db.execute("UPDATE checkin_reminders SET last_dm_id = NULL, last_dm_due = NULL")
    await h.restart()
    assert await h.run_timers() == 1  # the cut-off run is retried...
    assert len(reminders_to(h, alice)) == 1  # ...and the member hears from us exactly once
    [nxt] = await h.bot.timers.pending(kind=REMINDER_KIND)
    assert nxt.due_at == datetime(2026, 11, 23, 13, 0, tzinfo=UTC)
    assert await h.advance(timedelta(days=1)) == 1
    assert len(reminders_to(h, alice)) == 2


async def test_a_reminder_lost_before_it_fired_still_goes_out_within_the_lateness_rule(running: Harness) -> None:
    h, w = running, running.world
    await slash(h, w.alice, "checkin remind set", time="13:00", timezone="UTC")
    await slash(h, w.bob, "checkin remind set", time="12:30", timezone="UTC")
    await crash_loses_pending_timers(h)
    await h.stop()
    h.clock.advance(timedelta(hours=2, minutes=45))  # 14:45: alice's is 1 h 45 late, bob's 2 h 15
    await h.start()
    assert await h.run_timers() == 1
    assert len(reminders_to(h, w.alice)) == 1  # late but inside the two hours
    assert reminders_to(h, w.bob) == []  # too late to help: skipped, as when the bot was down
    due = sorted(t.due_at for t in await h.bot.timers.pending(kind=REMINDER_KIND))
    assert due == [datetime(2026, 11, 23, 12, 30, tzinfo=UTC), datetime(2026, 11, 23, 13, 0, tzinfo=UTC)]


async def test_a_chain_turned_off_or_stopped_by_closed_dms_is_not_rebuilt(running: Harness) -> None:
    h, w = running, running.world
    await slash(h, w.alice, "checkin remind set", time="13:00", timezone="UTC")
    await slash(h, w.bob, "checkin remind set", time="13:00", timezone="UTC")
    await slash(h, w.alice, "checkin remind off")
    h.dd.close_dms(w.bob)
    await h.advance(timedelta(hours=1))  # bob's DM fails: his chain stops until he sets it again
    await h.restart()
    assert await h.bot.timers.pending(kind=REMINDER_KIND) == []


async def test_the_daily_upkeep_rebuilds_a_link_lost_while_running_and_prunes_old_history(running: Harness) -> None:
    h, alice = running, running.world.alice
    await slash(h, alice, "checkin remind set", time="13:00", timezone="UTC")
    await h.advance(timedelta(hours=1))  # today's went out; tomorrow's is pending
    await crash_loses_pending_timers(h)  # lost without any restart (say, a handler that failed for good)
    h.clock.advance(timedelta(days=30, hours=3))  # 22 December, 16:00
    await h.bot.daily_upkeep()
    assert await h.bot.db.fetchval("SELECT count(*) FROM timers WHERE status = 'done'") == 0  # pruned
    [rebuilt] = await h.bot.timers.pending(kind=REMINDER_KIND)
    assert rebuilt.due_at == datetime(2026, 12, 23, 13, 0, tzinfo=UTC)  # the next one, not a stale one
