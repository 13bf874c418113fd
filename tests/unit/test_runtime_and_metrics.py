"""Interpreter tuning and the event-loop lag metric (the server-side proof that rejections are immediate)."""

from __future__ import annotations

import asyncio
import os
import sys
import time

import pytest
from briefing_service.edge.metrics import LAG_PROBE_SECONDS, Metrics
from briefing_service.runtime import (
    ONEDNN_CACHE_ENTRIES,
    SWITCH_INTERVAL_SECONDS,
    bound_onednn_caches,
    glibc,
    tune_allocator,
    tune_interpreter,
)


def test_tune_interpreter_sets_the_switch_interval() -> None:
    before = sys.getswitchinterval()
    try:
        tune_interpreter()
        assert abs(sys.getswitchinterval() - SWITCH_INTERVAL_SECONDS) < 1e-9
    finally:
        sys.setswitchinterval(before)


def test_the_allocator_takes_its_thresholds_and_one_arena() -> None:
    """glibc answers 1 when it takes a setting; elsewhere (no glibc) there is nothing to tune."""
    if glibc() is None:
        pytest.skip("not glibc")
    assert tune_allocator() is True


def test_onednn_caches_are_bounded_unless_the_operator_set_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ONEDNN_PRIMITIVE_CACHE_CAPACITY", raising=False)
    monkeypatch.setenv("LRU_CACHE_CAPACITY", "512")
    bound_onednn_caches()
    assert os.environ["ONEDNN_PRIMITIVE_CACHE_CAPACITY"] == str(ONEDNN_CACHE_ENTRIES)
    assert os.environ["LRU_CACHE_CAPACITY"] == "512"


def test_a_freed_activation_sized_block_is_reused_without_page_faults() -> None:
    """The encoder frees and reallocates MiB-sized activations on every layer of every batch; with the trim
    threshold left at glibc's 128 KiB each one was handed back to the OS and faulted in again (about 15 % of
    the encoder's time, docs/performance.md)."""
    if glibc() is None:
        pytest.skip("not glibc")
    import resource

    import numpy as np

    tune_interpreter()
    np.ones(2**18, dtype=np.float32)  # 1 MiB, once, so the heap has grown to hold it
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(100):
        np.ones(2**18, dtype=np.float32)
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before
    assert faults < 2_000, f"{faults} page faults for 100 reuses of a 1 MiB block (256 pages each)"


def _bucket(metrics: Metrics, le: str) -> float:
    for sample in metrics.loop_lag.collect()[0].samples:
        if sample.name.endswith("_bucket") and sample.labels["le"] == le:
            return sample.value
    raise AssertionError(f"no bucket le={le}")


def test_a_blocked_event_loop_shows_as_lag() -> None:
    metrics = Metrics()

    async def run() -> None:
        probe = asyncio.ensure_future(metrics.watch_loop_lag())
        await asyncio.sleep(LAG_PROBE_SECONDS * 2.5)  # idle: probes on time
        time.sleep(0.3)  # the loop blocked, as when another thread holds the GIL
        await asyncio.sleep(LAG_PROBE_SECONDS * 1.5)
        probe.cancel()

    asyncio.run(run())
    total = _bucket(metrics, "+Inf")
    assert total >= 3
    assert total - _bucket(metrics, "0.1") >= 1  # one probe woke at least 100 ms late
