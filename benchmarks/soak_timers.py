"""Soak: a real ``python -m bot`` process against the Discord double, killed again and again mid-wave.

Run from the project root: ``.venv/bin/python benchmarks/soak_timers.py`` (``--members``, ``--kills``,
``--terms``, ``--seed`` to vary). The bot's own code is unchanged; ``tests/support/crashtest.py`` points it at
the double and explains the checks. It prints the figures and exits non-zero if anything was lost or
repeated. The CI-sized version is ``tests/e2e/core/test_crashtest_e2e.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.double import DiscordDouble
from tests.support.crashtest import run_locked_db_check, run_reminder_crashtest


async def main(args: argparse.Namespace) -> int:
    """Run the reminder wave through the kills and print what happened."""
    workdir = Path(tempfile.mkdtemp(prefix="kindred-soak-"))
    started = time.monotonic()
    async with DiscordDouble() as dd:
        report = await run_reminder_crashtest(
            dd,
            workdir,
            members=args.members,
            kills=args.kills,
            terms=args.terms,
            seed=args.seed,
            kill_window=(args.min_kill_delay, args.max_kill_delay),
            say=print,
        )
        print(report.summary())
        lock = await run_locked_db_check(dd, workdir, hold=args.lock_seconds)
    print(
        f"locked database ({lock.held_for:.0f}s): {lock.answered_ok} commands saved, {lock.answered_busy} told "
        f"'busy, try again', {lock.unanswered} unanswered in time; acknowledged but missing: "
        f"{len(lock.acknowledged_but_missing)}; works after: {lock.works_after} ({lock.recovered_in:.1f}s after release)"
    )
    print(f"total {time.monotonic() - started:.0f}s; bot logs and databases in {workdir}")
    if report.chain_problems:
        print("chain problems (first 10):", report.chain_problems[:10])
    ok = not (report.lost or report.duplicates or report.chain_problems or report.failed_timers)
    ok = ok and not lock.acknowledged_but_missing and lock.works_after
    print("RESULT:", "OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--kills", type=int, default=22, help="SIGKILLs")
    parser.add_argument("--terms", type=int, default=5, help="SIGTERMs")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--min-kill-delay", type=float, default=0.0, help="seconds after the moment, at least")
    parser.add_argument("--max-kill-delay", type=float, default=1.5, help="seconds after the moment, at most")
    parser.add_argument("--lock-seconds", type=float, default=10.0, help="how long another process holds the lock")
    sys.exit(asyncio.run(main(parser.parse_args())))
