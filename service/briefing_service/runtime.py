"""Process-wide interpreter tuning, in one place: the server calls it once at startup (never at import).

The server runs two kinds of thread in one process: the asyncio event loop, which accepts calls and answers
the fast ones (RESOURCE_EXHAUSTED, UNAVAILABLE, validation errors), and the inference thread, which runs
spaCy and torch. Python hands the GIL to a waiting thread only every `sys.getswitchinterval()` (5 ms by
default), and a thread that gets it back often (the loop, handling a burst of calls) pays that wait on
every hand-over. A shorter interval keeps the loop responsive while a batch runs. Measured with `make chaos`
(`--only overload`, 2 shared cores): the event loop's worst lag while batches ran fell from 100-250 ms at
5 ms to 25 ms at 1 ms, and 16 articles took the same time either way (25.5-27.9 s, within the noise).

The pipeline itself needs it too: it overlaps spaCy on one thread with torch on another, and torch drops the
GIL inside each op and must take it back between ops, so at 5 ms the encoder thread spends most of its time
waiting for spaCy's turn to end. Measured in-process on this 2-core machine (overlapped vs back to back, int8
MiniLM, quiet machine): 0.90x at 5 ms, 1.18x at 0.2 ms. Hence 0.2 ms.
"""

from __future__ import annotations

import ctypes
import gc
import os
import sys
import time
from typing import Any

from briefing_service.cores import available_cores

SWITCH_INTERVAL_SECONDS = 0.0002


def tune_interpreter(switch_interval: float = SWITCH_INTERVAL_SECONDS) -> None:
    """Set the GIL switch interval and glibc's allocator settings for this process (idempotent). Call it
    first thing, before any thread starts: a thread keeps the malloc arena it got."""
    sys.setswitchinterval(switch_interval)
    tune_allocator()
    bound_onednn_caches()


# oneDNN keeps what it built for each input shape (a JIT kernel and its descriptors, about 90 KiB) in its
# primitive cache, and ideep, torch's wrapper, in its own LRU cache: 1,024 entries each by default, sized for
# training, whose shapes repeat. Inference shapes follow the traffic: on an AVX-512 host the fp32 GELU (one per
# batch shape) and the tagger's LSTM (two per article shape) build a new one for most new shapes, so
# `make chaos`'s first hostile round kept +13 MiB of live heap at fp32 (140 cache misses, mallinfo2), towards
# about 90 MiB once both caches fill; with both caches off, +0.6. A miss costs 1-2 ms to build again (1.3 ms
# GELU, 1.9 ms LSTM, on the loaded 2-core host), a hit 0.06 ms. 64 entries hold the bf16 encoder's 54 fixed tile
# products (models/fixed_rows.py) and the shapes in use; an operator's own setting wins.
ONEDNN_CACHE_ENTRIES = 64


def bound_onednn_caches(entries: int = ONEDNN_CACHE_ENTRIES) -> None:
    """Cap oneDNN's and ideep's per-shape caches; before the first oneDNN primitive is built (both read
    their capacity then)."""
    os.environ.setdefault("ONEDNN_PRIMITIVE_CACHE_CAPACITY", str(entries))
    os.environ.setdefault("LRU_CACHE_CAPACITY", str(entries))


