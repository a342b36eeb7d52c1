"""A buddy now, not next round: pairing within a day, the matcher's rules, no mentor free, the mentor cap,
asking to change, and the pair kept through the normal round."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.newcomers.pairing import PAIR_KIND
from tests.harness import Harness
from tests.support.members import leave_server
from tests.support.newcomers import button_id
from tests.support.privacy import confirm_erasure

EXTENSIONS = ["cogs.checkins", "cogs.buddies", "cogs.newcomers", "cogs.config"]
pytestmark = [pytest.mark.extensions(*EXTENSIONS), pytest.mark.configure(buddy_channel_id="buddies"), pytest.mark.quiet]
TO_ROUND = timedelta(hours=30)  # the default round: Monday 18:00 UTC
HONEST = "hands full right now"


async def mentor(h: Harness, member: Any, **profile: Any) -> None:
    await h.private_command(member, "buddy join", experience="steady", **profile)
    inter = await h.private_command(member, "buddy mentor", setting="on")
    assert "Thank you" in inter.content


async def ask_for_buddy(h: Harness, member: Any) -> None:
    await h.private_command(member, "recovery support on", checkins=False, milestones=False)
    await h.run_timers()


def threads(h: Harness) -> list[Any]:
    return [t for t in h.dd.threads if t.parent_id == h.world.buddies.id]


def people_in(h: Harness, thread: Any) -> set[int]:
    return {uid for uid in thread.thread_members if uid != h.dd.bot_user.id}


async def paired_with(h: Harness, member: Any) -> int | None:
    pair = await h.bot.store.newcomer_pairs.open_request(h.world.guild.id, member.id)
    return None if pair is None or pair.status != "paired" else pair.mentor_user_id


def honest_notes(h: Harness, member: Any) -> int:
    return sum(HONEST in m["content"] for m in h.dd.dms_to(member))


async def test_paired_within_a_day_with_the_best_free_mentor_under_the_matchers_rules(h: Harness) -> None:
    w = h.world
    await mentor(h, w.bob, interests="meditation", timezone="Europe/London")
    await mentor(h, w.carol, interests="music", timezone="Asia/Tokyo")
    # Dave would suit Alice best (two shared interests, her time zone), but he asked never to be paired
    # with her: that confidential choice always holds. Carol is hours away and shares nothing.
    await mentor(h, w.dave, interests="meditation, music", timezone="Europe/Paris")
    await h.private_command(w.dave, "buddy avoid", member=w.alice)
    await h.private_command(
        w.alice, "buddy join", experience="new", interests="meditation, music", timezone="Europe/Paris"
    )
    await h.private_command(w.alice, "recovery support on", checkins=False, milestones=False)
    [attempt] = await h.bot.timers.pending(kind=PAIR_KIND)
    assert attempt.due_at - h.clock.now() < timedelta(hours=24)
    await h.run_timers()
    assert await paired_with(h, w.alice) == w.bob.id
    [thread] = threads(h)
    assert thread.type == 12 and thread.invitable is False and people_in(h, thread) == {w.alice.id, w.bob.id}
    intro = await h.dd.wait_for_message(thread)
    assert f"<@{w.alice.id}>" in intro["content"] and f"<@{w.bob.id}>" in intro["content"]
    assert button_id(intro, "Change my buddy")
    for word in ("newbie", "addict", "newcomer"):
        assert word not in intro["content"].lower()
    call = await h.dd.wait_for_call(
        "POST", "/channels/{channel_id}/messages", lambda c: c.path.endswith(f"{thread.id}/messages")
    )
    assert call.json["allowed_mentions"]["parse"] == []
    assert {int(u) for u in call.json["allowed_mentions"]["users"]} == {w.alice.id, w.bob.id}
    assert h.dd.messages_in(w.general) == [] and h.dd.messages_in(w.buddies) == []


async def test_no_mentor_free_is_said_honestly_once_and_the_next_one_who_frees_up_is_theirs(h: Harness) -> None:
    w = h.world
    await ask_for_buddy(h, w.alice)
    assert honest_notes(h, w.alice) == 1 and threads(h) == []
    await h.restart()
    await h.run_timers()  # tried again at start-up: still nobody, and not told twice
    assert honest_notes(h, w.alice) == 1
    await mentor(h, w.bob)
    await h.run_timers()
    assert await paired_with(h, w.alice) == w.bob.id
    [thread] = threads(h)
    assert people_in(h, thread) == {w.alice.id, w.bob.id}


async def test_the_mentor_cap_holds_and_a_freed_mentor_takes_the_next_in_line(h: Harness) -> None:
    w = h.world
    cap = await h.private_command(w.mod, "config newcomer-mentors", cap=1)
    assert "1 at once" in cap.content
    await mentor(h, w.bob)
    await ask_for_buddy(h, w.alice)
    await ask_for_buddy(h, w.carol)
    assert await paired_with(h, w.alice) == w.bob.id
    assert await paired_with(h, w.carol) is None and honest_notes(h, w.carol) == 1
    assert await h.bot.store.newcomer_pairs.mentor_load(w.guild.id) == {w.bob.id: 1}
    # Alice asks to change: Bob is told neutrally, and Carol, first in line, gets him.
    [thread] = threads(h)
    intro = await h.dd.wait_for_message(thread)
    change = await h.dd.click(w.alice, intro, button_id(intro, "Change my buddy"))
    await change.response()
    assert change.ephemeral and "no reason was shared" in change.content
    assert any("No reason is shared" in m["content"] for m in h.dd.dms_to(w.bob))
    assert thread.archived and thread.locked
    await h.run_timers()
    assert await paired_with(h, w.carol) == w.bob.id
    # Alice is back in line (never with Bob again) and told honestly that nobody is free yet.
    assert await paired_with(h, w.alice) is None and honest_notes(h, w.alice) == 1
    assert await h.bot.store.newcomer_pairs.mentor_load(w.guild.id) == {w.bob.id: 1}


async def test_someone_outside_the_pair_cannot_end_it(h: Harness) -> None:
    w = h.world
    await mentor(h, w.bob)
    await ask_for_buddy(h, w.alice)
    [thread] = threads(h)
    intro = await h.dd.wait_for_message(thread)
    change = await h.dd.click(w.carol, intro, button_id(intro, "Change my buddy"))
    await change.response()
    assert change.ephemeral and "nothing has changed" in change.content
    assert await paired_with(h, w.alice) == w.bob.id


async def test_the_pair_is_kept_through_the_normal_round_unless_either_asks_to_change(h: Harness) -> None:
    w = h.world
    await mentor(h, w.bob, interests="music")
    for member in (w.alice, w.carol, w.dave):
        await h.private_command(member, "buddy join", interests="music")
    await ask_for_buddy(h, w.alice)
    assert await paired_with(h, w.alice) == w.bob.id
    await h.advance(TO_ROUND)
    gid = w.guild.id
    assert await h.bot.store.buddies.current_partners(gid, w.alice.id) == []  # she sits the round out
    assert await paired_with(h, w.alice) == w.bob.id  # ...keeping Bob
    assert sorted(await h.bot.store.buddies.current_partners(gid, w.bob.id)) == sorted([w.carol.id, w.dave.id])
    # Bob asks to change: Alice is told kindly, waits for the next free buddy, and joins the next round.
    [thread] = [t for t in threads(h) if people_in(h, t) == {w.alice.id, w.bob.id}]
    intro = await h.dd.wait_for_message(thread)
    change = await h.dd.click(w.bob, intro, button_id(intro, "Change my buddy"))
    await change.response()
    assert any("isn't about you" in m["content"] for m in h.dd.dms_to(w.alice))
    await h.run_timers()
    await h.advance(timedelta(days=7))
    assert await h.bot.store.buddies.current_partners(gid, w.alice.id) != []


async def test_a_mentor_offer_needs_buddy_pairing_and_steady_experience(h: Harness) -> None:
    w = h.world
    first = await h.private_command(w.bob, "buddy mentor", setting="on")
    assert "/buddy join" in first.content
    await h.private_command(w.bob, "buddy join", experience="new")
    new = await h.private_command(w.bob, "buddy mentor", setting="on")
    assert "steady or a mentor" in new.content
    assert not await h.bot.store.newcomer_pairs.is_mentor(w.guild.id, w.bob.id)


@pytest.mark.extensions(*EXTENSIONS, "cogs.privacy")
async def test_erasing_either_member_ends_the_pair_and_tells_the_other_neutrally(h: Harness) -> None:
    w = h.world
    await mentor(h, w.bob)
    await ask_for_buddy(h, w.alice)
    asked = await h.private_command(w.bob, "privacy delete")
    await confirm_erasure(h, w.bob, asked)
    notes = [m["content"] for m in h.dd.dms_to(w.alice) if "isn't about you" in m["content"]]
    assert len(notes) == 1 and "Bob" not in notes[0] and "delete" not in notes[0].lower()
    assert await h.bot.db.fetchval("SELECT count(*) FROM newcomer_pairs WHERE mentor_user_id = ?", (w.bob.id,)) == 0
    pair = await h.bot.store.newcomer_pairs.open_request(w.guild.id, w.alice.id)
    assert pair is not None and pair.status == "waiting"  # she's back in line for the next free buddy


async def test_a_mentor_who_leaves_the_server_frees_their_buddy_kindly(h: Harness) -> None:
    w = h.world
    await mentor(h, w.bob)
    await mentor(h, w.dave)
    await h.private_command(w.dave, "buddy avoid", member=w.alice)  # so Bob is her first buddy
    await ask_for_buddy(h, w.alice)
    assert await paired_with(h, w.alice) == w.bob.id
    [thread] = threads(h)
    await leave_server(h, w.bob)
    assert any("isn't about you" in m["content"] for m in h.dd.dms_to(w.alice))
    assert thread.archived and thread.locked
    await h.run_timers()
    # Dave asked never to be paired with her, so she waits, and is told honestly.
    assert await paired_with(h, w.alice) is None and honest_notes(h, w.alice) == 1


async def test_the_introduction_is_in_the_newcomers_language_and_each_note_in_its_readers(h: Harness) -> None:
    w = h.world
    await mentor(h, w.bob)
    w.alice.user.locale = "fr"
    await ask_for_buddy(h, w.alice)
    [thread] = threads(h)
    assert thread.name.startswith("Discussion de binôme · ")
    intro = await h.dd.wait_for_message(thread)
    assert intro["content"].startswith(f"👋 <@{w.alice.id}>, voici <@{w.bob.id}>.")
    change = await h.dd.click(w.bob, intro, button_id(intro, "Changer de binôme"))
    await change.response()
    assert change.content.startswith("Done. The pairing has ended")  # Bob's own client is in English
    assert any(m["content"].startswith("Ce binôme a pris fin.") for m in h.dd.messages_in(thread))
    assert any(
        m["content"].startswith("Ton binôme des 30 premiers jours a pris fin ; ça arrive") for m in h.dd.dms_to(w.alice)
    )
