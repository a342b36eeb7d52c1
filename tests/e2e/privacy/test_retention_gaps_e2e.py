"""Retention the gateway never announced: members who left while the bot was offline, servers that removed it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.privacy_ops import RETENTION_KIND, retention_key
from bot.retention import GUILD_PURGE_KIND, guild_purge_key
from tests.harness import Harness
from tests.support.interact import listeners_done, settle
from tests.support.members import leave_server

RETENTION = timedelta(days=30)  # the default retention period


async def buddy_join(h: Harness, member: Any) -> None:
    inter = await h.dd.slash(member, "buddy join", channel=h.world.general)
    await inter.response()


async def test_a_member_who_left_while_the_bot_was_offline_is_noticed_and_purged_after_retention(
    running: Harness,
) -> None:
    h, w = running, running.world
    await buddy_join(h, w.alice)
    await buddy_join(h, w.bob)
    await h.stop()
    w.guild.remove_member(w.alice)  # nobody told the bot: it was offline
    await h.start()
    await listeners_done("guild_available")
    [timer] = await h.bot.timers.pending(dedupe_key=retention_key(w.guild.id, w.alice.id))
    assert timer.due_at == h.clock.now() + RETENTION
    assert await h.bot.timers.pending(dedupe_key=retention_key(w.guild.id, w.bob.id)) == []
    await h.restart()  # noticing again does not move the date or add a second timer
    await listeners_done("guild_available")
    assert [t.due_at for t in await h.bot.timers.pending(kind=RETENTION_KIND)] == [timer.due_at]
    await h.advance(RETENTION)
    assert await h.bot.store.buddies.get(w.guild.id, w.alice.id) is None
    assert await h.bot.store.buddies.get(w.guild.id, w.bob.id) is not None


async def test_a_server_that_removed_the_bot_is_purged_after_retention_and_the_purge_survives_restarts(
    running: Harness,
) -> None:
    h, w = running, running.world
    await buddy_join(h, w.alice)
    await h.configure(retention_days=10)
    await settle(h, "guild_remove", lambda: h.dd.remove_guild(w.guild))
    [timer] = await h.bot.timers.pending(kind=GUILD_PURGE_KIND)
    assert timer.due_at == h.clock.now() + timedelta(days=10)
    await h.bot.db.execute("DELETE FROM timers WHERE status = 'pending'")  # lost in a crash
    await h.restart()
    assert [t.due_at for t in await h.bot.timers.pending(dedupe_key=guild_purge_key(w.guild.id))] == [timer.due_at]
    await h.advance(timedelta(days=10))
    for table in ("buddy_members", "guild_settings", "timers"):
        assert await h.bot.db.fetchval(f"SELECT count(*) FROM {table} WHERE guild_id = ?", (w.guild.id,)) == 0
    assert await h.bot.db.fetchval("SELECT count(*) FROM guild_departures") == 0


async def test_a_server_that_adds_the_bot_back_keeps_everything(running: Harness) -> None:
    h, w = running, running.world
    await buddy_join(h, w.alice)
    await settle(h, "guild_remove", lambda: h.dd.remove_guild(w.guild))
    await settle(h, "guild_join", lambda: h.dd.rejoin_guild(w.guild))
    assert await h.bot.timers.pending(kind=GUILD_PURGE_KIND) == []
    await h.advance(timedelta(days=31))
    assert await h.bot.store.buddies.get(w.guild.id, w.alice.id) is not None


async def test_one_reconcile_rebuilds_a_lost_member_purge_and_a_lost_server_purge(running: Harness) -> None:
    h, w = running, running.world
    await buddy_join(h, w.alice)
    await buddy_join(h, w.bob)
    await leave_server(h, w.alice)
    await settle(h, "guild_remove", lambda: h.dd.remove_guild(w.guild))
    keys = (retention_key(w.guild.id, w.alice.id), guild_purge_key(w.guild.id))
    due = [[t.due_at for t in await h.bot.timers.pending(dedupe_key=key)] for key in keys]
    assert due == [[h.clock.now() + RETENTION]] * 2
    await h.bot.db.execute("DELETE FROM timers WHERE status = 'pending'")  # lost in a crash
    assert (await h.bot.chains.reconcile())["retention"] == 2
    assert [[t.due_at for t in await h.bot.timers.pending(dedupe_key=key)] for key in keys] == due
    assert (await h.bot.chains.reconcile())["retention"] == 0
