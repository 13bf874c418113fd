"""`briefing build` (what `make briefing` runs): a folder of articles into one briefing document.

Resumable (journal.py); every output is written atomically. Articles go out over several concurrent
SummarizeStream calls, so round_robin spreads them over comma-separated targets; a stream that breaks is retried
for the articles it had not answered. The briefing is assembled here (briefing_assembly) from the summaries.
Without --target a local server is started on loopback for the job and stopped afterwards.

Articles that cannot be read or summarized are listed in the briefing's errors and the rest is written; the
exit status then says so (cli.Exit).
"""

from __future__ import annotations

import argparse
import contextlib
import math
import queue
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any

import grpc
from briefing.v1 import briefing_pb2 as pb
from briefing_assembly import ArticleError
from google.rpc import status_pb2
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

from briefing_client.articles import read_articles
from briefing_client.briefing_doc import FORMATS, build_document, digest_from_pb
from briefing_client.cli_common import (
    EXIT_HELP,
    CliError,
    Exit,
    add_connection_flags,
    add_input_flags,
    call_failed,
    connect,
    message_dict,
)
from briefing_client.client import BriefingClient
from briefing_client.errors import BriefingClientError, code_from_number
from briefing_client.journal import Journal, article_key
from briefing_client.local_server import local_server
from briefing_client.outputs import write_outputs

STREAM_ATTEMPTS = 4
# Per-article statuses worth another try on the next attempt (a replica draining, a full queue).
RETRYABLE = frozenset({grpc.StatusCode.UNAVAILABLE.value[0], grpc.StatusCode.RESOURCE_EXHAUSTED.value[0]})


def add_build_parser(sub: Any) -> None:
    p = sub.add_parser(
        "build",
        help="turn a folder of articles into one briefing document",
        description="Summarize the articles and write one briefing: stories, who and what, timeline, appendix.",
        epilog=EXIT_HELP,
    )
    p.add_argument(
        "articles", nargs="+", metavar="PATH", help="article files, folders of them, or - for stdin"
    )
    p.add_argument("--out", default="out/briefing", help="output folder (default out/briefing)")
    p.add_argument(
        "--formats",
        default=",".join(FORMATS),
        help=f"comma-separated, any of {','.join(FORMATS)} (default all)",
    )
    p.add_argument(
        "--fresh", action="store_true", help="ignore the progress journal in --out and summarize everything"
    )
    p.add_argument(
        "--streams",
        type=int,
        default=4,
        help="concurrent SummarizeStream calls, spread over comma-separated targets (default 4)",
    )
    p.add_argument("--chunk", type=int, default=16, help="articles per stream call (default 16)")
    p.add_argument(
        "--summarizer-model",
        default="",
        help="seq2seq checkpoint for the local server (without --target); default the extractive engine",
    )
    p.add_argument(
        "--startup-timeout",
        type=float,
        default=180.0,
        help="seconds to wait for the server to report SERVING (default 180)",
    )
    add_input_flags(p)
    add_connection_flags(p, target_default=None)
    p.set_defaults(func=cmd_build)


def error_response(article_id: str, code: int, message: str) -> pb.SummarizeResponse:
    return pb.SummarizeResponse(article_id=article_id, status=status_pb2.Status(code=code, message=message))


def _wait_for_server(client: BriefingClient, target: str, startup_timeout: float, local: bool) -> None:
    """A named target must answer at once (a refused connection is a clear error, not a long wait); a local
    server just started, or a named one still loading, gets ``startup_timeout`` to report SERVING."""
    if not local:
        try:
            client.health()
        except BriefingClientError as exc:
            raise call_failed(exc, target) from exc
    client.wait_until_serving(timeout=startup_timeout)


