"""Crash-testing a real ``python -m bot`` process against the Discord double.

The double runs in this process. The bot runs as a child ``python -m bot``; a ``sitecustomize`` on its
``PYTHONPATH`` points discord.py at the double, so none of the bot's code is changed for the test.
Every member of a test server has a daily reminder due in the same minute; the child is killed at
random points (SIGKILL, and SIGTERM at others) and started again on the same database. After every
start the chains are checked (each member has exactly one pending next reminder); at the end the
double's DMs are counted per member: a member with none was lost, a member with two got a duplicate.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import sqlite3
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as wall_time
from pathlib import Path
from typing import Any

from bot.checkins import ALL_WEEKDAYS
from bot.db import Database
from bot.store import Store
from cogs.checkins._checkin_cog import REMINDER_TEXT
from tests.double import DiscordDouble

__all__ = ["BotProcess", "CrashReport", "Life", "reminder_counts", "run_reminder_crashtest", "seed_reminders"]

REPO = Path(__file__).resolve().parents[2]
SITE = Path(__file__).resolve().parent / "double_site"
SYNC = ("PUT", "/applications/{application_id}/commands")


@dataclass
class Life:
    """One run of the bot process."""

    signal: str  # how it ended: SIGKILL, SIGTERM or "finished"
    ran_for: float  # seconds from spawn to the signal
    start_seconds: float | None  # spawn until its start-up (migrate, recover, reconcile, sync) was done
    dms: int  # reminder DMs the double received during this life
    exit_code: int | None
    chain_problems: list[str] = field(default_factory=list)
    first_reminder: float | None = None  # spawn until this life's first reminder reached the double


@dataclass
class CrashReport:
    """What a crash test found."""

    members: int
    lives: list[Life]
    lost: list[int]  # members who got no reminder
    duplicates: list[int]  # members who got more than one
    chain_problems: list[str]  # members without exactly one pending next reminder after some start
    failed_timers: int
    wave_seconds: float

    @property
    def kills(self) -> int:
        """SIGKILLs survived."""
        return sum(life.signal == "SIGKILL" for life in self.lives)

    @property
    def terms(self) -> int:
        """SIGTERMs survived."""
        return sum(life.signal == "SIGTERM" for life in self.lives)

    @property
    def kills_mid_wave(self) -> int:
        """Signals that landed while reminders were going out (the life had sent some)."""
        return sum(life.signal != "finished" and life.dms > 0 for life in self.lives)

    def summary(self) -> str:
        """The figures in a few lines."""
        starts = sorted(life.start_seconds for life in self.lives if life.start_seconds is not None)
        median = starts[len(starts) // 2] if starts else float("nan")
        firsts = sorted(life.first_reminder for life in self.lives[1:] if life.first_reminder is not None)
        first_median = firsts[len(firsts) // 2] if firsts else float("nan")
        return (
            f"members {self.members}; SIGKILLs survived {self.kills}, SIGTERMs {self.terms} "
            f"({self.kills_mid_wave} mid-wave); reminders lost {len(self.lost)}, duplicates {len(self.duplicates)}; "
            f"chain problems after restarts {len(self.chain_problems)}; failed timers {self.failed_timers}; "
            f"start-up to synced: median {median:.1f}s, max {max(starts, default=float('nan')):.1f}s; "
            f"restart to first reminder sent: median {first_median:.1f}s, max {max(firsts, default=float('nan')):.1f}s; "
            f"wave done in {self.wave_seconds:.0f}s"
        )


class BotProcess:
    """A real ``python -m bot`` child talking to the double."""

    def __init__(self, dd: DiscordDouble, db_path: Path, log_path: Path, *, extra_env: dict[str, str] | None = None):
        self.dd = dd
        self.db_path = db_path
        self.log_path = log_path
        self.extra_env = extra_env or {}
        self.proc: asyncio.subprocess.Process | None = None
        self.started_at = 0.0
        self._syncs_before = 0

    async def start(self) -> None:
        """Spawn the bot (it migrates, settles cut-off timers, reconciles, syncs commands, connects)."""
        env = {
            **os.environ,
            "DISCORD_TOKEN": self.dd.token,
            "DATABASE_PATH": str(self.db_path),
            "KINDRED_DOUBLE_URL": self.dd.base_url,
            "PYTHONPATH": os.pathsep.join([str(SITE), str(REPO)]),
            "CRISIS_SENTENCE_MODEL": "off",
            "LOG_LEVEL": os.environ.get("CRASHTEST_LOG_LEVEL", "WARNING"),
            **self.extra_env,
        }
        self._syncs_before = len(self.dd.calls_to(*SYNC))
        log = self.log_path.open("ab")
        self.started_at = time.monotonic()
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "--env-file", os.devnull, cwd=REPO, env=env, stdout=log, stderr=log
        )
        log.close()

    async def wait_synced(self, timeout: float) -> float | None:  # noqa: ASYNC109
        """Seconds from spawn until start-up finished (commands synced), or None if it died or timed out first."""

        def synced_or_dead() -> bool:
            dead = self.proc is None or self.proc.returncode is not None
            return dead or len(self.dd.calls_to(*SYNC)) > self._syncs_before

        with contextlib.suppress(AssertionError):
            await poll_until(synced_or_dead, timeout=timeout)
        if len(self.dd.calls_to(*SYNC)) > self._syncs_before:
            return time.monotonic() - self.started_at
        return None

    async def stop(self, sig: signal.Signals, *, timeout: float = 30) -> int | None:  # noqa: ASYNC109
        """Send ``sig`` and wait for the exit code."""
        assert self.proc is not None
        with contextlib.suppress(ProcessLookupError):
            self.proc.send_signal(sig)
        try:
            return await asyncio.wait_for(self.proc.wait(), timeout)
        except TimeoutError:
            self.proc.kill()
            return await self.proc.wait()


async def seed_reminders(db_path: Path | str, guild_id: int, user_ids: list[int], at: wall_time) -> None:
    """Give every member a daily reminder at ``at`` UTC, through the store as ``/checkin remind set`` does.

    No timer is written: the bot's start-up reconciliation builds every chain from these facts.
    """
    db = await Database.open(db_path)
    try:
        await db.migrate()
        store = Store(db)
        now = datetime.now(UTC)
        for user_id in user_ids:
            await store.checkins.set_reminder(user_id, guild_id, at, "UTC", ALL_WEEKDAYS, now=now)
    finally:
        await db.close()


def chain_problems(db_path: Path, user_ids: list[int]) -> list[str]:
    """Members whose reminder chain is not exactly one next link (the pending or running row holding
    their chain's dedupe key).

    A cut-off run that is retried after its successor was already written gives up the key (see
    ``bot.timers``): it is a retry of an occurrence already due, not a second next reminder, and the
    DM counts show whether it was ever delivered twice.
    """
    with contextlib.closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)) as db:
        rows = db.execute(
            "SELECT user_id, count(*) FROM timers WHERE kind = 'checkin-reminder' "
            "AND status IN ('pending', 'running') AND dedupe_key = 'checkin-reminder:' || user_id GROUP BY user_id"
        ).fetchall()
    counts = dict(rows)
    return [f"{uid}: {counts.get(uid, 0)} next reminders" for uid in user_ids if counts.get(uid, 0) != 1]


def timer_statuses(db_path: Path) -> Counter[str]:
    """How many reminder timers are in each status."""
    with contextlib.closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)) as db:
        rows = db.execute("SELECT status, count(*) FROM timers GROUP BY status").fetchall()
    return Counter(dict(rows))


def wave_done(db_path: Path, wave_at: datetime) -> bool:
    """True once no reminder at or before the wave is pending or running."""
    with contextlib.closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)) as db:
        left = db.execute(
            "SELECT count(*) FROM timers WHERE kind = 'checkin-reminder' AND status IN ('pending', 'running') "
            "AND due_at <= ?",
            (wave_at.isoformat(),),
        ).fetchone()[0]
    return int(left) == 0


async def poll_until(check: Callable[[], bool], *, timeout: float) -> None:  # noqa: ASYNC109
    """Wait for a condition on the bot's database (another process: nothing to subscribe to)."""
    for _ in range(int(timeout / 0.2)):
        if check():
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"not reached within {timeout:.0f}s")


