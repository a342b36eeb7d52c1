"""/service end to end, with time under control: reminders, edit, cancel, complete, weekly repeats, newcomers."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from bot.clock import from_db
from tests.harness import Harness
from tests.support.interact import answer
from tests.support.service import button, card_shows, click, current, opp_id, post, run

EXTENSIONS = ["cogs.service"]
# Cards in these tests start on Friday 27 November 2026 at 18:30 UTC; the clock starts on the 22nd at noon.
TO_DAY_BEFORE = timedelta(days=4, hours=6, minutes=30)
pytestmark = [pytest.mark.extensions(*EXTENSIONS), pytest.mark.configure(service_board_channel_id="service_board")]


def buttons_disabled(message: dict[str, Any]) -> bool:
    return all(c.get("disabled") for c in message["components"][0]["components"])


async def reminder_keys(h: Harness) -> dict[str, Any]:
    return {t.payload["lead"] + f":{t.user_id}": t.due_at for t in await h.bot.timers.pending(kind="service-remind")}


# -- reminders ---------------------------------------------------------------------------------
async def test_volunteers_get_reminders_a_day_and_an_hour_before(h: Harness) -> None:
    _, card = await post(h)
    await click(h, h.world.bob, card, "vol")
    await h.advance(TO_DAY_BEFORE - timedelta(minutes=1))
    assert h.dd.dms_to(h.world.bob) == []
    await h.advance(timedelta(minutes=1))
    day = await h.dd.wait_for_dm(h.world.bob, lambda m: "starts tomorrow" in m["content"])
    assert button(day, "Stop reminders for this") == f"service:mute:{opp_id(card)}"
    await h.advance(timedelta(hours=23))
    hour = await h.dd.wait_for_dm(h.world.bob, lambda m: "in about an hour" in m["content"])
    assert "<t:1795804200:F>" in hour["content"]
    assert len(h.dd.dms_to(h.world.bob)) == 2


async def test_stop_reminders_button_works_per_opportunity_even_after_a_restart(h: Harness) -> None:
    _, card = await post(h)
    _, other = await post(h, title="Listener on Friday", kind="listener")
    await click(h, h.world.bob, card, "vol")
    await click(h, h.world.bob, other, "vol")
    await h.advance(TO_DAY_BEFORE)
    day = await h.dd.wait_for_dm(h.world.bob, lambda m: "Greeter" in m["content"] and "starts tomorrow" in m["content"])
    await h.dd.wait_for_dm(h.world.bob, lambda m: "Listener" in m["content"])
    await h.restart()
    stop = await h.dd.click(h.world.bob, day, f"service:mute:{opp_id(card)}")
    await stop.response()
    assert "no more reminders for **Greeter" in stop.content and "still signed up" in stop.content
    await h.advance(timedelta(hours=23))
    hour = await h.dd.wait_for_dm(h.world.bob, lambda m: "in about an hour" in m["content"])
    assert "Listener" in hour["content"]
    assert not any("Greeter" in m["content"] and "hour" in m["content"] for m in h.dd.dms_to(h.world.bob))
    opp = await h.bot.store.service.get(opp_id(card))
    assert opp is not None and h.world.bob.id in opp.volunteers


async def test_withdrawing_cancels_the_members_reminders(h: Harness) -> None:
    _, card = await post(h)
    await click(h, h.world.bob, card, "vol")
    await click(h, h.world.carol, card, "vol")
    assert len(await reminder_keys(h)) == 4
    await click(h, h.world.bob, card, "wd")
    assert set(await reminder_keys(h)) == {f"24h:{h.world.carol.id}", f"1h:{h.world.carol.id}"}
    await h.advance(timedelta(days=6))
    assert h.dd.dms_to(h.world.bob) == []


# -- edit, cancel, complete --------------------------------------------------------------------
async def test_edit_tells_volunteers_what_changed_and_moves_reminders(h: Harness) -> None:
    _, card = await post(h)
    await click(h, h.world.bob, card, "vol")
    msg = await answer(await run(h, h.world.alice, "edit", id=opp_id(card), when="2026-11-28 10:00", slots=3))
    assert "<t:1795860000:F>" in msg["content"]
    dm = await h.dd.wait_for_dm(h.world.bob, lambda m: "has changed" in m["content"])
    assert "Time: <t:1795860000:F> (was <t:1795804200:F>)" in dm["content"]
    assert "Slots: 3 (was 2)" in dm["content"]
    keys = await reminder_keys(h)
    assert keys[f"1h:{h.world.bob.id}"] == from_db("2026-11-28T09:00:00+00:00")
    await card_shows(h, card, lambda m: "<t:1795860000:F>" in m["embeds"][0]["fields"][0]["value"])


async def test_only_the_poster_or_a_moderator_may_edit(h: Harness) -> None:
    _, card = await post(h)
    refused = await answer(await run(h, h.world.bob, "edit", id=opp_id(card), title="Mine now"))
    assert "Only the person who posted" in refused["content"]
    ok = await answer(await run(h, h.world.mod, "edit", id=opp_id(card), title="Door greeter"))
    assert "Door greeter" in ok["content"]
    await card_shows(h, card, lambda m: m["embeds"][0]["title"] == "Door greeter")


async def test_cancel_asks_first_then_tells_volunteers_kindly(h: Harness) -> None:
    _, card = await post(h, slots=1)
    await click(h, h.world.bob, card, "vol")
    await click(h, h.world.carol, card, "vol")  # waitlisted: told too
    ask = await run(h, h.world.alice, "cancel", id=opp_id(card), reason="The venue is closed that night.")
    assert ask.ephemeral and "Cancel **Greeter" in ask.content
    confirm = await h.dd.click(h.world.alice, ask, button(await ask.original(), "Yes, cancel it"))
    await confirm.response()
    for member in (h.world.bob, h.world.carol):
        dm = await h.dd.wait_for_dm(member, lambda m: "has been cancelled" in m["content"])
        assert "The venue is closed that night." in dm["content"] and "Thank you for offering" in dm["content"]
    shown = await card_shows(h, card, buttons_disabled)
    assert "cancelled" in shown["embeds"][0]["description"]
    assert await h.bot.timers.pending(kind="service-remind") == []
    assert await h.bot.timers.pending(kind="service-end") == []


async def test_keeping_it_at_the_cancel_confirmation_changes_nothing(h: Harness) -> None:
    _, card = await post(h, slots=1)
    await click(h, h.world.bob, card, "vol")
    ask = await run(h, h.world.alice, "cancel", id=opp_id(card))
    keep = await h.dd.click(h.world.alice, ask, button(await ask.original(), "Keep it"))
    await keep.response()
    assert keep.data["content"] == "Okay, nothing changed." and keep.data["components"] == []
    assert not buttons_disabled(current(h, card))
    assert all("cancelled" not in m["content"] for m in h.dd.dms_to(h.world.bob))
    assert await h.bot.timers.pending(kind="service-end")


async def test_complete_thanks_those_who_came_privately_and_in_public(h: Harness) -> None:
    _, card = await post(h, slots=3)
    await click(h, h.world.bob, card, "vol")
    await click(h, h.world.carol, card, "vol")
    await h.advance(timedelta(days=6))  # it has happened
    ask = await run(h, h.world.alice, "complete", id=opp_id(card), thank_publicly=True)
    assert ask.ephemeral
    original = await ask.original()
    picked = await h.dd.select(h.world.alice, original, f"service:complete:{opp_id(card)}:0", [str(h.world.bob.id)])
    await picked.response()
    done = await h.dd.click(h.world.alice, original, button(original, "Confirm and send thank-yous"))
    await done.response()
    thanks = await h.dd.wait_for_dm(h.world.bob, lambda m: "Thank you for helping" in m["content"])
    assert "for your eyes only" in thanks["content"]
    public = await h.dd.wait_for_message(h.world.service_board, lambda m: "warm thank-you" in m["content"])
    assert f"<@{h.world.bob.id}>" in public["content"] and f"<@{h.world.carol.id}>" not in public["content"]
    sent = h.dd.calls_to("POST", f"/channels/{h.world.service_board.id}/messages")[-1]
    assert [int(u) for u in sent.json["allowed_mentions"]["users"]] == [h.world.bob.id]
    assert sent.json["allowed_mentions"]["parse"] == []
    assert not any("Thank you for helping" in m["content"] for m in h.dd.dms_to(h.world.carol))
    mine = await run(h, h.world.bob, "mine")
    fields = {f["name"]: f["value"] for f in mine.embeds[0]["fields"]}
    assert "Greeter for Friday's meeting" in fields["Times you've helped"]
    carol = await run(h, h.world.carol, "mine")
    assert "Greeter" not in {f["name"]: f["value"] for f in carol.embeds[0]["fields"]}["Times you've helped"]


async def test_complete_without_public_thanks_posts_nothing_on_the_board(h: Harness) -> None:
    _, card = await post(h)
    await click(h, h.world.bob, card, "vol")
    ask = await run(h, h.world.alice, "complete", id=opp_id(card))
    original = await ask.original()
    done = await h.dd.click(h.world.alice, original, button(original, "Confirm and send thank-yous"))
    await done.response()
    await h.dd.wait_for_dm(h.world.bob, lambda m: "Thank you for helping" in m["content"])
    await card_shows(h, card, lambda m: "has happened" in m["embeds"][0]["description"])
    assert not any("thank-you" in m["content"] for m in h.dd.messages_in(h.world.service_board))


# -- weekly ------------------------------------------------------------------------------------
async def test_weekly_opportunity_posts_the_next_one_when_it_passes(h: Harness) -> None:
    _, card = await post(h, when="2026-11-23 18:00", duration="1h", recurring="weekly")
    await click(h, h.world.bob, card, "vol")
    await h.advance(timedelta(days=1, hours=7))  # Monday 19:00: it has ended
    nxt = await h.dd.wait_for_message(h.world.service_board, lambda m: bool(m["embeds"]))
    assert "<t:1796061600:F>" in nxt["embeds"][0]["fields"][0]["value"]  # 30 November 18:00
    assert opp_id(nxt) != opp_id(card)
    assert "0 of 2 slots filled" in str(nxt["embeds"][0]["fields"])
    await card_shows(h, card, buttons_disabled)
    await h.advance(timedelta(days=7))
    third = await h.dd.wait_for_message(h.world.service_board, lambda m: bool(m["embeds"]))
    assert "<t:1796666400:F>" in third["embeds"][0]["fields"][0]["value"]  # 7 December 18:00


async def test_completing_a_weekly_one_posts_the_next_once(h: Harness) -> None:
    _, card = await post(h, when="2026-11-23 18:00", duration="1h", recurring="weekly")
    ask = await run(h, h.world.alice, "complete", id=opp_id(card))
    assert "marked complete" in ask.content
    nxt = await h.dd.wait_for_message(h.world.service_board, lambda m: bool(m["embeds"]))
    assert "<t:1796061600:F>" in nxt["embeds"][0]["fields"][0]["value"]
    await h.advance(timedelta(days=2))  # the old end timer must not post another
    cards = [m for m in h.dd.messages_in(h.world.service_board) if m["embeds"]]
    assert len(cards) == 3 - 1


# -- newcomers ---------------------------------------------------------------------------------
async def join_and_settle(h: Harness, name: str) -> Any:
    """A member joins; return once the bot's on_member_join handlers have finished."""
    seen = asyncio.ensure_future(h.bot.wait_for("member_join"))
    member = await h.dd.member_join(h.world.guild, name)
    await asyncio.wait_for(seen, 5)
    handlers = [t for t in asyncio.all_tasks() if t.get_name() == "discord.py: on_member_join"]
    await asyncio.gather(*handlers)
    return member


