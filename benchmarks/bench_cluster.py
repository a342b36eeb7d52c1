"""Cluster benchmark: a reminder wave and a crisis-scan stream with 1, 2 and 4 ``python -m bot`` processes on one
PostgreSQL database, against one process on SQLite, in the same run.

Run from the project root: ``.venv/bin/python benchmarks/bench_cluster.py`` (``--reminders``, ``--crisis`` to
resize; ``--database-url`` or ``KINDRED_TEST_DATABASE_URL`` for a PostgreSQL server it may create databases on,
otherwise it starts a throwaway one with ``scripts/throwaway_postgres.sh`` and stops it at the end).

Every configuration runs the bot's shards 0-3 of ``SHARD_COUNT=4`` (one process runs all four; two run two each;
four run one each) against the Discord double, which runs in this process with eight servers, two per shard,
and no rate limits (Discord's own limits are per bot, shared by every process: see the README). Each gets a
fresh database and a fresh double.

1. **Reminder wave**: ``--reminders`` members, spread over the servers, whose daily reminder fell due a moment
   before the processes started (as after an outage): each process's first timer poll finds them. Reported:
   reminders a second, from the first DM to the last; every member must get exactly one.
2. **Crisis-scan stream**: once the wave is done, ``--crisis`` members (spread over the servers, so over the
   processes) each post crisis words in their server's channel, as fast as the double dispatches them. Each
   process scans its own servers' messages, checks the member's cooldown in the database and answers by DM.
   Reported: messages a second, from the first post to the last answer; every member must get one answer.
   The crisis sentence model is off (the word list alone), so the figure is the scan-and-answer path, not
   the model's CPU time.

Ratios are against the single SQLite process measured in the same run. The double and every bot process
share this machine's cores: more processes than cores measure contention, not a cluster of machines.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as wall_time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cogs.checkins._checkin_cog import REMINDER_TEXT
from tests.double import DiscordDouble, MemberHandle
from tests.support.cluster import CRISIS_ANSWER, CRISIS_TEXT, ShardProcess
from tests.support.crashtest import seed_reminders
from tests.support.databases import TEST_DATABASE_URL, PostgresTestDatabases

REPO = Path(__file__).resolve().parents[1]
SHARD_COUNT = 4
SERVERS_PER_SHARD = 2
SPLITS = {1: [[0, 1, 2, 3]], 2: [[0, 1], [2, 3]], 4: [[0], [1], [2], [3]]}


@dataclass
class Result:
    """One configuration's figures."""

    label: str
    start_seconds: float  # spawn of the first process until every process has identified its shards
    wave_seconds: float
    wave_rate: float
    wave_ok: bool
    crisis_seconds: float
    crisis_rate: float
    crisis_ok: bool


@dataclass
class Seen:
    """The bot's DMs of one kind: how many each member got, and when the first and the last reached the double."""

    counts: Counter[int]
    first: datetime | None
    last: datetime | None


def dms_containing(dd: DiscordDouble, text: str) -> Seen:
    """One pass over the double's messages (cheap enough to poll, unlike a search per member)."""
    recipients = {channel.id: user_id for user_id, channel in dd.world.dm_channels.items()}
    bot_id = str(dd.bot_user.id)
    counts: Counter[int] = Counter()
    stamps: list[datetime] = []
    for message in list(dd.world.messages.values()):
        user_id = recipients.get(int(message["channel_id"]))
        if user_id is not None and message["author"]["id"] == bot_id and text in message["content"]:
            counts[user_id] += 1
            stamps.append(datetime.fromisoformat(message["timestamp"]))
    return Seen(counts, min(stamps, default=None), max(stamps, default=None))


async def _until(check: Callable[[], Seen], enough: int, what: str, timeout: float) -> Seen:  # noqa: ASYNC109
    """Poll (the bot processes work on their own; the messages carry their own times) until ``enough`` DMs."""
    deadline = time.monotonic() + timeout
    while (seen := check()).counts.total() < enough:
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: {seen.counts.total()} of {enough} after {timeout:.0f}s")
        await asyncio.sleep(0.25)
    return seen