# glibc serves an allocation this large or larger with its own mmap, which free() unmaps at once. By default
# the threshold starts at 128 KiB and moves up to the size of each such block freed (up to 32 MiB), so after a
# few large requests, blocks of several MiB come from the heap instead and are left scattered in it when freed:
# the server's RSS stepped up 17.5 MiB after rounds of refused 10 MB articles and stayed there. Fixed at
# 16 MiB: +1 MiB after the same rounds (docs/reliability.md). Smaller fixed values make
# the encoder's activations mmap'd and page-faulted on every batch (1 MiB cost about 10 % of throughput).
_MMAP_THRESHOLD_BYTES = 16 * 2**20
# Fixing the mmap threshold also stops glibc moving its trim threshold (it keeps it at twice the mmap one while
# that moves), which then stays at 128 KiB: every free() that leaves more than that unused at the top of the
# heap gives it back to the OS, and the next batch's activations fault it in again, page by page. That was
# 570-740k page faults per pass of the int8 encoder over 1,040 sentences and about 15 % of the in-process
# pipeline's throughput on an Ice Lake host (none measurable on an AVX2 one; docs/performance.md); at twice
# the mmap threshold, as glibc itself would set it, the encoder's temporaries stay in the heap between batches.
_TRIM_THRESHOLD_BYTES = 2 * _MMAP_THRESHOLD_BYTES
# One malloc arena for every thread. With one arena per thread, the inference thread's freed activations (up to
# the trim threshold) stay at the top of its own arena, which malloc_trim(0) does not shrink (glibc trims only
# the main arena's top): `make chaos` then saw the server's RSS +52/+59 MiB after its hostile rounds, against
# +8/+10 with one arena, and c=8 throughput was the same either way (two servers in turns, 9.0 art/s each).
# The GIL serialises most of what these threads allocate; the two encoder streams allocate outside it at once,
# and the bench with two streams was measured with this setting.
_ARENAS = 1
_M_TRIM_THRESHOLD = -1  # mallopt parameter numbers, from glibc's malloc.h
_M_MMAP_THRESHOLD = -3
_M_ARENA_MAX = -8


def tune_allocator() -> bool:
    """True where glibc took every setting."""
    libc = glibc()
    if libc is None:
        return False
    settings = (
        (_M_MMAP_THRESHOLD, _MMAP_THRESHOLD_BYTES),
        (_M_TRIM_THRESHOLD, _TRIM_THRESHOLD_BYTES),
        (_M_ARENA_MAX, _ARENAS),
    )
    return all([libc.mallopt(param, value) == 1 for param, value in settings])


def set_torch_threads(threads: int | None = None) -> None:
    """torch's intra-op threads (None: one per core this process may use, cores.available_cores), once,
    before the first inference: two inference calls on two cores only fight, so one worker owns all."""
    import torch

    torch.set_num_threads(threads if threads is not None else available_cores())


_libc: Any = None


def freeze_long_lived() -> None:
    """Move every object that exists now (modules, models, warm-up caches) to the garbage collector's
    permanent generation; the server calls it once, after warm-up.

    Those objects live as long as the process, and there are millions of them. Left in generation 2 they make
    each full collection slow, and they starve it: CPython runs one only when the objects that survived
    since the last one reach a quarter of generation 2, which the traffic of a whole day may not reach. So
    the reference cycles that requests leave behind wait that long. A refused 10 MB article is one: the
    exception's traceback holds the frame that holds the request. Measured with three oversized articles a
    round: RSS grew about 19 MiB per round, 7 rounds in a row; with the startup objects frozen and a
    collection when the server is idle, 21 MiB in all after the same 7 rounds (heap fragmentation)."""
    gc.collect()
    gc.freeze()


def release_free_memory() -> float | None:
    """Collect the garbage cycles (cheap once the startup objects are frozen, see freeze_long_lived), then
    hand the heap pages malloc holds free back to the OS (glibc `malloc_trim(0)`): without it RSS stays at
    its high-water mark after a big article. Returns the seconds it took, or None where there is no glibc
    (the collection is still done)."""
    started = time.perf_counter()
    gc.collect()
    libc = glibc()
    if libc is None:
        return None
    libc.malloc_trim(0)
    return time.perf_counter() - started


def glibc() -> Any:
    """glibc, for malloc_trim and mallopt; None elsewhere (musl, macOS)."""
    global _libc
    if _libc is None:
        try:
            _libc = ctypes.CDLL("libc.so.6")
            _libc.malloc_trim  # noqa: B018 - AttributeError here means not glibc
            _libc.mallopt  # noqa: B018
        except (OSError, AttributeError):
            _libc = False
    return _libc or None
