"""Benchmark how long the event loop stalls while a 5,000-member buddy round is matched.

Run from the project root: ``python benchmarks/bench_loop_lag.py`` (about half a minute).

A ticker task sleeps 5 ms at a time and records how late each wake-up is: that lateness is what
every other member's command waits on. The round is matched four ways in the same run:
- idle: no round at all (the machine's own noise floor);
- on the loop: ``match`` called directly, as the bot used to (the baseline);
- in a thread: ``asyncio.to_thread``, as ``bot/buddies/rounds.py`` does now;
- in a process: a spawned worker process, the alternative when the interpreter lock starves the loop.
Each runs ``--repeats`` times; the figures are the worst and the 99th percentile lag over all runs.
Target: worst lag under 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import multiprocessing
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_matching import make_avoid, make_members, random_rounds

from bot.matching import MatchResult, match

TICK = 0.005


async def _ticker(stop: asyncio.Event, lags: list[float]) -> None:
    while not stop.is_set():
        start = time.perf_counter()
        await asyncio.sleep(TICK)
        lags.append(time.perf_counter() - start - TICK)


async def measure(run: Callable[[], object], lags: list[float]) -> float:
    """Run ``run()`` (awaiting it if it returns an awaitable) with the ticker going; returns its wall time."""
    stop = asyncio.Event()
    ticker = asyncio.create_task(_ticker(stop, lags))
    await asyncio.sleep(0.05)
    start = time.perf_counter()
    pending = run()
    if asyncio.isfuture(pending) or asyncio.iscoroutine(pending):
        await pending
    took = time.perf_counter() - start
    stop.set()
    await ticker
    return took


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


async def main_async(n: int, repeats: int) -> None:
    """Measure every way of running the round and print the lags side by side."""
    members = make_members(n, 7)
    avoid = make_avoid(members, 7)
    recent = random_rounds(members, 3, 7)
    call: Callable[[], MatchResult] = functools.partial(match, members, avoid=avoid, recent_pairs=recent, seed=7)
    loop = asyncio.get_running_loop()
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        # Start the worker (and its imports) before measuring: a bot would keep one warm.
        await loop.run_in_executor(pool, call)
        modes: dict[str, Callable[[], object]] = {
            "idle (no round)": lambda: asyncio.sleep(1.0),
            "on the loop (baseline)": call,
            "in a thread (the bot)": lambda: asyncio.to_thread(call),
            "in a process": lambda: loop.run_in_executor(pool, call),
        }
        results: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in modes}
        for _ in range(repeats):
            for name, run in modes.items():
                lags, took = results[name]
                took.append(await measure(run, lags))
    print(f"Event-loop lag while matching a {n:,}-member round ({repeats} runs each, ticker every 5 ms):")
    baseline = max(results["on the loop (baseline)"][0])
    for name, (lags, took) in results.items():
        worst = max(lags)
        print(
            f"  {name:<24} round {min(took):5.2f} s  worst lag {worst * 1000:6.0f} ms  "
            f"p99 {_p99(lags) * 1000:6.1f} ms  worst vs baseline {worst / baseline:.3f}"
        )
    thread_worst = max(results["in a thread (the bot)"][0])
    print(f"  target: worst lag in the bot's way under 100 ms: {'met' if thread_worst < 0.1 else 'NOT met'}")


def main() -> None:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=5_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(main_async(args.members, args.repeats))


if __name__ == "__main__":
    main()
