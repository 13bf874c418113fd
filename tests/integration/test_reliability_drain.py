"""Graceful shutdown through a real server: SIGTERM with 8 calls in flight -> health NOT_SERVING, new calls
UNAVAILABLE, all 8 answered OK, exit 0."""

from __future__ import annotations

import signal
import threading
import time
import urllib.request

import pytest
from briefing_client import Article, BriefingClient, BriefingClientError, Unavailable
from briefing_client.local_server import server_process

ARTICLE = (
    "The regional council approved a new transit plan on Tuesday after months of debate. "
    "Council leader Maria Lopez said buses would run every ten minutes from next spring. "
    "Opponents in the Green Party said the plan did too little for rural towns. "
) * 20


def _in_flight(metrics_port: int) -> float:
    text = urllib.request.urlopen(f"http://127.0.0.1:{metrics_port}/metrics", timeout=10).read().decode()
    return next(
        float(line.split()[1]) for line in text.splitlines() if line.startswith("briefing_calls_in_flight ")
    )


def test_sigterm_drains_eight_calls_in_flight_and_exits_zero() -> None:
    with server_process(
        # Cache off: the 8 calls repeat one article and must all still be running when SIGTERM lands.
        ["--host", "127.0.0.1", "--max-batch", "1", "--grace-seconds", "120", "--cache-entries", "off"],
        metrics=True,
    ) as server:
        assert server.metrics_port is not None
        with BriefingClient(server.target, timeout=180) as client:
            client.wait_until_serving(timeout=180)
            results: dict[int, str] = {}

            def call(i: int) -> None:
                try:
                    results[i] = (
                        "OK"
                        if client.summarize(Article(ARTICLE, id=f"d{i}")).article_id == f"d{i}"
                        else "BAD"
                    )
                except BriefingClientError as exc:
                    results[i] = exc.code.name

            threads = [threading.Thread(target=call, args=(i,)) for i in range(8)]
            for t in threads:
                t.start()
            deadline = time.monotonic() + 30
            while _in_flight(server.metrics_port) < 8 and time.monotonic() < deadline:
                time.sleep(0.02)
            assert _in_flight(server.metrics_port) == 8
            server.proc.send_signal(signal.SIGTERM)
            time.sleep(0.05)
            with BriefingClient(server.target, timeout=10) as late:
                assert late.health() == "NOT_SERVING"
                with pytest.raises(Unavailable, match="draining") as refused:
                    late.summarize("A new call arrives during the drain.")
                assert refused.value.reason == "DRAINING" and refused.value.retry_after == 1.0
            signalled = time.monotonic()
            for t in threads:
                t.join(timeout=150)
            print(f"8 calls drained {time.monotonic() - signalled:.1f} s after SIGTERM")
            assert results == dict.fromkeys(range(8), "OK")
            assert server.proc.wait(timeout=60) == 0
