"""The driver's side of the Ray engine: a pool of PipelineActors and the loop that hands them batches.

Each actor has at most ``depth`` calls outstanding (one running, one waiting in its mailbox, so it never idles
between batches); a new batch goes to whichever actor has room as soon as a call returns. Every article comes
back exactly once, whatever happens to the actors:
- an actor that dies (its process killed, its node gone) fails its outstanding calls; their articles are sent
  again, one per call, so an article that kills its worker is found alone, and after ``attempts`` such
  failures it is answered with an error instead of being sent again;
- Ray restarts a dead actor (up to MAX_RESTARTS times): it rejoins the pool when its `ready` call returns,
  that is once its models are loaded again; a call that fails because our own code raised is not retried (it
  would fail the same way) and its articles are answered INTERNAL;
- with no actor left, or none ready within ``startup_timeout``, the articles not yet answered are answered
  UNAVAILABLE (or, before any actor was ready, the job fails with EngineStartError).
Ray itself retries nothing (max_task_retries=0): a retry of a call whose actor finished it but died before
answering would summarize its articles twice.
"""

from __future__ import annotations

import collections
import math
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from briefing_client.engines import EngineStartError

from briefing_service.ray_engine.actor import ActorConfig, PipelineActor

MAX_RESTARTS = 2  # per actor: a worker lost to the OOM killer or a node going away comes back this often
DEPTH = 2
ATTEMPTS = 3
# What an actor asks of the scheduler: one CPU (torch on one thread, spaCy in process) and the memory the
# server measures at (about 800 MB RSS with its spaCy process; docs/deployment.md), so Ray does not pack more
# actors onto a node than its memory holds.
ACTOR_CPUS = 1
ACTOR_MEMORY_BYTES = 1024 * 2**20


@dataclass(frozen=True)
class Outcome:
    """One article's end: its serialized SummarizeResponse, or why there is none (a gRPC code name and a
    message)."""

    index: int
    response: bytes | None = None
    code: str = ""
    message: str = ""


@dataclass
class _Call:
    actor: int
    batch: list[int] | None  # None: a `ready` call


@dataclass
class PoolStats:
    actors: int = 0
    ready: dict[int, dict[str, Any]] = field(default_factory=dict)  # actor -> where it runs (its `ready`)
    actor_failures: int = 0  # calls lost with their actor
    resent: int = 0  # articles sent again after such a loss
    last_error: str = ""


