"""A cluster of real ``python -m bot`` processes, one shard each, on one PostgreSQL database and the Discord double.

Two servers live on different shards (of ``SHARD_COUNT=2``), so each process hears, and owns, one of them.
:func:`run_cluster` plays a day in the cluster's life and records what the double and the database saw, phase by
phase; the tests in ``tests/e2e/cluster`` then check one property each:

1. **start-up**: every member of both servers has a daily reminder due at once, and each server a buddy round
   due at once (facts and timers written before the processes start, as a long outage leaves them);
2. **crisis**: one member of both servers posts crisis words in each at the same moment, so both processes scan
   a crisis message of theirs together; answers are held at the double until both have decided, and the
   cooldown allows one;
3. **a process dies**: a second wave of reminders and a second round in each server fall due; once the wave
   is going out, process 1 is SIGKILLed; process 0 goes on alone (and must leave server 1's round alone), then
   process 1 comes back with the same shard and settles what it owned;
4. **hand-over**: a member of server 1 only, seen posting there, DMs crisis words: process 0 (DMs go to shard 0)
   answers with server 1's "Talk to someone here", and the tap, which also reaches process 0, is handed over to
   process 1, which posts the alert in server 1's crisis channel.

A phase that fails records its error and the phases after it are skipped, so each test reports its own check.
"""

from __future__ import annotations

import asyncio
import re
import signal
import time
import traceback
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as wall_time
from pathlib import Path
from typing import Any

from bot.buddies.rounds import ROUND
from bot.checkins.reminders import REMINDER_KIND, reminder_key
from bot.clock import Clock, to_db
from bot.db import Database
from bot.store import Store
from bot.timers import TimerService
from tests.double import ChannelHandle, DiscordDouble, GuildHandle, MemberHandle
from tests.support.crashtest import BotProcess, poll_until, reminder_counts, seed_reminders

__all__ = ["CRISIS_TEXT", "ClusterReport", "ShardProcess", "run_cluster"]

SHARDS = 2
CRISIS_TEXT = "honestly i want to die, i can't do this anymore"  # the lexicon reads it as high, never imminent
CRISIS_ANSWER = "You matter"  # in every crisis answer (English: the member never used a command)
# Logged (at INFO) by a process that scanned a crisis message and decided not to answer it.
NO_ANSWER_LOG = re.compile(r"no automatic crisis answer")
# Logged when the database took too long for the decision, which is then taken on the process's own memory:
# by design a possible second answer then beats a late one, so the cooldown across processes isn't tested.
DECISION_FALLBACK_LOG = re.compile(r"deciding on a crisis answer took over")
START_TIMEOUT = 120.0  # seconds; two interpreters importing on a shared two-core machine can be slow
WORK_TIMEOUT = 90.0  # a bulk poll every 15 s, so anything due is picked up well inside this


class ShardProcess(BotProcess):
    """``python -m bot`` running shards ``shard_ids`` of ``shard_count``, on a PostgreSQL URL or a SQLite file."""

    def __init__(
        self,
        dd: DiscordDouble,
        database: str | Path,
        shard_ids: Sequence[int],
        log_path: Path,
        *,
        shard_count: int = SHARDS,
        log_level: str = "INFO",
    ) -> None:
        env = {"SHARD_COUNT": str(shard_count), "SHARD_IDS": ",".join(map(str, shard_ids)), "LOG_LEVEL": log_level}
        if isinstance(database, str):
            env["DATABASE_URL"] = database
            database = log_path.with_suffix(".unused.db")
        super().__init__(dd, database, log_path, extra_env=env)
        self.shard_ids = list(shard_ids)
        self.shard_count = shard_count
        self._sessions_before: set[str] = set()

    async def start(self) -> None:
        """Spawn the process; :meth:`wait_identified` then waits for its gateway sessions."""
        self._sessions_before = set(self.dd.gateway.sessions)
        await super().start()

    async def wait_identified(self, timeout: float = START_TIMEOUT) -> None:  # noqa: ASYNC109
        """Until this life of the process has identified each of its shards: its start-up (migrate, recover,
        reconcile, sync) is over, since discord.py connects only after it."""

        def identified() -> bool | None:
            if self.proc is not None and self.proc.returncode is not None:
                raise AssertionError(f"shards {self.shard_ids} exited with {self.proc.returncode}: see {self.log_path}")
            new = [s for sid, s in self.dd.gateway.sessions.items() if sid not in self._sessions_before]
            have = {s.shard[0] for s in new if s.shard[1] == self.shard_count}
            return True if have >= set(self.shard_ids) else None

        await self.dd.world.signal.wait_for(
            identified, timeout=timeout, describe=lambda: f"shards {self.shard_ids} never identified"
        )

    def log_text(self) -> str:
        """Everything the process logged, across its lives."""
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