def _summarize_pending(
    client: BriefingClient,
    pending: list[pb.Article],
    journal: Journal,
    progress: Progress,
    task: TaskID,
    *,
    streams: int,
    chunk: int,
    timing: dict[str, float],
) -> dict[str, str]:
    """Summarizes ``pending`` over several concurrent streams, journaling each result as it arrives. Returns
    {article id: reason} for the articles that failed."""
    failed: dict[str, str] = {}
    results: queue.Queue[tuple[pb.Article, pb.SummarizeResponse] | None] = queue.Queue()

    def work(batch: list[pb.Article]) -> None:
        todo = {a.id: a for a in batch}
        for attempt in range(1, STREAM_ATTEMPTS + 1):
            try:
                for response in client.summarize_many(list(todo.values())):
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

    started = timing["serving"] = time.monotonic()  # the rate and ETA count from here
    # At least one call per stream, so a small batch still spreads over every replica.
    chunk = max(1, min(chunk, math.ceil(len(pending) / streams)))
    batches = [pending[i : i + chunk] for i in range(0, len(pending), chunk)]
    with ThreadPoolExecutor(max_workers=streams, thread_name_prefix="stream") as pool:
        futures = [pool.submit(work, b) for b in batches]

        def close_when_done() -> None:
            try:
                wait(futures)
            finally:
                results.put(None)

        threading.Thread(target=close_when_done, daemon=True).start()
        done = 0
        while (item := results.get()) is not None:
            article, response = item
            if response.status.code:
                code = code_from_number(response.status.code).name
                failed[article.id] = f"{code}: {response.status.message}"
            else:
                journal.record(article_key(article), response)
            done += 1
            rate = done / max(time.monotonic() - started, 1e-6)
            progress.update(task, advance=1, rate=rate)
        for future in futures:
            future.result()  # a worker's unexpected error surfaces here
    return failed


@contextlib.contextmanager
def _server(args: argparse.Namespace) -> Iterator[tuple[BriefingClient, str, bool]]:
    """A client for --target, or for a local loopback server started for this job."""
    if args.target:
        with connect(args, args.target, args.timeout) as client:
            yield client, args.target, False
        return
    extra = ["--summarizer-model", args.summarizer_model] if args.summarizer_model else []
    with (
        local_server(extra, startup_timeout=args.startup_timeout) as target,
        connect(args, target, args.timeout) as client,
    ):
        yield client, target, True


def cmd_build(args: argparse.Namespace) -> Exit:
    console = Console(stderr=True)
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    if bad := sorted(set(formats) - set(FORMATS)):
        raise CliError(f"unknown format(s) {', '.join(bad)}; allowed: {', '.join(FORMATS)}", Exit.USAGE)
    t0 = time.monotonic()
    articles, skipped = read_articles(args.articles, args.stdin_format)
    for s in skipped:
        console.print(f"[yellow]skipped[/] {s.path}: {s.reason}", soft_wrap=True)
    out = Path(args.out)
    journal = Journal(out, fresh=args.fresh)
    keys = {a.id: article_key(a) for a in articles}
    pending = [a for a in articles if keys[a.id] not in journal.done]
    resumed = len(articles) - len(pending)
    if resumed:
        console.print(
            f"resuming: {resumed} of {len(articles)} articles already summarized in {journal.path}",
            soft_wrap=True,
            markup=False,
        )
    t_read = time.monotonic()
    timing = {"serving": t_read}
    failed: dict[str, str] = {}
    if pending:
        with _server(args) as (client, target, local):
            _wait_for_server(client, target, args.startup_timeout, local)
            columns = (
                TextColumn("summarizing"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]:.2f} art/s"),
                TextColumn("ETA"),
                TimeRemainingColumn(),
            )
            with journal, Progress(*columns, console=console) as progress:
                task = progress.add_task("articles", total=len(articles), completed=resumed, rate=0.0)
                failed = _summarize_pending(
                    client,
                    pending,
                    journal,
                    progress,
                    task,
                    streams=args.streams,
                    chunk=args.chunk,
                    timing=timing,
                )
    t_summarized = time.monotonic()
    digests = [digest_from_pb(a, journal.done[keys[a.id]]) for a in articles if keys[a.id] in journal.done]
    errors = [ArticleError(s.path, s.reason) for s in skipped]
    errors += [ArticleError(article_id, reason) for article_id, reason in failed.items()]
    model = message_dict(next(iter(journal.done.values())).model) if journal.done else {}
    doc = build_document(digests, errors, model)
    t_built = time.monotonic()
    for path in write_outputs(doc, out, formats):
        console.print(f"wrote {path}", soft_wrap=True)
    t_written = time.monotonic()
    console.print(
        f"{len(digests)} articles ({len(pending) - len(failed)} summarized now, {resumed} from the journal) "
        f"into {len(doc['stories'])} stories in {t_written - t0:.1f} s "
        f"[read {t_read - t0:.1f} s, server start-up {timing['serving'] - t_read:.1f} s, "
        f"summarize {t_summarized - timing['serving']:.1f} s, "
        f"build {t_built - t_summarized:.2f} s, write {t_written - t_built:.2f} s]; "
        f"{len(errors)} not summarized",
        markup=False,
        soft_wrap=True,
    )
    if skipped:
        return Exit.BAD_INPUT
    return Exit.ARTICLES_FAILED if failed else Exit.OK
