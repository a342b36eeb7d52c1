"""The service welcome, with consent: only a member who asked is mentioned to the volunteers on the welcome
rota, and they choose how: a DM from a volunteer, or a hello in their buddy thread."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.harness import Harness
from tests.support.newcomers import button_id, welcome_shift

EXTENSIONS = ["cogs.checkins", "cogs.buddies", "cogs.service", "cogs.newcomers"]
pytestmark = [
    pytest.mark.extensions(*EXTENSIONS),
    pytest.mark.configure(service_board_channel_id="service_board", buddy_channel_id="buddies"),
    pytest.mark.quiet,
]
ASKED = "asked for a welcome from the rota"


def asks_about(h: Harness, volunteer: Any, member: Any) -> list[dict[str, Any]]:
    return [m for m in h.dd.dms_to(volunteer) if ASKED in m["content"] and f"<@{member.id}>" in m["content"]]


async def support_on(h: Harness, member: Any, **parts: bool) -> Any:
    inter = await h.private_command(member, "recovery support on", checkins=False, milestones=False, **parts)
    assert "How would you like the welcome?" in inter.content
    return inter


def nothing_public_about(h: Harness, member: Any) -> bool:
    channels = (h.world.general, h.world.service_board, h.world.buddies)
    return all(str(member.id) not in m["content"] for c in channels for m in h.dd.messages_in(c))


async def test_a_dm_welcome_reaches_only_volunteers_on_shift_and_only_after_consent(h: Harness) -> None:
    w = h.world
    await welcome_shift(h, w.mod, [w.dave], when="2026-11-22 12:30")
    await h.advance(timedelta(hours=1))  # 13:00: the shift is running
    ask = await support_on(h, w.alice, buddy=False, rooms=False)
    await h.run_timers()
    assert asks_about(h, w.dave, w.alice) == []  # nothing until she says how
    chose = await h.dd.click(w.alice, ask, button_id(ask, "A DM from a volunteer"))
    await chose.response()
    assert chose.ephemeral and "by DM" in chose.content
    await h.run_timers()
    [told] = asks_about(h, w.dave, w.alice)
    assert "friendly hello by DM" in told["content"] and "keep it private" in told["content"]
    for word in ("newbie", "addict", "newcomer"):
        assert word not in told["content"].lower()
    assert any("let the volunteers" in m["content"] for m in h.dd.dms_to(w.alice))
    assert asks_about(h, w.carol, w.alice) == [] and nothing_public_about(h, w.alice)
    record = await h.bot.store.newcomers.get(w.alice.id)
    assert record is not None and record.welcome_how == "dm" and record.welcome_status == "asked"


async def test_a_thread_welcome_adds_the_first_volunteer_who_answers(h: Harness) -> None:
    w = h.world
    await h.private_command(w.bob, "buddy join", experience="steady")
    await h.private_command(w.bob, "buddy mentor", setting="on")
    await welcome_shift(h, w.mod, [w.carol, w.dave], when="2026-11-22 12:30")
    await h.advance(timedelta(hours=1))
    ask = await support_on(h, w.alice, rooms=False)
    await h.run_timers()  # paired with Bob in a private thread
    chose = await h.dd.click(w.alice, ask, button_id(ask, "A hello in my buddy thread"))
    await chose.response()
    await h.run_timers()
    [to_dave] = asks_about(h, w.dave, w.alice)
    [to_carol] = asks_about(h, w.carol, w.alice)
    greet = await h.dd.click(w.dave, to_dave, button_id(to_dave, "I'll say hello in their buddy thread"))
    await greet.response()
    assert greet.ephemeral and "You're in their buddy thread" in greet.content
    [thread] = [t for t in h.dd.threads if t.parent_id == w.buddies.id]
    assert {w.alice.id, w.bob.id, w.dave.id} <= set(thread.thread_members)
    hello = await h.dd.wait_for_message(thread, lambda m: "from the welcome rota" in m["content"])
    assert f"<@{w.dave.id}>" in hello["content"] and f"<@{w.alice.id}>" in hello["content"]
    late = await h.dd.click(w.carol, to_carol, button_id(to_carol, "I'll say hello in their buddy thread"))
    await late.response()
    assert "already said hello" in late.content and w.carol.id not in thread.thread_members
    stranger = await h.dd.click(w.owner, to_carol, button_id(to_carol, "I'll say hello in their buddy thread"))
    await stranger.response()
    assert "volunteers on a running welcome shift" in stranger.content
    assert nothing_public_about(h, w.alice)


async def test_nobody_on_shift_is_said_honestly_and_the_next_shift_hears(h: Harness) -> None:
    w = h.world
    ask = await support_on(h, w.alice, buddy=False, rooms=False)
    chose = await h.dd.click(w.alice, ask, button_id(ask, "A DM from a volunteer"))
    await chose.response()
    await h.run_timers()
    assert sum("Nobody is on the welcome rota" in m["content"] for m in h.dd.dms_to(w.alice)) == 1
    await welcome_shift(h, w.mod, [w.dave], when="2026-11-22 15:00")
    await h.restart()  # a restart in between loses nothing
    await h.advance(timedelta(hours=6))  # the next try finds Dave on shift
    assert len(asks_about(h, w.dave, w.alice)) == 1
    assert sum("Nobody is on the welcome rota" in m["content"] for m in h.dd.dms_to(w.alice)) == 1
    await h.advance(timedelta(days=8))
    assert len(asks_about(h, w.dave, w.alice)) == 1  # asked once, never again


async def test_a_week_without_volunteers_ends_with_a_kind_word(h: Harness) -> None:
    w = h.world
    ask = await support_on(h, w.alice, buddy=False, rooms=False)
    chose = await h.dd.click(w.alice, ask, button_id(ask, "A DM from a volunteer"))
    await chose.response()
    for _ in range(30):
        await h.advance(timedelta(hours=6))
    notes = [m["content"] for m in h.dd.dms_to(w.alice) if "no volunteer on the welcome rota was free" in m["content"]]
    assert len(notes) == 1 and "not about you" in notes[0]
    record = await h.bot.store.newcomers.get(w.alice.id)
    assert record is not None and record.welcome_status == "missed"


async def test_a_thread_welcome_needs_the_buddy_part(h: Harness) -> None:
    ask = await support_on(h, h.world.alice, buddy=False, rooms=False)
    chose = await h.dd.click(h.world.alice, ask, button_id(ask, "A hello in my buddy thread"))
    await chose.response()
    assert chose.ephemeral and "needs the buddy part" in chose.content


async def test_each_person_reads_the_welcome_in_their_own_language(h: Harness) -> None:
    w = h.world
    w.dave.user.locale = "de"
    await h.private_command(w.dave, "recovery support status")  # Dave last used Kindred in German
    await welcome_shift(h, w.mod, [w.dave], when="2026-11-22 12:30")
    await h.advance(timedelta(hours=1))
    w.alice.user.locale = "pt-BR"
    ask = await h.private_command(w.alice, "recovery support on", checkins=False, milestones=False, buddy=False)
    assert "**Como você gostaria das boas-vindas?**" in ask.content
    chose = await h.dd.click(w.alice, ask, button_id(ask, "Uma DM de um voluntário"))
    await chose.response()
    assert chose.content == "Obrigado. Vamos pedir a um voluntário da escala de boas-vindas que te dê um oi por DM."
    await h.run_timers()
    [told] = [m for m in h.dd.dms_to(w.dave) if f"<@{w.alice.id}>" in m["content"]]
    assert told["content"].startswith("Jemand in den ersten 30 Tagen auf **")
    assert "Die Person freut sich über ein kurzes, freundliches Hallo per DM." in told["content"]
    assert any(m["content"].startswith("Avisei os voluntários da escala de boas-vindas") for m in h.dd.dms_to(w.alice))
