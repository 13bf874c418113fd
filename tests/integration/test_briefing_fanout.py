"""Several comma-separated targets: `briefing build` spreads its streams over the replicas (round_robin)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from briefing_client import BriefingClient

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads server CPU time from /proc")
def test_two_targets_both_do_work(tmp_path: Path) -> None:
    procs = []
    try:
        for i in range(2):
            procs.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "briefing_service.edge.server",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        "0",
                        "--port-file",
                        str(tmp_path / f"port{i}"),
                        "--torch-threads",
                        "1",
                    ],
                    stderr=subprocess.DEVNULL,
                )
            )
        targets = []
        for i in range(2):
            port_file = tmp_path / f"port{i}"
            deadline = time.monotonic() + 180
            while not (port_file.exists() and port_file.read_text().strip()):
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.1)
            targets.append(f"127.0.0.1:{port_file.read_text().strip()}")
            with BriefingClient(targets[-1]) as client:
                client.wait_until_serving(timeout=180)
        before = [_cpu_seconds(p.pid) for p in procs]
        run = subprocess.run(
            [
                str(BIN / "briefing"),
                "build",
                str(ROOT / "examples" / "articles"),
                str(ROOT / "tests" / "data"),
                "--target",
                ",".join(targets),
                "--out",
                str(tmp_path / "out"),
            ],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert run.returncode == 0, run.stderr
        used = [_cpu_seconds(p.pid) - b for p, b in zip(procs, before, strict=True)]
        assert min(used) > 0.3, f"server CPU seconds during the build: {used}"
        doc = json.loads((tmp_path / "out" / "briefing.json").read_text())
        assert doc["article_count"] == 11
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            p.wait(timeout=60)
