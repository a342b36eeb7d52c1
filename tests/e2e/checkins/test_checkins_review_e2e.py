"""Second-engineer review of issue 4: defects found end to end through the Discord double, each pinned here."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest

from bot.checkins.chart import PNG_SIGNATURE
from bot.checkins.reminders import REMINDER_KIND, CheckinScheduler, Outcome
from bot.clock import FakeClock
from bot.db import Database
from bot.store import Store
from bot.timers import TimerService
from tests.double import InteractionHandle
from tests.harness import Harness
from tests.support.crisis import care

EXTENSIONS = ["cogs.checkins"]
CRISIS = "honestly i want to die, i can't do this anymore"
pytestmark = pytest.mark.extensions(*EXTENSIONS)


async def run(h: Harness, member: Any, command: str, **options: Any) -> InteractionHandle:
    return await h.command(member, command, **options)


def reminders_to(h: Harness, member: Any) -> list[dict[str, Any]]:
    return [m for m in h.dd.dms_to(member) if "Time for your check-in" in m["content"]]


def walk(components: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for comp in components:
        yield comp
        yield from walk(list(comp.get("components") or []))
        if "component" in comp:
            yield from walk([comp["component"]])


def button(inter: InteractionHandle, label: str) -> str:
    for comp in walk(inter.components):
        if comp.get("label") == label:
            return str(comp["custom_id"])
    raise AssertionError(f"no button {label!r}")


# -- Discord limits: Discord refuses a modal whose title or any label is over 45 characters ----------
async def test_the_check_in_modal_fits_discords_length_limits(h: Harness) -> None:
    inter = await run(h, h.world.alice, "checkin today", mood=3, craving=2)
    opened = await h.dd.click(h.world.alice, inter, "checkin:more:1")
    await opened.response()
    modal = opened.modal
    assert len(modal["title"]) <= 45 and len(modal["custom_id"]) <= 100
    inputs = [c for c in walk(modal["components"]) if c.get("type") == 4]
    assert len(inputs) == 5
    for field in inputs:
        assert len(field["label"]) <= 45, field["label"]
        assert len(field.get("placeholder") or "") <= 100, field["placeholder"]


# -- the 3-second deadline: drawing the chart comes after the interaction is acknowledged ----------
async def test_history_acknowledges_first_then_sends_the_chart(h: Harness) -> None:
    for _ in range(3):
        await run(h, h.world.alice, "checkin today", mood=3, craving=2)
        h.clock.advance(timedelta(days=1))
    inter = await run(h, h.world.alice, "checkin history", days=7)
    assert inter.type == 5 and inter.ephemeral  # "thinking…", privately, before matplotlib runs
    message = await inter.original()
    assert message["flags"] & 64  # still only for Alice
    assert message["embeds"][0]["image"]["url"] == "attachment://checkins.png"
    [edit] = h.dd.calls_to("PATCH", "/webhooks/{application_id}/{token}/messages/@original")
    assert edit.files[0].filename == "checkins.png" and edit.files[0].data.startswith(PNG_SIGNATURE)


# -- a failed DM that isn't "DMs closed" must not silently end the daily chain forever -------------
async def test_a_transient_dm_failure_keeps_tomorrows_reminder(h: Harness) -> None:
    await run(h, h.world.alice, "checkin remind set", time="19:00", timezone="UTC")
    # Discord's "opening direct messages too fast" (400, 40003): nothing to do with the member.
    h.dd.fail_next("POST", "/users/@me/channels", status=400, code=40003, count=1)
    await h.advance(timedelta(hours=7))
    assert reminders_to(h, h.world.alice) == []
    assert await h.bot.store.prefs.is_reachable(h.world.alice.id)
    assert [t.due_at for t in await h.bot.timers.pending(kind=REMINDER_KIND)] == [
        datetime(2026, 11, 23, 19, 0, tzinfo=UTC)
    ]
    await h.advance(timedelta(days=1))
    assert len(reminders_to(h, h.world.alice)) == 1


async def test_remind_off_during_a_send_is_not_undone_by_the_handler(db: Database, clock: FakeClock) -> None:
    store, timers = Store(db), TimerService(db, clock)

    async def sender(user_id: int, guild_id: int | None) -> bool:
        # The member runs `/checkin remind off` while their reminder DM is on its way.
        await store.checkins.disable_reminder(user_id, now=clock.now())
        await timers.cancel(dedupe_key=f"{REMINDER_KIND}:{user_id}")
        return True

    scheduler = CheckinScheduler(store, timers, clock, send_reminder=sender)
    scheduler.register()
    settings = await store.checkins.set_reminder(5, 1, time(19, 0), "UTC", frozenset(range(7)), now=clock.now())
    await scheduler.schedule_reminder(settings)
    clock.set(datetime(2026, 11, 22, 19, 0, tzinfo=UTC))
    [timer] = await timers.claim_due(clock.now())
    assert await scheduler.decide_and_send(timer) is Outcome.SENT
    assert await timers.pending(kind=REMINDER_KIND) == []


# -- privacy: a member who left the server is never celebrated in its channel ----------------------
async def test_no_celebration_post_for_a_member_who_left_the_server(h: Harness) -> None:
    await h.configure(checkin_share_channel_id=h.world.share.id)
    await run(h, h.world.alice, "recovery set", date="2026-11-16")
    await run(h, h.world.alice, "recovery celebrate", setting="on")
    await h.dd.member_leave(h.world.alice)
    await h.dd.world.signal.wait_for(
        lambda: h.bot.get_guild(h.world.guild.id).get_member(h.world.alice.id) is None,  # type: ignore[union-attr]
        timeout=5,
        describe=lambda: "the bot never saw Alice leave",
    )
    await h.advance(timedelta(hours=21))
    assert h.dd.messages_in(h.world.share) == []


# -- restart safety: the slip confirmation still works after a restart ----------------------------
async def test_slip_confirmation_works_after_a_restart(h: Harness) -> None:
    await run(h, h.world.alice, "recovery set", date="2026-10-13")
    ask = await run(h, h.world.alice, "recovery slip")
    yes = button(ask, "Yes, start a new stretch today")
    await h.stop()
    await h.start(extensions=EXTENSIONS)
    confirm = await h.dd.click(h.world.alice, ask, yes)
    await confirm.response()
    edited = h.dd.messages[int(ask.record.original_message_id)]  # type: ignore[arg-type]
    assert "A new stretch starts today" in edited["content"] and "**40 days**" in edited["content"]
    state = await h.bot.store.checkins.get_recovery(h.world.alice.id)
    assert state is not None and state.record.stretch_start.isoformat() == "2026-11-22"
    assert state.record.journey_start.isoformat() == "2026-10-13"


async def test_not_now_works_after_a_restart_and_changes_nothing(h: Harness) -> None:
    await run(h, h.world.alice, "recovery set", date="2026-10-13")
    ask = await run(h, h.world.alice, "recovery slip")
    await h.stop()
    await h.start(extensions=EXTENSIONS)
    cancel = await h.dd.click(h.world.alice, ask, button(ask, "Not now"))
    await cancel.response()
    assert "nothing has changed" in h.dd.messages[int(ask.record.original_message_id)]["content"]  # type: ignore[arg-type]
    state = await h.bot.store.checkins.get_recovery(h.world.alice.id)
    assert state is not None and state.record.stretch_start.isoformat() == "2026-10-13"


async def test_someone_elses_slip_button_changes_nothing(h: Harness) -> None:
    await run(h, h.world.alice, "recovery set", date="2026-10-13")
    await run(h, h.world.bob, "recovery set", date="2026-10-13")
    ask = await run(h, h.world.alice, "recovery slip")
    forged = await h.dd.click(h.world.bob, ask, button(ask, "Yes, start a new stretch today"))
    await forged.response()
    for member in (h.world.alice, h.world.bob):
        state = await h.bot.store.checkins.get_recovery(member.id)
        assert state is not None and state.record.stretch_start.isoformat() == "2026-10-13"


# -- crisis note: contacts in the private answer itself, so closed DMs can't hide them -------------
async def test_a_crisis_note_gets_contacts_in_the_answer_even_with_closed_dms(harness: Harness) -> None:
    h = harness
    await h.start(extensions=["cogs.crisis", "cogs.checkins"])
    await h.configure(region="UK")
    h.dd.close_dms(h.world.alice)
    inter = await run(h, h.world.alice, "checkin today", mood=3, craving=2, note=CRISIS)
    assert inter.ephemeral
    assert "Samaritans" in inter.content and "116 123" in inter.content
    assert "want to die" not in inter.content


async def test_the_check_in_answer_agrees_with_the_sentence_models_verdict(harness: Harness) -> None:
    h = harness
    await h.start(extensions=["cogs.crisis", "cogs.checkins"])
    # Nothing in the word list; the model reads a crisis: contacts in the answer, and the DM.
    inter = await run(
        h, h.world.alice, "checkin today", mood=3, craving=2, note="i feel so trapped and nothing ever changes"
    )
    assert "right now" in inter.content
    await h.dd.wait_for_dm(h.world.alice, lambda m: "You matter" in m["content"])
    # The word list matches "kms"; the model reads everyday talk: no contacts, and no DM.
    inter = await run(h, h.world.bob, "checkin today", mood=3, craving=2, note="kms the wifi died during my exam lol")
    assert "right now" not in inter.content
    await care(h).wait_idle()
    assert h.dd.dms_to(h.world.bob) == []


async def test_an_ordinary_note_gets_no_crisis_contacts(h: Harness) -> None:
    inter = await run(h, h.world.alice, "checkin today", mood=3, craving=2, note="Work was busy, gym after.")
    assert "right now" not in inter.content
