"""Persistent crisis buttons: **Talk to someone here** and **I'm OK** on the member's DM, **I'm reaching out** on alerts.

All three are :class:`discord.ui.DynamicItem` subclasses whose custom ids carry what they need, so a click on
an old message still works after any number of restarts. Their callbacks catch every error themselves:
discord.py only logs what a dynamic item raises, and a member in a hard moment must never meet a silent
"interaction failed".
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

import discord

from bot.clock import discord_ts
from bot.crisis import Level
from bot.crisis_care.work import bounded, claim_custom_id, repost_key
from bot.errors import KindredError, reply_ephemeral, run_guarded
from bot.messaging import NO_PINGS
from bot.resources import Contacts, contacts_for, render_contacts
from bot.store.crisis import ClaimResult

if TYPE_CHECKING:
    from bot.client import KindredBot
    from bot.crisis_care.care import CrisisCare

__all__ = ["ClaimButton", "OkButton", "TalkButton", "answer_view", "claim_view"]

log = logging.getLogger(__name__)

SELF_CLAIM = (
    "This alert is about you, so someone else on the team will reach out. You don't have to handle this "
    "alone: `/resources show` lists people you can reach right now."
)
SLOW_CLAIM = (
    "I couldn't record your claim just now (things are slow on my side). Please try again in a moment, and if "
    "you're already reaching out, say so here so nobody doubles up."
)
RESTARTING = (
    "Crisis support is restarting, so I couldn't do that just now. Please try again in a minute; "
    "`/resources show` lists people you can reach any time."
)


def answer_view(guilds: Sequence[discord.Guild], level: Level) -> discord.ui.View:
    """The buttons under a member's private answer: one "talk" per server they could ask, and "I'm OK"."""
    view = discord.ui.View(timeout=None)
    for guild in guilds:
        label = "Talk to someone here" if len(guilds) == 1 else f"Talk to someone in {guild.name}"
        view.add_item(TalkButton(guild.id, level, label=label[:80]))
    view.add_item(OkButton())
    return view


def claim_view(alert_id: int, *, claimed: bool = False) -> discord.ui.View:
    """The claim button under a crisis-team alert.

    It stays after a claim (greyed, relabelled) so a later click is told who is already reaching out.
    """
    view = discord.ui.View(timeout=None)
    view.add_item(ClaimButton(alert_id, claimed=claimed))
    return view


def _care(interaction: discord.Interaction) -> CrisisCare:
    """The crisis service, reached by type: buttons rebuilt after a restart find it on ``bot.features``."""
    care = cast("KindredBot", interaction.client).features.crisis
    if care is None:
        raise KindredError(RESTARTING)
    return care


class TalkButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"crisis:talk:(?P<guild_id>\d+)(?::(?P<level>\d))?"
):
    """With the member's consent, tell the server's crisis team they'd like someone to reach out."""

    def __init__(self, guild_id: int, level: Level = Level.CONCERN, *, label: str = "Talk to someone here") -> None:
        super().__init__(
            discord.ui.Button(
                label=label, style=discord.ButtonStyle.primary, custom_id=f"crisis:talk:{guild_id}:{int(level)}"
            )
        )
        self.guild_id = guild_id
        self.level = level

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> TalkButton:
        """Rebuild from a click, e.g. after a restart."""
        level = Level(int(match["level"])) if match["level"] else Level.CONCERN
        return cls(int(match["guild_id"]), level)

    async def callback(self, interaction: discord.Interaction) -> None:
        """Post a consent alert and tell the member what happens next, with their contacts."""
        await run_guarded(interaction, lambda: _talk(interaction, self.guild_id, self.level))


async def _talk(interaction: discord.Interaction, guild_id: int, level: Level) -> None:
    care = _care(interaction)
    # Reaching the team takes the database and a post in its channel: answer Discord first, so a slow
    # moment never turns the member's request into "This interaction failed".
    await interaction.response.defer(ephemeral=True, thinking=True)
    user_id = interaction.user.id
    guild = care.bot.get_guild(guild_id)
    if guild is None or guild.get_member(user_id) is None:
        contacts = contacts_for(await care.work.region_for(user_id, None))
        text = "I can't reach that server's team any more (one of us has left it). These people are there right now:"
    else:
        request = asyncio.ensure_future(care.alerts.consent_alert(guild, user_id, level))
        done, _ = await asyncio.wait({request}, timeout=care.consent_wait)
        if not done:
            # Still going (the database is slow): let it finish in the background, never cancel it.
            care.work.spawn(_finish_consent(request, user_id, guild_id), "consent")
            contacts = contacts_for("other")
            text = (
                f"Thank you for asking. I'm passing this on to the crisis team in **{guild.name}**; it's taking "
                "me a little longer than usual. While you wait, these people are there right now:"
            )
        else:
            try:
                text, contacts = request.result()
            except Exception:
                log.exception("consent alert in guild %s failed", guild_id)
                contacts = contacts_for(await care.work.region_for(user_id, guild_id))
                text = (
                    "I'm sorry, something on my side stopped me from reaching the crisis team. "
                    "Please reach one of these people now, or message a moderator you trust:"
                )
    await reply_ephemeral(interaction, f"{text}\n\n{render_contacts(contacts, substance=True)}")


