"""Crisis-team alerts: by the server's policy, by the member's consent, re-posted while nobody has claimed them.

An alert names the level, the categories, the member and where (a jump link), never the message text. It is
written in the server's language (:func:`~bot.crisis_care.text.team_locale`), as are its claim button and the
claimed line; answers to the moderator who clicks are in their own. Mod-log lines stay English.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import discord

from bot.crisis import Detection
from bot.crisis_care.policy import ALERT_DEDUPE, MAX_REPOSTS, REPOST_AFTER, alert_wanted
from bot.crisis_care.text import alert_text, claimed_line, team_locale
from bot.crisis_care.work import REPOST_KIND, CareWork, CrisisButtons, Source, bounded, claim_custom_id, repost_key
from bot.errors import KindredError
from bot.i18n import N_, _, using_locale
from bot.messaging import NO_PINGS
from bot.modlog import post_modlog
from bot.store.crisis import Alert, ClaimResult, NewAlert

if TYPE_CHECKING:
    from bot.host import Host
    from bot.timers import Timer

__all__ = ["GONE", "AlertDesk"]

log = logging.getLogger(__name__)

# How far back a restart looks for unclaimed alerts whose re-posts were cut off. Older ones have been
# seen (and will have been followed up) by a team; re-posting a day-old alert would only add noise.
RESUME_WINDOW = timedelta(hours=24)
SELF_CLAIM = N_(
    "This alert is about you, so someone else on the team will reach out. You don't have to handle this "
    "alone: `/resources show` lists people you can reach right now."
)
SLOW_CLAIM = N_(
    "I couldn't record your claim just now (things are slow on my side). Please try again in a moment, and if "
    "you're already reaching out, say so here so nobody doubles up."
)
GONE = N_("This alert isn't on record any more (the member's data may have been erased).")


class AlertDesk:
    """Posts, re-posts and de-duplicates the alerts a server's crisis team sees."""

    def __init__(self, bot: Host, work: CareWork, buttons: CrisisButtons) -> None:
        self.bot = bot
        self.work = work
        self.buttons = buttons
        # One alert decision at a time per member and server: a burst of messages must not post a pile of
        # alerts because each checked "is there a recent one?" before any had been stored.
        self._alert_locks: weakref.WeakValueDictionary[tuple[int, int], asyncio.Lock] = weakref.WeakValueDictionary()

    def _alert_lock(self, guild_id: int, user_id: int) -> asyncio.Lock:
        lock = self._alert_locks.get((guild_id, user_id))
        if lock is None:
            lock = self._alert_locks[(guild_id, user_id)] = asyncio.Lock()
        return lock

    # -- alerts -----------------------------------------------------------------------------------
    async def alert_by_policy(self, source: Source, detection: Detection) -> None:
        """Alert the server's crisis team about a detection if its policy wants it and none is recent."""
        guild_id = source.guild_id
        assert guild_id is not None
        async with self._alert_lock(guild_id, source.user_id):
            await self._alert_by_policy(guild_id, source, detection)

    async def _alert_by_policy(self, guild_id: int, source: Source, detection: Detection) -> None:
        config = await self.work.attempt(
            "reading server config", lambda: self.bot.store.config.get(guild_id), None, patient=True
        )
        if config is None or not alert_wanted(config.alert_policy, detection.level):
            return
        if config.crisis_alert_channel_id is None:
            log.warning("guild %s wants crisis alerts but has no alert channel", guild_id)
            return
        now = self.bot.clock.now()
        recent = await self.work.attempt(
            "checking recent alerts",
            lambda: self.bot.store.crisis.recent_alert(
                guild_id, source.user_id, since=now - ALERT_DEDUPE, reason="detection"
            ),
            None,
            patient=True,
        )
        if recent is not None and recent.level >= detection.level:
            log.info("crisis alert skipped: alert %s is recent", recent.id)
            return
        await self.post_alert(
            NewAlert(
                guild_id=guild_id,
                subject_user_id=source.user_id,
                level=detection.level,
                categories=detection.categories,
                reason="detection",
                alert_channel_id=config.crisis_alert_channel_id,
                source_channel_id=source.channel_id,
                source_message_id=source.message.id if source.message is not None else None,
            ),
            role_id=config.crisis_team_role_id,
            unless_since=now - ALERT_DEDUPE,
            at_least=True,
        )

    async def post_alert(
        self, new: NewAlert, *, role_id: int | None, unless_since: datetime | None = None, at_least: bool = False
    ) -> Alert | None:
        """Store, post and schedule the re-post of one alert. Returns None when it couldn't be posted.

        With ``unless_since``, an alert of the same reason about the member created since then (at the same
        level or above, with ``at_least``) is returned instead of storing and posting a new one. That check is
        made in the same database transaction as the insert: the per-process lock around a decision doesn't
        reach another process deciding about the same member at the same moment, the database does."""
        channel = self.bot.get_channel(new.alert_channel_id)
        if not isinstance(channel, discord.TextChannel | discord.Thread):
            log.warning("crisis alert channel %s of guild %s is gone", new.alert_channel_id, new.guild_id)
            return None
        now = self.bot.clock.now()
        if unless_since is None:
            alert_id = await self.bot.store.crisis.create_alert(new, now=now)
        else:
            created, recent = await self.bot.store.crisis.create_alert_unless_recent(
                new, now=now, since=unless_since, at_least=at_least
            )
            if created is None:
                assert recent is not None
                log.info("crisis alert skipped: alert %s is recent (decided in the database)", recent.id)
                return recent
            alert_id = created
        # The re-post is scheduled before posting: if the post fails, or the bot stops before the post is
        # recorded, the team still hears of it (repost() finds a copy that did go out instead of sending twice).
        await self._schedule_repost(alert_id, new.guild_id, now + REPOST_AFTER)
        alert = await self.bot.store.crisis.alert(alert_id)
        assert alert is not None
        message = await self._send_alert(channel, alert, role_id=role_id, repost=0)
        if message is None:
            return None
        await self.bot.store.crisis.add_alert_message(alert_id, message.id, repost=False, now=now)
        self._modlog(
            alert.guild_id, f"Crisis alert #{alert_id} ({alert.level.name.lower()}) was posted in <#{channel.id}>."
        )
        return alert

    async def _schedule_repost(self, alert_id: int, guild_id: int, due_at: datetime) -> None:
        await self.bot.timers.schedule(
            REPOST_KIND, due_at, guild_id=guild_id, payload={"alert_id": alert_id}, dedupe_key=repost_key(alert_id)
        )

    async def resume_reposts(self) -> int:
        """At start-up: give each recent unclaimed alert whose re-post chain a crash cut off its next re-post.

        Covers a stop between storing an alert and scheduling its re-post, and re-post timers that older
        versions gave up on. Returns how many were resumed (due now: they are overdue)."""
        now = self.bot.clock.now()
        alerts = await self.bot.store.crisis.open_alerts(since=now - RESUME_WINDOW, max_reposts=MAX_REPOSTS)
        if not alerts:
            return 0
        active = await self.bot.timers.active_keys(repost_key(0).removesuffix("0"))
        resumed = 0
        for alert in alerts:
            if repost_key(alert.id) not in active:
                log.warning("crisis alert %s had no re-post scheduled (cut off by a restart); resuming", alert.id)
                await self._schedule_repost(alert.id, alert.guild_id, now)
                resumed += 1
        return resumed

    async def _send_alert(
        self, channel: discord.abc.Messageable, alert: Alert, *, role_id: int | None, repost: int
    ) -> discord.Message | None:
        with using_locale(self.team_locale(alert.guild_id)):
            content = self.text(alert, role_id=role_id, repost=repost)
            view = self.buttons.claim(alert.id)
        # The team role is pinged on purpose; the member is named without a ping; nobody else at all.
        mentions = discord.AllowedMentions(
            roles=[discord.Object(role_id)] if role_id is not None else False, users=False, everyone=False
        )
        try:
            return await channel.send(content, view=view, allowed_mentions=mentions)
        except discord.HTTPException:
            log.exception("could not post crisis alert %s", alert.id)
            return None

    def team_locale(self, guild_id: int) -> str | None:
        """The language the server's crisis team reads alerts in (see :func:`team_locale`)."""
        return team_locale(self.bot.get_guild(guild_id))

    @staticmethod
    def where(alert: Alert) -> str:
        """Where the alert came from, as a link when there is a message. Never the message text."""
        if alert.reason == "consent":
            return _("they tapped **{talk}** in my private message and would like someone to reach out").format(
                talk=_("Talk to someone here")
            )
        if alert.source_message_id is not None and alert.source_channel_id is not None:
            link = f"https://discord.com/channels/{alert.guild_id}/{alert.source_channel_id}/{alert.source_message_id}"
            return _("a message in {channel}: {link}").format(channel=f"<#{alert.source_channel_id}>", link=link)
        return _("something they wrote privately to Kindred (no link)")

    @classmethod
    def text(cls, alert: Alert, *, role_id: int | None, repost: int = 0) -> str:
        """The alert as the team sees it, pinging ``role_id`` if given (see :func:`alert_text`)."""
        return alert_text(
            role_id=role_id,
            subject_user_id=alert.subject_user_id,
            level=alert.level,
            categories=alert.categories,
            where=cls.where(alert),
            created_at=alert.created_at,
            repost=repost,
            max_reposts=MAX_REPOSTS,
        )

    def claimed_text(self, alert: Alert) -> str:
        """What every copy of a claimed alert shows: the alert without its ping, and who is reaching out."""
        assert alert.claimed_by_user_id is not None and alert.claimed_at is not None
        with using_locale(self.team_locale(alert.guild_id)):
            body = self.text(alert, role_id=None)
            return body + "\n" + claimed_line(alert.claimed_by_user_id, alert.claimed_at)

    async def repost(self, timer: Timer) -> None:
        """Timer handler: post an unclaimed alert again, up to :data:`MAX_REPOSTS` times.

        Idempotent, so a run a restart cut off is simply run again: a copy that went out but wasn't
        recorded is found in the channel and recorded instead of being sent a second time."""
        alert = await self.bot.store.crisis.alert(int(timer.payload["alert_id"]))
        if alert is None or alert.claimed_by_user_id is not None:
            return
        channel = self.bot.get_channel(alert.alert_channel_id)
        if not isinstance(channel, discord.TextChannel | discord.Thread):
            log.warning("crisis alert channel %s is gone; alert %s not re-posted", alert.alert_channel_id, alert.id)
            return
        # An alert whose first post never went out is posted now as the original, not as a re-post.
        is_repost = bool(alert.alert_message_ids)
        number = alert.reposts + 1 if is_repost else 0
        message = await self._unrecorded_copy(channel, alert)
        if message is None:
            config = await self.bot.store.config.get(alert.guild_id)
            message = await self._send_alert(channel, alert, role_id=config.crisis_team_role_id, repost=number)
        now = self.bot.clock.now()
        if message is None:
            # Already logged. Try again later rather than let an unclaimed alert go quiet, for a day at most.
            if now - alert.created_at < RESUME_WINDOW:
                await self._schedule_repost(alert.id, alert.guild_id, now + REPOST_AFTER)
            return
        await self.bot.store.crisis.add_alert_message(alert.id, message.id, repost=is_repost, now=now)
        if is_repost:
            self._modlog(alert.guild_id, f"Crisis alert #{alert.id} was posted again: nobody has claimed it yet.")
        if number < MAX_REPOSTS:
            await self._schedule_repost(alert.id, alert.guild_id, now + REPOST_AFTER)
        await self._settle_claim_race(message, alert.id)

    async def _unrecorded_copy(
        self, channel: discord.TextChannel | discord.Thread, alert: Alert
    ) -> discord.Message | None:
        """A post of this alert that a run cut off by a restart sent but never recorded, if there is one."""
        assert self.bot.user is not None
        custom_id = claim_custom_id(alert.id)
        try:
            # Alert channels are quiet, and a cut-off run is at most one re-post interval old.
            async for message in channel.history(limit=50):
                if message.author.id != self.bot.user.id or message.id in alert.alert_message_ids:
                    continue
                for row in message.components:
                    if isinstance(row, discord.ActionRow) and any(
                        getattr(child, "custom_id", None) == custom_id for child in row.children
                    ):
                        log.info("found unrecorded copy %s of crisis alert %s; not posting again", message.id, alert.id)
                        return message
        except discord.HTTPException:
            # Without Read Message History the check can't be made; posting beats staying silent.
            log.warning("could not read channel %s to check crisis alert %s", channel.id, alert.id)
        return None

    async def _settle_claim_race(self, message: discord.Message, alert_id: int) -> None:
        """A claim that landed while this copy was being posted didn't see it: mark it claimed too."""
        alert = await self.bot.store.crisis.alert(alert_id)
        if alert is None or alert.claimed_by_user_id is None:
            return
        await self.bot.timers.cancel(dedupe_key=repost_key(alert_id))
        try:
            await message.edit(content=self.claimed_text(alert), view=None, allowed_mentions=NO_PINGS)
        except discord.HTTPException:
            log.warning("could not mark late copy %s of crisis alert %s as claimed", message.id, alert_id)

    # -- claims -----------------------------------------------------------------------------------
    async def claim(
        self, guild: discord.Guild, member: discord.Member, alert_id: int, *, moderator: bool
    ) -> ClaimResult:
        """Claim an alert for ``member`` (first click wins), after checking they may.

        Bounded: a claim that can't be recorded in time says so rather than leave the helper waiting."""
        try:
            return await bounded(
                lambda: self._claim(guild, member, alert_id, moderator=moderator), self.work.db_timeout * 2
            )
        except TimeoutError:
            raise KindredError(_(SLOW_CLAIM)) from None

    async def _claim(
        self, guild: discord.Guild, member: discord.Member, alert_id: int, *, moderator: bool
    ) -> ClaimResult:
        config = await self.bot.store.config.get(guild.id)
        on_team = config.crisis_team_role_id is not None and member.get_role(config.crisis_team_role_id) is not None
        if not (on_team or moderator):
            raise KindredError(_("Only the crisis team or moderators (Manage Server) can claim crisis alerts."))
        alert = await self.bot.store.crisis.alert(alert_id)
        if alert is None or alert.guild_id != guild.id:
            raise KindredError(_(GONE))
        if alert.subject_user_id == member.id:
            # A claim stops the re-posts and tells the team someone is on it: the member it's about can't do that.
            raise KindredError(_(SELF_CLAIM))
        result = await self.bot.store.crisis.claim(alert_id, member.id, now=self.bot.clock.now())
        if result.claimed:
            self._modlog(guild.id, f"Crisis alert #{alert_id} was claimed by <@{member.id}>.")
        return result

    def _modlog(self, guild_id: int, text: str) -> None:
        """The mod-log line of an alert event, in the background. It never names the member the alert is about:
        the mod-log may have more readers than the crisis team."""
        self.work.spawn(post_modlog(self.bot, guild_id, text), f"modlog:{guild_id}")

    async def stop_reposts(self, alert_id: int) -> None:
        """Cancel a claimed alert's next re-post. Bounded: if it can't be cancelled in time, the re-post
        finds the alert claimed and does nothing."""
        await self.work.attempt(
            "cancelling the re-post", lambda: self.bot.timers.cancel(dedupe_key=repost_key(alert_id)), None
        )

    async def mark_copies_claimed(self, alert: Alert, content: str, *, except_id: int | None) -> None:
        """Show the claim on every posted copy of the alert but ``except_id`` (the one clicked)."""
        channel = self.bot.get_channel(alert.alert_channel_id)
        if not isinstance(channel, discord.TextChannel | discord.Thread):
            return
        for message_id in alert.alert_message_ids:
            if message_id == except_id:
                continue
            try:
                await channel.get_partial_message(message_id).edit(
                    content=content, view=None, allowed_mentions=NO_PINGS
                )
            except discord.HTTPException:
                log.warning("could not mark copy %s of crisis alert %s as claimed", message_id, alert.id)

    async def forget_helper(self, user_id: int, guild_id: int | None) -> None:
        """Erase hook: keep alerts a helper claimed (they belong to the member) but drop the helper's id."""
        await self.bot.store.crisis.forget_helper(user_id, guild_id)
