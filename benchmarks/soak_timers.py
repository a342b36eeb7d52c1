"""Soak: a real ``python -m bot`` process against the Discord double, killed again and again mid-wave.

Run from the project root: ``.venv/bin/python benchmarks/soak_timers.py`` (``--members``, ``--kills``,
``--terms``, ``--seed`` to vary). The bot's own code is unchanged; ``tests/support/crashtest.py`` points it at
the double and explains the checks. It prints the figures and exits non-zero if anything was lost or
repeated. The CI-sized version is ``tests/test_crashtest_e2e.py``.
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
from tests.support.crashtest import run_reminder_crashtest


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
            kill_window=(0.0, args.max_kill_delay),
            say=print,
        )
    print(report.summary())
    print(f"total {time.monotonic() - started:.0f}s; bot log and database in {workdir}")
    if report.chain_problems:
        print("chain problems (first 10):", report.chain_problems[:10])
    ok = not (report.lost or report.duplicates or report.chain_problems or report.failed_timers)
    print("RESULT:", "OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--kills", type=int, default=22, help="SIGKILLs")
    parser.add_argument("--terms", type=int, default=5, help="SIGTERMs")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-kill-delay", type=float, default=7.0, help="seconds after start-up, at most")
    sys.exit(asyncio.run(main(parser.parse_args())))