class ActorPool:
    def __init__(
        self,
        ray: ModuleType,
        size: int,
        config: ActorConfig,
        *,
        startup_timeout: float = 180.0,
        depth: int = DEPTH,
        attempts: int = ATTEMPTS,
    ) -> None:
        self.ray = ray
        self.depth = depth
        self.attempts = attempts
        self.startup_timeout = startup_timeout
        remote = ray.remote(PipelineActor).options(
            num_cpus=ACTOR_CPUS,
            memory=ACTOR_MEMORY_BYTES,
            max_restarts=MAX_RESTARTS,
            max_task_retries=0,
        )
        self.actors = [remote.remote(config) for _ in range(size)]
        self.stats = PoolStats(actors=size)
        self._serving: set[int] = set()
        self._in_flight: dict[Any, _Call] = {}
        self._busy: collections.Counter[int] = collections.Counter()
        for i in range(size):
            self._probe(i)

    def close(self) -> None:
        for actor in self.actors:
            self.ray.kill(actor, no_restart=True)

    def wait_until_ready(self) -> None:
        """Until one actor has loaded its models (the others join as they do); EngineStartError if none has
        within ``startup_timeout``, or every one failed."""
        deadline = time.monotonic() + self.startup_timeout
        while not self._serving:
            probes = [ref for ref, call in self._in_flight.items() if call.batch is None]
            if not probes:
                raise EngineStartError(f"every Ray actor failed to start: {self.stats.last_error}")
            done, _ = self.ray.wait(probes, num_returns=1, timeout=max(0.0, deadline - time.monotonic()))
            if not done:
                raise EngineStartError(f"no Ray actor loaded the models within {self.startup_timeout:.0f} s")
            for ref in done:
                self._ready(ref, self._in_flight.pop(ref).actor)

    def busy_actors(self) -> list[int]:
        """The actors with a batch outstanding now."""
        return sorted(a for a, calls in self._busy.items() if calls > 0)

    def _probe(self, actor: int) -> None:
        self._in_flight[self.actors[actor].ready.remote()] = _Call(actor, None)

    def run(self, payloads: Sequence[bytes], chunk: int) -> Iterator[Outcome]:
        """Every payload's Outcome, in the order they finish."""
        if not payloads:
            return
        # At least `depth` calls per actor, so a small job still spreads over the whole pool.
        chunk = max(1, min(chunk, math.ceil(len(payloads) / (len(self.actors) * self.depth))))
        todo = collections.deque(
            list(range(i, min(i + chunk, len(payloads)))) for i in range(0, len(payloads), chunk)
        )
        tries: collections.Counter[int] = collections.Counter()
        waiting_since = time.monotonic()  # when the pool last had a ready actor
        while todo or any(c.batch is not None for c in self._in_flight.values()):
            self._dispatch(todo, payloads)
            timeout = None
            if not self._serving:
                timeout = max(0.0, waiting_since + self.startup_timeout - time.monotonic())
            done = (
                self.ray.wait(list(self._in_flight), num_returns=1, timeout=timeout)[0]
                if self._in_flight
                else []
            )
            if not done:  # every actor gone, or none ready in time
                if not self.stats.ready:
                    raise EngineStartError(
                        f"no Ray actor loaded the models within {self.startup_timeout:.0f} s"
                        if self._in_flight
                        else f"every Ray actor failed to start: {self.stats.last_error}"
                    )
                why = "no Ray actor is left" if not self._in_flight else "no Ray actor came back"
                yield from self._give_up(todo, f"{why} to summarize it ({self.stats.last_error})")
                return
            for ref in done:
                call = self._in_flight.pop(ref)
                if call.batch is None:
                    self._ready(ref, call.actor)
                else:
                    self._busy[call.actor] -= 1
                    yield from self._finished(ref, call, todo, tries)
            if self._serving:
                waiting_since = time.monotonic()

    def _dispatch(self, todo: collections.deque[list[int]], payloads: Sequence[bytes]) -> None:
        for actor in sorted(self._serving, key=lambda a: self._busy[a]):
            while todo and self._busy[actor] < self.depth:
                batch = todo.popleft()
                ref = self.actors[actor].summarize.remote([payloads[i] for i in batch])
                self._in_flight[ref] = _Call(actor, batch)
                self._busy[actor] += 1

    def _ready(self, ref: Any, actor: int) -> None:
        try:
            self.stats.ready[actor] = self.ray.get(ref)
        except self.ray.exceptions.RayError as exc:
            self.stats.last_error = _first_line(exc)  # it could not load (or died for good): left out
            return
        self._serving.add(actor)

    def _finished(
        self, ref: Any, call: _Call, todo: collections.deque[list[int]], tries: collections.Counter[int]
    ) -> Iterator[Outcome]:
        assert call.batch is not None
        try:
            responses = self.ray.get(ref)
        except self.ray.exceptions.RayTaskError as exc:  # our code raised: a bug, not the worker's loss
            for i in call.batch:
                yield Outcome(i, code="INTERNAL", message=f"the summarizer failed: {_first_line(exc)}")
            return
        except self.ray.exceptions.RayError as exc:  # the actor (its process or node) is gone
            self.stats.actor_failures += 1
            self.stats.last_error = _first_line(exc)
            if call.actor in self._serving:
                self._serving.discard(call.actor)
                self._probe(call.actor)  # answers when Ray has restarted it, fails if it is gone for good
            for i in reversed(call.batch):
                tries[i] += 1
                if tries[i] >= self.attempts:
                    yield Outcome(i, code="UNAVAILABLE", message=f"its Ray worker died {tries[i]} times")
                else:
                    self.stats.resent += 1
                    todo.appendleft([i])
            return
        for i, response in zip(call.batch, responses, strict=True):
            yield Outcome(i, response=response)

    def _give_up(self, todo: collections.deque[list[int]], why: str) -> Iterator[Outcome]:
        for batch in todo:
            for i in batch:
                yield Outcome(i, code="UNAVAILABLE", message=why)
        todo.clear()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
