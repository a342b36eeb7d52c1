"""Helpers every feature that names a server interest shares: suggestions as the member types, and
the refusal for a name the server doesn't have (used by /interests and /room)."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.problems import KindredError
from bot.text import ECHO_LIMIT, clamp

__all__ = ["interest_choices", "unknown_interest"]


def unknown_interest(name: str) -> KindredError:
    """The error for a name that isn't in this server's catalogue."""
    return KindredError(
        f"**{discord.utils.escape_markdown(clamp(name.strip(), ECHO_LIMIT))}** isn't one of this server's interests. "
        "Pick one from the list as you type; a moderator can add new ones with `/config interests add`."
    )


def interest_choices(names: list[str], current: str) -> list[app_commands.Choice[str]]:
    """Up to 25 names containing what the member has typed, best matches (prefix) first."""
    query = current.strip().casefold()
    hits = [n for n in names if query in n.casefold()]
    hits.sort(key=lambda n: (not n.casefold().startswith(query), n.casefold()))
    return [app_commands.Choice(name=n[:100], value=n[:100]) for n in hits[:25]]
