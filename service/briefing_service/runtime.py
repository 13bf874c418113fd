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

import sys

SWITCH_INTERVAL_SECONDS = 0.001


def tune_interpreter(switch_interval: float = SWITCH_INTERVAL_SECONDS) -> None:
    """Set the GIL switch interval for this process (idempotent)."""
    sys.setswitchinterval(switch_interval)