async def _finish_consent(request: asyncio.Future[tuple[str, Contacts]], user_id: int, guild_id: int) -> None:
    try:
        await request
    except Exception:
        log.exception("late consent alert in guild %s failed", guild_id)


class OkButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"crisis:ok"):
    """The member is OK: acknowledged, and no automatic message for 24 hours unless it's imminent."""

    def __init__(self) -> None:
        super().__init__(discord.ui.Button(label="I'm OK", style=discord.ButtonStyle.secondary, custom_id="crisis:ok"))

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> OkButton:
        """Rebuild from a click, e.g. after a restart."""
        return cls()

    async def callback(self, interaction: discord.Interaction) -> None:
        """Record the acknowledgement and thank them."""
        await run_guarded(interaction, lambda: _ok(interaction))


async def _ok(interaction: discord.Interaction) -> None:
    care = _care(interaction)
    # Remembered at once and stored in the background: the thanks never waits on the database.
    care.acknowledge(interaction.user.id, care.bot.clock.now())
    await reply_ephemeral(
        interaction,
        "Thanks for letting me know. I'll give you space: no automatic messages from me for the next day. "
        "`/resources show` is there any time, and you can always talk to someone here.",
    )


class ClaimButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"crisis:claim:(?P<alert_id>\d+)"):
    """A crisis-team member says they're reaching out, so nobody piles on or assumes someone else did."""

    def __init__(self, alert_id: int, *, claimed: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label="Claimed" if claimed else "I'm reaching out",
                style=discord.ButtonStyle.secondary if claimed else discord.ButtonStyle.success,
                custom_id=claim_custom_id(alert_id),
            )
        )
        self.alert_id = alert_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ClaimButton:
        """Rebuild from a click, e.g. after a restart."""
        return cls(int(match["alert_id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        """Claim the alert (first click wins) and show it on every copy of the alert."""
        await run_guarded(interaction, lambda: _claim(interaction, self.alert_id))


async def _claim_for(
    bot: KindredBot, guild: discord.Guild, member: discord.Member, alert_id: int, *, moderator: bool
) -> ClaimResult:
    """Check the clicker may claim this alert, then claim it (first click wins)."""
    config = await bot.store.config.get(guild.id)
    on_team = config.crisis_team_role_id is not None and member.get_role(config.crisis_team_role_id) is not None
    if not (on_team or moderator):
        raise KindredError("Only the crisis team or moderators (Manage Server) can claim crisis alerts.")
    alert = await bot.store.crisis.alert(alert_id)
    if alert is None or alert.guild_id != guild.id:
        raise KindredError("This alert isn't on record any more (the member's data may have been erased).")
    if alert.subject_user_id == member.id:
        # A claim stops the re-posts and tells the team someone is on it: the member it's about can't do that.
        raise KindredError(SELF_CLAIM)
    return await bot.store.crisis.claim(alert_id, member.id, now=bot.clock.now())


async def _claim(interaction: discord.Interaction, alert_id: int) -> None:
    care = _care(interaction)
    bot = care.bot
    guild, member = interaction.guild, interaction.user
    if guild is None or not isinstance(member, discord.Member):
        raise KindredError("Alerts can only be claimed inside their server.")
    try:
        result = await bounded(
            lambda: _claim_for(bot, guild, member, alert_id, moderator=interaction.permissions.manage_guild),
            care.db_timeout * 2,
        )
    except TimeoutError:
        raise KindredError(SLOW_CLAIM) from None
    alert = result.alert
    if alert is None:
        raise KindredError("This alert isn't on record any more (the member's data may have been erased).")
    if not result.claimed:
        if alert.claimed_by_user_id == member.id:
            await reply_ephemeral(interaction, "You've already claimed this one. Thank you for reaching out.")
        else:
            when = discord_ts(alert.claimed_at, "R") if alert.claimed_at else "already"
            await reply_ephemeral(
                interaction,
                f"<@{alert.claimed_by_user_id}> claimed this {when} and is reaching out. "
                "Please check with them before messaging the member too, so they aren't overwhelmed.",
            )
        return
    content = care.alerts.claimed_text(alert)
    # Bounded: if it can't be cancelled in time, the re-post finds the alert claimed and does nothing.
    await care.work.attempt("cancelling the re-post", lambda: bot.timers.cancel(dedupe_key=repost_key(alert_id)), None)
    await interaction.response.edit_message(
        content=content, view=claim_view(alert_id, claimed=True), allowed_mentions=NO_PINGS
    )
    clicked = interaction.message.id if interaction.message is not None else None
    channel = bot.get_channel(alert.alert_channel_id)
    if isinstance(channel, discord.TextChannel | discord.Thread):
        for message_id in alert.alert_message_ids:
            if message_id == clicked:
                continue
            try:
                await channel.get_partial_message(message_id).edit(
                    content=content, view=None, allowed_mentions=NO_PINGS
                )
            except discord.HTTPException:
                log.warning("could not mark copy %s of crisis alert %s as claimed", message_id, alert_id)
    await interaction.followup.send(
        f"Thank you for reaching out to <@{alert.subject_user_id}>. A private, gentle message is best; "
        "`/resources show` has the hotlines if they need more than we can give.",
        ephemeral=True,
        allowed_mentions=NO_PINGS,
    )
