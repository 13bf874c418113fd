"""How many cores this process may use: the CPUs it may run on, capped by its cgroup's CPU quota.

In a container the two differ: a pod limited to 2 CPUs on a 64-core node sees 64 in ``os.cpu_count()``, and
torch with 63 threads on a 2-CPU quota spends its time throttled and waiting at barriers. The quota is read
from cgroup v2 (``cpu.max``, the process's own cgroup and each one above it) or v1 (``cpu.cfs_quota_us`` over
``cpu.cfs_period_us``); the smallest limit wins. A fractional quota rounds down (at least 1), as Go's
automaxprocs does: 2.5 CPUs run 2 busy threads without being throttled.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

PROC_CGROUP = Path("/proc/self/cgroup")
CGROUP_ROOT = Path("/sys/fs/cgroup")


def available_cores(proc_cgroup: Path = PROC_CGROUP, root: Path = CGROUP_ROOT) -> int:
    """CPUs this process may run on (its affinity mask), at most its cgroup CPU quota rounded down; >= 1."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    quota = cgroup_cpu_quota(proc_cgroup, root)
    return max(1, min(cores, math.floor(quota))) if quota is not None else max(1, cores)


def cgroup_cpu_quota(proc_cgroup: Path = PROC_CGROUP, root: Path = CGROUP_ROOT) -> float | None:
    """The CPUs' worth of time the cgroup quota allows (2.0 for '200000 100000'), None where none is set."""
    try:
        lines = proc_cgroup.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    limits: list[float] = []
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if controllers == "":  # cgroup v2
            for folder in _ancestors(root, path):
                limits += _v2_limit(folder / "cpu.max")
        elif "cpu" in controllers.split(","):
            for mount in (root / "cpu", root / "cpu,cpuacct", root / "cpuacct,cpu"):
                for folder in _ancestors(mount, path):
                    limits += _v1_limit(folder)
    return min(limits) if limits else None


def _ancestors(mount: Path, path: str) -> list[Path]:
    """The cgroup's folder and each one above it up to the mount (inside a container's cgroup namespace the
    path may not exist under the mount: then the mount itself is the process's cgroup)."""
    folder = mount / path.strip("/")
    found = []
    while True:
        if folder.is_dir():
            found.append(folder)
        if folder == mount or mount not in folder.parents:
            return found
        folder = folder.parent


def _v2_limit(cpu_max: Path) -> list[float]:
    try:
        quota, period = cpu_max.read_text(encoding="utf-8").split()[:2]
    except (OSError, ValueError):
        return []
    return [] if quota == "max" else [int(quota) / int(period)]


def _v1_limit(folder: Path) -> list[float]:
    try:
        quota = int((folder / "cpu.cfs_quota_us").read_text(encoding="utf-8"))
        period = int((folder / "cpu.cfs_period_us").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [quota / period] if quota > 0 and period > 0 else []
