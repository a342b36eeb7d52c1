"""Load benchmark through the Discord double: a burst of slash commands, then a rate-limited reminder wave.

Run from the project root: ``.venv/bin/python benchmarks/bench_load.py`` (about eight minutes;
``--interactions``, ``--seconds``, ``--reminders`` to resize, ``--skip-burst`` / ``--skip-wave``).

The real bot (every extension, a real SQLite file, the crisis word list without the sentence model)
runs in this process against the double, which runs in the same event loop, so the double's own work
counts against the bot: the figures are, if anything, pessimistic.

1. **Burst**: ``--interactions`` mixed slash commands (check-ins, reminders, recovery, lists, help,
   privacy...) from 200 members, spread evenly over ``--seconds``. Reported: time from the double
   dispatching each interaction to the bot's acknowledgement (its callback), p50/p99/max, and how
   many went unanswered within Discord's 3 seconds. Baseline from the same run: the same commands one
   at a time on an idle bot. Target: p99 under 1 s, none unanswered.
2. **Wave**: ``--reminders`` members whose daily reminder falls due at once, dispatched by the bot's
   own timer loop, with the double enforcing Discord's rate limits (50 requests a second globally,
   5 per 5 s per route and major parameter; opening DM channels, whose bucket Discord does not
   publish, at the global rate). Each reminder is two requests (open the DM channel, send), since
   discord.py keeps only the last 128 DM channels. The floor is what those limits allow for the
   requests the wave needs: (ceil(requests / 50) - 1) seconds. Reported: wave time against the floor
   (target at most 1.1x), and whether every member got exactly one reminder.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import math
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from datetime import time as wall_time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.checkins import ALL_WEEKDAYS
from bot.client import KindredBot
from bot.clock import FakeClock
from bot.db import Database
from bot.settings import Settings
from cogs.checkins._checkin_cog import REMINDER_TEXT
from tests.double import DiscordDouble, RateLimits
from tests.double.interactions import InteractionRecord

DM_OPEN = ("POST", "/users/@me/channels")
ACK_TARGET = 1.0
WAVE_TARGET = 1.1


def command_mix(rng: random.Random) -> tuple[str, dict[str, Any]]:
    """One slash command, drawn with weights like a busy evening: mostly check-ins and quick looks."""
    options: list[tuple[int, str, dict[str, Any]]] = [
        (30, "checkin today", {"mood": rng.randint(1, 5), "craving": rng.randint(0, 10), "note": "long day, ok now"}),
        (10, "checkin remind set", {"time": f"{rng.randint(6, 22)}:00", "timezone": "Europe/London"}),
        (10, "recovery show", {}),
        (8, "resources show", {}),
        (8, "help", {}),
        (6, "about", {}),
        (8, "buddy status", {}),
        (6, "interests list", {}),
        (6, "room list", {}),
        (4, "service list", {}),
        (4, "privacy show", {}),
    ]
    _, name, opts = rng.choices(options, weights=[w for w, _, _ in options])[0]
    return name, opts


class LoadBot:
    """The real bot on a fresh database, connected to ``dd``."""

    def __init__(self, dd: DiscordDouble, workdir: Path, clock: FakeClock) -> None:
        self.dd, self.workdir, self.clock = dd, workdir, clock
        self.bot: KindredBot | None = None
        self.db: Database | None = None

    async def __aenter__(self) -> KindredBot:
        path = self.workdir / "kindred.db"
        settings = Settings(discord_token=self.dd.token, database_path=path, crisis_sentence_model=False)
        self.db = await Database.open(path)
        self.bot = KindredBot(settings, self.db, clock=self.clock, timer_poll_seconds=None, guild_ready_timeout=0.05)
        await self.dd.connect(self.bot)
        return self.bot

    async def __aexit__(self, *exc: object) -> None:
        if self.bot is not None:
            await self.dd.disconnect(self.bot)
        if self.db is not None:
            await self.db.close()


def _ack_seconds(record: InteractionRecord) -> float | None:
    return None if record.responded is None else record.responded - record.created


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(p * len(ordered)) - 1)]


async def burst(count: int, seconds: float) -> None:
    """Fire ``count`` mixed slash commands over ``seconds`` and report acknowledgement times."""
    workdir = Path(tempfile.mkdtemp(prefix="kindred-load-"))
    clock = FakeClock(datetime(2026, 11, 22, 12, 0, tzinfo=UTC))
    rng = random.Random(1)
    async with DiscordDouble() as dd:
        dd.world.now = clock.now
        guild = dd.add_guild("Load test")
        general = guild.add_text_channel("general")
        guild.add_text_channel("check-ins")
        members = [guild.add_member(f"member{i}") for i in range(200)]
        async with LoadBot(dd, workdir, clock):
            # Baseline: the same kind of commands one at a time on an idle bot.
            idle: list[float] = []
            for i in range(40):
                name, opts = command_mix(rng)
                handle = await dd.slash(members[i], name, channel=general, options=opts)
                await handle.response()
                ack = _ack_seconds(dd.world.interactions[handle.id])
                assert ack is not None
                idle.append(ack)
            records: list[InteractionRecord] = []
            kinds: Counter[str] = Counter()
            start = time.monotonic()
            for i in range(count):
                # Evenly spread: sleep until this one's slot (never drifting: slots are absolute).
                await asyncio.sleep(max(0.0, start + i * seconds / count - time.monotonic()))
                name, opts = command_mix(rng)
                kinds[name] += 1
                handle = await dd.slash(members[i % len(members)], name, channel=general, options=opts)
                records.append(dd.world.interactions[handle.id])
            sent_in = time.monotonic() - start
            # Anything not acknowledged within Discord's window never will be (the double refuses it).
            deadline = time.monotonic() + dd.world.interaction_timeout + 1.0
            # Polling is fine here: this is the benchmark's own wait, after the measured part.
            while time.monotonic() < deadline and any(r.responded is None for r in records):  # noqa: ASYNC110
                await asyncio.sleep(0.05)
    acks = [a for a in map(_ack_seconds, records) if a is not None]
    unanswered = sum(r.responded is None for r in records)
    idle_p50 = statistics.median(idle)
    print(f"Burst: {count:,} slash commands sent in {sent_in:.1f} s ({count / sent_in:.0f}/s), 200 members")
    print("  mix: " + ", ".join(f"/{k} {v}" for k, v in kinds.most_common()))
    print(
        f"  time to acknowledgement: p50 {statistics.median(acks) * 1000:.0f} ms  p99 {_pct(acks, 0.99) * 1000:.0f} ms  "
        f"max {max(acks) * 1000:.0f} ms  unanswered {unanswered}"
    )
    print(
        f"  idle baseline (same run, one at a time): p50 {idle_p50 * 1000:.0f} ms  max {max(idle) * 1000:.0f} ms; "
        f"burst p50 / idle p50 = {statistics.median(acks) / idle_p50:.2f}"
    )
    p99 = _pct(acks, 0.99)
    print(
        f"  p99 / target ({ACK_TARGET:.0f} s) = {p99 / ACK_TARGET:.2f}: "
        f"{'met' if p99 < ACK_TARGET and unanswered == 0 else 'NOT met'}"
    )


async def wave(count: int) -> None:
    """Send ``count`` reminders due at once under Discord's rate limits; report against the floor."""
    workdir = Path(tempfile.mkdtemp(prefix="kindred-wave-"))
    due = datetime(2026, 11, 22, 19, 0, tzinfo=UTC)
    clock = FakeClock(due - timedelta(hours=1))
    async with DiscordDouble() as dd:
        dd.world.now = clock.now
        guild = dd.add_guild("Wave")
        guild.add_text_channel("general")
        members = [guild.add_member(f"member{i}") for i in range(count)]
        async with LoadBot(dd, workdir, clock) as bot:
            for m in members:
                await bot.store.checkins.set_reminder(
                    m.id, guild.id, wall_time(19, 0), "UTC", ALL_WEEKDAYS, now=clock.now()
                )
            await bot.chains.reconcile()
            clock.set(due + timedelta(seconds=30))
            limits = RateLimits(global_per_second=50, route_limit=5, route_window=5.0, routes={DM_OPEN: (50, 1.0)})
            limiter = dd.enforce_rate_limits(limits)
            assert limiter is not None
            calls_before = len(dd.calls)
            start = time.monotonic()
            ran = await bot.timers.run_due()
            took = time.monotonic() - start
            dd.enforce_rate_limits(on=False)
            calls = dd.calls[calls_before:]
        per_member = Counter({m.id: sum(dm["content"] == REMINDER_TEXT for dm in dd.dms_to(m)) for m in members})
    requests = limiter.stats.allowed
    floor = (math.ceil(requests / limits.global_per_second) - 1) * 1.0
    refused = Counter(c.fault.split(")")[0] + ")" for c in calls if c.status == 429 and c.fault)
    exactly_once = sum(v == 1 for v in per_member.values())
    print(f"Wave: {count:,} reminders due at once, {ran:,} timers run, rate limits enforced by the double")
    print(
        f"  {requests:,} requests let through ({requests / max(ran, 1):.2f} per reminder), "
        f"429s: {dict(refused) or 'none'}"
    )
    print(f"  wave took {took:.1f} s; floor for {requests:,} requests at 50/s: {floor:.1f} s")
    ratio = took / floor if floor else float("inf")
    print(f"  wave / floor = {ratio:.3f} (target <= {WAVE_TARGET}): {'met' if ratio <= WAVE_TARGET else 'NOT met'}")
    print(
        f"  members with exactly one reminder: {exactly_once:,} of {count:,}; none: "
        f"{sum(v == 0 for v in per_member.values())}; more than one: {sum(v > 1 for v in per_member.values())}"
    )


def main() -> None:
    """Parse arguments and run both parts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interactions", type=int, default=1_000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--reminders", type=int, default=10_000)
    parser.add_argument("--skip-burst", action="store_true")
    parser.add_argument("--skip-wave", action="store_true")
    args = parser.parse_args()
    # discord.py warns on every 429 it waits out; the counts are reported instead.
    logging.basicConfig(level=logging.ERROR)
    if not args.skip_burst:
        asyncio.run(burst(args.interactions, args.seconds))
    if not args.skip_wave:
        asyncio.run(wave(args.reminders))


if __name__ == "__main__":
    main()
