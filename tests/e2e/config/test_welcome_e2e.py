"""The private welcome DM to new members: off until a moderator turns it on, private, and nothing public."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.harness import Harness

EXTENSIONS = ["cogs.config", "cogs.welcome"]
pytestmark = pytest.mark.extensions(*EXTENSIONS)


async def join(h: Harness, name: str, *, bot: bool = False) -> Any:
    """A member (or a bot) joins; return once the bot's on_member_join handlers have finished."""
    seen = asyncio.ensure_future(h.bot.wait_for("member_join"))
    member = h.world.guild.add_member(name, bot=bot)
    await asyncio.wait_for(seen, 5)
    handlers = [t for t in asyncio.all_tasks() if t.get_name() == "discord.py: on_member_join"]
    await asyncio.gather(*handlers)
    return member


async def welcome(h: Harness, state: str) -> str:
    inter = await h.dd.slash(h.world.mod, "config welcome", channel=h.world.general, options={"state": state})
    await inter.response()
    assert inter.ephemeral
    return str(inter.content)


def nothing_public_about(h: Harness, member: Any) -> bool:
    channels = [h.world.general, h.world.modlog]
    return all(str(member.id) not in m["content"] for c in channels for m in h.dd.messages_in(c))


async def test_no_welcome_until_a_moderator_turns_it_on(h: Harness) -> None:
    quiet = await join(h, "Quiet Arrival")
    assert h.dd.dms_to(quiet) == []
    assert "Welcome DM to new members" in await welcome(h, "on")
    newcomer = await join(h, "New Arrival")
    [dm] = h.dd.dms_to(newcomer)
    assert "Welcome to" in dm["content"] and "`/checkin today`" in dm["content"]
    assert "`/resources show`" in dm["content"] and "private" in dm["content"]
    assert nothing_public_about(h, newcomer)
    await welcome(h, "off")
    later = await join(h, "Later Arrival")
    assert h.dd.dms_to(later) == []


async def rejoin(h: Harness, member: Any) -> None:
    """``member`` comes back to the server (GUILD_MEMBER_ADD again)."""
    guild = h.world.guild
    seen = asyncio.ensure_future(h.bot.wait_for("member_join"))
    guild.members[member.id] = member
    h.dd.world.dispatch("GUILD_MEMBER_ADD", {"guild_id": str(guild.id), **member.payload()})
    await asyncio.wait_for(seen, 5)
    handlers = [t for t in asyncio.all_tasks() if t.get_name() == "discord.py: on_member_join"]
    await asyncio.gather(*handlers)


async def test_closed_dms_mean_no_welcome_and_nothing_public(h: Harness) -> None:
    newcomer = await join(h, "Private Person")  # welcome off: nothing
    await h.dd.member_leave(newcomer)
    h.dd.close_dms(newcomer)
    await welcome(h, "on")
    await rejoin(h, newcomer)
    assert h.dd.dms_to(newcomer) == []
    assert nothing_public_about(h, newcomer)
    assert h.dd.calls_to("POST", "/users/@me/channels")  # the DM was tried


async def test_bots_get_no_welcome(h: Harness) -> None:
    await welcome(h, "on")
    other_bot = await join(h, "Some Bot", bot=True)
    assert h.dd.dms_to(other_bot) == []


async def test_config_show_lists_the_welcome(h: Harness) -> None:
    inter = await h.dd.slash(h.world.mod, "config show", channel=h.world.general, options={})
    await inter.response()
    text = str(inter.content) + str(inter.embeds)
    assert "Welcome DM to new members" in text
