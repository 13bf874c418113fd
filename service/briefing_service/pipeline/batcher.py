"""Dynamic micro-batching: concurrent callers' articles are summarized together by one inference worker.

One worker thread owns the models (two inference calls on two cores only fight over them). Callers await a
future; the worker collects up to ``max_batch`` items, waiting at most ``max_wait_ms`` for company once the
first arrives, and runs the pipeline's batch call in two halves (`BatchStages`): ``begin`` (cleaning, and
handing the text to the spaCy process) and ``complete`` (the model time, on the inference thread). With
``in_flight`` > 1 the next batches are collected and begun on a feeder thread while the inference thread
completes the oldest, and each batch's callers are answered as soon as it is done: with spaCy in its own
process, the child parses batch k+1 while torch encodes batch k, and the callers of batch k send their next
articles while k+1 and k+2 are in flight, so neither core waits for a whole round of callers.

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
from typing import Any, Generic, Protocol, TypeVar

from briefing_service.errors import CallerGone, DeadlineUnmeetable, Draining, QueueFull

log = logging.getLogger(__name__)

ItemT = TypeVar("ItemT")
ResultT = TypeVar("ResultT")
T = TypeVar("T")
ItemContraT = TypeVar("ItemContraT", contravariant=True)
ResultCoT = TypeVar("ResultCoT", covariant=True)

# Whether the item at this index of a batch still has a caller waiting for it.
StillWanted = Callable[[int], bool]

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


class BatchStages(Protocol[ItemContraT, ResultCoT]):
    """A batch call in two halves: `begin` (cheap; may hand work to another process) and `complete` (the
    model time, on the inference thread). Batches are completed in the order they were begun; `cancel`
    drops one that will not be completed (shutdown). `complete` may ask ``still_wanted(i)`` whether item i
    still has a caller, and skip the work of one that has not (its result is then never delivered)."""

    def begin(self, items: Sequence[ItemContraT]) -> Any: ...

    def complete(
        self, begun: Any, still_wanted: StillWanted | None = None
    ) -> Sequence[ResultCoT | BaseException]: ...

    def cancel(self, begun: Any) -> None: ...


class _OneCall(Generic[ItemT, ResultT]):
    """A plain batch call as stages: nothing happens until `complete`."""

    def __init__(self, run: Callable[[Sequence[ItemT]], Sequence[ResultT | BaseException]]) -> None:
        self.run = run

    def begin(self, items: Sequence[ItemT]) -> Sequence[ItemT]:
        return items

    def complete(
        self, begun: Sequence[ItemT], still_wanted: StillWanted | None = None
    ) -> Sequence[ResultT | BaseException]:
        return self.run(begun)

    def cancel(self, begun: Sequence[ItemT]) -> None:
        pass


@dataclass(eq=False)
class _Batch(Generic[ItemT, ResultT]):
    pending: list[_Pending[ItemT, ResultT]]
    begun_at: float = 0.0  # time.perf_counter() when `begin` was called
    begun: Any = None
    completing: bool = False  # handed to `complete` (it can no longer be cancelled)

    def still_wanted(self, index: int) -> bool:
        """Called from the threads that complete the batch (inference, and the pipeline's stage-two thread): a
        caller that went away (client cancelled, deadline passed) has had its future cancelled on the event
        loop, and done() only reads it."""
        return not self.pending[index].future.done()


class MicroBatcher(Generic[ItemT, ResultT]):
    def __init__(
        self,
        run_batch: Callable[[Sequence[ItemT]], Sequence[ResultT | BaseException]]
        | BatchStages[ItemT, ResultT],
        *,
        in_flight: int = 1,
        max_batch: int = 16,
        max_wait_ms: float = 5.0,
        max_queue: int = 256,
        cost: Callable[[ItemT], float] = lambda _: 1.0,
        check: Callable[[ItemT], None] = lambda _: None,
        learn_min_cost: float = 0.0,
        observer: BatchObserver | None = None,
    ) -> None:
        self._stages: BatchStages[ItemT, ResultT] = (
            run_batch if not callable(run_batch) else _OneCall(run_batch)
        )
        # Batches begun and not yet completed. 1: collect, begin and complete one batch at a time. More: the
        # next batch is begun on a feeder thread while the inference thread completes the previous ones
        # (with spaCy in its own process, that process parses the next batch meanwhile).
        self.in_flight = in_flight
        self.max_batch = max_batch
        self.max_wait = max_wait_ms / 1000.0
        self.max_queue = max_queue
        self._cost = cost
        self._check = check  # cheap validation on submit: bad input never waits in the queue
        self._observer = observer or _NoObserver()
        self._queue: collections.deque[_Pending[ItemT, ResultT]] = collections.deque()
        self._arrived = asyncio.Event()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="inference")
        self._feeder: ThreadPoolExecutor | None = None  # begins batches while others complete (in_flight > 1)
        self._open: list[_Batch[ItemT, ResultT]] = []  # collected, not yet answered; oldest first
        self._answered = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.batches_run = 0
        self.items_run = 0
        # The fastest seconds per cost unit any batch has taken: a lower bound on what an item will need.
        self.best_seconds_per_cost: float | None = None
        self.learn_min_cost = learn_min_cost

    @property
    def depth(self) -> int:
        return len(self._queue)

    @property
    def idle(self) -> bool:
        """Nothing waits for the inference thread but the batch it is on."""
        return not self._queue and len(self._open) <= 1

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._worker(), name="micro-batcher")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        waiting = list(self._queue) + [p for batch in self._open for p in batch.pending]
        self._queue.clear()
        for pending in waiting:
            if not pending.future.done():
                pending.future.set_exception(Draining("server is shutting down; retry on another replica"))
        if self._feeder is not None:
            self._feeder.shutdown(wait=True)
        self._executor.shutdown(wait=True)
        for batch in self._open:
            if batch.begun is not None and not batch.completing:
                self._stages.cancel(batch.begun)
        self._open.clear()

    async def run_in_worker(self, fn: Callable[[], T]) -> T:
        """Run ``fn`` on the inference thread (model loading, warm-up): nothing else touches the models."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn)

    def estimate_seconds(self, cost: float) -> float | None:
        """A lower bound of the time work of this cost needs here (None until a large enough batch ran)."""
        best = self.best_seconds_per_cost
        return None if best is None else 0.5 * best * cost

    def drain_seconds(self) -> float | None:
        """About how long the articles waiting now take to leave the queue at the fastest rate measured here
        (None until a large enough batch ran): the RetryInfo a refused caller gets."""
        best = self.best_seconds_per_cost
        if best is None:
            return None
        return max(0.1, round(best * sum(p.cost for p in self._queue), 1))

    async def submit(self, item: ItemT, *, timeout: float | None = None) -> ResultT:
        """Queue ``item`` and wait for its result. ``timeout``: seconds the caller has left; by default the
        time left before CALLER_DEADLINE."""
        if self._task is None:
            raise Draining("server is not accepting work; retry on another replica")
        self._check(item)
        if timeout is None and (caller_deadline := CALLER_DEADLINE.get()) is not None:
            timeout = caller_deadline - time.monotonic()
        if len(self._queue) >= self.max_queue:
            self._observer.dropped("queue_full")
            raise QueueFull(
                f"queue is full: {len(self._queue)} articles waiting; max {self.max_queue}",
                metadata={"limit": self.max_queue, "waiting": len(self._queue)},
                retry_after=self.drain_seconds(),
            )
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
            raise DeadlineUnmeetable(
                "the call's deadline has already passed", metadata={"remaining_ms": round(remaining * 1000)}
            )
        needed = self.estimate_seconds(cost)
        if needed is not None and needed > remaining:
            self._observer.dropped("deadline")
            raise DeadlineUnmeetable(
                f"deadline is in {remaining * 1000:,.0f} ms; this article needs at least "
                f"{needed * 1000:,.0f} ms on this server",
                metadata={"remaining_ms": round(remaining * 1000), "needed_ms": round(needed * 1000)},
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
        """Collect and begin batches, at most ``in_flight`` of them not yet answered; `_completer` completes
        them in order."""
        loop = asyncio.get_running_loop()
        begun: asyncio.Queue[_Batch[ItemT, ResultT]] = asyncio.Queue()
        completer = loop.create_task(self._completer(begun), name="micro-batcher-completer")
        try:
            while True:
                while len(self._open) >= self.in_flight:
                    self._answered.clear()
                    await self._answered.wait()
                pending = await self._collect()
                if not pending:
                    continue
                batch: _Batch[ItemT, ResultT] = _Batch(pending)
                self._open.append(batch)
                items = [p.item for p in pending]
                batch.begun_at = time.perf_counter()
                try:
                    batch.begun = await loop.run_in_executor(self._begin_on(), self._stages.begin, items)
                except Exception as exc:  # a bug in the batch call: every caller of this batch gets it
                    log.exception("beginning a batch of %d failed", len(items))
                    self._answer(batch, [exc] * len(items))
                    continue
                begun.put_nowait(batch)
        finally:
            completer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await completer

    def _begin_on(self) -> ThreadPoolExecutor:
        """One batch at a time: begin it on the inference thread, right before it completes there. More: on a
        feeder thread, while the inference thread completes earlier ones."""
        if self.in_flight <= 1:
            return self._executor
        if self._feeder is None:
            self._feeder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="feeder")
        return self._feeder

    async def _completer(self, begun: asyncio.Queue[_Batch[ItemT, ResultT]]) -> None:
        loop = asyncio.get_running_loop()
        last_done = time.perf_counter()
        while True:
            batch = await begun.get()
            # The batch's own time: from when the previous one was answered (or it was begun, if later), so
            # time spent waiting behind another batch does not count.
            started = max(last_done, batch.begun_at)
            batch.completing = True
            items = len(batch.pending)
            try:
                results = await loop.run_in_executor(
                    self._executor, self._stages.complete, batch.begun, batch.still_wanted
                )
            except Exception as exc:  # a bug in the batch call: every caller of this batch gets it
                log.exception("batch of %d failed", items)
                results = [exc] * items
            else:
                # Only articles that were really summarized say how fast the models are.
                done = [
                    p.cost
                    for p, r in zip(batch.pending, results, strict=True)
                    if not isinstance(r, BaseException)
                ]
                self._learn(time.perf_counter() - started, sum(done))
            gone = sum(isinstance(r, CallerGone) for r in results)
            for _ in range(gone):
                self._observer.dropped("left_batch")  # its caller went away after the batch was begun
            last_done = time.perf_counter()
            self._observer.batch_done(items - gone, last_done - started)
            log.debug("batch of %d articles completed in %.3f s", items - gone, last_done - started)
            self.batches_run += 1
            self.items_run += items - gone
            self._answer(batch, results)

    def _answer(self, batch: _Batch[ItemT, ResultT], results: Sequence[ResultT | BaseException]) -> None:
        self._open.remove(batch)
        self._answered.set()
        for pending, result in zip(batch.pending, results, strict=True):
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