@dataclass
class Server:
    """One server of the cluster test, on one shard."""

    guild: GuildHandle
    general: ChannelHandle
    buddies: ChannelHandle
    members: list[MemberHandle]
    crisis_alerts: ChannelHandle

    def buddy_threads(self, dd: DiscordDouble) -> list[ChannelHandle]:
        """Threads the bot opened in the buddy channel."""
        return [t for t in dd.threads if t.parent_id == self.buddies.id]


@dataclass
class ClusterReport:
    """What each phase saw; ``errors`` holds the phases that failed (and ``skipped`` those never run)."""

    members: list[int] = field(default_factory=list)
    reminders_after_start: Counter[int] = field(default_factory=Counter)
    reminders_after_restart: Counter[int] = field(default_factory=Counter)
    # Per server (by shard): rounds recorded, groups they made, buddy threads the double saw opened.
    rounds: dict[int, list[tuple[str | None, int]]] = field(default_factory=dict)
    threads: dict[int, int] = field(default_factory=dict)
    rounds_while_down: dict[int, int] = field(default_factory=dict)
    crisis_answers: int = 0
    crisis_decisions: int = 0
    crisis_fallbacks: int = 0
    handover_talk_buttons: list[str] = field(default_factory=list)  # on process 0's answer to the DM
    handover_reply: str = ""  # what the member was told when they tapped it
    handover_alerts: int = 0  # alerts process 1 posted in server 1's crisis channel
    reminders_before_kill: int = 0
    left_running_by_kill: int = 0  # timers process 1 had claimed and not finished when it was killed
    chain_problems: list[str] = field(default_factory=list)
    failed_timers: list[str] = field(default_factory=list)
    tracebacks: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        """The figures in one line (printed with ``pytest -s``)."""
        once = sum(n == 1 for n in self.reminders_after_start.values())
        twice = sum(n == 2 for n in self.reminders_after_restart.values())
        return (
            f"{len(self.members)} members: first wave once each {once}, second wave (through the kill) once each "
            f"{twice}; {self.reminders_before_kill} of the second wave sent before the SIGKILL, which left {self.left_running_by_kill} "
            f"claimed timer(s) running; rounds per server "
            f"{ {k: len(v) for k, v in self.rounds.items()} } (while shard 1 was down {self.rounds_while_down}), "
            f"buddy threads {self.threads}; crisis: {self.crisis_decisions} decisions, {self.crisis_answers} answer; "
            f"hand-over: {self.handover_alerts} alert; "
            f"chain problems {len(self.chain_problems)}, failed timers {len(self.failed_timers)}; "
            f"phases {', '.join(f'{k} {v:.1f}s' for k, v in self.seconds.items())}"
        )

    def phase_ok(self, phase: str) -> str | None:
        """Why ``phase`` has nothing to check (failed or skipped), or None when it ran."""
        if phase in self.errors:
            return f"the {phase} phase failed: {self.errors[phase]}"
        if phase in self.skipped:
            return f"the {phase} phase did not run: an earlier one failed ({', '.join(self.errors)})"
        return None


