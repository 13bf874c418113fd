"""Dynamic micro-batching: concurrent callers' articles are summarized together by one inference worker.

One worker thread owns the models (two inference calls on two cores only fight over them). Callers await a
future; the worker collects up to ``max_batch`` items, waiting at most ``max_wait_ms`` for company once the
first arrives, and runs the pipeline's batch call. The queue is bounded: past ``max_queue`` waiting items a
caller is refused at once (Overloaded) instead of joining an unbounded line. A caller that goes away (its
await is cancelled) leaves a cancelled future that the worker skips, so its slot costs no model time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Generic, TypeVar

from briefing_service.errors import NotReady, Overloaded

log = logging.getLogger(__name__)

ItemT = TypeVar("ItemT")
ResultT = TypeVar("ResultT")
T = TypeVar("T")


@dataclass
class _Pending(Generic[ItemT, ResultT]):
    item: ItemT
    future: asyncio.Future[ResultT]


class MicroBatcher(Generic[ItemT, ResultT]):
    def __init__(
        self,
        run_batch: Callable[[Sequence[ItemT]], Sequence[ResultT | BaseException]],
        *,
        max_batch: int = 16,
        max_wait_ms: float = 5.0,
        max_queue: int = 256,
    ) -> None:
        self._run_batch = run_batch
        self.max_batch = max_batch
        self.max_wait = max_wait_ms / 1000.0
        self.max_queue = max_queue
        self._queue: asyncio.Queue[_Pending[ItemT, ResultT]] = asyncio.Queue()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="inference")
        self._task: asyncio.Task[None] | None = None
        self.batches_run = 0
        self.items_run = 0

    @property
    def depth(self) -> int:
        return self._queue.qsize()

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._worker(), name="micro-batcher")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        while not self._queue.empty():
            pending = self._queue.get_nowait()
            if not pending.future.done():
                pending.future.set_exception(NotReady("server is shutting down"))
        self._executor.shutdown(wait=True)

    async def run_in_worker(self, fn: Callable[[], T]) -> T:
        """Run ``fn`` on the inference thread (model loading, warm-up): nothing else touches the models."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn)

    async def submit(self, item: ItemT) -> ResultT:
        if self._task is None:
            raise NotReady("server is not accepting work")
        if self._queue.qsize() >= self.max_queue:
            raise Overloaded(f"queue is full: {self._queue.qsize()} articles waiting; max {self.max_queue}")
        future: asyncio.Future[ResultT] = asyncio.get_running_loop().create_future()
        self._queue.put_nowait(_Pending(item, future))
        return await future

    async def _collect(self) -> list[_Pending[ItemT, ResultT]]:
        first = await self._queue.get()
        batch = [first]
        deadline = asyncio.get_running_loop().time() + self.max_wait
        while len(batch) < self.max_batch:
            # Take what is already queued without waiting; wait only while the batch is short.
            if self._queue.empty():
                timeout = deadline - asyncio.get_running_loop().time()
                if timeout <= 0:
                    break
                try:
                    batch.append(await asyncio.wait_for(self._queue.get(), timeout))
                except TimeoutError:
                    break
            else:
                batch.append(self._queue.get_nowait())
        return [p for p in batch if not p.future.cancelled()]

    async def _worker(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            batch = await self._collect()
            if not batch:
                continue
            items = [p.item for p in batch]
            try:
                results = await loop.run_in_executor(self._executor, self._run_batch, items)
            except Exception as exc:  # a bug in the batch call: every caller of this batch gets it
                log.exception("batch of %d failed", len(items))
                results = [exc] * len(items)
            self.batches_run += 1
            self.items_run += len(items)
            for pending, result in zip(batch, results, strict=True):
                if pending.future.done():
                    continue
                if isinstance(result, BaseException):
                    pending.future.set_exception(result)
                else:
                    pending.future.set_result(result)
