"""The servers a member's private answer may offer, read from the database: seen there, with an alert channel.

Runs on SQLite and, in the PostgreSQL run, on PostgreSQL.
"""

from __future__ import annotations

from datetime import timedelta

from bot.clock import FakeClock
from bot.db import Database
from bot.privacy_ops import clear_departure, record_departure
from bot.retention import record_guild_departure
from bot.store import Store
from bot.store.crisis_servers import MemberServer

ALICE, BOB = 1001, 1002
HAVEN, ANCHOR, QUIET, GONE = 11, 12, 13, 14


async def test_only_servers_the_member_was_seen_in_with_an_alert_channel_by_name(
    store: Store, db: Database, clock: FakeClock
) -> None:
    now = clock.now()
    for guild_id, name in ((HAVEN, "Haven"), (ANCHOR, "Anchor"), (QUIET, "Quiet"), (GONE, "Gone")):
        await store.crisis.note_member_server(guild_id, ALICE, name, now=now)
    for guild_id in (HAVEN, ANCHOR, GONE):
        await store.config.set(guild_id, "crisis_alert_channel_id", 900 + guild_id, now=now)
    await store.config.set(QUIET, "crisis_alert_channel_id", None, now=now)  # set to nothing
    await record_guild_departure(db, GONE, now)  # the bot was removed from it
    assert await store.crisis.talk_servers(ALICE) == [MemberServer(ANCHOR, "Anchor"), MemberServer(HAVEN, "Haven")]
    assert await store.crisis.talk_servers(BOB) == []


async def test_a_server_the_member_left_is_offered_again_once_they_are_seen_back(
    store: Store, db: Database, clock: FakeClock
) -> None:
    now = clock.now()
    await store.config.set(HAVEN, "crisis_alert_channel_id", 901, now=now)
    await store.crisis.note_member_server(HAVEN, ALICE, "Haven", now=now)
    await record_departure(db, HAVEN, ALICE, now + timedelta(hours=1))
    assert await store.crisis.talk_servers(ALICE) == []
    await clear_departure(db, HAVEN, ALICE)
    await store.crisis.note_member_server(HAVEN, ALICE, "Haven (renamed)", now=now + timedelta(days=1))
    assert await store.crisis.talk_servers(ALICE) == [MemberServer(HAVEN, "Haven (renamed)")]