async def _prepare(dd: DiscordDouble, url: str) -> tuple[list[Server], MemberHandle, datetime]:
    """Two servers (shard 0, shard 1) with members, reminders and a round due; one member in both."""
    servers: list[Server] = []
    for shard in range(SHARDS):
        guild = dd.add_guild(f"Cluster {shard}", shard=shard)
        general, buddies = guild.add_text_channel("general"), guild.add_text_channel("buddies")
        members = [guild.add_member(f"s{shard}m{i}") for i in range(12)]
        servers.append(Server(guild, general, buddies, members, guild.add_text_channel("crisis-alerts")))
    both = servers[0].guild.add_member("Both")
    servers[1].guild.add_member("Both", user=both)
    # The wave: a minute just past, as if the cluster had been down when it came (see crashtest.py).
    wave_at = (datetime.now(UTC) - timedelta(seconds=20)).replace(second=0, microsecond=0)
    for server in servers:
        await seed_reminders(
            url, server.guild.id, [m.id for m in server.members], wall_time(wave_at.hour, wave_at.minute)
        )
    db = await Database.open(url)
    try:
        store, timers, now = Store(db), TimerService(db, Clock()), datetime.now(UTC)
        for server in servers:
            await store.config.set(server.guild.id, "buddy_channel_id", server.buddies.id, now=now)
            await store.config.set(server.guild.id, "crisis_alert_channel_id", server.crisis_alerts.id, now=now)
            for member in server.members[:4]:
                await store.buddies.join(
                    server.guild.id, member.id, pathway="any", experience="some", wants="either", now=now
                )
            await _schedule_round(timers, server.guild.id, now - timedelta(seconds=5))
    finally:
        await db.close()
    return servers, both, wave_at


async def _schedule_round(timers: TimerService, guild_id: int, due: datetime) -> None:
    """A scheduled buddy round, written as the round service writes it."""
    await timers.schedule(ROUND, due, guild_id=guild_id, payload={"at": to_db(due)}, dedupe_key=f"{ROUND}:{guild_id}")


async def _with_db(url: str, body: Callable[[Database], Awaitable[Any]]) -> Any:
    db = await Database.open(url)
    try:
        return await body(db)
    finally:
        await db.close()


async def _due_left(url: str, kind: str, at: datetime) -> int:
    """Timers of ``kind`` due by ``at`` that are still pending or running."""
    sql = "SELECT count(*) FROM timers WHERE kind = ? AND status IN ('pending', 'running') AND due_at <= ?"
    return int(await _with_db(url, lambda db: db.fetchval(sql, (kind, to_db(at)))) or 0)


async def _rounds(url: str, guild_id: int) -> list[tuple[str | None, int]]:
    """Each recorded round of a server: its scheduled time and how many groups it made."""
    sql = (
        "SELECT r.scheduled_for AS at, count(g.id) AS n FROM buddy_rounds r LEFT JOIN buddy_groups g "
        "ON g.round_id = r.id WHERE r.guild_id = ? GROUP BY r.id, r.scheduled_for ORDER BY r.id"
    )
    rows = await _with_db(url, lambda db: db.fetchall(sql, (guild_id,)))
    return [(r["at"], int(r["n"])) for r in rows]


async def _chain_problems(url: str, user_ids: list[int]) -> list[str]:
    """Members without exactly one next reminder (pending or running under their chain's key)."""
    sql = "SELECT user_id, dedupe_key FROM timers WHERE kind = ? AND status IN ('pending', 'running')"
    rows = await _with_db(url, lambda db: db.fetchall(sql, (REMINDER_KIND,)))
    counts = Counter(r["user_id"] for r in rows if r["dedupe_key"] == reminder_key(r["user_id"]))
    return [f"{uid}: {counts[uid]} next reminders" for uid in user_ids if counts[uid] != 1]


async def _failed_timers(url: str) -> list[str]:
    rows = await _with_db(url, lambda db: db.fetchall("SELECT kind, last_error FROM timers WHERE status = 'failed'"))
    return [f"{r['kind']}: {r['last_error']}" for r in rows]


