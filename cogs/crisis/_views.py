"""Persistent crisis buttons: **Talk to someone here** and **I'm OK** on the member's DM, **I'm reaching out** on alerts.

All three are :class:`discord.ui.DynamicItem` subclasses whose custom ids carry what they need, so a click on
an old message still works after any number of restarts. Their callbacks catch every error themselves:
discord.py only logs what a dynamic item raises, and a member in a hard moment must never meet a silent
"interaction failed".
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

import discord

from bot.clock import discord_ts
from bot.crisis import Level
from bot.crisis_care.alerts import GONE
from bot.crisis_care.text import team_locale
from bot.crisis_care.work import NamedServer, claim_custom_id
from bot.errors import KindredError, reply_ephemeral
from bot.i18n import N_, _, using_locale
from bot.messaging import NO_PINGS
from bot.resources import render_contacts
from cogs._buttons import PersistentButton

if TYPE_CHECKING:
    from bot.client import KindredBot
    from bot.crisis_care.care import CrisisCare

__all__ = ["ClaimButton", "OkButton", "TalkButton", "answer_view", "claim_view"]

log = logging.getLogger(__name__)

RESTARTING = N_(
    "Crisis support is restarting, so I couldn't do that just now. Please try again in a minute; "
    "`/resources show` lists people you can reach any time."
)


def answer_view(guilds: Sequence[NamedServer], level: Level) -> discord.ui.View:
    """The buttons under a member's private answer: one "talk" per server they could ask, and "I'm OK"."""
    view = discord.ui.View(timeout=None)
    for guild in guilds:
        label = (
            _("Talk to someone here")
            if len(guilds) == 1
            else _("Talk to someone in {server}").format(server=guild.name)
        )
        view.add_item(TalkButton(guild.id, level, label=label[:80]))
    view.add_item(OkButton())
    return view


def claim_view(alert_id: int, *, claimed: bool = False) -> discord.ui.View:
    """The claim button under a crisis-team alert, labelled in the current locale (the team's, like the alert).

    It stays after a claim (greyed, relabelled) so a later click is told who is already reaching out.
    """
    view = discord.ui.View(timeout=None)
    view.add_item(ClaimButton(alert_id, claimed=claimed))
    return view


def _care(interaction: discord.Interaction) -> CrisisCare:
    """The crisis service, reached by type: buttons rebuilt after a restart find it on ``bot.features``."""
    care = cast("KindredBot", interaction.client).features.crisis
    if care is None:
        raise KindredError(_(RESTARTING))
    return care


class TalkButton(PersistentButton, template=r"crisis:talk:(?P<guild_id>\d+)(?::(?P<level>\d))?"):
    """With the member's consent, tell the server's crisis team they'd like someone to reach out."""

    def __init__(self, guild_id: int, level: Level = Level.CONCERN, *, label: str | None = None) -> None:
        # Labelled when built, in the current locale (a default argument would be read once, in English, at import).
        label = _("Talk to someone here") if label is None else label
        super().__init__(f"crisis:talk:{guild_id}:{int(level)}", label, discord.ButtonStyle.primary)
        self.guild_id = guild_id
        self.level = level

    @classmethod
    def rebuild(cls, match: re.Match[str]) -> TalkButton:
        """The button from a click's custom id, e.g. after a restart."""
        level = Level(int(match["level"])) if match["level"] else Level.CONCERN
        return cls(int(match["guild_id"]), level)

    async def press(self, interaction: discord.Interaction) -> None:
        """Post a consent alert and tell the member what happens next, with their contacts."""
        await _talk(interaction, self.guild_id, self.level)


async def _talk(interaction: discord.Interaction, guild_id: int, level: Level) -> None:
    care = _care(interaction)
    # Reaching the team takes the database and a post in its channel: answer Discord first, so a slow
    # moment never turns the member's request into "This interaction failed".
    await interaction.response.defer(ephemeral=True, thinking=True)
    text, contacts = await care.consent.talk(guild_id, interaction.user.id, level)
    await reply_ephemeral(interaction, f"{text}\n\n{render_contacts(contacts, substance=True)}")


class OkButton(PersistentButton, template=r"crisis:ok"):
    """The member is OK: acknowledged, and no automatic message for 24 hours unless it's imminent."""

    def __init__(self) -> None:
        super().__init__("crisis:ok", _("I'm OK"), discord.ButtonStyle.secondary)

    async def press(self, interaction: discord.Interaction) -> None:
        """Record the acknowledgement and thank them."""
        await _ok(interaction)


async def _ok(interaction: discord.Interaction) -> None:
    care = _care(interaction)
    # Remembered at once and stored in the background: the thanks never waits on the database.
    care.acknowledge(interaction.user.id, care.bot.clock.now())
    await reply_ephemeral(
        interaction,
        _(
            "Thanks for letting me know. I'll give you space: no automatic messages from me for the next day. "
            "`/resources show` is there any time, and you can always talk to someone here."
        ),
    )


class ClaimButton(PersistentButton, template=r"crisis:claim:(?P<alert_id>\d+)"):
    """A crisis-team member says they're reaching out, so nobody piles on or assumes someone else did."""

    def __init__(self, alert_id: int, *, claimed: bool = False) -> None:
        super().__init__(
            claim_custom_id(alert_id),
            _("Claimed") if claimed else _("I'm reaching out"),
            discord.ButtonStyle.secondary if claimed else discord.ButtonStyle.success,
        )
        self.alert_id = alert_id

    async def press(self, interaction: discord.Interaction) -> None:
        """Claim the alert (first click wins) and show it on every copy of the alert."""
        await _claim(interaction, self.alert_id)


async def _claim(interaction: discord.Interaction, alert_id: int) -> None:
    care = _care(interaction)
    guild, member = interaction.guild, interaction.user
    if guild is None or not isinstance(member, discord.Member):
        raise KindredError(_("Alerts can only be claimed inside their server."))
    result = await care.alerts.claim(guild, member, alert_id, moderator=interaction.permissions.manage_guild)
    alert = result.alert
    if alert is None:
        raise KindredError(_(GONE))
    if not result.claimed:
        if alert.claimed_by_user_id == member.id:
            await reply_ephemeral(interaction, _("You've already claimed this one. Thank you for reaching out."))
        else:
            claimed = (
                _("{helper} claimed this {when} and is reaching out.").format(
                    helper=f"<@{alert.claimed_by_user_id}>", when=discord_ts(alert.claimed_at, "R")
                )
                if alert.claimed_at
                else _("{helper} has already claimed this and is reaching out.").format(
                    helper=f"<@{alert.claimed_by_user_id}>"
                )
            )
            await reply_ephemeral(
                interaction,
                claimed
                + " "
                + _("Please check with them before messaging the member too, so they aren't overwhelmed."),
            )
        return
    content = care.alerts.claimed_text(alert)
    await care.alerts.stop_reposts(alert_id)
    with using_locale(team_locale(guild)):  # the alert's button, in the alert's language
        view = claim_view(alert_id, claimed=True)
    await interaction.response.edit_message(content=content, view=view, allowed_mentions=NO_PINGS)
    clicked = interaction.message.id if interaction.message is not None else None
    await care.alerts.mark_copies_claimed(alert, content, except_id=clicked)
    await interaction.followup.send(
        _(
            "Thank you for reaching out to {member}. A private, gentle message is best; "
            "`/resources show` has the hotlines if they need more than we can give."
        ).format(member=f"<@{alert.subject_user_id}>"),
        ephemeral=True,
        allowed_mentions=NO_PINGS,
    )