async def run_config(
    label: str, database: str | Path, processes: int, args: argparse.Namespace, workdir: Path
) -> Result:
    """One configuration: fresh double and database, the wave, then the crisis stream."""
    async with DiscordDouble(shard_count=SHARD_COUNT) as dd:
        members: list[MemberHandle] = []
        channels = []
        guilds = [dd.add_guild(f"bench {i}", shard=i % SHARD_COUNT) for i in range(SHARD_COUNT * SERVERS_PER_SHARD)]
        for index, guild in enumerate(guilds):
            channels.append(guild.add_text_channel("general"))
            share = args.reminders // len(guilds) + (index < args.reminders % len(guilds))
            members += [guild.add_member(f"m{index}x{i}") for i in range(share)]
        wave_at = (datetime.now(UTC) - timedelta(seconds=20)).replace(second=0, microsecond=0)
        for guild in guilds:
            ids = [m.id for m in members if m.guild is guild]
            await seed_reminders(database, guild.id, ids, wall_time(wave_at.hour, wave_at.minute))
        procs = [
            ShardProcess(
                dd, database, shards, workdir / f"{label}-{n}.log", shard_count=SHARD_COUNT, log_level="WARNING"
            )
            for n, shards in enumerate(SPLITS[processes])
        ]
        spawned = time.monotonic()
        try:
            for proc in procs:
                await proc.start()
            for proc in procs:
                await proc.wait_identified()
            started = time.monotonic() - spawned

            wave = await _until(lambda: dms_containing(dd, REMINDER_TEXT), len(members), "reminders", args.timeout)
            wave_ok = all(wave.counts[m.id] == 1 for m in members)
            assert wave.first is not None and wave.last is not None
            wave_seconds = max((wave.last - wave.first).total_seconds(), 1e-3)

            posters = members[:: max(1, len(members) // args.crisis)][: args.crisis]
            channel_of = {guild.id: channel for guild, channel in zip(guilds, channels, strict=True)}
            posted = datetime.now(UTC)
            for member in posters:
                await dd.send_message(member, channel_of[member.guild.id], CRISIS_TEXT)
            crisis = await _until(lambda: dms_containing(dd, CRISIS_ANSWER), len(posters), "answers", args.timeout)
            crisis_ok = all(crisis.counts[m.id] == 1 for m in posters)
            assert crisis.last is not None
            crisis_seconds = max((crisis.last - posted).total_seconds(), 1e-3)
        finally:
            for proc in procs:
                if proc.proc is not None and proc.proc.returncode is None:
                    await proc.stop(signal.SIGTERM)
    result = Result(
        label,
        started,
        wave_seconds,
        len(members) / wave_seconds,
        wave_ok,
        crisis_seconds,
        len(posters) / crisis_seconds,
        crisis_ok,
    )
    print(
        f"{label}: start-up {started:.1f}s; wave {len(members)} in {wave_seconds:.2f}s ({result.wave_rate:.0f}/s, "
        f"{'each once' if wave_ok else 'LOST OR REPEATED'}); crisis stream {len(posters)} in {crisis_seconds:.2f}s "
        f"({result.crisis_rate:.0f}/s, {'each answered once' if crisis_ok else 'MISSED OR REPEATED'})",
        flush=True,
    )
    return result


def start_throwaway_postgres() -> tuple[str, str]:
    """``scripts/throwaway_postgres.sh start``: (server URL, its folder for ``stop``)."""
    out = subprocess.run(
        ["bash", str(REPO / "scripts" / "throwaway_postgres.sh"), "start"], check=True, capture_output=True, text=True
    ).stdout
    found = dict(re.findall(r"export (\w+)=(.*)", out))
    return shlex.split(found[TEST_DATABASE_URL])[0], shlex.split(found["PG_TEMP_DIR"])[0]


async def main(args: argparse.Namespace, server: str) -> int:
    """Run every configuration against the PostgreSQL server ``server``; print the figures and the ratios."""
    workdir = Path(tempfile.mkdtemp(prefix="kindred-bench-cluster-"))
    databases = PostgresTestDatabases(server)
    results = [await run_config("sqlite x1", workdir / "sqlite.db", 1, args, workdir)]
    for processes in (1, 2, 4):
        url = await databases.blank()
        try:
            results.append(await run_config(f"postgres x{processes}", url, processes, args, workdir))
        finally:
            await databases.discard(url)
    base = results[0]
    print(f"\n{os.cpu_count()} cores; ratios against one process on SQLite (higher is faster):")
    print(f"{'configuration':<14} {'start-up':>9} {'reminders/s':>12} {'ratio':>6} {'crisis msgs/s':>14} {'ratio':>6}")
    for r in results:
        print(
            f"{r.label:<14} {r.start_seconds:>8.1f}s {r.wave_rate:>12.0f} {r.wave_rate / base.wave_rate:>6.2f} "
            f"{r.crisis_rate:>14.0f} {r.crisis_rate / base.crisis_rate:>6.2f}"
        )
    ok = all(r.wave_ok and r.crisis_ok for r in results)
    print(f"logs in {workdir}\nRESULT:", "OK" if ok else "FAILED (something was lost or repeated)")
    return 0 if ok else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reminders", type=int, default=2000, help="members whose reminder falls due at once")
    parser.add_argument("--crisis", type=int, default=400, help="members posting crisis words, one message each")
    parser.add_argument("--database-url", help="a PostgreSQL server URL the benchmark may create databases on")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds any one wait may take")
    arguments = parser.parse_args()
    given = arguments.database_url or os.environ.get(TEST_DATABASE_URL, "").strip()
    server, pg_dir = (given, None) if given else start_throwaway_postgres()
    try:
        code = asyncio.run(main(arguments, server))
    finally:
        if pg_dir is not None:
            subprocess.run(["bash", str(REPO / "scripts" / "throwaway_postgres.sh"), "stop", pg_dir], check=False)
    sys.exit(code)
