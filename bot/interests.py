"""Helpers every feature that names a server interest shares: suggestions as the member types, and
the refusal for a name the server doesn't have (used by /interests and /room)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.i18n import _
from bot.problems import KindredError
from bot.text import ECHO_LIMIT, clamp

if TYPE_CHECKING:
    from bot.store.core import InterestRepo

__all__ = ["interest_choices", "interest_suggestions", "unknown_interest"]


def unknown_interest(name: str) -> KindredError:
    """The error for a name that isn't in this server's catalogue (in the current locale)."""
    return KindredError(
        _(
            "**{name}** isn't one of this server's interests. "
            "Pick one from the list as you type; a moderator can add new ones with `/config interests add`."
        ).format(name=discord.utils.escape_markdown(clamp(name.strip(), ECHO_LIMIT)))
    )


def interest_choices(names: list[str], current: str) -> list[app_commands.Choice[str]]:
    """Up to 25 names containing what the member has typed, best matches (prefix) first."""
    query = current.strip().casefold()
    hits = [n for n in names if query in n.casefold()]
    hits.sort(key=lambda n: (not n.casefold().startswith(query), n.casefold()))
    return [app_commands.Choice(name=n[:100], value=n[:100]) for n in hits[:25]]


async def interest_suggestions(
    interests: InterestRepo,
    interaction: discord.Interaction,
    current: str,
    *,
    now: datetime,
    followed: bool | None = None,
) -> list[app_commands.Choice[str]]:
    """What to suggest as a member types an interest: the server's interests (``followed`` ``None``), only those
    they follow (``True``), or only those they don't follow yet (``False``). Nothing outside a server."""
    guild = interaction.guild
    if guild is None:
        return []
    mine = await interests.of_member(guild.id, interaction.user.id) if followed is not None else []
    if followed:
        return interest_choices(mine, current)
    catalogue = [i.name for i in await interests.catalogue(guild.id, now=now)]
    return interest_choices([n for n in catalogue if n not in set(mine)], current)
