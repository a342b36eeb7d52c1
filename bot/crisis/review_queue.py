"""Messages waiting for the sentence model, read in batches in one worker thread.

The model must never run on the event loop, and one core should serve it: one batch at a time runs in a
worker thread. While it runs, new messages queue; the next batch takes up to :data:`MAX_BATCH` of them at
once, and the model reads their windows together (:meth:`bot.crisis.second_opinion.SecondOpinion.review_many`),
which costs less a message. A quiet server's message is read alone and at once, as before; a busy server's
backlog drains faster than messages one by one. Each message's verdict is the one it would get alone.

Bounding the backlog is the caller's job (the crisis cog keeps the lexicon's verdict past a limit).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

from .models import Detection

MAX_BATCH = 16

ReviewMany = Callable[[Sequence[tuple[str, Detection]]], list[Detection]]


class ReviewQueue:
    """Reviews by ``review_many`` in a worker thread, batching what queued while the last batch ran."""

    def __init__(self, review_many: ReviewMany, max_batch: int = MAX_BATCH) -> None:
        self._review_many = review_many
        self.max_batch = max_batch
        self._queue: list[tuple[str, Detection, asyncio.Future[Detection]]] = []
        self._drain_task: asyncio.Task[None] | None = None
        self.batches = 0  # batches read so far (for the benchmark and tests)

    async def review(self, text: str, detection: Detection) -> Detection:
        """``detection`` reviewed by the model; raises what the model raised."""
        future: asyncio.Future[Detection] = asyncio.get_running_loop().create_future()
        self._queue.append((text, detection, future))
        if self._drain_task is None or self._drain_task.done():
            self._drain_task = asyncio.create_task(self._drain(), name="crisis-review-queue")
        return await future

    async def _drain(self) -> None:
        while self._queue:
            batch = [item for item in self._queue[: self.max_batch] if not item[2].done()]
            del self._queue[: self.max_batch]
            if not batch:
                continue
            self.batches += 1
            try:
                results = await asyncio.to_thread(self._review_many, [(text, d) for text, d, _ in batch])
            except asyncio.CancelledError:
                for _, _, future in batch:
                    future.cancel()
                raise
            except Exception as exc:  # handed to every waiting caller, which logs it and keeps its verdict
                for _, _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for (_, _, future), result in zip(batch, results, strict=True):
                if not future.done():
                    future.set_result(result)

    async def close(self) -> None:
        """Stop reading: waiting callers are cancelled (a batch already in the thread finishes there)."""
        task, self._drain_task = self._drain_task, None
        for _, _, future in self._queue:
            future.cancel()
        self._queue.clear()
        if task is not None and not task.done():
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
