"""The one moderator check: the Manage Server permission, enforced every time a command runs.

Discord hides moderator commands from members without the permission, but server admins can override
that per command, so the rule is checked again at run time.
"""

from __future__ import annotations

from typing import Any

import discord

from bot.errors import KindredRefusal

__all__ = ["MANAGE_SERVER_NEEDED", "OUTSIDE_A_SERVER", "moderated_guild", "require_moderator"]

MANAGE_SERVER_NEEDED = "This needs the **Manage Server** permission, which you don't have here."
OUTSIDE_A_SERVER = "This belongs to a server, so please run it inside the server you look after."


def moderated_guild(interaction: discord.Interaction[Any]) -> discord.Guild | None:
    """The server, if the member runs this inside one and may manage it; for quiet uses like suggestion lists."""
    guild = interaction.guild
    return guild if guild is not None and interaction.permissions.manage_guild else None


def require_moderator(
    interaction: discord.Interaction[Any],
    *,
    refusal: str = MANAGE_SERVER_NEEDED,
    outside: str = OUTSIDE_A_SERVER,
) -> discord.Guild:
    """The server, if the member may manage it; otherwise a kind refusal.

    ``refusal`` and ``outside`` let each feature say in its own words what needs the permission. The
    refusal is a check failure, so it reaches the member from a cog's ``interaction_check`` too.
    """
    guild = interaction.guild
    if guild is None:
        raise KindredRefusal(outside)
    if not interaction.permissions.manage_guild:
        raise KindredRefusal(refusal)
    return guild
