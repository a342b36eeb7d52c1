"""The crisis flow: scan text, answer the member privately, alert the crisis team, re-post unclaimed alerts.

Safety rules this module keeps:

- Scanning never blocks or breaks message handling. Detection is pure CPU and quick, so it runs inline;
  everything that awaits runs in a tracked background task, and every exception is logged, never raised.
- The member's answer never depends on the database. Each store call is wrapped: when it fails, the
  shipped lexicon and hotlines are used (region "other" if the region can't be read) and the answer still goes out.
- Nothing here ever echoes the member's words, to them, to a channel, or to the team.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import discord

from bot.crisis import Detection, Detector, Level, load_default_detector
from bot.crisis_care import (
    ALERT_DEDUPE,
    CLOSED_DM_LINE,
    MAX_REPOSTS,
    REPOST_AFTER,
    MemberState,
    alert_text,
    alert_wanted,
    answer_text,
    decide_answer,
)
from bot.messaging import NO_PINGS, send_dm
from bot.resources import Contacts, contacts_for
from bot.store.crisis import Alert, NewAlert
from cogs.crisis._views import answer_view, claim_view

if TYPE_CHECKING:
    from bot.client import KindredBot
    from bot.events import MemberText
    from bot.timers import Timer

__all__ = ["REPOST_KIND", "CrisisCare", "Source", "repost_key"]

log = logging.getLogger(__name__)

REPOST_KIND = "crisis-repost"
T = TypeVar("T")


def repost_key(alert_id: int) -> str:
    """The dedupe key of an alert's pending re-post timer."""
    return f"crisis-repost:{alert_id}"


@dataclass(frozen=True, slots=True)
class Source:
    """Where scanned text came from. ``message`` is None for text that never was a message (check-in notes)."""

    user_id: int
    guild_id: int | None
    channel_id: int | None
    message: discord.Message | None = None
    kind: str = "message"  # "message", "dm", "checkin_note" or "other"


