"""Start a local briefing-server for one job (`briefing build` without --target, so `make briefing`), and for
the tests and `make chaos`, which also need its process (to signal or kill it) and its metrics port.

The server listens on loopback only (127.0.0.1, a free port): it is plaintext and without auth, and nothing
but this machine's own processes has any business calling it. It needs the server distribution installed
beside the client; `server_installed()` says whether it is.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

LOOPBACK = "127.0.0.1"
SERVER_MODULE = "briefing_service.edge.server"


class ServerStartError(RuntimeError):
    """The local server could not be started (not installed, exited early, or too slow to listen)."""


def server_installed() -> bool:
    return importlib.util.find_spec("briefing_service") is not None


@dataclass
class ServerProcess:
    proc: subprocess.Popen[bytes]
    target: str  # '127.0.0.1:PORT'
    metrics_port: int | None  # set when started with metrics=True

    def stop(self, timeout: float = 60.0) -> int:
        """SIGTERM (graceful drain); SIGKILL if it has not exited within ``timeout``. Returns the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


def _wait_for(path: Path, proc: subprocess.Popen[bytes], deadline: float, timeout: float) -> str:
    while not path.exists() or not path.read_text().strip():
        if proc.poll() is not None:
            raise ServerStartError(f"briefing-server exited with code {proc.returncode} before listening")
        if time.monotonic() > deadline:
            raise ServerStartError(f"briefing-server did not listen within {timeout:.0f} s")
        time.sleep(0.05)
    return path.read_text().strip()


@contextlib.contextmanager
def server_process(
    extra_args: Sequence[str] = (),
    *,
    metrics: bool = False,
    env: Mapping[str, str] | None = None,
    startup_timeout: float = 180.0,
    stderr: int | None = None,
) -> Iterator[ServerProcess]:
    """A fresh server on a free loopback port (and a free metrics port when ``metrics``); stopped on exit.
    It is listening when this yields; wait for health SERVING before sending work. ``extra_args`` come last,
    so they may override the host too (a test that needs another interface)."""
    if not server_installed():
        raise ServerStartError(
            "the server is not installed here (pip install the server distribution, or pass --target)"
        )
    with tempfile.TemporaryDirectory(prefix="briefing-") as tmp:
        port_file = Path(tmp) / "port"
        metrics_file = Path(tmp) / "metrics-port"
        args = [
            sys.executable,
            "-m",
            SERVER_MODULE,
            "--host",
            LOOPBACK,
            "--port",
            "0",
            "--port-file",
            str(port_file),
        ]
        if metrics:
            args += ["--metrics-port", "0", "--metrics-port-file", str(metrics_file)]
        full_env = {**os.environ, "HF_HUB_OFFLINE": os.environ.get("HF_HUB_OFFLINE", "1"), **(env or {})}
        proc = subprocess.Popen([*args, *extra_args], env=full_env, stderr=stderr)
        server = None
        try:
            deadline = time.monotonic() + startup_timeout
            port = _wait_for(port_file, proc, deadline, startup_timeout)
            metrics_port = int(_wait_for(metrics_file, proc, deadline, startup_timeout)) if metrics else None
            server = ServerProcess(proc, f"{LOOPBACK}:{port}", metrics_port)
            yield server
        finally:
            if server is not None:
                server.stop()
            elif proc.poll() is None:
                proc.kill()
                proc.wait()


@contextlib.contextmanager
def local_server(extra_args: Sequence[str] = (), startup_timeout: float = 180.0) -> Iterator[str]:
    """Yield '127.0.0.1:PORT' of a fresh server on a free port; SIGTERM it (graceful drain) on exit."""
    with server_process(extra_args, startup_timeout=startup_timeout) as server:
        yield server.target
