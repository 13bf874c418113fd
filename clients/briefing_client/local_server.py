"""Start a local briefing-server for one job (used by `make briefing` when no TARGET is given)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path


@contextlib.contextmanager
def local_server(extra_args: Sequence[str] = (), startup_timeout: float = 180.0) -> Iterator[str]:
    """Yield '127.0.0.1:PORT' of a fresh server on a free port; SIGTERM it (graceful drain) on exit."""
    with tempfile.TemporaryDirectory(prefix="briefing-") as tmp:
        port_file = Path(tmp) / "port"
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "briefing_service.edge.server",
                "--port",
                "0",
                "--port-file",
                str(port_file),
                *extra_args,
            ],
            env={**os.environ, "HF_HUB_OFFLINE": os.environ.get("HF_HUB_OFFLINE", "1")},
        )
        try:
            deadline = time.monotonic() + startup_timeout
            while not port_file.exists() or not port_file.read_text().strip():
                if proc.poll() is not None:
                    raise RuntimeError(f"briefing-server exited with code {proc.returncode} before listening")
                if time.monotonic() > deadline:
                    raise TimeoutError(f"briefing-server did not listen within {startup_timeout:.0f} s")
                time.sleep(0.05)
            yield f"127.0.0.1:{port_file.read_text().strip()}"
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
