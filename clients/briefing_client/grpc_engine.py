"""The `grpc` engine of `briefing build` (the default): articles go out over several concurrent SummarizeStream
calls, so round_robin spreads them over the replicas of a comma-separated or dns:/// target; a stream that
breaks is retried for the articles it had not answered. Without --target a local server is started on loopback
for the job and stopped afterwards."""

from __future__ import annotations

import argparse
import contextlib
import math
import queue
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from typing import Any

import grpc
from briefing.v1 import briefing_pb2 as pb
from google.rpc import status_pb2

from briefing_client.cli_common import call_failed, connect
from briefing_client.client import BriefingClient
from briefing_client.engines import Result
from briefing_client.errors import BriefingClientError
from briefing_client.local_server import local_server

STREAM_ATTEMPTS = 4
# Per-article statuses worth another try on the next attempt (a replica draining, a full queue).
RETRYABLE = frozenset({grpc.StatusCode.UNAVAILABLE.value[0], grpc.StatusCode.RESOURCE_EXHAUSTED.value[0]})


def error_response(article_id: str, code: int, message: str) -> pb.SummarizeResponse:
    return pb.SummarizeResponse(article_id=article_id, status=status_pb2.Status(code=code, message=message))


class GrpcEngine:
    def __init__(self, client: BriefingClient, target: str, local: bool, *, streams: int, chunk: int) -> None:
        self.client = client
        self.target = target
        self.local = local
        self.streams = streams
        self.chunk = chunk

    def run_info(self) -> dict[str, Any]:
        return {"engine": "grpc", "address": self.target, "local": self.local}

    def summarize(self, articles: Sequence[pb.Article]) -> Iterator[Result]:
        """Each article with its response as it arrives, over ``streams`` concurrent SummarizeStream calls."""
        results: queue.Queue[Result | None] = queue.Queue()

        def work(batch: Sequence[pb.Article]) -> None:
            todo = {a.id: a for a in batch}
            for attempt in range(1, STREAM_ATTEMPTS + 1):
                try:
                    for response in self.client.summarize_many(list(todo.values())):
                        article = todo.get(response.article_id)
                        if article is None:
                            continue  # an id answered twice: counted once
                        if response.status.code in RETRYABLE and attempt < STREAM_ATTEMPTS:
                            continue  # left in `todo`: the next attempt sends it again
                        del todo[response.article_id]
                        results.put((article, response))
                    return
                except BriefingClientError as exc:
                    if attempt == STREAM_ATTEMPTS:
                        for article in todo.values():
                            results.put((article, error_response(article.id, exc.code.value[0], exc.message)))
                        return
                    time.sleep(min(2.0**attempt * 0.1, 2.0))
                if not todo:
                    return

        # At least one call per stream, so a small batch still spreads over every replica.
        chunk = max(1, min(self.chunk, math.ceil(len(articles) / self.streams)))
        batches = [articles[i : i + chunk] for i in range(0, len(articles), chunk)]
        with ThreadPoolExecutor(max_workers=self.streams, thread_name_prefix="stream") as pool:
            futures = [pool.submit(work, b) for b in batches]

            def close_when_done() -> None:
                try:
                    wait(futures)
                finally:
                    results.put(None)

            threading.Thread(target=close_when_done, daemon=True).start()
            while (item := results.get()) is not None:
                yield item
            for future in futures:
                future.result()  # a worker's unexpected error surfaces here


def _wait_for_server(client: BriefingClient, target: str, startup_timeout: float, local: bool) -> None:
    """A named target must answer at once (a refused connection is a clear error, not a long wait); a local
    server just started, or a named one still loading, gets ``startup_timeout`` to report SERVING."""
    if not local:
        try:
            client.health()
        except BriefingClientError as exc:
            raise call_failed(exc, target) from exc
    client.wait_until_serving(timeout=startup_timeout)


@contextlib.contextmanager
def open_grpc_engine(args: argparse.Namespace) -> Iterator[GrpcEngine]:
    """A client for --target, or for a local loopback server started for this job; SERVING when it yields."""
    with contextlib.ExitStack() as stack:
        target, local = args.target, False
        if not target:
            extra = ["--summarizer-model", args.summarizer_model] if args.summarizer_model else []
            target = stack.enter_context(local_server(extra, startup_timeout=args.startup_timeout))
            local = True
        client = stack.enter_context(connect(args, target, args.timeout))
        _wait_for_server(client, target, args.startup_timeout, local)
        yield GrpcEngine(client, target, local, streams=args.streams, chunk=args.chunk)
