"""The crisis service: scan text, answer the member privately, and hand detections to the alert desk.

:class:`CrisisCare` is what the crisis cog publishes as ``bot.features.crisis``. It *has* an
:class:`~bot.crisis_care.alerts.AlertDesk` (team alerts) and a :class:`~bot.crisis_care.work.CareWork`
(background tasks and bounded store calls), and is given the buttons it attaches by the cog.

Safety rules this module keeps:

- Scanning never blocks or breaks message handling. Detection is pure CPU and quick, so it runs inline;
  everything that awaits runs in a tracked background task, and every exception is logged, never raised.
- The member's answer never depends on the database, nor waits on it: each store call is bounded
  (:data:`~bot.crisis_care.work.DB_TIMEOUT`) and, when it fails or is slow, the shipped lexicon and hotlines
  are used (region "other" if the region can't be read) and the answer still goes out. What the bot
  remembers about recent answers is also kept in memory, so the cooldown holds while the database is down.
- The member's answer and the team's alert run side by side: neither can delay or cancel the other.
- The sentence model's second opinion (:mod:`bot.crisis.second_opinion`) runs in one worker thread, on
  verdicts below imminent the quick read leaves unsure (it may raise or clear them); what queues while it
  reads is read next as one batch (:mod:`bot.crisis.review_queue`). When a burst of chat has more than
  :data:`_MAX_WAITING` messages queued for it, later ones keep the lexicon's verdict (logged), so a busy
  server can't build an unbounded backlog; if the model fails, the lexicon's verdict stands too.
- Nothing here ever echoes the member's words, to them, to a channel, or to the team.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

import discord

from bot.crisis import Detection, Detector, load_default_detector
from bot.crisis.review_queue import ReviewQueue
from bot.crisis.second_opinion import SecondOpinion, default_second_opinion
from bot.crisis_care.alerts import AlertDesk
from bot.crisis_care.consent import ConsentDesk
from bot.crisis_care.memory import AnswerMemory
from bot.crisis_care.policy import CLOSED_DM_LINE_LIFETIME
from bot.crisis_care.servers import TalkServers
from bot.crisis_care.text import CLOSED_DM_LINE, answer_locale, answer_text, team_locale
from bot.crisis_care.work import REPOST_KIND, CareWork, CrisisButtons, Source, bounded, repost_key
from bot.i18n import gettext_for, using_locale
from bot.messaging import NO_PINGS
from bot.resources import contacts_for

if TYPE_CHECKING:
    from bot.events import MemberText
    from bot.host import Host
    from bot.timers import Timer

__all__ = ["LINE_REMOVAL_KIND", "REPOST_KIND", "CrisisCare", "Source", "repost_key"]

log = logging.getLogger(__name__)

LINE_REMOVAL_KIND = "crisis-line-removal"
# Messages waiting for the sentence model; past this, new ones keep the lexicon's verdict. At a few ms each
# this is about a second of work: a backlog beyond it means chat is outpacing one core.
_MAX_WAITING = 200


class _OnWork:
    """A timeout the service's parts share: read and set on the service, kept on its :class:`CareWork`."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, care: CrisisCare | None, owner: type | None = None) -> float:
        if care is None:
            raise AttributeError(self.name)  # only a service has a value
        return float(getattr(care.work, self.name))

    def __set__(self, care: CrisisCare, seconds: float) -> None:
        setattr(care.work, self.name, seconds)


