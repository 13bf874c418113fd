"""Several comma-separated targets: `briefing build` spreads its streams over the replicas (round_robin)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from briefing_client import BriefingClient

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _articles_processed(metrics_port: str) -> float:
    """The server's own count of articles its models ran (Prometheus text format)."""
    url = f"http://127.0.0.1:{metrics_port}/metrics"
    text = urllib.request.urlopen(url, timeout=10).read().decode()
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("briefing_articles_processed_total ")
    )


@pytest.mark.slow
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
                        "--metrics-port",
                        "0",
                        "--metrics-port-file",
                        str(tmp_path / f"metrics{i}"),
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
        metrics = [(tmp_path / f"metrics{i}").read_text().strip() for i in range(2)]
        before = [_articles_processed(m) for m in metrics]
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
        # Counted by the servers, not timed: CPU seconds depended on how the machine was loaded.
        done = [_articles_processed(m) - b for m, b in zip(metrics, before, strict=True)]
        assert min(done) >= 1, f"articles summarized by each server during the build: {done}"
        assert sum(done) >= 11, done
        doc = json.loads((tmp_path / "out" / "briefing.json").read_text())
        assert doc["article_count"] == 11
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            p.wait(timeout=60)
