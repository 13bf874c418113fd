"""Where the actors run: the Ray cluster at an address, or a small local one started for the job.

A local cluster listens on loopback only and is sized for a shared machine: as many CPUs as this process may
use, a small object store (articles and summaries are kilobytes; larger objects spill to disk), no dashboard,
token authentication on (Ray's default for a local cluster, said explicitly so it does not warn), its session
files in a temporary folder of its own, and everything it started stopped on the way out, however the job ends.

Ray binds its servers (GCS, raylet, workers) to 127.0.0.1 only when the node's IP is 127.0.0.1, and `ray.init`
turns a loopback `_node_ip_address` into the machine's outward address on Linux. It keeps loopback where Ray
clusters are marked unsupported (macOS, Windows), which RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0 marks: Ray reads
it when it is imported, so it is set before the import, and the address Ray reports is checked afterwards.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import os
import shutil
import signal
import socket
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import FrameType, ModuleType
from typing import Any

from briefing_client.engines import EngineStartError, EngineUnavailable

# The smallest store Ray accepts is 75 MiB; summaries are kilobytes each, so this only bounds the shared memory
# a local cluster takes from the machine.
LOCAL_OBJECT_STORE_BYTES = 128 * 2**20
LOCAL_ENV = {
    "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0",  # node IP 127.0.0.1, so every server binds loopback
    "RAY_AUTH_MODE": "token",
    "RAY_USAGE_STATS_ENABLED": "0",  # no usage report to send from a batch job
}
CONNECT_TIMEOUT_SECONDS = 10.0
SignalHandler = Callable[[int, FrameType | None], Any] | int | signal.Handlers | None
INSTALL_HINT = "Ray is not installed here: pip install './[ray]' (make briefing ENGINE=ray installs it)"


@dataclass(frozen=True)
class Cluster:
    ray: ModuleType
    address: str  # the GCS address a second driver connects to (ray job submit, --ray-address)
    local: bool  # started for this job
    cpus: float  # in the whole cluster when the job starts
    temp_dir: str | None  # a local cluster's session files (removed when it stops)


def import_ray(local: bool) -> ModuleType:
    if local:
        if "ray" in sys.modules and os.environ.get("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER") != "0":
            raise EngineStartError("Ray was imported before a local cluster could be bound to loopback")
        os.environ.update(LOCAL_ENV)
    try:
        import ray
    except ImportError as exc:
        raise EngineUnavailable(INSTALL_HINT) from exc
    return ray


def local_cpus() -> int:
    """The CPUs this process may run on (its affinity, which a container's cpuset narrows)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def check_reachable(address: str, timeout: float = CONNECT_TIMEOUT_SECONDS) -> None:
    """A TCP connection to a `host:port` or `ray://host:port` address, so a wrong address fails in seconds:
    `ray.init` keeps retrying a GCS that does not answer for many minutes. Other forms ("auto") pass."""
    hostport = address.removeprefix("ray://")
    host, sep, port = hostport.rpartition(":")
    if not sep or not port.isdigit() or "/" in hostport:
        return
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=timeout).close()
    except OSError as exc:
        raise EngineStartError(f"cannot reach the Ray cluster at {address}: {exc}") from exc


def keep_sigterm_handler(handler: SignalHandler) -> None:
    """Put back the SIGTERM handler this process had before `ray.init`, which replaces it with its own (a
    bare exit, and a C-level handler that logs and kills the process) so that nothing on the way out would run:
    the caller's handler (the CLI's turns SIGTERM into KeyboardInterrupt) lets the `finally` below stop a
    local cluster. Signal handlers belong to the main thread; elsewhere Ray leaves them alone too."""
    if handler is not None and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, handler)


@contextlib.contextmanager
def ray_cluster(address: str | None, *, cpus: int | None = None) -> Iterator[Cluster]:
    """Connect to the cluster at ``address`` (None: $RAY_ADDRESS, as in a job that `ray job submit` started;
    if unset, start a local cluster of ``cpus`` CPUs, default local_cpus()). Disconnects, and stops a local
    cluster, on exit."""
    address = address or os.environ.get("RAY_ADDRESS") or None
    local = address is None
    if address is not None:
        check_reachable(address)
    ray = import_ray(local)
    if ray.is_initialized():
        raise EngineStartError("this process is already connected to a Ray cluster")
    temp_dir = tempfile.mkdtemp(prefix="briefing-ray-") if local else None
    on_sigterm = signal.getsignal(signal.SIGTERM)
    try:
        try:
            if local:
                context = ray.init(
                    address="local",
                    num_cpus=cpus or local_cpus(),
                    num_gpus=0,
                    object_store_memory=LOCAL_OBJECT_STORE_BYTES,
                    include_dashboard=False,
                    log_to_driver=False,
                    logging_level=logging.WARNING,
                    _temp_dir=temp_dir,
                )
            else:
                context = ray.init(address=address, log_to_driver=False, logging_level=logging.WARNING)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            where = address or "a local cluster"
            raise EngineStartError(f"cannot start or reach the Ray cluster ({where}): {exc}") from exc
        keep_sigterm_handler(on_sigterm)
        node_ip = context.address_info["node_ip_address"]
        if local and not ipaddress.ip_address(node_ip).is_loopback:
            raise EngineStartError(f"the local Ray cluster came up on {node_ip}, not on loopback")
        gcs = context.address_info.get("gcs_address") or context.address_info.get("address") or address
        yield Cluster(ray, str(gcs), local, float(ray.cluster_resources().get("CPU", 0)), temp_dir)
    finally:
        ray.shutdown()  # a local cluster's processes with it
        if temp_dir is not None:
            shutil.rmtree(temp_dir, ignore_errors=True)
