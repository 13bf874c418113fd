"""Process-wide interpreter tuning, in one place: the server calls it once at startup (never at import).

The server runs two kinds of thread in one process: the asyncio event loop, which accepts calls and answers
the fast ones (RESOURCE_EXHAUSTED, UNAVAILABLE, validation errors), and the inference thread, which runs
spaCy and torch. Python hands the GIL to a waiting thread only every `sys.getswitchinterval()` (5 ms by
default), and a thread that gets it back often (the loop, handling a burst of calls) pays that wait on
every hand-over. A shorter interval keeps the loop responsive while a batch runs. Measured with `make chaos`
(`--only overload`, 2 shared cores): the event loop's worst lag while batches ran fell from 100-250 ms at
5 ms to 25 ms at 1 ms, and 16 articles took the same time either way (25.5-27.9 s, within the noise).
"""

from __future__ import annotations

import ctypes
import sys
import time
from typing import Any

SWITCH_INTERVAL_SECONDS = 0.001


def tune_interpreter(switch_interval: float = SWITCH_INTERVAL_SECONDS) -> None:
    """Set the GIL switch interval for this process (idempotent)."""
    sys.setswitchinterval(switch_interval)


_libc: Any = None


def release_free_memory() -> float | None:
    """Hand the heap pages malloc holds free back to the OS (glibc `malloc_trim(0)`): without it RSS stays
    at its high-water mark after a big article. Returns the seconds it took, or None where there is no
    glibc (nothing to do)."""
    global _libc
    if _libc is None:
        try:
            _libc = ctypes.CDLL("libc.so.6")
            _libc.malloc_trim  # noqa: B018 - AttributeError here means not glibc
        except (OSError, AttributeError):
            _libc = False
    if _libc is False:
        return None
    started = time.perf_counter()
    _libc.malloc_trim(0)
    return time.perf_counter() - started