class CrisisCare:
    """Owns the per-server detectors, the background tasks and every crisis action."""

    def __init__(self, bot: KindredBot) -> None:
        self.bot = bot
        self._detectors: dict[int, Detector] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        # One answer decision at a time per member, so two quick messages can't both pass the cooldown.
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()

    # -- plumbing ---------------------------------------------------------------------------------
    def spawn(self, coro: Coroutine[Any, Any, None], name: str) -> None:
        """Run follow-up work in a tracked task whose failure is logged, never raised."""

        async def guarded() -> None:
            try:
                await coro
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("crisis follow-up %s failed", name)

        task = asyncio.get_running_loop().create_task(guarded(), name=f"crisis:{name}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def wait_idle(self) -> None:
        """Wait until no follow-up work is running (tests and shutdown use this)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def close(self) -> None:
        """Cancel and await every follow-up task (cog unload)."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._tasks.clear()

    async def _try(self, what: str, call: Callable[[], Awaitable[T]], default: T) -> T:
        """A store call that must not stop the flow: on failure, log it and carry on with ``default``."""
        try:
            return await call()
        except Exception:
            log.exception("crisis: %s failed; carrying on without it", what)
            return default

    # -- detectors --------------------------------------------------------------------------------
    def cached_detector(self, guild_id: int | None) -> Detector | None:
        """The detector for a server if already built (DMs always use the shipped lexicon)."""
        if guild_id is None:
            return load_default_detector()
        return self._detectors.get(guild_id)

    async def detector_for(self, guild_id: int | None) -> Detector:
        """The shipped lexicon plus the server's terms; the shipped lexicon alone if those can't be read."""
        cached = self.cached_detector(guild_id)
        if cached is not None or guild_id is None:
            return cached or load_default_detector()
        try:
            stored = await self.bot.store.crisis.terms(guild_id)
        except Exception:
            # Not cached, so the server's terms are tried again on the next message.
            log.exception("crisis: could not read the terms of guild %s; using the shipped lexicon", guild_id)
            return load_default_detector()
        detector = load_default_detector().with_extra_terms(t.term for t in stored)
        self._detectors[guild_id] = detector
        return detector

    def invalidate(self, guild_id: int) -> None:
        """Forget a server's detector after its terms changed."""
        self._detectors.pop(guild_id, None)

    # -- entry points (synchronous: called from listeners, never raise) ---------------------------
    def scan_message(self, message: discord.Message) -> None:
        """Scan a channel or DM message. Returns at once; follow-up work runs in the background."""
        try:
            if message.author.bot or message.webhook_id is not None or not message.content:
                return
            guild_id = message.guild.id if message.guild is not None else None
            source = Source(
                message.author.id, guild_id, message.channel.id, message, "dm" if guild_id is None else "message"
            )
            self._scan(source, message.content)
        except Exception:
            log.exception("crisis scan of message %s failed", message.id)

    def scan_member_text(self, text: MemberText) -> None:
        """Scan text that never appears as a message (a check-in note)."""
        try:
            self._scan(Source(text.user_id, text.guild_id, text.channel_id, None, text.source), text.text)
        except Exception:
            log.exception("crisis scan of %s text failed", text.source)

    def _scan(self, source: Source, text: str) -> None:
        detector = self.cached_detector(source.guild_id)
        if detector is None:
            # First message from this server since start-up: its terms need the database.
            self.spawn(self._scan_later(source, text), f"scan:{source.user_id}")
            return
        detection = detector.detect(text)
        if detection.detected:
            self.spawn(self.respond(source, detection), f"respond:{source.user_id}")

    async def _scan_later(self, source: Source, text: str) -> None:
        detection = (await self.detector_for(source.guild_id)).detect(text)
        if detection.detected:
            await self.respond(source, detection)

    # -- the response -----------------------------------------------------------------------------
    async def respond(self, source: Source, detection: Detection) -> None:
        """Answer the member (policy permitting) and alert the team (server policy permitting)."""
        log.info(
            "crisis detection: user %s guild %s level %s (%s)",
            source.user_id,
            source.guild_id,
            detection.level.name,
            source.kind,
        )
        try:
            await self._answer(source, detection)
        finally:
            # An answer failure must never cost the team its alert, nor the other way round.
            if source.guild_id is not None and source.kind != "dm":
                await self._alert_by_policy(source, detection)

    async def region_for(self, user_id: int, guild_id: int | None) -> str:
        """The member's own region, else the server's, else "other" (also when the database is down)."""
        prefs = await self._try("reading member prefs", lambda: self.bot.store.prefs.get(user_id), None)
        if prefs is not None and prefs.region:
            return prefs.region
        if guild_id is not None:
            config = await self._try("reading server config", lambda: self.bot.store.config.get(guild_id), None)
            if config is not None:
                return config.region
        return "other"

    def _talk_guilds(self, source: Source) -> list[discord.Guild]:
        """The servers whose team the member could ask to talk to from this answer."""
        if source.guild_id is not None:
            guild = self.bot.get_guild(source.guild_id)
            return [guild] if guild is not None else []
        user = self.bot.get_user(source.user_id)
        return sorted(user.mutual_guilds, key=lambda g: g.name)[:3] if user is not None else []

    async def _answer(self, source: Source, detection: Detection) -> None:
        lock = self._locks.get(source.user_id)
        if lock is None:
            lock = self._locks[source.user_id] = asyncio.Lock()
        async with lock:
            now = self.bot.clock.now()
            state = await self._try(
                "reading crisis state", lambda: self.bot.store.crisis.member_state(source.user_id), MemberState()
            )
            decision = decide_answer(state, detection.level, now)
            if not decision.answer:
                log.info("no automatic answer for user %s: %s", source.user_id, decision.why)
                return
            guilds = self._talk_guilds(source)
            # In a DM, a member who shares one server with the bot gets that server's region by default.
            region_guild = source.guild_id or (guilds[0].id if len(guilds) == 1 else None)
            contacts = contacts_for(await self.region_for(source.user_id, region_guild))
            content = answer_text(detection.level, detection.categories, contacts, talk_offered=bool(guilds))
            dm = await self._dm(source.user_id, content, answer_view(guilds, detection.level))
            delivered = dm is not None or await self._closed_dm_fallback(source)
            if delivered:
                # The channel line counts too: it keeps a closed-DM member from being replied to again and again.
                await self._try(
                    "recording the answer",
                    lambda: self.bot.store.crisis.record_answer(source.user_id, detection.level, now=now),
                    None,
                )

    async def _dm(self, user_id: int, content: str, view: discord.ui.View) -> discord.Message | None:
        try:
            return await send_dm(self.bot, user_id, content=content, view=view)
        except Exception:
            # send_dm only raises when recording "DMs closed" fails (the database is down): the DM did not go out.
            log.exception("crisis DM to %s failed", user_id)
            return None

    async def _closed_dm_fallback(self, source: Source) -> bool:
        """DMs closed: a short neutral reply in the channel, quoting nothing, pointing to /resources."""
        message = source.message
        if message is None or message.guild is None:
            log.info("crisis answer to %s undeliverable (DMs closed, %s)", source.user_id, source.kind)
            return False
        try:
            await message.reply(CLOSED_DM_LINE, mention_author=False, allowed_mentions=NO_PINGS)
            return True
        except discord.HTTPException:
            log.exception("could not post the closed-DM line in channel %s", message.channel.id)
            return False

    # -- alerts -----------------------------------------------------------------------------------
    async def _alert_by_policy(self, source: Source, detection: Detection) -> None:
        guild_id = source.guild_id
        assert guild_id is not None
        config = await self._try("reading server config", lambda: self.bot.store.config.get(guild_id), None)
        if config is None or not alert_wanted(config.alert_policy, detection.level):
            return
        if config.crisis_alert_channel_id is None:
            log.warning("guild %s wants crisis alerts but has no alert channel", guild_id)
            return
        now = self.bot.clock.now()
        recent = await self._try(
            "checking recent alerts",
            lambda: self.bot.store.crisis.recent_alert(
                guild_id, source.user_id, since=now - ALERT_DEDUPE, reason="detection"
            ),
            None,
        )
        if recent is not None and recent.level >= detection.level:
            log.info("crisis alert for user %s skipped: alert %s is recent", source.user_id, recent.id)
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
        )

    async def post_alert(self, new: NewAlert, *, role_id: int | None) -> Alert | None:
        """Store, post and schedule the re-post of one alert. Returns None when it couldn't be posted."""
        channel = self.bot.get_channel(new.alert_channel_id)
        if not isinstance(channel, discord.TextChannel | discord.Thread):
            log.warning("crisis alert channel %s of guild %s is gone", new.alert_channel_id, new.guild_id)
            return None
        now = self.bot.clock.now()
        alert_id = await self.bot.store.crisis.create_alert(new, now=now)
        alert = await self.bot.store.crisis.alert(alert_id)
        assert alert is not None
        message = await self._send_alert(channel, alert, role_id=role_id, repost=0)
        if message is None:
            return None
        await self.bot.store.crisis.add_alert_message(alert_id, message.id, repost=False, now=now)
        await self.bot.timers.schedule(
            REPOST_KIND,
            now + REPOST_AFTER,
            guild_id=new.guild_id,
            payload={"alert_id": alert_id},
            dedupe_key=repost_key(alert_id),
        )
        return alert

    async def _send_alert(
        self, channel: discord.abc.Messageable, alert: Alert, *, role_id: int | None, repost: int
    ) -> discord.Message | None:
        content = alert_text(
            role_id=role_id,
            subject_user_id=alert.subject_user_id,
            level=alert.level,
            categories=alert.categories,
            where=self.where(alert),
            created_at=alert.created_at,
            repost=repost,
            max_reposts=MAX_REPOSTS,
        )
        # The team role is pinged on purpose; the member is named without a ping; nobody else at all.
        mentions = discord.AllowedMentions(
            roles=[discord.Object(role_id)] if role_id is not None else False, users=False, everyone=False
        )
        try:
            return await channel.send(content, view=claim_view(alert.id), allowed_mentions=mentions)
        except discord.HTTPException:
            log.exception("could not post crisis alert %s", alert.id)
            return None

    @staticmethod
    def where(alert: Alert) -> str:
        """Where the alert came from, as a link when there is a message. Never the message text."""
        if alert.reason == "consent":
            return "they tapped **Talk to someone here** in my private message and would like someone to reach out"
        if alert.source_message_id is not None and alert.source_channel_id is not None:
            link = f"https://discord.com/channels/{alert.guild_id}/{alert.source_channel_id}/{alert.source_message_id}"
            return f"a message in <#{alert.source_channel_id}>: {link}"
        return "something they wrote privately to Kindred (no link)"

    async def repost(self, timer: Timer) -> None:
        """Timer handler: post an unclaimed alert again, up to :data:`MAX_REPOSTS` times."""
        alert = await self.bot.store.crisis.alert(int(timer.payload["alert_id"]))
        if alert is None or alert.claimed_by_user_id is not None:
            return
        channel = self.bot.get_channel(alert.alert_channel_id)
        if not isinstance(channel, discord.TextChannel | discord.Thread):
            log.warning("crisis alert channel %s is gone; alert %s not re-posted", alert.alert_channel_id, alert.id)
            return
        config = await self.bot.store.config.get(alert.guild_id)
        number = alert.reposts + 1
        message = await self._send_alert(channel, alert, role_id=config.crisis_team_role_id, repost=number)
        if message is None:
            return
        now = self.bot.clock.now()
        await self.bot.store.crisis.add_alert_message(alert.id, message.id, repost=True, now=now)
        if number < MAX_REPOSTS:
            await self.bot.timers.schedule(
                REPOST_KIND,
                now + REPOST_AFTER,
                guild_id=alert.guild_id,
                payload={"alert_id": alert.id},
                dedupe_key=repost_key(alert.id),
            )

    # -- member consent ---------------------------------------------------------------------------
    async def consent_alert(self, guild: discord.Guild, user_id: int, level: Level) -> tuple[str, Contacts]:
        """The member asked to talk to someone in ``guild``. Returns what to tell them, and their contacts."""
        contacts = contacts_for(await self.region_for(user_id, guild.id))
        config = await self.bot.store.config.get(guild.id)
        channel_id = config.crisis_alert_channel_id
        if channel_id is None or not isinstance(guild.get_channel(channel_id), discord.TextChannel | discord.Thread):
            return (
                f"Thank you for asking. **{guild.name}** hasn't set up a crisis team channel yet, so I can't pass "
                "this on myself. Please reach one of these people now, or message a moderator you trust. "
                "`/resources show` has these any time.",
                contacts,
            )
        now = self.bot.clock.now()
        recent = await self.bot.store.crisis.recent_alert(guild.id, user_id, since=now - REPOST_AFTER, reason="consent")
        if recent is None:
            posted = await self.post_alert(
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
                return (
                    "I'm sorry, I couldn't reach the crisis team just now. Please reach one of these people now, "
                    "or message a moderator you trust:",
                    contacts,
                )
        return (
            f"Thank you for telling me. I've let the crisis team in **{guild.name}** know you'd like to talk, "
            "and someone will message you soon. Until then, these people are there right now:",
            contacts,
        )

    async def forget_helper(self, user_id: int, guild_id: int | None) -> None:
        """Erase hook: keep alerts a helper claimed (they belong to the member) but drop the helper's id."""
        await self.bot.store.crisis.forget_helper(user_id, guild_id)
