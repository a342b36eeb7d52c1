"""The one moderator check: the Manage Server permission, enforced every time a command runs.

Discord hides moderator commands from members without the permission, but server admins can override
that per command, so the rule is checked again at run time.
"""

from __future__ import annotations

from typing import Any

import discord

from bot.errors import KindredRefusal
from bot.i18n import N_, _

__all__ = ["MANAGE_SERVER_NEEDED", "OUTSIDE_A_SERVER", "moderated_guild", "require_moderator"]

MANAGE_SERVER_NEEDED = N_("This needs the **Manage Server** permission, which you don't have here.")
OUTSIDE_A_SERVER = N_("This belongs to a server, so please run it inside the server you look after.")


def moderated_guild(interaction: discord.Interaction[Any]) -> discord.Guild | None:
    """The server, if the member runs this inside one and may manage it; for quiet uses like suggestion lists."""
    guild = interaction.guild
    return guild if guild is not None and interaction.permissions.manage_guild else None


def require_moderator(
    interaction: discord.Interaction[Any],
    *,
    refusal: str | None = None,
    outside: str | None = None,
) -> discord.Guild:
    """The server, if the member may manage it; otherwise a kind refusal.

    ``refusal`` and ``outside`` let each feature say in its own words what needs the permission. The
    refusal is a check failure, so it reaches the member from a cog's ``interaction_check`` too. Left out,
    they are the general wording in the current locale.
    """
    guild = interaction.guild
    if guild is None:
        raise KindredRefusal(_(OUTSIDE_A_SERVER) if outside is None else outside)
    if not interaction.permissions.manage_guild:
        raise KindredRefusal(_(MANAGE_SERVER_NEEDED) if refusal is None else refusal)
    return guild
