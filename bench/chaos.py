"""`make chaos`: the service under hostile input, overload, deadlines, cancellation, drain, replica death, a
soak and auth — real servers on 127.0.0.1 only, every scenario bounded in time.

Each scenario prints its figures: articles sent, answered, lost, duplicated, errors by status, plus its own
measurements. Exit status 1 when anything was lost or duplicated or a scenario's check failed.
Run: .venv/bin/python bench/chaos.py [--only NAME ...] [--soak-seconds 60]
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from collections.abc import Callable, Iterator

from chaos_auth import auth
from chaos_common import Figures
from chaos_scenarios import deadlines, drain, hostile, overload, replica_death, soak

SCENARIOS: dict[str, Callable[[argparse.Namespace], Figures]] = {
    "hostile": lambda a: hostile(),
    "overload": lambda a: overload(),
    "deadlines": lambda a: deadlines(),
    "drain": lambda a: drain(),
    "replicas": lambda a: replica_death(),
    "soak": lambda a: soak(a.soak_seconds),
    "auth": lambda a: auth(),
}


def _run(names: list[str], args: argparse.Namespace) -> Iterator[Figures]:
    for name in names:
        started = time.monotonic()
        try:
            figures = SCENARIOS[name](args)
        except Exception as exc:  # a crashed scenario is a failed one, and the others still run
            figures = Figures(name)
            figures.failures.append(f"scenario crashed: {type(exc).__name__}: {exc}")
        figures.notes.append(f"scenario wall time {time.monotonic() - started:.0f} s")
        figures.print()
        yield figures


def main() -> int:
    # SIGTERM/SIGINT unwind normally, so every server this script started is stopped on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", choices=sorted(SCENARIOS), default=list(SCENARIOS))
    parser.add_argument("--soak-seconds", type=float, default=60.0)
    args = parser.parse_args()
    results = list(_run(args.only, args))
    bad = [r for r in results if r.failures or r.lost or r.duplicated]
    lost = sum(r.lost for r in results)
    dup = sum(r.duplicated for r in results)
    print(
        f"\nchaos: {len(results) - len(bad)}/{len(results)} scenarios passed; lost {lost}, duplicated {dup}"
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