async def run_cluster(dd: DiscordDouble, url: str, workdir: Path, say: Callable[[str], None] = print) -> ClusterReport:
    """Play the phases of the module docstring against a migrated, empty PostgreSQL database at ``url``."""
    report = ClusterReport()
    servers, both, wave_at = await _prepare(dd, url)
    everyone = [m for s in servers for m in s.members]
    report.members = [m.id for m in everyone]
    procs = [ShardProcess(dd, url, [shard], workdir / f"shard{shard}.log") for shard in range(SHARDS)]

    def delivered() -> int:
        return sum(reminder_counts(dd, everyone).values())

    async def phase(name: str, body: Callable[[], Awaitable[None]]) -> None:
        if report.errors:
            report.skipped.append(name)
            return
        started = time.monotonic()
        try:
            await body()
        except Exception as exc:
            report.errors[name] = "".join(traceback.format_exception_only(exc)).strip()
        report.seconds[name] = time.monotonic() - started
        say(f"cluster phase {name}: {report.seconds[name]:.1f}s {report.errors.get(name, 'ok')}")

    async def start_up() -> None:
        for proc in procs:
            await proc.start()
        for proc in procs:
            await proc.wait_identified()
        await poll_until(lambda: delivered() >= len(everyone), timeout=WORK_TIMEOUT)
        for server in servers:
            await dd.world.signal.wait_for(
                lambda s=server: True if len(s.buddy_threads(dd)) >= 2 else None,
                timeout=WORK_TIMEOUT,
                describe=lambda s=server: f"no buddy threads in {s.guild.name}",
            )
        # The wave is settled, not just sent: no reminder of it is left pending or running.
        await poll_until_async(lambda: _due_left(url, REMINDER_KIND, wave_at), timeout=WORK_TIMEOUT)
        report.reminders_after_start = reminder_counts(dd, everyone)

    async def crisis() -> None:
        # The same moment in both servers: each process scans one message, and the cooldown allows one answer.
        here, there = (server.guild.members[both.id] for server in servers)
        # Everyday words first: each process reads its server's crisis terms once, before the moment that counts.
        for member, server in ((here, servers[0]), (there, servers[1])):
            await dd.send_message(member, server.general, "long week, heading to a meeting later")
        # Answers wait at the double until both processes have decided, so neither can see the other's answer
        # go out first: only the decision itself, in the database, can keep the second one back.
        hold = dd.hold("POST", "/channels/{channel_id}/messages")
        try:
            await asyncio.gather(
                dd.send_message(here, servers[0].general, CRISIS_TEXT),
                dd.send_message(there, servers[1].general, CRISIS_TEXT),
            )

            def decided() -> int:
                return hold.waiting + sum(len(NO_ANSWER_LOG.findall(p.log_text())) for p in procs)

            await poll_until(lambda: decided() >= 2, timeout=WORK_TIMEOUT)
            report.crisis_decisions = decided()
        finally:
            hold.release()

        def answers() -> int:
            return sum(CRISIS_ANSWER in dm["content"] for dm in dd.dms_to(both))

        await poll_until(lambda: answers() >= hold.held, timeout=WORK_TIMEOUT)
        report.crisis_answers = answers()
        report.crisis_fallbacks = sum(len(DECISION_FALLBACK_LOG.findall(p.log_text())) for p in procs)

    async def kill_and_return() -> None:
        # Claims go in due order: the reminders first (each process is caught in its first one, below), then
        # server 1's round, then server 0's. So once process 0 has run its own round, it has passed server 1's.
        second_wave = datetime.now(UTC) - timedelta(seconds=2)
        rounds_due = [second_wave + timedelta(seconds=1), second_wave + timedelta(seconds=0.5)]
        before = delivered()

        async def schedule(db: Database) -> None:
            timers = TimerService(db, Clock())
            for member in everyone:
                await timers.schedule(REMINDER_KIND, second_wave, user_id=member.id, dedupe_key=reminder_key(member.id))
            for server, due in zip(servers, rounds_due, strict=True):
                await _schedule_round(timers, server.guild.id, due)

        # Messages wait unanswered at the double, so process 1 is caught in the middle of sending a reminder
        # (its timer claimed and running) when it is killed; the DM it asked for is delivered all the same.
        hold = dd.hold("POST", "/channels/{channel_id}/messages")
        try:
            await _with_db(url, schedule)
            await poll_until_async(lambda: _not_yet_running(url, f"shards 1 of {SHARDS}"), timeout=WORK_TIMEOUT)
            report.reminders_before_kill = delivered() - before
            await procs[1].stop(signal.SIGKILL)
            sql = "SELECT count(*) FROM timers WHERE status = 'running' AND claimed_by = ?"
            report.left_running_by_kill = int(
                await _with_db(url, lambda db: db.fetchval(sql, (f"shards 1 of {SHARDS}",)))
            )
        finally:
            hold.release()
        # Process 0 goes on alone: it sends every reminder nobody holds (they belong to no server) and runs its
        # own server's round; server 1's round is left for its owner, however long it is away.
        await poll_until_async(lambda: _pending_due(url, REMINDER_KIND, second_wave), timeout=WORK_TIMEOUT)
        await dd.world.signal.wait_for(
            lambda: True if len(servers[0].buddy_threads(dd)) >= 4 else None,
            timeout=WORK_TIMEOUT,
            describe=lambda: "server 0's second round never ran",
        )
        report.rounds_while_down = {s: len(await _rounds(url, servers[s].guild.id)) for s in range(SHARDS)}
        await procs[1].start()
        await procs[1].wait_identified()
        await poll_until_async(lambda: _due_left(url, REMINDER_KIND, second_wave), timeout=WORK_TIMEOUT)
        await poll_until_async(lambda: _due_left(url, ROUND, max(rounds_due)), timeout=WORK_TIMEOUT)
        report.reminders_after_restart = reminder_counts(dd, everyone)

    await phase("start-up", start_up)
    await phase("crisis", crisis)
    await phase("kill", kill_and_return)

    async def hand_over() -> None:
        member, server = servers[1].members[-1], servers[1]  # in server 1 only; never answered before
        await dd.send_message(member, server.general, "evening all, day forty")
        await poll_until_async(lambda: _not_noted(url, server.guild.id, member.id), timeout=WORK_TIMEOUT)
        await dd.send_dm(member, CRISIS_TEXT)
        answer = await dd.wait_for_dm(member, lambda m: CRISIS_ANSWER in m["content"], timeout=WORK_TIMEOUT)
        report.handover_talk_buttons = [
            str(b.get("custom_id")) for row in answer.get("components", []) for b in row["components"]
        ]
        tap = await dd.click(member, answer, f"crisis:talk:{server.guild.id}:2")
        [reply] = await tap.followups(timeout=WORK_TIMEOUT)
        report.handover_reply = str(reply["content"])
        await dd.wait_for_message(server.crisis_alerts, timeout=WORK_TIMEOUT)

    await phase("hand-over", hand_over)
    for proc in procs:
        if proc.proc is not None and proc.proc.returncode is None:
            await proc.stop(signal.SIGTERM)
    report.handover_alerts = len(
        [m for m in dd.messages_in(servers[1].crisis_alerts) if m["author"]["id"] == str(dd.bot_user.id)]
    )
    for index, server in enumerate(servers):
        report.rounds[index] = await _rounds(url, server.guild.id)
        report.threads[index] = len(server.buddy_threads(dd))
    report.chain_problems = await _chain_problems(url, report.members)
    report.failed_timers = await _failed_timers(url)
    report.tracebacks = [p.log_path.name for p in procs if "Traceback" in p.log_text()]
    say(report.summary())
    return report


