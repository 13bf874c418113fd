"""The Ray engine's pool loop on a stand-in for Ray (no processes): every article is answered exactly once
whatever the actors do — die mid-call, die for good, raise, never load."""

from __future__ import annotations

import types
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from briefing_client.engines import EngineStartError
from briefing_service.ray_engine.actor import ActorConfig
from briefing_service.ray_engine.pool import ActorPool, Outcome


class RayError(Exception):
    pass


class RayActorError(RayError):
    pass


class RayTaskError(RayError):
    pass


class Ref:
    def __init__(self, run: Callable[[], Any] | None) -> None:
        self.run = run  # None: never resolves (an actor still loading)


Behaviour = Callable[[int, Sequence[bytes]], list[bytes]]  # (actor, batch) -> responses, or raises


class FakeRay(types.SimpleNamespace):
    """What ActorPool uses of Ray: remote actors whose calls resolve in the order they were made."""

    def __init__(self, behaviour: Behaviour, loads: Callable[[int], bool] = lambda a: True) -> None:
        super().__init__(exceptions=types.SimpleNamespace(RayError=RayError, RayTaskError=RayTaskError))
        self.behaviour = behaviour
        self.loads = loads  # actor -> whether its models load (False: never answers `ready`)
        self.dead: set[int] = set()
        self.calls: Counter[int] = Counter()
        self.made = 0

    def remote(self, cls: type) -> Any:
        fake = self

        class Options:
            def options(self, **kwargs: Any) -> Any:
                return self

            def remote(self, config: ActorConfig) -> Any:
                fake.made += 1
                return fake._actor(fake.made - 1)

        return Options()

    def _actor(self, index: int) -> Any:
        fake = self

        def ready() -> Ref:
            if index in fake.dead:
                return Ref(lambda: (_ for _ in ()).throw(RayActorError(f"actor {index} died")))
            return Ref({"pid": 100 + index, "host": "h"}.copy) if fake.loads(index) else Ref(None)

        def summarize(batch: Sequence[bytes]) -> Ref:
            fake.calls[index] += 1

            def run() -> list[bytes]:
                if index in fake.dead:
                    raise RayActorError(f"actor {index} died")
                return fake.behaviour(index, batch)

            return Ref(run)

        return types.SimpleNamespace(
            index=index,
            ready=types.SimpleNamespace(remote=ready),
            summarize=types.SimpleNamespace(remote=summarize),
        )

    def wait(self, refs: list[Ref], num_returns: int = 1, timeout: float | None = None) -> tuple[list, list]:
        resolvable = [r for r in refs if r.run is not None]
        return resolvable[:num_returns], []

    def get(self, ref: Ref) -> Any:
        assert ref.run is not None
        return ref.run()

    def kill(self, actor: Any, no_restart: bool = True) -> None:
        self.dead.add(actor.index)


def echo(actor: int, batch: Sequence[bytes]) -> list[bytes]:
    return [b"ok:" + p for p in batch]


def run_pool(ray: FakeRay, n: int, size: int = 2, chunk: int = 1, **kwargs: Any) -> list[Outcome]:
    pool = ActorPool(ray, size, ActorConfig(), startup_timeout=5, **kwargs)  # type: ignore[arg-type]
    pool.wait_until_ready()
    outcomes = list(pool.run([str(i).encode() for i in range(n)], chunk))
    assert Counter(o.index for o in outcomes) == Counter(range(n)), "each article exactly once"
    return outcomes


def test_every_article_is_answered_once_in_batches_over_the_pool() -> None:
    ray = FakeRay(echo)
    outcomes = run_pool(ray, 10, chunk=3)
    assert sorted(o.response for o in outcomes if o.response) == sorted(f"ok:{i}".encode() for i in range(10))
    assert set(ray.calls) == {0, 1}  # both actors got work


def test_a_dead_actors_articles_go_to_the_others_once() -> None:
    def die_on_first_call(actor: int, batch: Sequence[bytes]) -> list[bytes]:
        if actor == 0:
            ray.dead.add(0)
            raise RayActorError("actor 0 died")
        return echo(actor, batch)

    ray = FakeRay(die_on_first_call)
    outcomes = run_pool(ray, 8, chunk=2)
    assert all(o.response for o in outcomes)
    assert ray.calls[0] == 2  # its two outstanding calls were lost, then it was left out


def test_an_article_that_kills_every_worker_is_answered_unavailable_after_its_attempts() -> None:
    def poison(actor: int, batch: Sequence[bytes]) -> list[bytes]:
        if b"3" in batch:
            raise RayActorError("worker killed")  # the actor restarts (it is not marked dead)
        return echo(actor, batch)

    ray = FakeRay(poison)
    outcomes = {o.index: o for o in run_pool(ray, 6, chunk=2, attempts=3)}
    assert outcomes[3].code == "UNAVAILABLE" and "died 3 times" in outcomes[3].message
    assert all(outcomes[i].response for i in (0, 1, 2, 4, 5))  # its batch-mate was sent again alone


def test_an_error_in_our_own_code_is_internal_and_not_retried() -> None:
    def bug(actor: int, batch: Sequence[bytes]) -> list[bytes]:
        raise RayTaskError("ValueError: a bug")

    ray = FakeRay(bug)
    outcomes = run_pool(ray, 4, chunk=1)
    assert {o.code for o in outcomes} == {"INTERNAL"}
    assert sum(ray.calls.values()) == 4


def test_with_every_actor_gone_the_rest_is_answered_unavailable() -> None:
    def everyone_dies(actor: int, batch: Sequence[bytes]) -> list[bytes]:
        ray.dead.add(actor)
        raise RayActorError(f"actor {actor} died")

    ray = FakeRay(everyone_dies)
    outcomes = run_pool(ray, 5, chunk=1)
    assert {o.code for o in outcomes} == {"UNAVAILABLE"}


def test_no_actor_that_loads_is_a_start_error() -> None:
    ray = FakeRay(echo, loads=lambda actor: False)
    pool = ActorPool(ray, 2, ActorConfig(), startup_timeout=0)  # type: ignore[arg-type]
    with pytest.raises(EngineStartError, match="no Ray actor loaded the models"):
        pool.wait_until_ready()
