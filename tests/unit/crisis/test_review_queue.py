"""The sentence model's queue: one batch at a time in a worker thread, batching what waited meanwhile."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence

import pytest

from bot.crisis import Detection, Level
from bot.crisis.review_queue import ReviewQueue

CONCERN = Detection(Level.CONCERN)


class Model:
    """A stand-in for ``SecondOpinion.review_many`` that records its batches and can be held."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []
        self.release = threading.Event()
        self.release.set()
        self.started = threading.Event()
        self.threads: list[bool] = []

    def __call__(self, items: Sequence[tuple[str, Detection]]) -> list[Detection]:
        self.threads.append(threading.current_thread() is threading.main_thread())
        self.batches.append([text for text, _ in items])
        self.started.set()
        assert self.release.wait(5)
        if any(text == "boom" for text, _ in items):
            raise RuntimeError("model exploded")
        return [Detection(Level.HIGH) if "raise" in text else d for text, d in items]


async def test_a_lone_message_is_read_at_once_off_the_loop() -> None:
    model = Model()
    queue = ReviewQueue(model)
    assert (await queue.review("raise me", CONCERN)).level is Level.HIGH
    assert model.batches == [["raise me"]] and model.threads == [False]


async def reading_first(**options: int) -> tuple[Model, ReviewQueue, asyncio.Task[Detection]]:
    """A queue whose model is busy reading "first" and holds until ``model.release`` is set."""
    model = Model()
    model.release.clear()
    queue = ReviewQueue(model, **options)
    first = asyncio.create_task(queue.review("first", CONCERN))
    await asyncio.to_thread(model.started.wait, 5)
    return model, queue, first


async def test_what_queues_while_the_model_reads_is_read_as_one_batch_in_order() -> None:
    model, queue, first = await reading_first(max_batch=3)
    rest = [asyncio.create_task(queue.review(f"raise {i}" if i % 2 else f"keep {i}", CONCERN)) for i in range(5)]
    await asyncio.sleep(0)
    model.release.set()
    results = await asyncio.gather(first, *rest)
    assert model.batches == [["first"], ["keep 0", "raise 1", "keep 2"], ["raise 3", "keep 4"]]
    assert [r.level for r in results] == [
        Level.CONCERN,
        Level.CONCERN,
        Level.HIGH,
        Level.CONCERN,
        Level.HIGH,
        Level.CONCERN,
    ]
    assert queue.batches == 3


async def test_a_failing_batch_fails_its_callers_and_the_queue_goes_on() -> None:
    model = Model()
    queue = ReviewQueue(model)
    with pytest.raises(RuntimeError, match="exploded"):
        await queue.review("boom", CONCERN)
    assert (await queue.review("raise me", CONCERN)).level is Level.HIGH


async def test_a_caller_that_stops_waiting_costs_the_others_nothing() -> None:
    model, queue, first = await reading_first()
    gone = asyncio.create_task(queue.review("gone", CONCERN))
    kept = asyncio.create_task(queue.review("raise kept", CONCERN))
    await asyncio.sleep(0)
    gone.cancel()
    model.release.set()
    assert (await kept).level is Level.HIGH and (await first).level is Level.CONCERN
    assert model.batches == [["first"], ["raise kept"]]


async def test_close_cancels_the_waiting_callers() -> None:
    model, queue, first = await reading_first()
    waiting = asyncio.create_task(queue.review("second", CONCERN))
    await asyncio.sleep(0)
    await queue.close()
    model.release.set()
    for task in (first, waiting):
        with pytest.raises(asyncio.CancelledError):
            await task
