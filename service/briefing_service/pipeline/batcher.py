"""Dynamic micro-batching: concurrent callers' articles are summarized together by one inference worker.

One worker thread owns the models (two inference calls on two cores only fight over them). Callers await a
future; the worker collects up to ``max_batch`` items, waiting at most ``max_wait_ms`` for company once the
first arrives, and runs the pipeline's batch call.

Overload and deadlines are handled here, before any model time is spent:
- the queue is bounded: past ``max_queue`` waiting items a caller is refused at once (Overloaded, naming the
  limit) instead of joining an unbounded line;
- a caller that goes away (its await is cancelled, e.g. the client cancelled) takes its item out of the
  queue at once, so its slot is free for the next caller and it costs no model time;
- an item whose caller's deadline has passed, or is closer than a lower bound of the time it needs, is
  refused (DeadlineUnmeetable) on submit or dropped when its batch is collected. The bound is deliberately
  low, so no work that could finish is refused: half the fastest rate (seconds per cost unit) measured on
  batches of at least ``learn_min_cost`` (small batches are dominated by fixed costs and would overstate
  the rate).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import contextvars
import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from briefing_service.errors import DeadlineUnmeetable, NotReady, Overloaded

log = logging.getLogger(__name__)

ItemT = TypeVar("ItemT")
ResultT = TypeVar("ResultT")
T = TypeVar("T")

# The current call's deadline as a time.monotonic() value (None: no deadline). The gRPC edge sets it for each
# call; asyncio tasks copy it, so every article of a stream carries its call's deadline into submit().
CALLER_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "caller_deadline", default=None
)


class BatchObserver(Protocol):
    """Where the batcher reports what it did (the edge turns this into Prometheus metrics)."""

    def batch_done(self, size: int, seconds: float) -> None: ...

    def dropped(self, reason: str) -> None: ...


class _NoObserver:
    def batch_done(self, size: int, seconds: float) -> None:
        pass

    def dropped(self, reason: str) -> None:
        pass


@dataclass(eq=False)
class _Pending(Generic[ItemT, ResultT]):
    item: ItemT
    future: asyncio.Future[ResultT]
    deadline: float | None  # event-loop time; None: the caller set no deadline
    cost: float


class MicroBatcher(Generic[ItemT, ResultT]):
    def __init__(
        self,
        run_batch: Callable[[Sequence[ItemT]], Sequence[ResultT | BaseException]],
        *,
        max_batch: int = 16,
        max_wait_ms: float = 5.0,
        max_queue: int = 256,
        cost: Callable[[ItemT], float] = lambda _: 1.0,
        check: Callable[[ItemT], None] = lambda _: None,
        learn_min_cost: float = 0.0,
        observer: BatchObserver | None = None,
    ) -> None:
        self._run_batch = run_batch
        self.max_batch = max_batch
        self.max_wait = max_wait_ms / 1000.0
        self.max_queue = max_queue
        self._cost = cost
        self._check = check  # cheap validation on submit: bad input never waits in the queue
        self._observer = observer or _NoObserver()
        self._queue: collections.deque[_Pending[ItemT, ResultT]] = collections.deque()
        self._arrived = asyncio.Event()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="inference")
        self._task: asyncio.Task[None] | None = None
        self.batches_run = 0
        self.items_run = 0
        # The fastest seconds per cost unit any batch has taken: a lower bound on what an item will need.
        self.best_seconds_per_cost: float | None = None
        self.learn_min_cost = learn_min_cost

    @property
    def depth(self) -> int:
        return len(self._queue)

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._worker(), name="micro-batcher")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        while self._queue:
            pending = self._queue.popleft()
            if not pending.future.done():
                pending.future.set_exception(NotReady("server is shutting down"))
        self._executor.shutdown(wait=True)

    async def run_in_worker(self, fn: Callable[[], T]) -> T:
        """Run ``fn`` on the inference thread (model loading, warm-up): nothing else touches the models."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn)

    def estimate_seconds(self, cost: float) -> float | None:
        """A lower bound of the time work of this cost needs here (None until a large enough batch ran)."""
        best = self.best_seconds_per_cost
        return None if best is None else 0.5 * best * cost

    async def submit(self, item: ItemT, *, timeout: float | None = None) -> ResultT:
        """Queue ``item`` and wait for its result. ``timeout``: seconds the caller has left; by default the
        time left before CALLER_DEADLINE."""
        if self._task is None:
            raise NotReady("server is not accepting work")
        self._check(item)
        if timeout is None and (caller_deadline := CALLER_DEADLINE.get()) is not None:
            timeout = caller_deadline - time.monotonic()
        if len(self._queue) >= self.max_queue:
            self._observer.dropped("queue_full")
            raise Overloaded(f"queue is full: {len(self._queue)} articles waiting; max {self.max_queue}")
        loop = asyncio.get_running_loop()
        cost = self._cost(item)
        deadline = None
        if timeout is not None:
            self._check_deadline(timeout, cost)
            deadline = loop.time() + timeout
        pending: _Pending[ItemT, ResultT] = _Pending(item, loop.create_future(), deadline, cost)
        self._queue.append(pending)
        self._arrived.set()
        try:
            return await pending.future
        except asyncio.CancelledError:
            # The caller is gone (gRPC cancels the call when the client cancels or its deadline passes):
            # free its slot now rather than when the worker reaches it.
            with contextlib.suppress(ValueError):
                self._queue.remove(pending)
                # gRPC's own deadline runs a little ahead of ours (ours starts when the handler runs).
                expired = deadline is not None and loop.time() >= deadline - 0.1
                self._observer.dropped("deadline" if expired else "cancelled")
            raise

    def _check_deadline(self, remaining: float, cost: float) -> None:
        if remaining <= 0:
            self._observer.dropped("deadline")
            raise DeadlineUnmeetable("the call's deadline has already passed")
        needed = self.estimate_seconds(cost)
        if needed is not None and needed > remaining:
            self._observer.dropped("deadline")
            raise DeadlineUnmeetable(
                f"deadline is in {remaining * 1000:,.0f} ms; this article needs at least "
                f"{needed * 1000:,.0f} ms on this server"
            )

    async def _collect(self) -> list[_Pending[ItemT, ResultT]]:
        loop = asyncio.get_running_loop()
        while not self._queue:
            self._arrived.clear()
            await self._arrived.wait()
        batch = [self._queue.popleft()]
        until = loop.time() + self.max_wait
        while len(batch) < self.max_batch:
            # Take what is already queued without waiting; wait only while the batch is short.
            if self._queue:
                batch.append(self._queue.popleft())
                continue
            timeout = until - loop.time()
            if timeout <= 0:
                break
            self._arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), timeout)
        return [p for p in batch if self._still_wanted(p, loop.time())]

    def _still_wanted(self, pending: _Pending[ItemT, ResultT], now: float) -> bool:
        if pending.future.done():  # cancelled (caller gone) or already answered
            return False
        if pending.deadline is None:
            return True
        try:
            self._check_deadline(pending.deadline - now, pending.cost)
        except DeadlineUnmeetable as exc:
            pending.future.set_exception(exc)
            return False
        return True

    async def _worker(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            batch = await self._collect()
            if not batch:
                continue
            items = [p.item for p in batch]
            started = time.perf_counter()
            try:
                results = await loop.run_in_executor(self._executor, self._run_batch, items)
            except Exception as exc:  # a bug in the batch call: every caller of this batch gets it
                log.exception("batch of %d failed", len(items))
                results = [exc] * len(items)
            else:
                # Only articles that were really summarized say how fast the models are.
                done = [
                    p.cost for p, r in zip(batch, results, strict=True) if not isinstance(r, BaseException)
                ]
                self._learn(time.perf_counter() - started, sum(done))
            self._observer.batch_done(len(items), time.perf_counter() - started)
            self.batches_run += 1
            self.items_run += len(items)
            for pending, result in zip(batch, results, strict=True):
                if pending.future.done():
                    continue
                if isinstance(result, BaseException):
                    pending.future.set_exception(result)
                else:
                    pending.future.set_result(result)

    def _learn(self, seconds: float, cost: float) -> None:
        if cost <= 0 or cost < self.learn_min_cost:
            return
        rate = seconds / cost
        if self.best_seconds_per_cost is None or rate < self.best_seconds_per_cost:
            self.best_seconds_per_cost = rate
