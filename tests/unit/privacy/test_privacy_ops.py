"""Export, erase and retention over a real SQLite file, driven by the privacy registry."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest

import bot.store  # noqa: F401  # registers every feature's tables
from bot.clock import FakeClock
from bot.db import Database
from bot.privacy_ops import (
    clear_departure,
    count_member_rows,
    departure_of,
    erase_member,
    export_member,
    is_member_column,
    purge_departed,
    record_departure,
    retention_due,
    run_erase_hooks,
)
from bot.retention import note_departure
from bot.store import Store
from tests.support.privacy import rows_mentioning

ALICE, BOB = 1001, 1002
GUILD, OTHER_GUILD = 501, 502


def _filler(column: dict[str, Any], user_id: int) -> Any:
    """A value that satisfies the usual NOT NULL / CHECK constraints of our schema.

    Other integers are 1 in Alice's rows and 2 in Bob's, so a reference to a parent row (a room,
    an opportunity) points at that member's own synthetic parent, never at the other's.
    """
    name, kind = column["name"], (column["type"] or "").upper()
    if is_member_column(name):
        return user_id
    if name == "guild_id":
        return GUILD
    if "INT" in kind:
        return 1 if user_id == ALICE else 2
    if "REAL" in kind:
        return 1.0
    return "2026-11-22T12:00:00+00:00"


async def _seed_every_member_table(db: Database) -> list[str]:
    """Insert one synthetic row per member (Alice and Bob) into every table with a member-id column."""
    await db.execute("PRAGMA foreign_keys = OFF")  # parents aren't needed to prove erasure
    seeded = []
    schema = await db.table_columns()
    for table, names in schema.items():
        if not any(is_member_column(c) for c in names):
            continue
        info = await db.fetchall("SELECT name, type, pk FROM pragma_table_info(?)", (table,))
        pk = [c for c in info if c["pk"]]
        # A lone INTEGER PRIMARY KEY is the rowid: let SQLite number it.
        integer_pk = [
            c["name"]
            for c in pk
            if len(pk) == 1 and (c["type"] or "").upper() == "INTEGER" and not is_member_column(c["name"])
        ]
        columns = [dict(c) for c in info if c["name"] not in integer_pk]
        for user_id in (ALICE, BOB):
            values = [_filler(c, user_id) for c in columns]
            marks = ", ".join("?" for _ in columns)
            quoted = ", ".join(f'"{c["name"]}"' for c in columns)
            await db.execute(f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})', values)
        seeded.append(table)
    await db.execute("PRAGMA foreign_keys = ON")
    return seeded


@pytest.mark.sqlite_only  # the seeding reads SQLite's schema (pragma_table_info) and turns foreign keys off
async def test_erase_leaves_no_row_for_the_member_in_any_table(db: Database) -> None:
    seeded = await _seed_every_member_table(db)
    assert {"member_prefs", "timers", "member_interests", "departures"} <= set(seeded)
    assert await rows_mentioning(db, ALICE)

    report = await erase_member(db, ALICE)

    assert await rows_mentioning(db, ALICE) == {}
    assert report.total >= len(seeded)
    bob_left = await rows_mentioning(db, BOB)
    for table in seeded:
        assert any(key.startswith(f"{table}.") for key in bob_left), f"Bob's row in {table} was erased too"


@pytest.mark.sqlite_only  # the seeding reads SQLite's schema (pragma_table_info) and turns foreign keys off
async def test_export_holds_every_row_of_the_member_and_nobody_elses(db: Database, clock: FakeClock) -> None:
    seeded = await _seed_every_member_table(db)
    data = await export_member(db, ALICE, now=clock.now())
    assert data["user_id"] == ALICE and data["exported_at"].startswith("2026-11-22")
    for table in seeded:
        if table not in data["tables"]:
            continue  # an unregistered table; the registry test reports it
        rows = data["tables"][table]["rows"]
        assert rows, f"nothing exported from {table}"
        for row in rows:
            assert ALICE in row.values() and BOB not in row.values()
        assert data["tables"][table]["what"]


async def test_counts_for_privacy_show(db: Database, store: Store, clock: FakeClock) -> None:
    await store.prefs.set_timezone(ALICE, "Europe/London", now=clock.now())
    summary = {s.table: s.count for s in await count_member_rows(db, ALICE)}
    assert summary["member_prefs"] == 1 and summary["timers"] == 0


async def _scoped_fixture(store: Store, clock: FakeClock) -> None:
    now = clock.now()
    await store.prefs.set_timezone(ALICE, "Europe/London", now=now)  # personal
    here = await store.interests.add(GUILD, "meditation", None, now=now)
    there = await store.interests.add(OTHER_GUILD, "meditation", None, now=now)
    await store.interests.follow(here.id, ALICE)
    await store.interests.follow(there.id, ALICE)
    await store.interests.follow(here.id, BOB)


async def test_server_scoped_erase_keeps_other_servers_and_optionally_personal_data(
    db: Database, store: Store, clock: FakeClock
) -> None:
    await _scoped_fixture(store, clock)
    await erase_member(db, ALICE, guild_id=GUILD, include_personal=False)
    assert await store.interests.of_member(GUILD, ALICE) == []
    assert await store.interests.of_member(OTHER_GUILD, ALICE) == ["meditation"]
    assert await store.interests.of_member(GUILD, BOB) == ["meditation"]
    assert (await store.prefs.get(ALICE)).timezone == "Europe/London"

    await erase_member(db, ALICE, guild_id=GUILD, include_personal=True)
    assert (await store.prefs.get(ALICE)).timezone is None
    assert await store.interests.of_member(OTHER_GUILD, ALICE) == ["meditation"]


@pytest.mark.sqlite_only  # the failing table is made with a SQLite trigger
async def test_erase_is_one_transaction(db: Database, store: Store, clock: FakeClock) -> None:
    await _scoped_fixture(store, clock)
    await db.execute("CREATE TRIGGER refuse BEFORE DELETE ON departures BEGIN SELECT RAISE(ABORT, 'no'); END")
    await record_departure(db, GUILD, ALICE, clock.now())
    with pytest.raises(Exception, match="no"):
        await erase_member(db, ALICE)
    # Nothing was erased, not even the tables before the failing one.
    assert (await store.prefs.get(ALICE)).timezone == "Europe/London"
    assert await store.interests.of_member(GUILD, ALICE) == ["meditation"]


async def test_purge_departed_respects_shared_servers_and_other_departures(
    db: Database, store: Store, clock: FakeClock
) -> None:
    await _scoped_fixture(store, clock)
    await record_departure(db, GUILD, ALICE, clock.now())
    await record_departure(db, OTHER_GUILD, ALICE, clock.now())

    report = await purge_departed(db, {}, GUILD, ALICE, shares_a_server=False)
    assert report is not None
    # Still inside the other server's retention period: personal data stays.
    assert (await store.prefs.get(ALICE)).timezone == "Europe/London"
    assert await departure_of(db, GUILD, ALICE) is None

    await purge_departed(db, {}, OTHER_GUILD, ALICE, shares_a_server=False)
    assert (await store.prefs.get(ALICE)).timezone is None
    assert await store.interests.of_member(OTHER_GUILD, ALICE) == []


async def test_purge_keeps_personal_data_while_a_server_is_shared(db: Database, store: Store, clock: FakeClock) -> None:
    await _scoped_fixture(store, clock)
    await record_departure(db, GUILD, ALICE, clock.now())
    await purge_departed(db, {}, GUILD, ALICE, shares_a_server=True)
    assert (await store.prefs.get(ALICE)).timezone == "Europe/London"
    assert await store.interests.of_member(GUILD, ALICE) == []


async def test_purge_does_nothing_once_the_member_came_back(db: Database, store: Store, clock: FakeClock) -> None:
    await _scoped_fixture(store, clock)
    await record_departure(db, GUILD, ALICE, clock.now())
    assert await clear_departure(db, GUILD, ALICE)
    assert await purge_departed(db, {}, GUILD, ALICE, shares_a_server=False) is None
    assert await store.interests.of_member(GUILD, ALICE) == ["meditation"]


async def test_a_failing_erase_hook_is_logged_and_the_rest_still_run(caplog: pytest.LogCaptureFixture) -> None:
    calls: list[tuple[str, int, int | None]] = []

    async def broken(user_id: int, guild_id: int | None) -> None:
        raise RuntimeError("partner lookup failed")

    async def fine(user_id: int, guild_id: int | None) -> None:
        calls.append(("fine", user_id, guild_id))

    with caplog.at_level(logging.ERROR, logger="bot.privacy_ops"):
        failed = await run_erase_hooks({"broken": broken, "fine": fine}, ALICE, GUILD)
    assert failed == ["broken"] and calls == [("fine", ALICE, GUILD)]
    assert "partner lookup failed" in caplog.text


def test_retention_due_counts_days_from_leaving(clock: FakeClock) -> None:
    assert retention_due(clock.now(), 30) == clock.now() + timedelta(days=30)


async def test_export_redacts_another_members_id_in_a_shared_row(db: Database, clock: FakeClock) -> None:
    now = "2026-11-22T12:00:00+00:00"
    # An alert about Bob that Alice claimed, and the audit line for her claim.
    await db.execute(
        "INSERT INTO crisis_alerts (guild_id, subject_user_id, level, reason, alert_channel_id, "
        "claimed_by_user_id, created_at) VALUES (?, ?, 2, 'detection', 9, ?, ?)",
        (GUILD, BOB, ALICE, now),
    )
    await db.execute(
        "INSERT INTO crisis_audit (guild_id, alert_id, action, actor_user_id, subject_user_id, at) "
        "VALUES (?, 1, 'claim', ?, ?, ?)",
        (GUILD, ALICE, BOB, now),
    )
    alice = await export_member(db, ALICE, now=clock.now())
    [alert] = alice["tables"]["crisis_alerts"]["rows"]
    assert (alert["claimed_by_user_id"], alert["subject_user_id"]) == (ALICE, "(another member)")
    [audit] = alice["tables"]["crisis_audit"]["rows"]
    assert (audit["actor_user_id"], audit["subject_user_id"]) == (ALICE, "(another member)")
    bob = await export_member(db, BOB, now=clock.now())
    [alert] = bob["tables"]["crisis_alerts"]["rows"]
    assert (alert["subject_user_id"], alert["claimed_by_user_id"]) == (BOB, "(another member)")
    assert ALICE not in [v for t in bob["tables"].values() for row in t["rows"] for v in row.values()]


async def test_a_late_departure_is_noted_only_while_the_member_still_holds_data(
    db: Database, store: Store, clock: FakeClock
) -> None:
    await store.buddies.join(GUILD, ALICE, pathway="any", experience="steady", wants="either", now=clock.now())
    assert not await note_departure(db, OTHER_GUILD, ALICE, clock.now())  # nothing of hers there
    assert await note_departure(db, GUILD, ALICE, clock.now())  # she still holds data here
    assert not await note_departure(db, GUILD, ALICE, clock.now())  # an earlier departure is kept
    await erase_member(db, ALICE, guild_id=GUILD, include_personal=False)
    # The purge already ran: no second departure and no second retention period.
    assert not await note_departure(db, GUILD, ALICE, clock.now())
    assert await db.fetchval("SELECT COUNT(*) FROM departures WHERE user_id = ?", (ALICE,)) == 0
