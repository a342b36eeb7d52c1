"""Steps for the language tests: the server's own language, and the labels a message's buttons show."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.harness import Harness


async def set_server_language(h: Harness, locale: str) -> None:
    """A moderator sets the server's language (Discord's "primary language"); returns once the bot has it."""
    guild = h.world.guild
    guild.preferred_locale = locale
    waiter = asyncio.ensure_future(h.bot.wait_for("guild_update", timeout=3))
    await asyncio.sleep(0)  # let wait_for register before the gateway event can arrive
    h.dd.world.dispatch("GUILD_UPDATE", guild.payload(include_members=False))
    await waiter
    found = h.bot.get_guild(guild.id)
    assert found is not None and found.preferred_locale.value == locale


def labels(message: dict[str, Any]) -> list[str]:
    """The labels of a message's buttons, row by row."""
    return [c["label"] for row in message.get("components", []) for c in row.get("components", [])]


async def language_remembered(h: Harness, member: Any, locale: str) -> None:
    """Wait until Kindred has stored ``locale`` as the member's last language (it is saved just after a command
    completes, alongside the test's next steps)."""
    for _ in range(500):
        if await h.bot.store.prefs.locale_of(member.id) == locale:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"{member.name}'s language was never saved as {locale}")
