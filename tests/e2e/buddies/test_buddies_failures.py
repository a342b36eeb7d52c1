"""Buddy pairing on its failure paths, end to end: slow Discord, departures, races, and rounds never asked about."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from tests.harness import Harness

# The harness starts on Sunday 22 Nov 2026 12:00 UTC; the default round is Monday 18:00 UTC.
TO_NUDGE = timedelta(hours=6)
TO_ROUND = timedelta(hours=30)
PAUSED = "paused your pairing"


def _ids(message: dict[str, Any]) -> list[str]:
    return [c["custom_id"] for row in message.get("components", []) for c in row.get("components", [])]


async def paired_round(h: Harness, *members: Any, **config: Any) -> None:
    await h.configure(buddy_channel_id=h.world.buddies.id, **config)
    for member in members:
        await h.private_command(member, "buddy join")
    await h.advance(TO_ROUND)


async def gateway_settled(h: Harness) -> None:
    """Gateway events arrive in order: once a later DM command is answered, earlier events were handled."""
    await (await h.dd.slash(h.world.carol, "about", dm=True)).response()
    await asyncio.gather(*(t for t in asyncio.all_tasks() if t.get_name().startswith("discord.py: on_")))


async def test_rounds_run_before_the_connect_question_never_count_as_ignored(running: Harness) -> None:
    # A moderator trying /buddy pair-now a few times in a row: nobody was ever asked "Did you connect?",
    # so nobody may be paused for not answering it.
    h, w = running, running.world
    await h.configure(buddy_channel_id=w.buddies.id, pairing_repeat_window=0)
    for member in (w.alice, w.bob):
        await h.private_command(member, "buddy join")
    for _ in range(4):
        asked = await h.private_command(w.mod, "buddy pair-now")
        ran = await h.dd.click(w.mod, asked, _ids(asked.data)[0])
        [done] = await ran.followups()
        assert "1 group introduced" in done["content"]
    for member in (w.alice, w.bob):
        profile = await h.bot.store.buddies.get(w.guild.id, member.id)
        assert profile is not None and not profile.auto_paused and profile.ignored_rounds == 0
        assert not [m for m in h.dd.dms_to(member) if PAUSED in m["content"]]


async def test_end_answers_in_time_even_when_telling_the_partner_is_slow(running: Harness) -> None:
    h, w = running, running.world
    await paired_round(h, w.alice, w.bob)
    asked = await h.private_command(w.alice, "buddy end")
    # Telling the partner waits on a rate limit longer than the interaction deadline allows.
    h.dd.world.interaction_timeout = 0.5
    h.dd.rate_limit_next("POST", "/channels/{channel_id}/messages", retry_after=0.8)
    done = await h.dd.click(w.alice, asked, _ids(asked.data)[0])
    await done.response()  # answered in time, before the slow part
    assert "Thank you for giving it a go" in done.content
    await h.dd.wait_for_dm(w.bob, lambda m: "pairing for this round has ended" in m["content"])


async def test_ending_twice_at_once_tells_the_partner_once(running: Harness) -> None:
    h, w = running, running.world
    await paired_round(h, w.alice, w.bob)
    rounds = h.bot.features.buddies
    assert rounds is not None
    results = await asyncio.gather(*(rounds.end_for(w.guild.id, w.alice.id) for _ in range(2)))
    assert sorted(results) == [False, True]
    await h.dd.wait_for_dm(w.bob, lambda m: "pairing for this round has ended" in m["content"])
    ended = [m for m in h.dd.dms_to(w.bob) if "pairing for this round has ended" in m["content"]]
    assert len(ended) == 1


async def test_buddy_is_told_neutrally_when_their_partner_leaves_the_server(running: Harness) -> None:
    h, w = running, running.world
    await paired_round(h, w.alice, w.bob)
    await h.dd.member_leave(w.alice)
    note = await h.dd.wait_for_dm(w.bob, lambda m: "pairing for this round has ended" in m["content"])
    assert w.alice.name not in note["content"]
    assert await h.bot.store.buddies.current_partners(w.guild.id, w.bob.id) == []


async def test_nudge_is_not_sent_to_someone_who_left_the_server(running: Harness) -> None:
    h, w = running, running.world
    for member in (w.alice, w.bob, w.carol):
        await h.private_command(member, "buddy join")
    await h.dd.member_leave(w.bob)
    await gateway_settled(h)
    await h.advance(TO_NUDGE)
    await h.dd.wait_for_dm(w.alice, lambda m: "Skip this round" in m["content"])
    assert not [m for m in h.dd.dms_to(w.bob) if "Skip this round" in m["content"]]


async def test_member_whose_dms_were_closed_can_come_back_with_resume(running: Harness) -> None:
    h, w = running, running.world
    await h.configure(buddy_channel_id=w.buddies.id)
    for member in (w.alice, w.bob):
        await h.private_command(member, "buddy join")
    h.dd.close_dms(w.alice)
    await h.advance(TO_NUDGE)  # the nudge bounces: Alice is now unreachable and would sit rounds out
    await h.dd.wait_for_dm(w.bob, lambda m: "Skip this round" in m["content"])
    status = await h.private_command(w.alice, "buddy status")
    assert "DMs" in status.content and "/buddy resume" in status.content
    h.dd.open_dms(w.alice)
    back = await h.private_command(w.alice, "buddy resume")
    assert "next round" in back.content
    await h.advance(TO_ROUND - TO_NUDGE)
    assert await h.bot.store.buddies.current_partners(w.guild.id, w.alice.id) == [w.bob.id]


async def test_join_again_after_closed_dms_is_welcomed_back(running: Harness) -> None:
    h, w = running, running.world
    await h.private_command(w.alice, "buddy join")
    await h.bot.store.prefs.mark_dm_closed(w.alice.id, now=h.clock.now())
    again = await h.private_command(w.alice, "buddy join")
    assert "Welcome in" in again.content
    assert await h.bot.store.prefs.is_reachable(w.alice.id)


async def test_missing_buddy_channel_tells_moderators_the_real_command(running: Harness) -> None:
    h, w = running, running.world
    await h.configure(modlog_channel_id=w.modlog.id)
    for member in (w.alice, w.bob):
        await h.private_command(member, "buddy join")
    await h.advance(TO_ROUND)
    note = await h.dd.wait_for_message(w.modlog)
    assert "/config buddy-channel" in note["content"] and "/config set" not in note["content"]


async def test_deleted_buddy_channel_is_reported_as_gone_not_as_a_permission(running: Harness) -> None:
    h, w = running, running.world
    await h.configure(buddy_channel_id=w.buddies.id + 12345, modlog_channel_id=w.modlog.id)  # deleted since
    for member in (w.alice, w.bob):
        await h.private_command(member, "buddy join")
    await h.advance(TO_ROUND)
    await h.dd.wait_for_dm(w.alice, lambda m: "Why you were matched" in m["content"])
    note = await h.dd.wait_for_message(w.modlog)
    assert "no longer" in note["content"] and "/config buddy-channel" in note["content"]
    assert "Create Private Threads" not in note["content"]