async def test_newcomer_welcome_volunteers_are_told_privately_and_nothing_is_posted(h: Harness) -> None:
    _, card = await post(h, title="Welcome desk", when="2026-11-22 13:00", duration="2h", kind="newcomer_welcome")
    await click(h, h.world.bob, card, "vol")
    await join_and_settle(h, "Early Bird")  # before the shift: nobody is told
    assert h.dd.dms_to(h.world.bob) == []
    await h.advance(timedelta(minutes=90))  # 13:30: the shift is running
    newbie = await join_and_settle(h, "Newbie")
    told = await h.dd.wait_for_dm(h.world.bob, lambda m: "Someone new just joined" in m["content"])
    assert f"<@{newbie.id}>" in told["content"] and "don't mention their arrival in public" in told["content"]
    [sent] = [c for c in h.dd.calls_to("POST", "/channels/{channel_id}/messages") if "Someone new" in str(c.json)]
    assert sent.json["allowed_mentions"]["parse"] == [] and not sent.json["allowed_mentions"].get("users")
    # Nothing public: no thread, and no server channel names the newcomer.
    assert h.dd.calls_to("POST", "/channels/{channel_id}/messages/{message_id}/threads") == []
    for channel in (h.world.general, h.world.service_board):
        assert all(str(newbie.id) not in m["content"] for m in h.dd.messages_in(channel))
    await h.advance(timedelta(hours=2))  # the shift is over
    await join_and_settle(h, "Late")
    assert len([m for m in h.dd.dms_to(h.world.bob) if "Someone new" in m["content"]]) == 1


# -- erasure -----------------------------------------------------------------------------------
async def test_before_erasure_places_pass_on_and_volunteers_hear_neutrally(h: Harness) -> None:
    _, theirs = await post(h, h.world.bob, title="Bob's shift", slots=1)
    _, card = await post(h, slots=1)
    await click(h, h.world.bob, card, "vol")
    await click(h, h.world.carol, card, "vol")  # waitlisted
    await click(h, h.world.dave, theirs, "vol")
    await h.bot.erase_hooks["service"](h.world.bob.id, h.world.guild.id)
    await h.dd.wait_for_dm(h.world.carol, lambda m: "place opened up" in m["content"])
    told = await h.dd.wait_for_dm(h.world.dave, lambda m: "has been cancelled" in m["content"])
    assert "The organiser said" not in told["content"]  # neutral: no reason is given
    await card_shows(h, theirs, buttons_disabled)
    await card_shows(h, card, lambda m: "1 of 1 slot filled · 0 open" in str(m["embeds"]))
    opp = await h.bot.store.service.get(opp_id(card))
    assert opp is not None and opp.volunteers == (h.world.carol.id,)
