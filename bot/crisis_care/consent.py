"""A member's "Talk to someone here": with their consent, the server's crisis team is asked to reach out.

The member always gets contacts back, whatever happens to the team alert: a slow database, a missing
alert channel, a rate limit or a failed post each get their own kind answer.

In a cluster, DMs and their buttons reach one process, which may not own the server the member picked
(:mod:`bot.shards`). The request is then handed over durably: an urgent timer of that server, which only its
owner claims, carries it, and the owner alerts the team as a local request would (:meth:`ConsentDesk.deliver`).
The member is told at once that it was passed on; if the owner finds it can't reach the team after all (no
alert channel any more, a rate limit, a failed post), it tells them so by DM, with their contacts.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord

from bot.crisis import Level
from bot.crisis_care.policy import REPOST_AFTER
from bot.crisis_care.text import talk_limited_text
from bot.i18n import N_, _, using_locale
from bot.messaging import send_dm
from bot.rate_limits import DEFAULT_LIMITS, Action
from bot.resources import Contacts, contacts_for, render_contacts
from bot.store.crisis import NewAlert

if TYPE_CHECKING:
    from bot.crisis_care.alerts import AlertDesk
    from bot.crisis_care.work import CareWork
    from bot.host import Host
    from bot.timers import Timer

__all__ = ["HANDOVER_KIND", "ConsentDesk", "handover_key"]

log = logging.getLogger(__name__)

HANDOVER_KIND = "crisis-consent"
CANT_REACH = N_("I can't reach that server's team any more (one of us has left it). These people are there right now:")
FAILED = N_(
    "I'm sorry, something on my side stopped me from reaching the crisis team. "
    "Please reach one of these people now, or message a moderator you trust:"
)
HANDED_OVER = N_(
    "Thank you for telling me. I've passed your request on to that server's crisis team, and someone will "
    "message you soon. Until then, these people are there right now:"
)
HANDING_OVER_SLOWLY = N_(
    "Thank you for asking. I'm passing this on to that server's crisis team; it's taking me a little longer "
    "than usual. While you wait, these people are there right now:"
)
NO_CHANNEL_THERE = N_(
    "Thank you for asking. That server hasn't set up a crisis team channel yet, so I can't pass this on myself. "
    "Please reach one of these people now, or message a moderator you trust. `/resources show` has these any time."
)


def handover_key(guild_id: int, user_id: int) -> str:
    """The dedupe key of a member's pending hand-over to a server's owner: pressing twice hands over once."""
    return f"{HANDOVER_KIND}:{guild_id}:{user_id}"


class ConsentDesk:
    """Turns a member's request to talk into a consent alert, and tells them what happens next."""

    def __init__(self, bot: Host, work: CareWork, alerts: AlertDesk) -> None:
        self.bot = bot
        self.work = work
        self.alerts = alerts

    async def talk(self, guild_id: int, user_id: int, level: Level) -> tuple[str, Contacts]:
        """What to tell a member who tapped "Talk to someone" for ``guild_id``, and their contacts.

        Waits :attr:`CareWork.consent_wait` for the team alert (or the hand-over to the server's owner) at
        most; a slower one finishes in the background (never cancelled) while the member is told it's on its way."""
        guild = self.bot.get_guild(guild_id)
        if guild is not None and guild.get_member(user_id) is not None:
            pending = asyncio.ensure_future(self.request(guild, user_id, level))
            slow = _(
                "Thank you for asking. I'm passing this on to the crisis team in **{server}**; it's taking "
                "me a little longer than usual. While you wait, these people are there right now:"
            ).format(server=guild.name)
        elif guild is None and not self.bot.timers.ownership.owns(guild_id):
            # Another process runs that server: this one can't see it, so it can't tell whether it's gone.
            pending = asyncio.ensure_future(self.hand_over(guild_id, user_id, level))
            slow = _(HANDING_OVER_SLOWLY)
        else:
            contacts = contacts_for(await self.work.region_for(user_id, None))
            return _(CANT_REACH), contacts
        done, _pending = await asyncio.wait({pending}, timeout=self.work.consent_wait)
        if not done:
            # Still going (the database is slow): let it finish in the background, never cancel it.
            self.work.spawn(_finish(pending, guild_id), "consent")
            return slow, contacts_for("other")
        try:
            return pending.result()
        except Exception:
            log.exception("consent alert in guild %s failed", guild_id)
            contacts = contacts_for(await self.work.region_for(user_id, guild_id))
            return _(FAILED), contacts

    async def hand_over(self, guild_id: int, user_id: int, level: Level) -> tuple[str, Contacts]:
        """Pass the member's request to the process that owns ``guild_id``, durably; what to tell them now.

        The server's settings are in the database, so a server without an alert channel is said so at once;
        the rest (is the channel still there, the rate limits, the post) is for the owner, which tells the
        member by DM if it can't reach the team after all."""
        contacts = contacts_for(await self.work.region_for(user_id, guild_id))
        config = await self.bot.store.config.get(guild_id)
        if config.crisis_alert_channel_id is None:
            return _(NO_CHANNEL_THERE), contacts
        now = self.bot.clock.now()
        await self.bot.timers.schedule(
            HANDOVER_KIND,
            now,
            guild_id=guild_id,
            user_id=user_id,
            payload={"level": int(level), "asked_at": now.isoformat()},
            dedupe_key=handover_key(guild_id, user_id),
        )
        log.info("consent for guild %s handed over to the process that owns it", guild_id)
        return _(HANDED_OVER), contacts

    async def deliver(self, timer: Timer) -> None:
        """Timer handler (the server's owner): alert the team about a handed-over request, as a local one would.

        Safe to repeat: a run cut off by a restart finds the alert it stored (the recent-consent check) and
        doesn't post again. If the team can't be reached, the member, who was told it was passed on, hears so by DM.
        """
        guild_id, user_id = timer.guild_id, timer.user_id
        if guild_id is None or user_id is None:
            log.warning("crisis hand-over timer %s has no server or member; dropped", timer.id)
            return
        self.bot.timers.ownership.require(guild_id)
        level = Level(int(timer.payload.get("level", int(Level.CONCERN))))
        guild = self.bot.get_guild(guild_id)
        # What the member may hear is in their language, as the answer they'd have had from a local request.
        with using_locale(await self.work.locale_for(user_id)):
            if guild is None or guild.get_member(user_id) is None:
                told, text, contacts = False, _(CANT_REACH), contacts_for(await self.work.region_for(user_id, None))
            else:
                told, text, contacts = await self._request(guild, user_id, level)
            if told:
                return
            content = f"{text}\n\n{render_contacts(contacts, substance=True)}"
        if await send_dm(self.bot, user_id, content=content) is None:
            log.warning("could not tell the member that the consent alert in guild %s didn't go out", guild_id)

    async def request(self, guild: discord.Guild, user_id: int, level: Level) -> tuple[str, Contacts]:
        """The member asked to talk to someone in ``guild``. Returns what to tell them, and their contacts."""
        _told, text, contacts = await self._request(guild, user_id, level)
        return text, contacts

    async def _request(self, guild: discord.Guild, user_id: int, level: Level) -> tuple[bool, str, Contacts]:
        """Alert ``guild``'s team of the member's request: whether the team knows (now or already), what to tell
        the member, and their contacts."""
        contacts = contacts_for(await self.work.region_for(user_id, guild.id))
        config = await self.bot.store.config.get(guild.id)
        channel_id = config.crisis_alert_channel_id
        if channel_id is None or not isinstance(guild.get_channel(channel_id), discord.TextChannel | discord.Thread):
            return (
                False,
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
                return False, talk_limited_text(guild.name, member_limit=verdict.scope == "member"), contacts
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
                unless_since=now - REPOST_AFTER,
            )
            if posted is None:
                await self.bot.store.limits.give_back(verdict)
                return (
                    False,
                    _(
                        "I'm sorry, I couldn't reach the crisis team just now. Please reach one of these people now, "
                        "or message a moderator you trust:"
                    ),
                    contacts,
                )
        return (
            True,
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