class CrisisCare:
    """The crisis feature's service: per-server detectors and the member's answer; it has the team's alert
    desk (:attr:`alerts`), the "Talk to someone here" desk (:attr:`consent`), the answer memory and the
    servers an answer offers (:attr:`servers`)."""

    def __init__(self, bot: Host, buttons: CrisisButtons) -> None:
        self.bot = bot
        self.buttons = buttons
        self.work = CareWork(bot)
        self.alerts = AlertDesk(bot, self.work, buttons)
        self.consent = ConsentDesk(bot, self.work, self.alerts)
        self._detectors: dict[int, Detector] = {}
        # One answer decision at a time per member, so two quick messages can't both pass the cooldown.
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()
        self.memory = AnswerMemory(bot, self.work)
        self.servers = TalkServers(bot, self.work)
        self.opinion: SecondOpinion | None = None
        self._reviews = ReviewQueue(self._review_batch)
        bot.metrics.watch_crisis_queue(lambda: self._waiting)
        self._waiting = 0
        self.max_waiting = _MAX_WAITING
        self.skipped_reviews = 0

    async def load_opinion(self) -> None:
        """Load the sentence model (a quarter of a second, off the event loop). Without it, the lexicon decides."""
        if not self.bot.settings.crisis_sentence_model:
            log.info("crisis: the sentence model is off (CRISIS_SENTENCE_MODEL=off); the lexicon alone decides")
            return
        try:
            self.opinion = await asyncio.to_thread(default_second_opinion)
        except Exception:
            log.exception("crisis: could not load the sentence model; the lexicon alone will decide")
            self.opinion = None
        if self.opinion is None:
            log.warning("crisis: no sentence model (bot/data/crisis/minilm missing?); the lexicon alone will decide")

    async def close(self) -> None:
        """Stop the sentence model's queue, then every follow-up task (cog unload)."""
        await self._reviews.close()
        await self.work.close()

    # -- shared work (the alert desk uses the same tasks and timeouts) ----------------------------
    db_timeout = _OnWork()
    """How long a store call on the member's path may take before the flow carries on without it."""
    consent_wait = _OnWork()
    """How long "Talk to someone here" waits for the team alert before saying it's on its way."""

    async def wait_idle(self) -> None:
        """Wait until no follow-up work is running (tests and shutdown use this)."""
        await self.work.wait_idle()

    async def verdict(self, guild_id: int | None, text: str, *, patience: float) -> Detection:
        """The verdict the scan itself reaches on ``text``: the server's terms, then the sentence model.

        For features that show their own answer to text the crisis listener also hears (a check-in note),
        so both agree. If the model takes longer than ``patience`` seconds, the lexicon's verdict stands."""
        detection = (await self.detector_for(guild_id)).detect(text)
        try:
            return await asyncio.wait_for(self.second_opinion(text, detection), patience)
        except TimeoutError:
            log.warning(
                "crisis: the sentence model was slow on text another feature asked about; using the word list's verdict"
            )
            return detection

    # -- detectors --------------------------------------------------------------------------------
    def cached_detector(self, guild_id: int | None) -> Detector | None:
        """The detector for a server if already built (DMs always use the shipped lexicon)."""
        if guild_id is None:
            return load_default_detector()
        return self._detectors.get(guild_id)

    async def detector_for(self, guild_id: int | None) -> Detector:
        """The shipped lexicon plus the server's terms; the shipped lexicon alone if those can't be read in time."""
        cached = self.cached_detector(guild_id)
        if cached is not None or guild_id is None:
            return cached or load_default_detector()
        try:
            stored = await bounded(lambda: self.bot.store.crisis.terms(guild_id), self.db_timeout)
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
            self.servers.note_seen(message)
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
            self.work.spawn(self._scan_later(source, text), "scan")
            return
        self._after_lexicon(source, text, detector.detect(text))

    async def _scan_later(self, source: Source, text: str) -> None:
        self._after_lexicon(source, text, (await self.detector_for(source.guild_id)).detect(text))

    def _after_lexicon(self, source: Source, text: str, detection: Detection) -> None:
        """Respond to the lexicon's verdict now, or after the sentence model's second opinion if it wants one.

        A verdict the model may change waits for it (milliseconds), so the member and team hear once, at the
        right level, rather than twice, and not at all about a message the model reads as everyday talk."""
        if self.opinion is not None and self.opinion.wanted(text, detection):
            self.work.spawn(self._review(source, text, detection), "review")
        elif detection.detected:
            self._respond_later(source, detection)

    async def _review(self, source: Source, text: str, detection: Detection) -> None:
        reviewed = detection
        try:
            reviewed = await self.second_opinion(text, detection)
        except Exception:
            self.bot.metrics.crisis_fallbacks.labels("failed").inc()
            log.exception("crisis: the sentence model failed on a message; keeping the lexicon's verdict")
        if detection.detected and not reviewed.detected:
            # Logged without the text: a moderator can replay a doubt with /crisis test.
            log.info(
                "crisis: the sentence model cleared a %s lexicon match (reads as everyday talk)",
                detection.level.name.lower(),
            )
        if reviewed.detected:
            self._respond_later(source, reviewed)

    async def second_opinion(self, text: str, detection: Detection) -> Detection:
        """``detection`` reviewed by the sentence model in its worker thread (batched with what else waits)."""
        opinion = self.opinion
        if opinion is None or not opinion.wanted(text, detection):
            return detection
        if self._waiting >= self.max_waiting:
            self.skipped_reviews += 1
            self.bot.metrics.crisis_fallbacks.labels("backlog").inc()
            if self.skipped_reviews % 100 == 1:
                log.warning(
                    "crisis: sentence model backlog full; %d messages kept the lexicon's verdict", self.skipped_reviews
                )
            return detection
        self._waiting += 1
        self.bot.metrics.crisis_reviews.inc()
        try:
            return await self._reviews.review(text, detection)
        finally:
            self._waiting -= 1

    def _review_batch(self, items: Sequence[tuple[str, Detection]]) -> list[Detection]:
        """The model's verdicts on a batch (runs in the review queue's worker thread)."""
        opinion = self.opinion
        if opinion is None:  # switched off while the batch waited
            return [detection for _, detection in items]
        return opinion.review_many(items)

    def _respond_later(self, source: Source, detection: Detection) -> None:
        """Answer the member (policy permitting) and alert the team (server policy permitting), side by side.

        Two tasks, not one: a slow DM must not hold back an imminent alert, and a failure of either is
        logged on its own without costing the other.
        """
        log.info(
            "crisis detection: guild %s level %s (%s)",
            source.guild_id,
            detection.level.name,
            source.kind,
        )
        self.work.spawn(self._answer(source, detection), "answer")
        if source.guild_id is not None and source.kind != "dm":
            self.work.spawn(self.alerts.alert_by_policy(source, detection), "alert")

    # -- the member's answer ----------------------------------------------------------------------
    def acknowledge(self, user_id: int, now: datetime) -> None:
        """The member said they're OK: remembered at once, stored in the background."""
        self.memory.acknowledge(user_id, now)

    def note_muted(self, user_id: int, muted: bool) -> None:
        """Remember a member's mute choice (read or just saved) for when the database can't be read."""
        self.memory.note_muted(user_id, muted)

    async def _answer(self, source: Source, detection: Detection) -> None:
        lock = self._locks.get(source.user_id)
        if lock is None:
            lock = self._locks[source.user_id] = asyncio.Lock()
        async with lock:
            now = self.bot.clock.now()
            taken = await self.memory.take_answer(source.user_id, detection.level, now)
            if not taken.decision.answer:
                log.info("no automatic crisis answer: %s", taken.decision.why)
                return
            delivered = False
            try:
                delivered = await self._send_answer(source, detection)
            finally:
                # The channel line counts too: it keeps a closed-DM member from being replied to again and again.
                # An answer that never went out is given back, so the cooldown doesn't hold for nothing.
                self.memory.answered(source.user_id, detection.level, now, taken, delivered=delivered)

    async def _send_answer(self, source: Source, detection: Detection) -> bool:
        """The private answer by DM, else the channel line; whether either reached the member."""
        guilds = await self.servers.for_answer(source)
        # In a DM, a member who shares one server with the bot gets that server's region by default.
        region_guild = source.guild_id or (guilds[0].id if len(guilds) == 1 else None)
        contacts = contacts_for(await self.work.region_for(source.user_id, region_guild))
        # The language the message was written in, else the one the member last used a command in.
        with using_locale(answer_locale(detection.language, await self.work.locale_for(source.user_id))):
            content = answer_text(detection.level, detection.categories, contacts, talk_offered=bool(guilds))
            buttons = self.buttons.answer(guilds, detection.level)
        dm = await self._dm(source.user_id, content, buttons)
        return dm is not None or await self._closed_dm_fallback(source)

    async def _dm(self, user_id: int, content: str, view: discord.ui.View) -> discord.Message | None:
        """DM the answer. Like :func:`bot.messaging.send_dm`, but recording "DMs closed" never delays the
        channel fallback: that write goes to the background."""
        try:
            user = self.bot.get_user(user_id) or await self.bot.fetch_user(user_id)
            return await user.send(content=content, view=view, allowed_mentions=NO_PINGS)
        except discord.Forbidden as exc:
            if exc.code == 50007:
                self.bot.metrics.dm_failures.labels("closed").inc()
                log.info("crisis DM: DMs closed; marking the member unreachable")
                now = self.bot.clock.now()
                self.work.write_later(
                    "marking DMs closed", lambda: self.bot.store.prefs.mark_dm_closed(user_id, now=now)
                )
            else:
                self.bot.metrics.dm_failures.labels("forbidden").inc()
                log.warning("crisis DM forbidden (code %s)", exc.code)
            return None
        except discord.HTTPException:
            self.bot.metrics.dm_failures.labels("error").inc()
            log.exception("crisis DM failed")
            return None

    async def _closed_dm_fallback(self, source: Source) -> bool:
        """DMs closed: a short neutral line in the channel that disappears after a while.

        Not a reply, naming nobody and quoting nothing, so the channel can't tell which message it follows up.
        It is sent before anything touches the database; its deletion is then stored as a timer, so a
        restart doesn't leave it behind."""
        message = source.message
        if message is None or message.guild is None:
            log.info("crisis answer undeliverable (DMs closed, %s)", source.kind)
            return False
        try:
            # In the server's language: the channel reads it, and it must not single anyone out.
            text = gettext_for(team_locale(message.guild), CLOSED_DM_LINE)
            line = await message.channel.send(text, allowed_mentions=NO_PINGS)
        except discord.HTTPException:
            log.exception("could not post the closed-DM line in channel %s", message.channel.id)
            return False
        self.work.spawn(self._schedule_line_removal(line), f"line:{line.id}")
        return True

    async def _schedule_line_removal(self, line: discord.Message) -> None:
        due = self.bot.clock.now() + CLOSED_DM_LINE_LIFETIME
        payload = {"channel_id": line.channel.id, "message_id": line.id}
        try:
            # Patient: this is background work, and a timer written late still removes the line.
            await self.bot.timers.schedule(
                LINE_REMOVAL_KIND, due, payload=payload, dedupe_key=f"{LINE_REMOVAL_KIND}:{line.id}"
            )
        except Exception:
            log.exception("could not store the removal of closed-DM line %s; removing it from memory instead", line.id)
            await line.delete(delay=CLOSED_DM_LINE_LIFETIME.total_seconds())

    async def remove_line(self, timer: Timer) -> None:
        """Timer handler: delete a closed-DM line. Safe to repeat (a line already gone is done)."""
        channel_id, message_id = int(timer.payload["channel_id"]), int(timer.payload["message_id"])
        channel = self.bot.get_channel(channel_id)
        if not isinstance(channel, discord.TextChannel | discord.Thread | discord.VoiceChannel | discord.StageChannel):
            return  # the channel is gone, and the line with it
        try:
            await channel.get_partial_message(message_id).delete()
        except discord.NotFound:
            return
