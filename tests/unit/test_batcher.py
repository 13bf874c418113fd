"""MicroBatcher under overload, deadlines and cancellation, with a fake batch call (no models)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Sequence

import pytest
from briefing_service.errors import CallerGone, DeadlineUnmeetable, InvalidArticle, NotReady, Overloaded
from briefing_service.pipeline.batcher import CALLER_DEADLINE, MicroBatcher, StillWanted
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


class SlowBatch:
    """Echoes items; each batch takes ``seconds``; records what it was asked to run."""

    def __init__(self, seconds: float = 0.0) -> None:
        self.seconds = seconds
        self.seen: list[str] = []
        self.release = threading.Event()
        self.release.set()

    def __call__(self, items: Sequence[str]) -> list[str | BaseException]:
        self.release.wait(10)
        time.sleep(self.seconds)
        self.seen.extend(items)
        return [InvalidArticle(f"bad {i}") if i.startswith("bad") else i.upper() for i in items]


def run(coro):  # type: ignore[no-untyped-def]
    return asyncio.run(coro)


async def _started(fake: SlowBatch, **kwargs: object) -> MicroBatcher[str, str]:
    batcher: MicroBatcher[str, str] = MicroBatcher(fake, max_wait_ms=1, **kwargs)  # type: ignore[arg-type]
    batcher.start()
    return batcher


def test_full_queue_is_refused_at_once_naming_the_limit() -> None:
    async def scenario() -> None:
        fake = SlowBatch()
        fake.release.clear()  # the worker blocks on its first batch
        batcher = await _started(fake, max_queue=2, max_batch=1)
        first = asyncio.ensure_future(batcher.submit("a"))
        await asyncio.sleep(0.05)  # "a" is running; the next two wait
        waiting = [asyncio.ensure_future(batcher.submit(x)) for x in "bc"]
        await asyncio.sleep(0.01)
        started = time.perf_counter()
        with pytest.raises(Overloaded, match=r"queue is full: 2 articles waiting; max 2"):
            await batcher.submit("d")
        assert time.perf_counter() - started < 0.05
        fake.release.set()
        assert await asyncio.gather(first, *waiting) == ["A", "B", "C"]
        await batcher.stop()

    run(scenario())


def test_cancelled_callers_free_their_slots_at_once_and_cost_no_model_time() -> None:
    async def scenario() -> None:
        fake = SlowBatch()
        fake.release.clear()
        batcher = await _started(fake, max_queue=3, max_batch=1)
        first = asyncio.ensure_future(batcher.submit("a"))
        await asyncio.sleep(0.05)
        gone = [asyncio.ensure_future(batcher.submit(x)) for x in ("x1", "x2", "x3")]
        await asyncio.sleep(0.01)
        assert batcher.depth == 3
        for task in gone:
            task.cancel()
        await asyncio.sleep(0)  # one loop turn
        await asyncio.sleep(0)
        assert batcher.depth == 0
        late = asyncio.ensure_future(batcher.submit("b"))  # accepted: the slots are free
        fake.release.set()
        assert await asyncio.gather(first, late) == ["A", "B"]
        assert fake.seen == ["a", "b"]
        await batcher.stop()

    run(scenario())


def test_work_whose_deadline_passed_in_the_queue_is_dropped_not_run() -> None:
    async def scenario() -> None:
        fake = SlowBatch(seconds=0.2)
        batcher = await _started(fake, max_batch=1)
        busy = asyncio.ensure_future(batcher.submit("long"))
        await asyncio.sleep(0.02)
        with pytest.raises(DeadlineUnmeetable):
            await batcher.submit("short", timeout=0.05)  # expires while "long" runs
        assert await busy == "LONG"
        await asyncio.sleep(0.01)
        assert fake.seen == ["long"]
        await batcher.stop()

    run(scenario())


def test_deadline_comes_from_the_call_context_and_a_hopeless_one_is_refused_on_submit() -> None:
    async def scenario() -> None:
        fake = SlowBatch(seconds=0.1)
        batcher = await _started(fake, cost=lambda item: float(len(item)), learn_min_cost=10)
        assert await batcher.submit("x" * 10) == "X" * 10  # learns >= 10 ms per char
        CALLER_DEADLINE.set(time.monotonic() + 0.05)
        started = time.perf_counter()
        with pytest.raises(DeadlineUnmeetable, match=r"deadline is in \d+ ms; this article needs at least"):
            await batcher.submit("y" * 100)  # needs >= 0.5 s by the lower bound
        assert time.perf_counter() - started < 0.02
        assert await batcher.submit("z") == "Z"  # 1 char: about 5 ms by the bound, fits in 50 ms
        assert fake.seen == ["x" * 10, "z"]
        await batcher.stop()

    run(scenario())


def test_validation_runs_before_the_queue() -> None:
    async def scenario() -> None:
        def check(item: str) -> None:
            if not item.strip():
                raise InvalidArticle("empty")

        fake = SlowBatch()
        batcher = await _started(fake, check=check)
        with pytest.raises(InvalidArticle):
            await batcher.submit("  ")
        assert fake.seen == [] and batcher.depth == 0
        await batcher.stop()

    run(scenario())


# Each caller: (item, cancel after this many ms or None, deadline in ms or None).
callers = st.lists(
    st.tuples(
        st.sampled_from(["a", "b", "bad"]),
        st.none() | st.integers(0, 30),
        st.none() | st.integers(1, 60),
    ),
    max_size=24,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(callers=callers, max_queue=st.integers(1, 8), max_batch=st.integers(1, 5))
def test_every_caller_gets_exactly_one_documented_outcome(
    callers: list[tuple[str, int | None, int | None]], max_queue: int, max_batch: int
) -> None:
    """Whatever mix of callers, cancellations and deadlines: each caller gets its result or one documented
    error, nothing hangs, cancelled work is never run, and the queue ends empty."""

    async def scenario() -> None:
        fake = SlowBatch(seconds=0.002)
        batcher = await _started(fake, max_queue=max_queue, max_batch=max_batch)

        async def one(item: str, cancel_ms: int | None, deadline_ms: int | None) -> str:
            task = asyncio.ensure_future(
                batcher.submit(item, timeout=None if deadline_ms is None else deadline_ms / 1000)
            )
            if cancel_ms is not None:
                await asyncio.sleep(cancel_ms / 1000)
                task.cancel()
            try:
                result = await task
            except asyncio.CancelledError:
                return "cancelled"
            except (Overloaded, DeadlineUnmeetable, InvalidArticle) as exc:
                return type(exc).__name__
            assert result == item.upper()
            return "ok"

        outcomes = await asyncio.wait_for(asyncio.gather(*(one(*c) for c in callers)), timeout=10)
        assert len(outcomes) == len(callers)
        assert batcher.depth == 0
        ran_ok = sum(1 for o in outcomes if o == "ok")
        assert ran_ok <= len(fake.seen) <= len(callers)
        for (item, cancel_ms, _), outcome in zip(callers, outcomes, strict=True):
            if cancel_ms is None:
                assert outcome != "cancelled"
            if item == "bad" and outcome not in ("cancelled", "QueueFull", "DeadlineUnmeetable"):
                assert outcome == "InvalidArticle"
        await batcher.stop()

    run(scenario())


class TwoStages:
    """Stages that record the order of begin/complete/cancel calls; ``complete`` of the first batch waits
    until the second batch has been begun, which only an overlapping batcher does."""

    def __init__(self) -> None:
        self.events: list[str] = []
        self.second_begun = threading.Event()
        self.hold = threading.Event()
        self.hold.set()

    def begin(self, items: Sequence[str]) -> list[str]:
        self.events.append("begin " + "".join(items))
        if len([e for e in self.events if e.startswith("begin")]) == 2:
            self.second_begun.set()
        return list(items)

    def complete(self, begun: list[str], still_wanted: StillWanted | None = None) -> list[str]:
        self.hold.wait(10)
        if begun == ["a"]:
            assert self.second_begun.wait(5), "the next batch was not begun while this one completed"
        self.events.append("complete " + "".join(begun))
        return [x.upper() for x in begun]

    def cancel(self, begun: list[str]) -> None:
        self.events.append("cancel " + "".join(begun))


def test_with_batches_in_flight_the_next_batch_begins_while_one_completes() -> None:
    async def scenario() -> None:
        stages = TwoStages()
        batcher: MicroBatcher[str, str] = MicroBatcher(stages, in_flight=2, max_batch=1, max_wait_ms=1)
        batcher.start()
        results = await asyncio.gather(*(batcher.submit(x) for x in "abc"))
        assert results == ["A", "B", "C"]
        # Completed in the order begun, each answered with its own batch.
        assert [e for e in stages.events if e.startswith("complete")] == [
            "complete a",
            "complete b",
            "complete c",
        ]
        assert stages.events.index("begin b") < stages.events.index("complete a")
        await batcher.stop()

    run(scenario())


def test_stopping_cancels_begun_batches_and_fails_their_callers() -> None:
    async def scenario() -> None:
        stages = TwoStages()
        stages.hold.clear()  # nothing completes until released
        stages.second_begun.set()
        batcher: MicroBatcher[str, str] = MicroBatcher(stages, in_flight=3, max_batch=1, max_wait_ms=1)
        batcher.start()
        calls = [asyncio.ensure_future(batcher.submit(x)) for x in "abc"]
        while len([e for e in stages.events if e.startswith("begin")]) < 3:
            await asyncio.sleep(0.01)
        # "a" is being completed: stop waits for the inference thread (blocking), so release it from a timer.
        threading.Timer(0.05, stages.hold.set).start()
        await batcher.stop()
        outcomes = await asyncio.gather(*calls, return_exceptions=True)
        assert all(isinstance(o, NotReady) for o in outcomes)
        assert sorted(e for e in stages.events if e.startswith("cancel")) == ["cancel b", "cancel c"]

    run(scenario())


class AskingStages:
    """Stages whose ``complete`` records, per item, whether the batcher says it still has a caller."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.asked: dict[str, bool] = {}

    def begin(self, items: Sequence[str]) -> list[str]:
        return list(items)

    def complete(self, begun: list[str], still_wanted: StillWanted | None = None) -> list[str | CallerGone]:
        self.release.wait(10)
        assert still_wanted is not None
        self.asked.update({x: still_wanted(i) for i, x in enumerate(begun)})
        return [x.upper() if self.asked[x] else CallerGone("gone") for x in begun]

    def cancel(self, begun: list[str]) -> None:
        pass


class DropRecorder:
    def __init__(self) -> None:
        self.drops: list[str] = []

    def batch_done(self, size: int, seconds: float) -> None:
        pass

    def dropped(self, reason: str) -> None:
        self.drops.append(reason)


def test_complete_learns_which_callers_of_a_begun_batch_went_away() -> None:
    async def scenario() -> None:
        stages = AskingStages()
        observer = DropRecorder()
        batcher: MicroBatcher[str, str] = MicroBatcher(
            stages, in_flight=2, max_batch=2, max_wait_ms=50, observer=observer
        )
        batcher.start()
        first = [asyncio.ensure_future(batcher.submit(x)) for x in "ab"]
        await asyncio.sleep(0.1)  # batch "ab" is completing (held); batch "cd" is begun behind it
        second = [asyncio.ensure_future(batcher.submit(x)) for x in "cd"]
        await asyncio.sleep(0.1)
        second[0].cancel()  # the caller of "c" goes away while its batch waits
        stages.release.set()
        assert await asyncio.gather(*first) == ["A", "B"]
        assert await second[1] == "D"
        assert stages.asked == {"a": True, "b": True, "c": False, "d": True}
        assert observer.drops == ["left_batch"]
        await batcher.stop()

    run(scenario())