async def _not_noted(url: str, guild_id: int, user_id: int) -> int:
    """1 until the server's owner has noted that the member was seen there, then 0."""
    sql = "SELECT count(*) FROM crisis_member_servers WHERE guild_id = ? AND user_id = ?"
    return 0 if int(await _with_db(url, lambda db: db.fetchval(sql, (guild_id, user_id))) or 0) else 1


async def _not_yet_running(url: str, claimed_by: str) -> int:
    """1 until some timer is running under the claim of ``claimed_by`` (a process's identity), then 0."""
    sql = "SELECT count(*) FROM timers WHERE status = 'running' AND claimed_by = ?"
    return 0 if int(await _with_db(url, lambda db: db.fetchval(sql, (claimed_by,))) or 0) else 1


async def _pending_due(url: str, kind: str, at: datetime) -> int:
    """Timers of ``kind`` due by ``at`` that nobody has claimed yet."""
    sql = "SELECT count(*) FROM timers WHERE kind = ? AND status = 'pending' AND due_at <= ?"
    return int(await _with_db(url, lambda db: db.fetchval(sql, (kind, to_db(at)))) or 0)


async def poll_until_async(count: Callable[[], Awaitable[int]], *, timeout: float) -> None:  # noqa: ASYNC109
    """Wait until an asynchronous count on the shared database reaches zero (another process's work)."""
    deadline = time.monotonic() + timeout
    while (left := await count()) != 0:
        if time.monotonic() > deadline:
            raise AssertionError(f"{left} still left after {timeout:.0f}s")
        await asyncio.sleep(0.3)