def reminder_counts(dd: DiscordDouble, members: list[Any]) -> Counter[int]:
    """Reminder DMs the double received, per member."""
    return Counter({m.id: sum(dm["content"] == REMINDER_TEXT for dm in dd.dms_to(m)) for m in members})


async def run_reminder_crashtest(
    dd: DiscordDouble,
    workdir: Path,
    *,
    members: int,
    kills: int,
    terms: int,
    seed: int = 1,
    lead: timedelta = timedelta(seconds=20),
    kill_window: tuple[float, float] = (0.0, 4.0),
    startup_share: float = 0.25,
    say: Callable[[str], None] = lambda _: None,
) -> CrashReport:
    """Run a reminder wave through ``kills`` SIGKILLs and ``terms`` SIGTERMs; see the module docstring.

    Each signal comes ``kill_window`` seconds (uniformly drawn) after a moment: for a ``startup_share``
    of them the end of start-up, for the rest this life's first reminder, so most land mid-wave.
    """
    rng = random.Random(seed)
    guild = dd.add_guild("Crash test")
    handles = [guild.add_member(f"member{i}") for i in range(members)]
    guild.add_text_channel("general")
    user_ids = [m.id for m in handles]
    db_path = workdir / "kindred.db"
    # The wave: a whole minute just past, as if the bot had been down when it came; every reminder is due
    # at once and well inside the two-hour lateness rule, so none may be skipped.
    wave_at = (datetime.now(UTC) - lead).replace(second=0, microsecond=0)
    await seed_reminders(db_path, guild.id, user_ids, wall_time(wave_at.hour, wave_at.minute))
    signals = [signal.SIGKILL] * kills + [signal.SIGTERM] * terms
    rng.shuffle(signals)
    lives: list[Life] = []
    problems: list[str] = []
    bot = BotProcess(dd, db_path, workdir / "bot.log")
    wave_started: float | None = None

    def delivered() -> int:
        return sum(reminder_counts(dd, handles).values())

    def sent_more_than(count: int) -> Callable[[], bool | None]:
        """A check for the double's waits (they wait while it returns None)."""
        return lambda: True if delivered() > count else None

    while True:
        before = delivered()
        await bot.start()
        synced = await bot.wait_synced(timeout=120)
        found = chain_problems(db_path, user_ids) if synced is not None else []
        problems += found
        if synced is not None and wave_started is None:
            # Let the wave begin before the first signal, so the signals land in the middle of it.
            await dd.world.signal.wait_for(sent_more_than(0), timeout=120, describe=lambda: "the first reminder")
            wave_started = time.monotonic()
        if not signals:
            await poll_until(lambda: wave_done(db_path, wave_at), timeout=1800)
            wave_seconds = time.monotonic() - (wave_started or time.monotonic())
            code = await bot.stop(signal.SIGTERM)
            lives.append(Life("finished", time.monotonic() - bot.started_at, synced, delivered() - before, code, found))
            break
        sig = signals.pop()
        first_reminder = None
        if synced is not None and rng.random() >= startup_share and not wave_done(db_path, wave_at):
            # Most signals land mid-wave: a random moment after this life's first reminder went out.
            with contextlib.suppress(AssertionError):
                await dd.world.signal.wait_for(sent_more_than(before), timeout=60, describe=lambda: "a reminder")
                first_reminder = time.monotonic() - bot.started_at
        # The others land anywhere from the end of start-up on (connecting, chunking members, the first poll).
        await asyncio.sleep(rng.uniform(*kill_window))
        ran_for = time.monotonic() - bot.started_at
        code = await bot.stop(sig)
        lives.append(Life(sig.name, ran_for, synced, delivered() - before, code, found, first_reminder))
        say(f"life {len(lives)}: {sig.name} after {ran_for:.1f}s, {lives[-1].dms} reminders sent, exit {code}")
    counts = reminder_counts(dd, handles)
    return CrashReport(
        members=members,
        lives=lives,
        lost=[uid for uid in user_ids if counts[uid] == 0],
        duplicates=[uid for uid in user_ids if counts[uid] > 1],
        chain_problems=problems + chain_problems(db_path, user_ids),
        failed_timers=timer_statuses(db_path)["failed"],
        wave_seconds=wave_seconds,
    )


