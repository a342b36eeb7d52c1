"""Buddy pairing on its failure paths, end to end: slow Discord, departures, races, and rounds never asked about."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

import pytest

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


async def two_pairs_and_one_unmatched(h: Harness) -> tuple[Any, ...]:
    """Start the bot with four members who will make two pairs and a moderator nobody can be paired with."""
    w = h.world
    await h.start()
    await h.configure(buddy_channel_id=w.buddies.id)
    paired = (w.alice, w.bob, w.carol, w.dave)
    for member in (*paired, w.mod):
        await h.private_command(member, "buddy join")
    for other in paired:
        await h.bot.store.buddies.avoid(w.guild.id, w.mod.id, other.id, now=h.clock.now())
    return paired


class _Killed(BaseException):
    """The process dying mid-round: unlike an exception, nothing settles the timer, which stays running."""


async def test_round_cut_off_mid_introductions_finishes_once_after_restart(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    h, w = harness, harness.world
    gid = w.guild.id
    paired = await two_pairs_and_one_unmatched(h)
    rounds_store = h.bot.store.buddies.rounds
    mark = rounds_store.mark_introduced

    async def killed_after_first_group(group_id: int, now: datetime) -> None:
        await mark(group_id, now)
        raise _Killed

    monkeypatch.setattr(rounds_store, "mark_introduced", killed_after_first_group)
    h.clock.advance(TO_ROUND)
    round_at = h.clock.now()
    with pytest.raises(_Killed):
        await h.run_timers()

    def threads() -> list[Any]:
        return [t for t in h.dd.threads if t.parent_id == w.buddies.id]

    def unmatched_dms() -> list[dict[str, Any]]:
        return [m for m in h.dd.dms_to(w.mod) if "couldn't find a buddy" in m["content"]]

    assert len(threads()) == 1 and unmatched_dms() == []
    await h.restart()  # the round timer was cut off running: it goes back to pending and runs again
    await h.run_timers()
    assert len(threads()) == 2
    for member in paired:
        assert sum(member.id in t.thread_members for t in threads()) == 1
    assert len(unmatched_dms()) == 1
    # Further reruns of the finished round send nothing more.
    rounds = h.bot.features.buddies
    assert rounds is not None
    assert await rounds.run_round(gid, scheduled_for=round_at) is None
    await h.restart()
    await h.run_timers()
    assert len(threads()) == 2 and len(unmatched_dms()) == 1
    latest = await h.bot.store.buddies.rounds.latest_round(gid)
    assert latest is not None and await h.bot.store.buddies.rounds.pending_intros(latest.id) == []


@pytest.mark.parametrize("cut", ["after the greeting", "before the greeting", "thread deleted since"])
async def test_round_cut_off_before_a_thread_was_marked_opens_no_second_thread(
    harness: Harness, monkeypatch: pytest.MonkeyPatch, cut: str
) -> None:
    # The first group's thread was saved (and maybe greeted) but the group was never marked introduced.
    h, w = harness, harness.world
    paired = await two_pairs_and_one_unmatched(h)
    rounds_store = h.bot.store.buddies.rounds

    async def killed(*_: object) -> None:
        raise _Killed

    if cut == "before the greeting":
        save = rounds_store.set_thread

        async def killed_once_saved(group_id: int, thread_id: int) -> None:
            await save(group_id, thread_id)
            raise _Killed

        monkeypatch.setattr(rounds_store, "set_thread", killed_once_saved)
    else:
        monkeypatch.setattr(rounds_store, "mark_introduced", killed)
    with pytest.raises(_Killed):
        await h.advance(TO_ROUND)

    def threads() -> list[Any]:
        return [t for t in h.dd.threads if t.parent_id == w.buddies.id]

    def greetings(thread: Any) -> list[dict[str, Any]]:
        return [
            m
            for m in h.dd.messages_in(thread)
            if m["author"]["id"] == str(h.dd.bot_user.id) and "Why you were matched" in m["content"]
        ]

    [first] = threads()
    assert len(greetings(first)) == (0 if cut == "before the greeting" else 1)
    if cut == "thread deleted since":
        assert first.guild is not None
        first.guild.channels.pop(first.id)
        h.dd.world.channels.pop(first.id)
    monkeypatch.undo()
    await h.restart()
    await h.run_timers()
    assert len(threads()) == 2
    assert all(len(greetings(thread)) == 1 for thread in threads())
    assert (first.id in [t.id for t in threads()]) == (cut != "thread deleted since")  # the saved one, reused
    for member in paired:
        assert sum(member.id in t.thread_members for t in threads()) == 1
        assert not [m for m in h.dd.dms_to(member) if "Why you were matched" in m["content"]]
    latest = await h.bot.store.buddies.rounds.latest_round(w.guild.id)
    assert latest is not None and await h.bot.store.buddies.rounds.pending_intros(latest.id) == []
