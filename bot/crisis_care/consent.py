"""A member's "Talk to someone here": with their consent, the server's crisis team is asked to reach out.

The member always gets contacts back, whatever happens to the team alert: a slow database, a missing
alert channel, a rate limit or a failed post each get their own kind answer.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord

from bot.crisis_care.policy import REPOST_AFTER
from bot.crisis_care.text import talk_limited_text
from bot.i18n import _
from bot.rate_limits import DEFAULT_LIMITS, Action
from bot.resources import Contacts, contacts_for
from bot.store.crisis import NewAlert

if TYPE_CHECKING:
    from bot.crisis import Level
    from bot.crisis_care.alerts import AlertDesk
    from bot.crisis_care.work import CareWork
    from bot.host import Host

__all__ = ["ConsentDesk"]

log = logging.getLogger(__name__)


class ConsentDesk:
    """Turns a member's request to talk into a consent alert, and tells them what happens next."""

    def __init__(self, bot: Host, work: CareWork, alerts: AlertDesk) -> None:
        self.bot = bot
        self.work = work
        self.alerts = alerts

    async def talk(self, guild_id: int, user_id: int, level: Level) -> tuple[str, Contacts]:
        """What to tell a member who tapped "Talk to someone" for ``guild_id``, and their contacts.

        Waits :attr:`CareWork.consent_wait` for the team alert at most; a slower one finishes in the
        background (never cancelled) while the member is told it's on its way."""
        guild = self.bot.get_guild(guild_id)
        if guild is None or guild.get_member(user_id) is None:
            contacts = contacts_for(await self.work.region_for(user_id, None))
            return (
                _(
                    "I can't reach that server's team any more (one of us has left it). These people are there right now:"
                ),
                contacts,
            )
        pending = asyncio.ensure_future(self.request(guild, user_id, level))
        done, _pending = await asyncio.wait({pending}, timeout=self.work.consent_wait)
        if not done:
            # Still going (the database is slow): let it finish in the background, never cancel it.
            self.work.spawn(_finish(pending, guild_id), "consent")
            return (
                _(
                    "Thank you for asking. I'm passing this on to the crisis team in **{server}**; it's taking "
                    "me a little longer than usual. While you wait, these people are there right now:"
                ).format(server=guild.name),
                contacts_for("other"),
            )
        try:
            return pending.result()
        except Exception:
            log.exception("consent alert in guild %s failed", guild_id)
            contacts = contacts_for(await self.work.region_for(user_id, guild_id))
            return (
                _(
                    "I'm sorry, something on my side stopped me from reaching the crisis team. "
                    "Please reach one of these people now, or message a moderator you trust:"
                ),
                contacts,
            )

    async def request(self, guild: discord.Guild, user_id: int, level: Level) -> tuple[str, Contacts]:
        """The member asked to talk to someone in ``guild``. Returns what to tell them, and their contacts."""
        contacts = contacts_for(await self.work.region_for(user_id, guild.id))
        config = await self.bot.store.config.get(guild.id)
        channel_id = config.crisis_alert_channel_id
        if channel_id is None or not isinstance(guild.get_channel(channel_id), discord.TextChannel | discord.Thread):
            return (
                _(
                    "Thank you for asking. **{server}** hasn't set up a crisis team channel yet, so I can't pass "
                    "this on myself. Please reach one of these people now, or message a moderator you trust. "
                    "`/resources show` has these any time."
                ).format(server=guild.name),
                contacts,
            )
        now = self.bot.clock.now()
        recent = await self.bot.store.crisis.recent_alert(guild.id, user_id, since=now - REPOST_AFTER, reason="consent")
        if recent is None:
            limits = DEFAULT_LIMITS[Action.CRISIS_TALK]
            verdict = await self.bot.store.limits.take(limits, guild.id, user_id, now=now)
            if not verdict.allowed:
                # Only the ping is held back: the member still gets their contacts with this answer.
                log.info("consent alert in guild %s held back by the %s limit", guild.id, verdict.scope)
                return talk_limited_text(guild.name, member_limit=verdict.scope == "member"), contacts
            posted = await self.alerts.post_alert(
                NewAlert(
                    guild_id=guild.id,
                    subject_user_id=user_id,
                    level=level,
                    categories=(),
                    reason="consent",
                    alert_channel_id=channel_id,
                    actor_user_id=user_id,
                ),
                role_id=config.crisis_team_role_id,
            )
            if posted is None:
                await self.bot.store.limits.give_back(verdict)
                return (
                    _(
                        "I'm sorry, I couldn't reach the crisis team just now. Please reach one of these people now, "
                        "or message a moderator you trust:"
                    ),
                    contacts,
                )
        return (
            _(
                "Thank you for telling me. I've let the crisis team in **{server}** know you'd like to talk, "
                "and someone will message you soon. Until then, these people are there right now:"
            ).format(server=guild.name),
            contacts,
        )


async def _finish(pending: asyncio.Future[tuple[str, Contacts]], guild_id: int) -> None:
    try:
        await pending
    except Exception:
        log.exception("late consent alert in guild %s failed", guild_id)
