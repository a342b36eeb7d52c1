"""Buddy pairing end to end through the Discord double: commands, rounds, threads, fallbacks, follow-ups."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from bot.buddies.notice import notify_partners_of_hard_moment
from bot.clock import to_db
from bot.events import ConfigChange
from tests.harness import Harness

# The harness starts on Sunday 22 Nov 2026 12:00 UTC; the default round is Monday 18:00 UTC.
TO_NUDGE = timedelta(hours=6)  # Sunday 18:00: a day before the round
TO_ROUND = timedelta(hours=30)  # Monday 18:00


async def join_all(h: Harness, *members: Any, **options: Any) -> None:
    for member in members:
        await h.private_command(member, "buddy join", **options)


def _ids(message: dict[str, Any]) -> list[str]:
    return [c["custom_id"] for row in message.get("components", []) for c in row.get("components", [])]


# -- member commands ---------------------------------------------------------------------------------
async def test_join_saves_prefs_follows_interests_and_schedules_the_round(running: Harness) -> None:
    h, alice = running, running.world.alice
    inter = await h.private_command(
        alice,
        "buddy join",
        interests="meditation, music",
        timezone="Europe/London",
        pathway="smart",
        experience="new",
        wants="mentor",
    )
    assert "Welcome in" in inter.content and "<t:" in inter.content
    gid = h.world.guild.id
    assert await h.bot.store.interests.of_member(gid, alice.id) == ["meditation", "music"]
    profile = await h.bot.store.buddies.get(gid, alice.id)
    assert profile is not None and (profile.pathway, profile.experience, profile.wants) == ("smart", "new", "mentor")
    assert profile.timezone == "Europe/London"
    [timer] = await h.bot.timers.pending(kind="buddy-round")
    assert timer.due_at == h.clock.now() + TO_ROUND
    again = await h.private_command(alice, "buddy join")
    assert "already in" in again.content


async def test_join_refuses_unknown_interest_and_timezone_without_saving(running: Harness) -> None:
    h, alice = running, running.world.alice
    bad = await h.private_command(alice, "buddy join", interests="meditation, juggling")
    assert "juggling" in bad.content and "meditation" in bad.content
    bad_tz = await h.private_command(alice, "buddy join", timezone="Mars/Olympus")
    assert "Mars/Olympus" in bad_tz.content
    assert await h.bot.store.buddies.get(h.world.guild.id, alice.id) is None


async def test_autocomplete_offers_catalogue_interests_after_a_comma_and_timezones(running: Harness) -> None:
    h = running
    choices = await h.dd.autocomplete(
        h.world.alice, "buddy join", focused="interests", value="meditation, mu", channel=h.world.general
    )
    assert [c["value"] for c in choices] == ["meditation, music"]
    zones = await h.dd.autocomplete(
        h.world.alice, "buddy join", focused="timezone", value="london", channel=h.world.general
    )
    assert "Europe/London" in [c["value"] for c in zones]


async def test_prefs_change_and_replace_interests(running: Harness) -> None:
    h, alice = running, running.world.alice
    not_yet = await h.private_command(alice, "buddy prefs", pathway="secular")
    assert "/buddy join" in not_yet.content
    await h.private_command(alice, "buddy join", interests="meditation, music")
    changed = await h.private_command(alice, "buddy prefs", interests="cooking", pathway="secular", wants="peer")
    assert "Saved" in changed.content and "cooking" in changed.content and "Secular" in changed.content
    assert await h.bot.store.interests.of_member(h.world.guild.id, alice.id) == ["cooking"]


async def test_pause_resume_and_leave(running: Harness) -> None:
    h, alice = running, running.world.alice
    await h.private_command(alice, "buddy join")
    paused = await h.private_command(alice, "buddy pause", weeks=2)
    assert "Paused until" in paused.content
    status = await h.private_command(alice, "buddy status")
    assert "Paused until" in status.content
    resumed = await h.private_command(alice, "buddy resume")
    assert "Welcome back" in resumed.content
    left = await h.private_command(alice, "buddy leave")
    assert "won't be paired" in left.content
    again = await h.private_command(alice, "buddy leave")
    assert "nothing to leave" in again.content
    assert await h.bot.store.buddies.profiles(h.world.guild.id) == []


async def test_avoid_is_confidential_listed_only_to_owner_and_editable(running: Harness) -> None:
    h, alice, bob, carol = running, running.world.alice, running.world.bob, running.world.carol
    calls_before = len(h.dd.calls)
    added = await h.private_command(alice, "buddy avoid", member=bob)
    assert "Nobody is told" in added.content
    await h.private_command(alice, "buddy avoid", member=carol)
    # Nothing was sent anywhere but the ephemeral answers.
    assert not [c for c in h.dd.calls[calls_before:] if c.method == "POST" and "/messages" in c.path]
    assert h.dd.dms_to(bob) == [] and h.dd.dms_to(carol) == []
    selfish = await h.private_command(alice, "buddy avoid", member=alice)
    assert "yourself" in selfish.content
    listing = await h.private_command(alice, "buddy avoid")
    assert f"<@{bob.id}>" in listing.content and f"<@{carol.id}>" in listing.content
    [select_id] = _ids(listing.data)
    picked = await h.dd.select(alice, listing, select_id, [str(bob.id)])
    await picked.response()
    assert await h.bot.store.buddies.avoid_list(h.world.guild.id, alice.id) == [carol.id]
    removed = await h.private_command(alice, "buddy unavoid", member=carol)
    assert "off your do-not-pair list" in removed.content
    missing = await h.private_command(alice, "buddy unavoid", member=carol)
    assert "isn't on" in missing.content
    assert (await h.private_command(bob, "buddy avoid")).content.startswith("Your do-not-pair list is empty")


# -- rounds ------------------------------------------------------------------------------------------
async def test_full_round_creates_private_threads_with_intro_and_reason(running: Harness) -> None:
    h, w = running, running.world
    await h.configure(buddy_channel_id=w.buddies.id)
    await join_all(h, w.alice, w.bob, w.carol, w.dave, interests="music", timezone="Europe/London")
    await h.advance(TO_ROUND)
    threads = [t for t in h.dd.threads if t.parent_id == w.buddies.id]
    assert len(threads) == 2
    for thread in threads:
        assert thread.type == 12 and thread.invitable is False
        intro = await h.dd.wait_for_message(thread)
        assert "Why you were matched: you both like music" in intro["content"]
        assert "•" in intro["content"]  # starter questions
        members = {uid for uid in thread.thread_members if uid != h.dd.bot_user.id}
        assert len(members) == 2
        assert all(f"<@{uid}>" in intro["content"] for uid in members)
    call = await h.dd.wait_for_call(
        "POST", "/channels/{channel_id}/messages", lambda c: c.path.endswith(f"{threads[0].id}/messages")
    )
    assert set(call.json["allowed_mentions"]["parse"]) <= {"users"}  # the pair only: never everyone or roles
    status = await h.private_command(w.alice, "buddy status")
    assert "Your buddy:" in status.content and "nobody" not in status.content
    # The next round is lined up a week later, with its nudge a day before.
    [next_round] = await h.bot.timers.pending(kind="buddy-round")
    assert next_round.due_at == h.clock.now() + timedelta(days=7)


async def test_odd_count_gives_one_group_of_three(running: Harness) -> None:
    h, w = running, running.world
    await h.configure(buddy_channel_id=w.buddies.id)
    await join_all(h, w.alice, w.bob, w.carol)
    await h.advance(TO_ROUND)
    [thread] = [t for t in h.dd.threads if t.parent_id == w.buddies.id]
    assert len([u for u in thread.thread_members if u != h.dd.bot_user.id]) == 3


async def test_forbidden_threads_fall_back_to_dm_and_tell_the_mod_log(running: Harness) -> None:
    h, w = running, running.world
    await h.configure(buddy_channel_id=w.buddies.id, modlog_channel_id=w.modlog.id)
    await join_all(h, w.alice, w.bob)
    h.dd.fail_next("POST", "/channels/{channel_id}/threads", status=403, code=50013)
    await h.advance(TO_ROUND)
    for member, other in ((w.alice, w.bob), (w.bob, w.alice)):
        intro = await h.dd.wait_for_dm(member, lambda m: "Why you were matched" in m["content"])
        assert f"<@{other.id}>" in intro["content"]
    note = await h.dd.wait_for_message(w.modlog)
    assert "couldn't create private threads" in note["content"]


async def test_no_buddy_channel_falls_back_to_dm_and_tells_the_owner(running: Harness) -> None:
    h, w = running, running.world
    await join_all(h, w.alice, w.bob)
    await h.advance(TO_ROUND)
    await h.dd.wait_for_dm(w.alice, lambda m: "Why you were matched" in m["content"])
    note = await h.dd.wait_for_dm(w.owner, lambda m: "no buddy channel is set" in m["content"])
    assert "/config buddy-channel" in note["content"]


async def test_avoided_members_are_never_paired_and_unmatched_is_told_kindly(running: Harness) -> None:
    h, w = running, running.world
    await h.configure(buddy_channel_id=w.buddies.id)
    await join_all(h, w.alice, w.bob)
    await h.private_command(w.bob, "buddy avoid", member=w.alice)
    await h.advance(TO_ROUND)
    assert not [t for t in h.dd.threads if t.parent_id == w.buddies.id]
    for member in (w.alice, w.bob):
        told = await h.dd.wait_for_dm(member, lambda m: "couldn't find a buddy" in m["content"])
        assert "first in line" in told["content"]
        assert "avoid" not in told["content"]
    profile = await h.bot.store.buddies.get(w.guild.id, w.alice.id)
    assert profile is not None and profile.priority


async def test_round_survives_restart_and_never_runs_twice(harness: Harness) -> None:
    h, w = harness, harness.world
    await h.start()
    await h.configure(buddy_channel_id=w.buddies.id)
    await join_all(h, w.alice, w.bob)
    await h.restart()
    h.clock.advance(TO_ROUND)
    await h.restart()  # down over the round: the durable timer is still there
    assert await h.run_timers() >= 1
    assert len([t for t in h.dd.threads if t.parent_id == w.buddies.id]) == 1
    round_at = h.clock.now()
    # A stray second firing of the same scheduled round does nothing.
    rounds = h.bot.features.buddies
    assert rounds is not None
    assert await rounds.run_round(w.guild.id, scheduled_for=round_at) is None
    await h.restart()
    await h.run_timers()
    assert len([t for t in h.dd.threads if t.parent_id == w.buddies.id]) == 1
    assert len(await h.bot.timers.pending(kind="buddy-round")) == 1


async def test_rounds_stop_while_the_bot_is_out_of_the_server_and_resume_on_rejoin(running: Harness) -> None:
    h, w = running, running.world
    await h.configure(buddy_channel_id=w.buddies.id)
    await join_all(h, w.alice, w.bob)
    h.dd.remove_guild(w.guild)
    # Gateway events arrive in order: once a later DM command is answered, GUILD_DELETE was handled.
    await (await h.dd.slash(w.alice, "about", dm=True)).response()
    assert h.bot.get_guild(w.guild.id) is None
    await h.advance(TO_ROUND)
    assert h.dd.threads == []
    assert await h.bot.timers.pending(kind="buddy-round") == []

    joined = asyncio.ensure_future(h.bot.wait_for("guild_join", timeout=5))
    h.dd.rejoin_guild(w.guild)
    await joined
    # discord.py runs each listener as a task named after the event; let them finish.
    await asyncio.gather(*(t for t in asyncio.all_tasks() if t.get_name() == "discord.py: on_guild_join"))
    assert len(await h.bot.timers.pending(kind="buddy-round")) == 1


async def test_config_change_reschedules_the_round(running: Harness) -> None:
    h, w = running, running.world
    await join_all(h, w.alice)
    await h.configure(pairing_weekday=2, pairing_hour=9, timezone="America/New_York")
    cog = h.bot.get_cog("Buddies")
    listeners = [fn.__name__ for fn in h.bot.extra_events.get("on_guild_config_changed", [])]
    assert "on_guild_config_changed" in listeners
    # Called directly (what bot.dispatch does) so the test needn't wait on the event loop.
    await cog.on_guild_config_changed(ConfigChange(w.guild.id, "pairing_weekday", 0, 2, w.mod.id))  # type: ignore[union-attr]
    [timer] = await h.bot.timers.pending(kind="buddy-round")
    assert to_db(timer.due_at) == "2026-11-25T14:00:00+00:00"  # Wednesday 09:00 in New York
    [nudge] = await h.bot.timers.pending(kind="buddy-nudge")
    assert nudge.due_at == timer.due_at - timedelta(days=1)


async def paired_round(h: Harness, *members: Any, **config: Any) -> None:
    await h.configure(buddy_channel_id=h.world.buddies.id, **config)
    await join_all(h, *members)
    await h.advance(TO_ROUND)


async def test_end_tells_partner_neutrally_thanks_and_repairs_next_round(running: Harness) -> None:
    h, w = running, running.world
    gid = w.guild.id
    await paired_round(h, w.alice, w.bob, w.carol, w.dave)
    [partner_id] = await h.bot.store.buddies.current_partners(gid, w.alice.id)
    partner = w.guild.get_member(partner_id)
    asked = await h.private_command(w.alice, "buddy end")
    confirm_id = _ids(asked.data)[0]
    done = await h.dd.click(w.alice, asked, confirm_id)
    await done.response()
    assert "Thank you for giving it a go" in done.content
    note = await h.dd.wait_for_dm(partner, lambda m: "pairing for this round has ended" in m["content"])
    assert "no reason is needed" in note["content"] and w.alice.name not in note["content"]
    assert await h.bot.store.buddies.current_partners(gid, partner_id) == []
    nothing = await h.private_command(w.alice, "buddy end")
    assert "nothing to end" in nothing.content
    await h.advance(timedelta(days=7))
    alice_now = await h.bot.store.buddies.current_partners(gid, w.alice.id)
    partner_now = await h.bot.store.buddies.current_partners(gid, partner_id)
    assert alice_now and partner_now and partner_id not in alice_now


async def test_skip_nudge_leaves_member_out_of_that_round_only_even_after_restart(running: Harness) -> None:
    h, w = running, running.world
    gid = w.guild.id
    await h.configure(buddy_channel_id=w.buddies.id, pairing_repeat_window=0)
    await join_all(h, w.alice, w.bob)
    await h.advance(TO_NUDGE)
    nudge = await h.dd.wait_for_dm(w.alice, lambda m: "Skip this round" in m["content"])
    bob_nudge = await h.dd.wait_for_dm(w.bob, lambda m: "Skip this round" in m["content"])
    await h.restart()  # the button is persistent
    [skip_id] = _ids(nudge)
    clicked = await h.dd.click(w.alice, nudge, skip_id)
    await clicked.response()
    assert "sitting this round out" in clicked.content
    await h.advance(TO_ROUND - TO_NUDGE)
    assert await h.bot.store.buddies.current_partners(gid, w.bob.id) == []
    await h.dd.wait_for_dm(w.bob, lambda m: "couldn't find a buddy" in m["content"])
    await h.advance(timedelta(days=7))
    assert await h.bot.store.buddies.current_partners(gid, w.alice.id) == [w.bob.id]
    assert _ids(h.dd.world.messages[int(nudge["id"])]) == []  # the button went away once used
    late = await h.dd.click(w.bob, bob_nudge, _ids(bob_nudge)[0])
    await late.response()
    assert "already started" in late.content


async def test_connect_follow_up_records_answers_and_three_quiet_rounds_pause(running: Harness) -> None:
    h, w = running, running.world
    gid = w.guild.id
    await paired_round(h, w.alice, w.bob, pairing_repeat_window=0)
    for _ in range(3):
        await h.advance(timedelta(days=3, hours=12))  # halfway
        ask = await h.dd.wait_for_dm(w.bob, lambda m: "did you get a chance to connect" in m["content"])
        await h.dd.wait_for_dm(w.alice, lambda m: "did you get a chance to connect" in m["content"])
        answer = next(i for i in _ids(ask) if i.endswith(":not_yet"))
        reply = await h.dd.click(w.bob, ask, answer)
        await reply.response()
        assert "No rush" in reply.content
        await h.advance(timedelta(days=3, hours=12))  # the next round
    paused = await h.dd.wait_for_dm(w.alice, lambda m: "paused your pairing" in m["content"])
    assert "/buddy resume" in paused["content"]
    alice = await h.bot.store.buddies.get(gid, w.alice.id)
    bob = await h.bot.store.buddies.get(gid, w.bob.id)
    assert alice is not None and alice.auto_paused
    assert bob is not None and not bob.auto_paused
    status = await h.private_command(w.alice, "buddy status")
    assert "/buddy resume" in status.content
    await h.private_command(w.alice, "buddy resume")
    alice = await h.bot.store.buddies.get(gid, w.alice.id)
    assert alice is not None and not alice.auto_paused


async def test_buddy_notice_needs_consent_and_never_shares_the_check_in(running: Harness) -> None:
    h, w = running, running.world
    gid = w.guild.id
    await paired_round(h, w.alice, w.bob)
    dms_before = len(h.dd.dms_to(w.bob))
    assert await notify_partners_of_hard_moment(h.bot, gid, w.alice.id) == 0
    assert len(h.dd.dms_to(w.bob)) == dms_before
    assert not await h.bot.store.buddies.hard_moment_opt_in(gid, w.alice.id)
    on = await h.private_command(w.alice, "buddy notify", setting="on")
    assert "could use a check-in from you" in on.content
    assert await h.bot.store.buddies.hard_moment_opt_in(gid, w.alice.id)
    assert await notify_partners_of_hard_moment(h.bot, gid, w.alice.id) == 1
    notice = await h.dd.wait_for_dm(w.bob, lambda m: "could use a check-in from you" in m["content"])
    assert notice["content"].startswith("Alice could use a check-in")
    await h.private_command(w.alice, "buddy notify", setting="off")
    assert await notify_partners_of_hard_moment(h.bot, gid, w.alice.id) == 0


async def test_preview_and_pair_now_are_for_moderators(running: Harness) -> None:
    h, w = running, running.world
    await h.configure(buddy_channel_id=w.buddies.id)
    await join_all(h, w.alice, w.bob, w.carol)
    await h.private_command(w.carol, "buddy pause", weeks=1)
    refused = await h.private_command(w.alice, "buddy preview")
    assert "Manage Server" in refused.content
    refused_now = await h.private_command(w.alice, "buddy pair-now")
    assert "Manage Server" in refused_now.content
    preview = await h.dd.slash(w.mod, "buddy preview", channel=w.general)
    [shown] = await preview.followups()
    assert "2 members would take part: 1 pair." in shown["content"] and "Sitting out" in shown["content"]
    assert not [t for t in h.dd.threads if t.parent_id == w.buddies.id]  # a dry run sends nothing
    asked = await h.private_command(w.mod, "buddy pair-now")
    ran = await h.dd.click(w.mod, asked, _ids(asked.data)[0])
    [done] = await ran.followups()
    assert "1 group introduced" in done["content"]
    assert await h.bot.store.buddies.current_partners(w.guild.id, w.alice.id) == [w.bob.id]


async def test_erase_hook_tells_partner_neutrally(running: Harness) -> None:
    h, w = running, running.world
    await paired_round(h, w.alice, w.bob)
    await h.bot.erase_hooks["buddies"](w.alice.id, w.guild.id)
    await h.dd.wait_for_dm(w.bob, lambda m: "pairing for this round has ended" in m["content"])
    assert await h.bot.store.buddies.current_partners(w.guild.id, w.bob.id) == []