@dataclass
class LockReport:
    """What members saw while another process held the write lock, and what was kept."""

    held_for: float
    answered_ok: int  # the command succeeded (it got the lock once freed, within its wait)
    answered_busy: int  # the kind "busy, try again" answer
    unanswered: int  # no answer within Discord's window
    acknowledged_but_missing: list[int]  # told "set" but not in the database: must be empty
    works_after: bool  # a command after the lock went away succeeded
    recovered_in: float  # seconds from releasing the lock to that success


async def run_locked_db_check(dd: DiscordDouble, workdir: Path, *, hold: float = 10.0, commands: int = 8) -> LockReport:
    """Hold the bot's write lock from another process for ``hold`` seconds while members run commands."""
    guild = dd.add_guild("Lock test")
    channel = guild.add_text_channel("general")
    people = [guild.add_member(f"locked{i}") for i in range(commands + 1)]
    db_path = workdir / "locked.db"
    bot = BotProcess(dd, db_path, workdir / "locked-bot.log")
    await bot.start()
    assert await bot.wait_synced(timeout=120) is not None, "the bot did not start"
    for _ in range(60):  # ready once it answers a command that only reads
        probe = await dd.slash(people[-1], "privacy show", channel=channel)
        with contextlib.suppress(AssertionError):
            await probe.response(timeout=2)
            break
    ok = busy = silent = 0
    acknowledged: list[int] = []

    async def remind(member: Any) -> str | None:
        inter = await dd.slash(member, "checkin remind set", channel=channel, time="19:00", timezone="UTC")
        try:
            await inter.response(timeout=hold + 10)
        except AssertionError:
            return None
        return str(inter.content or "")

    locker = sqlite3.connect(db_path, isolation_level=None, timeout=30)
    locker.execute("BEGIN IMMEDIATE")  # a backup or the sqlite3 shell holds the write lock
    locked_at = time.monotonic()
    try:
        waits = []
        for member in people[:commands]:  # spread over the lock's lifetime
            waits.append(asyncio.ensure_future(remind(member)))
            await asyncio.sleep(hold / commands)
    finally:
        locker.execute("COMMIT")
        locker.close()
    released = time.monotonic()

    async def first_after_release() -> tuple[str | None, float]:
        answer = await remind(people[-1])
        return answer, time.monotonic() - released

    later = asyncio.ensure_future(first_after_release())
    for member, answer in zip(people[:commands], await asyncio.gather(*waits), strict=True):
        if answer is None:
            silent += 1
        elif "19:00" in answer:
            ok += 1
            acknowledged.append(member.id)
        else:
            busy += 1
    after, recovered_in = await later
    await bot.stop(signal.SIGTERM)
    with contextlib.closing(sqlite3.connect(db_path)) as db:
        kept = {r[0] for r in db.execute("SELECT user_id FROM checkin_reminders WHERE enabled = 1")}
    return LockReport(
        held_for=released - locked_at,
        answered_ok=ok,
        answered_busy=busy,
        unanswered=silent,
        acknowledged_but_missing=[uid for uid in acknowledged if uid not in kept],
        works_after=after is not None and "19:00" in after,
        recovered_in=recovered_in,
    )
