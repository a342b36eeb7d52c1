"""First-30-days support: the private offer (accepted, partial, declined), /recovery support, the welcome
DM's answer, and the moderators' count with no names."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from bot.newcomers.pairing import PAIR_KIND
from bot.newcomers.rhythm import END_KIND, MILESTONE_KIND, PROMPT_KIND, ROOMS_KIND
from tests.harness import Harness
from tests.support.languages import labels, set_server_language
from tests.support.newcomers import button_id, listeners_done, live_until, offer_of, select_id

EXTENSIONS = ["cogs.checkins", "cogs.newcomers", "cogs.config", "cogs.welcome"]
pytestmark = [pytest.mark.extensions(*EXTENSIONS), pytest.mark.quiet]


async def kinds(h: Harness) -> set[str]:
    return {t.kind for t in await h.bot.timers.pending() if t.kind.startswith("newcomer-")}


async def test_a_recent_recovery_date_brings_a_private_offer_and_yes_turns_on_everything(h: Harness) -> None:
    offer = await offer_of(h, h.world.alice, "2026-11-20")
    assert offer["flags"] & 64, "the offer must be ephemeral"
    assert "first 30 days" in offer["content"] and "private" in offer["content"]
    for word in ("addict", "newbie", "clean"):
        assert word not in offer["content"].lower()
    click = await h.dd.click(h.world.alice, offer, button_id(offer, "Yes, all of it"))
    await click.response()
    text = h.dd.messages[int(offer["id"])]["content"]
    assert "First-30-days support is on" in text and "20 November" in text and "19:00" in text
    assert await kinds(h) == {PAIR_KIND, PROMPT_KIND, MILESTONE_KIND, ROOMS_KIND, END_KIND}
    record = await h.bot.store.newcomers.get(h.world.alice.id)
    assert record is not None and record.on and record.parts == {"buddy", "checkins", "milestones", "rooms", "welcome"}
    assert h.dd.messages_in(h.world.general) == []


async def test_choosing_parts_turns_on_only_those(h: Harness) -> None:
    offer = await offer_of(h, h.world.alice, "2026-11-22")
    choose = await h.dd.click(h.world.alice, offer, button_id(offer, "Let me choose"))
    await choose.response()
    assert choose.ephemeral
    picked = await h.dd.select(h.world.alice, choose, select_id(choose), ["checkins"])
    await picked.response()
    record = await h.bot.store.newcomers.get(h.world.alice.id)
    assert record is not None and record.on and record.parts == {"checkins"}
    assert await kinds(h) == {PROMPT_KIND, END_KIND}


async def test_no_thanks_changes_nothing_and_is_not_asked_again(h: Harness) -> None:
    offer = await offer_of(h, h.world.alice, "2026-11-21")
    click = await h.dd.click(h.world.alice, offer, button_id(offer, "No thanks"))
    await click.response()
    assert "No problem" in h.dd.messages[int(offer["id"])]["content"]
    assert await kinds(h) == set()
    again = await h.command(h.world.alice, "recovery set", date="2026-11-22")
    await listeners_done("recovery_date_set")
    assert again.record.followup_ids == []


async def test_a_new_start_after_a_finished_period_brings_the_offer_once_more(h: Harness) -> None:
    offer = await offer_of(h, h.world.alice, "2026-11-20")
    click = await h.dd.click(h.world.alice, offer, button_id(offer, "Yes, all of it"))
    await click.response()
    await live_until(h, h.clock.now() + timedelta(days=31))
    record = await h.bot.store.newcomers.get(h.world.alice.id)
    assert record is not None and record.status == "ended"
    same = await h.command(h.world.alice, "recovery set", date="2026-11-20")  # the old start again: no offer
    await listeners_done("recovery_date_set")
    assert same.record.followup_ids == []
    again = await offer_of(h, h.world.alice, h.clock.now().date().isoformat())
    assert "first 30 days" in again["content"]
    record = await h.bot.store.newcomers.get(h.world.alice.id)
    assert record is not None and record.status == "offered"


async def test_an_older_recovery_date_brings_no_offer(h: Harness) -> None:
    inter = await h.command(h.world.alice, "recovery set", date="2026-10-13")
    await listeners_done("recovery_date_set")
    assert inter.record.followup_ids == []
    assert await h.bot.store.newcomers.get(h.world.alice.id) is None


async def test_someone_else_cannot_answer_the_offer(h: Harness) -> None:
    offer = await offer_of(h, h.world.alice, "2026-11-20")
    click = await h.dd.click(h.world.bob, offer, button_id(offer, "Yes, all of it"))
    await click.response()
    assert click.ephemeral and "someone else" in click.content
    assert await h.bot.store.newcomers.get(h.world.bob.id) is None
    record = await h.bot.store.newcomers.get(h.world.alice.id)
    assert record is not None and record.status == "offered"


async def test_the_offer_still_answers_after_a_restart(h: Harness) -> None:
    offer = await offer_of(h, h.world.alice, "2026-11-20")
    await h.restart()
    click = await h.dd.click(h.world.alice, offer, button_id(offer, "Yes, all of it"))
    await click.response()
    assert "First-30-days support is on" in h.dd.messages[int(offer["id"])]["content"]


async def test_support_on_off_and_status_commands(h: Harness) -> None:
    status = await h.private_command(h.world.alice, "recovery support status")
    assert "off" in status.content and "/recovery support on" in status.content
    on = await h.private_command(
        h.world.alice, "recovery support on", buddy=False, milestones=False, rooms=False, welcome=False, time="08:30"
    )
    assert "**08:30**" in on.content and "2 weeks" not in on.content
    [prompt] = await h.bot.timers.pending(kind=PROMPT_KIND)
    assert prompt.due_at.hour == 8 and prompt.due_at.minute == 30 and prompt.payload["what"] == "2"
    assert await kinds(h) == {PROMPT_KIND, END_KIND}
    status = await h.private_command(h.world.alice, "recovery support status")
    assert "day 1 of your 30" in status.content
    off = await h.private_command(h.world.alice, "recovery support off")
    assert "off" in off.content and await kinds(h) == set()
    none = await h.private_command(
        h.world.alice, "recovery support on", buddy=False, checkins=False, milestones=False, rooms=False, welcome=False
    )
    assert "at least one part" in none.content


async def test_a_bad_prompt_time_gets_a_specific_answer(h: Harness) -> None:
    inter = await h.private_command(h.world.alice, "recovery support on", time="25:00")
    assert "25:00" in inter.content
    assert await h.bot.store.newcomers.get(h.world.alice.id) is None


async def test_moderators_see_a_count_and_never_a_name(h: Harness) -> None:
    await h.private_command(h.world.alice, "recovery support on")
    await h.private_command(h.world.bob, "recovery support on")
    await h.private_command(h.world.bob, "recovery support off")
    show = await h.private_command(h.world.mod, "config show")
    [field] = [f for f in show.embeds[0]["fields"] if f["name"] == "First-30-days support"]
    assert field["value"].startswith("1 member has it on now.")
    everything = str(show.embeds)
    for member in (h.world.alice, h.world.bob):
        assert str(member.id) not in everything and "Alice" not in everything and "Bob" not in everything


async def join(h: Harness, name: str) -> Any:
    seen = asyncio.ensure_future(h.bot.wait_for("member_join"))
    member = h.world.guild.add_member(name)
    await asyncio.wait_for(seen, 5)
    await listeners_done("member_join")
    return member


async def test_the_welcome_dm_and_its_button_are_in_the_servers_language(h: Harness) -> None:
    await set_server_language(h, "es-ES")
    await h.configure(welcome_dm=True)
    newcomer = await join(h, "Nueva Llegada")
    [welcome] = h.dd.dms_to(newcomer)
    text = welcome["content"]
    assert text.startswith(f"Te damos la bienvenida a **{h.world.guild.name}**. Nos alegra que estés aquí.")
    assert "• `/registro hoy`: treinta segundos para notar cómo estás. Solo tú lo ves." in text
    assert "`/recursos ver`" in text and "Welcome" not in text and "/checkin" not in text
    assert labels(welcome) == ["Estoy empezando: cuéntame sobre el apoyo extra"]


async def test_answering_the_welcome_dm_brings_the_offer(h: Harness) -> None:
    await h.configure(welcome_dm=True)
    newcomer = await join(h, "New Arrival")
    [welcome] = h.dd.dms_to(newcomer)
    ask = await h.dd.click(newcomer, welcome, button_id(welcome, "I'm just starting out: tell me about extra support"))
    await ask.response()
    assert "first 30 days" in ask.content
    await h.restart()
    yes = await h.dd.click(newcomer, ask, button_id(ask, "Yes, all of it"))
    await yes.response()
    record = await h.bot.store.newcomers.get(newcomer.id)
    assert record is not None and record.on and record.guild_id == h.world.guild.id
    assert all(str(newcomer.id) not in m["content"] for m in h.dd.messages_in(h.world.general))
