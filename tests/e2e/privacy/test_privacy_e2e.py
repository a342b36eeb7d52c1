"""/privacy end to end through the Discord double, and the retention purge with the clock under test control."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from bot.checkins.reminders import REMINDER_KIND, WEEKLY_KIND
from bot.privacy import registered_tables
from bot.privacy_ops import RETENTION_KIND, purge_departed, record_departure, retention_key
from tests.double import InteractionHandle
from tests.harness import Harness
from tests.support.interact import listeners_done, settle
from tests.support.privacy import rows_mentioning

EXTENSIONS = ["cogs.config", "cogs.privacy", "cogs.meta"]
pytestmark = pytest.mark.extensions(*EXTENSIONS)


async def give_alice_data(h: Harness) -> None:
    """Real data for Alice (and some for Bob) through the store every feature uses."""
    store, now, gid = h.bot.store, h.clock.now(), h.world.guild.id
    alice, bob = h.world.alice.id, h.world.bob.id
    await store.prefs.set_timezone(alice, "Europe/Dublin", now=now)
    await store.prefs.set_timezone(bob, "Europe/Paris", now=now)
    meditation = await store.interests.find(gid, "meditation", now=now)
    assert meditation is not None
    await store.interests.follow(meditation.id, alice)
    await store.interests.follow(meditation.id, bob)
    await h.bot.timers.schedule("test-reminder", now + timedelta(days=1), guild_id=gid, user_id=alice)


async def surviving_rows(h: Harness, user_id: int) -> dict[str, int]:
    """Every table/column named user_id or *_user_id that still holds ``user_id``."""
    return await rows_mentioning(h.bot.db, user_id)


def button_ids(inter: InteractionHandle) -> list[str]:
    return [c["custom_id"] for row in inter.components for c in row["components"]]


async def test_show_lists_what_is_stored_and_who_sees_it(h: Harness) -> None:
    await give_alice_data(h)
    inter = await h.dd.slash(h.world.alice, "privacy show", channel=h.world.general)
    await inter.response()
    assert inter.ephemeral
    fields = {f["name"]: f["value"] for f in inter.embeds[0]["fields"]}
    assert "your time zone" in fields["Stored now"] and "Seen by: only you" in fields["Stored now"]
    assert "interests you follow" in fields["Stored now"]
    assert "channels it can see" in fields["Crisis detection"]


async def test_export_sends_a_json_file_of_every_row_across_features(h: Harness) -> None:
    await give_alice_data(h)
    inter = await h.dd.slash(h.world.alice, "privacy export", channel=h.world.general)
    await inter.response()
    assert inter.ephemeral  # deferred privately
    [followup] = await inter.followups(1)
    assert followup["flags"] & 64
    call = await h.dd.wait_for_call("POST", "/webhooks/{webhook_id}/{webhook_token}", lambda c: bool(c.files))
    data = json.loads(call.files[0].data)
    assert call.files[0].filename.endswith(".json")
    assert data["user_id"] == h.world.alice.id
    tables = data["tables"]
    assert tables["member_prefs"]["rows"][0]["timezone"] == "Europe/Dublin"
    assert len(tables["member_interests"]["rows"]) == 1
    assert tables["timers"]["rows"][0]["kind"] == "test-reminder"
    assert set(tables) == {e.table for e in registered_tables()}
    assert "Europe/Paris" not in call.files[0].data.decode()  # nobody else's data


async def test_delete_asks_first_then_erases_everything_in_one_go(h: Harness) -> None:
    await give_alice_data(h)
    told: list[tuple[int, int | None]] = []

    async def tell_partner(user_id: int, guild_id: int | None) -> None:
        # A feature's hook runs before erasure, while the rows it needs still exist.
        assert (await h.bot.store.prefs.get(user_id)).timezone == "Europe/Dublin"
        told.append((user_id, guild_id))

    async def broken(user_id: int, guild_id: int | None) -> None:
        raise RuntimeError("hook failure must not block erasure")

    h.bot.erase_hooks["test-partner"] = tell_partner
    h.bot.erase_hooks["test-broken"] = broken

    asked = await h.dd.slash(h.world.alice, "privacy delete", channel=h.world.general)
    await asked.response()
    assert asked.ephemeral and "can't be undone" in asked.content
    assert await surviving_rows(h, h.world.alice.id)  # nothing happens before the click

    confirm, _cancel = button_ids(asked)
    click = await h.dd.click(h.world.alice, asked, confirm)
    await click.response()
    done = await asked.original()
    await h.dd.world.signal.wait_for(
        lambda: "Done" in (h.dd.messages[int(done["id"])].get("content") or "") or None,
        timeout=3,
        describe=lambda: "the confirmation was never edited",
    )

    assert told == [(h.world.alice.id, None)]
    assert await surviving_rows(h, h.world.alice.id) == {}
    # Bob is untouched.
    assert (await h.bot.store.prefs.get(h.world.bob.id)).timezone == "Europe/Paris"
    assert await h.bot.store.interests.of_member(h.world.guild.id, h.world.bob.id) == ["meditation"]


async def test_cancel_keeps_everything(h: Harness) -> None:
    await give_alice_data(h)
    asked = await h.dd.slash(h.world.alice, "privacy delete", channel=h.world.general)
    await asked.response()
    _confirm, cancel = button_ids(asked)
    click = await h.dd.click(h.world.alice, asked, cancel)
    await click.response()
    assert "Nothing was erased" in click.data["content"]
    assert (await h.bot.store.prefs.get(h.world.alice.id)).timezone == "Europe/Dublin"


# -- retention ------------------------------------------------------------------------------------
async def leave(h: Harness, member: Any) -> None:
    await settle(h, "raw_member_remove", lambda: h.world.guild.remove_member(member))
    assert await h.bot.timers.pending(dedupe_key=retention_key(h.world.guild.id, member.id))


async def rejoin(h: Harness, member: Any) -> None:
    guild = h.world.guild

    def come_back() -> None:
        guild.members[member.id] = member
        h.dd.world.dispatch("GUILD_MEMBER_ADD", {"guild_id": str(guild.id), **member.payload()})

    await settle(h, "member_join", come_back)
    assert not await h.bot.timers.pending(dedupe_key=retention_key(guild.id, member.id))


async def test_retention_purge_erases_a_departed_members_data_after_the_period(h: Harness) -> None:
    await h.configure(retention_days=7)
    await give_alice_data(h)
    await leave(h, h.world.alice)

    await h.advance(timedelta(days=6, hours=23))
    assert (await h.bot.store.prefs.get(h.world.alice.id)).timezone == "Europe/Dublin"  # still kept

    await h.advance(timedelta(hours=1))
    assert await surviving_rows(h, h.world.alice.id) == {}
    assert (await h.bot.store.prefs.get(h.world.bob.id)).timezone == "Europe/Paris"


async def test_rejoining_within_the_period_keeps_everything(h: Harness) -> None:
    await give_alice_data(h)
    await leave(h, h.world.alice)
    await h.advance(timedelta(days=10))
    await rejoin(h, h.world.alice)
    await h.advance(timedelta(days=30))
    assert (await h.bot.store.prefs.get(h.world.alice.id)).timezone == "Europe/Dublin"
    assert await h.bot.store.interests.of_member(h.world.guild.id, h.world.alice.id) == ["meditation"]


async def test_retention_timer_survives_a_restart(h: Harness) -> None:
    await give_alice_data(h)
    await leave(h, h.world.alice)
    await h.restart()
    await h.advance(timedelta(days=30))
    assert await surviving_rows(h, h.world.alice.id) == {}


async def test_changing_retention_reschedules_members_who_already_left(h: Harness) -> None:
    await give_alice_data(h)
    await leave(h, h.world.alice)
    inter = await h.dd.slash(h.world.mod, "config retention", channel=h.world.general, days=3)
    await inter.response()
    # The reply comes after the change is dispatched; wait for the privacy cog's listener to finish.
    await listeners_done("guild_config_changed")
    key = retention_key(h.world.guild.id, h.world.alice.id)
    [timer] = await h.bot.timers.pending(dedupe_key=key)
    assert timer.due_at == h.clock.now() + timedelta(days=3)
    await h.advance(timedelta(days=3))
    assert await surviving_rows(h, h.world.alice.id) == {}


async def test_retention_skips_a_member_who_is_back_even_if_the_join_was_missed(h: Harness) -> None:
    await give_alice_data(h)
    gid, uid = h.world.guild.id, h.world.alice.id
    # A departure recorded while she is in fact still a member (e.g. the rejoin happened while offline).
    await record_departure(h.bot.db, gid, uid, h.clock.now())
    await h.bot.timers.schedule(
        RETENTION_KIND, h.clock.now(), guild_id=gid, user_id=uid, dedupe_key=retention_key(gid, uid)
    )
    await h.run_timers()
    assert (await h.bot.store.prefs.get(uid)).timezone == "Europe/Dublin"


@pytest.mark.extensions()  # every cog: the reminders belong to check-ins
async def test_one_servers_purge_keeps_reminders_of_a_member_still_in_another(running: Harness) -> None:
    """Reminders are personal: a server's retention purge must not silently stop them."""
    h = running
    inter = await h.dd.slash(h.world.alice, "checkin remind set", channel=h.world.general, time="19:00", timezone="UTC")
    await inter.response()
    await h.dd.slash(h.world.alice, "checkin weekly", channel=h.world.general, setting="on")
    await record_departure(h.bot.db, h.world.guild.id, h.world.alice.id, h.clock.now())
    await purge_departed(h.bot.db, {}, h.world.guild.id, h.world.alice.id, shares_a_server=True)
    assert len(await h.bot.timers.pending(kind=REMINDER_KIND)) == 1
    assert len(await h.bot.timers.pending(kind=WEEKLY_KIND)) == 1
