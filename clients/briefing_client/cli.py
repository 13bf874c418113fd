"""The `briefing` command line: summarize files, check health, build a briefing from a folder."""

from __future__ import annotations

import argparse
import math
import queue
import sys
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

import grpc
from briefing.v1 import briefing_pb2 as pb
from briefing_service.briefing import ArticleError
from google.protobuf import json_format
from google.protobuf.message import Message
from google.rpc import status_pb2
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

from briefing_client.articles import read_articles
from briefing_client.briefing_doc import FORMATS, build_document, digest_from_pb, write_outputs
from briefing_client.client import BriefingClient, make_request
from briefing_client.errors import BriefingClientError
from briefing_client.journal import Journal, article_key
from briefing_client.local_server import local_server

DEFAULT_TARGET = "localhost:50051"
STREAM_ATTEMPTS = 4
# Per-article statuses worth another try on the next attempt (a replica draining, a full queue).
RETRYABLE = frozenset({grpc.StatusCode.UNAVAILABLE.value[0], grpc.StatusCode.RESOURCE_EXHAUSTED.value[0]})


def to_json(message: Message) -> str:
    return json_format.MessageToJson(
        message,
        preserving_proto_field_name=True,
        always_print_fields_with_no_presence=True,
        ensure_ascii=False,
    )


def to_dict(message: Message) -> dict:
    return json_format.MessageToDict(
        message,
        preserving_proto_field_name=True,
        always_print_fields_with_no_presence=True,
    )


def connect(args: argparse.Namespace, target: str, timeout: float | None) -> BriefingClient:
    """A client with the command line's security options (each falls back to its BRIEFING_* variable)."""
    return BriefingClient(
        target,
        timeout=timeout,
        token=args.token,
        tls=args.tls,
        tls_ca=args.tls_ca,
        tls_cert=args.tls_cert,
        tls_key=args.tls_key,
    )


def cmd_summarize(args: argparse.Namespace) -> int:
    articles, skipped = read_articles(args.files)
    for s in skipped:
        print(f"skipped {s.path}: {s.reason}", file=sys.stderr)
    status = 1 if skipped else 0
    with connect(args, args.target, args.timeout) as client:
        for article in articles:
            request = make_request(
                article, max_key_points=args.max_key_points, entity_types=args.entity_types or ()
            )
            try:
                response = client.summarize_request(request)
            except BriefingClientError as exc:
                print(f"{article.id}: {exc.code.name}: {exc.details}", file=sys.stderr)
                status = 1
                continue
            if args.json:
                print(to_json(response))
            else:
                print(f"# {response.headline}")
                for k in response.key_points:
                    print(f"- [{k.score:.2f}] {' '.join(k.text.split())}")
                ents = ", ".join(f"{e.text} ({e.type}, {e.count})" for e in response.entities[:12])
                print(f"Entities: {ents}\n")
    return status


def cmd_health(args: argparse.Namespace) -> int:
    with connect(args, args.target, args.timeout) as client:
        try:
            status = client.health(args.service)
        except BriefingClientError as exc:
            print(f"{exc.code.name}: {exc.details}", file=sys.stderr)
            return 2
    print(status)
    return 0 if status == "SERVING" else 1


def cmd_info(args: argparse.Namespace) -> int:
    with connect(args, args.target, args.timeout) as client:
        print(to_json(client.model_info()))
    return 0


def _summarize_pending(
    client: BriefingClient,
    pending: list[pb.Article],
    journal: Journal,
    progress: Progress,
    task: TaskID,
    *,
    streams: int,
    chunk: int,
    startup_timeout: float,
    timing: dict[str, float],
) -> dict[str, str]:
    """Summarizes ``pending`` over several concurrent streams (so round_robin spreads them over replicas),
    journaling each result as it arrives. A stream that breaks (a replica died) is retried for the articles it
    had not answered. Returns {article id: reason} for the articles that failed."""
    failed: dict[str, str] = {}
    results: queue.Queue[tuple[pb.Article, pb.SummarizeResponse] | None] = queue.Queue()

    def work(batch: list[pb.Article], client: BriefingClient) -> None:
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
                        results.put((article, error_response(article.id, exc.code.value[0], exc.details)))
                    return
                time.sleep(min(2.0**attempt * 0.1, 2.0))
            if not todo:
                return

    with client:
        client.wait_until_serving(timeout=startup_timeout)
        started = timing["serving"] = time.monotonic()  # the rate and ETA count from here
        # At least one call per stream, so a small batch still spreads over every replica.
        chunk = max(1, min(chunk, math.ceil(len(pending) / streams)))
        batches = [pending[i : i + chunk] for i in range(0, len(pending), chunk)]
        with ThreadPoolExecutor(max_workers=streams, thread_name_prefix="stream") as pool:
            futures = [pool.submit(work, b, client) for b in batches]

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
                    failed[article.id] = f"{code_name(response.status.code)}: {response.status.message}"
                else:
                    journal.record(article_key(article), response)
                done += 1
                rate = done / max(time.monotonic() - started, 1e-6)
                progress.update(task, advance=1, rate=rate)
            for future in futures:
                future.result()  # a worker's unexpected error surfaces here
    return failed


def code_name(code: int) -> str:
    return next((c.name for c in grpc.StatusCode if c.value[0] == code), str(code))


def error_response(article_id: str, code: int, message: str) -> pb.SummarizeResponse:
    return pb.SummarizeResponse(article_id=article_id, status=status_pb2.Status(code=code, message=message))


def cmd_build(args: argparse.Namespace) -> int:
    """`briefing build` / `make briefing`: resumable (see journal.py); every output is written atomically."""
    console = Console(stderr=True)
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    if bad := sorted(set(formats) - set(FORMATS)):
        console.print(f"[red]unknown format(s) {', '.join(bad)}[/]; allowed: {', '.join(FORMATS)}")
        return 2
    t0 = time.monotonic()
    articles, skipped = read_articles(args.articles)
    for s in skipped:
        console.print(f"[yellow]skipped[/] {s.path}: {s.reason}")
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
            kwargs = {
                "streams": args.streams,
                "chunk": args.chunk,
                "startup_timeout": args.startup_timeout,
                "timing": timing,
            }
            if args.target:
                failed = _summarize_pending(
                    connect(args, args.target, None), pending, journal, progress, task, **kwargs
                )
            else:
                extra = ["--summarizer-model", args.summarizer_model] if args.summarizer_model else []
                with local_server(extra, startup_timeout=args.startup_timeout) as target:
                    failed = _summarize_pending(
                        connect(args, target, None), pending, journal, progress, task, **kwargs
                    )
    t_summarized = time.monotonic()
    digests = [digest_from_pb(a, journal.done[keys[a.id]]) for a in articles if keys[a.id] in journal.done]
    errors = [ArticleError(s.path, s.reason) for s in skipped]
    errors += [ArticleError(article_id, reason) for article_id, reason in failed.items()]
    model = to_dict(next(iter(journal.done.values())).model) if journal.done else {}
    doc = build_document(digests, errors, model)
    t_built = time.monotonic()
    for path in write_outputs(doc, out, formats):
        console.print(f"wrote {path}")
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
    return 0 if digests or not articles else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="briefing", description="Client for the Briefing gRPC service")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser, target_default: str | None = DEFAULT_TARGET) -> None:
        p.add_argument(
            "--target",
            default=target_default,
            help="host:port, or several comma-separated for round-robin across replicas",
        )
        p.add_argument("--timeout", type=float, default=60.0, help="per-call deadline in seconds")
        p.add_argument("--token", help="bearer token (default: $BRIEFING_TOKEN)")
        p.add_argument("--tls", action="store_true", help="TLS with the system's root certificates")
        p.add_argument("--tls-ca", help="CA certificate that signed the server's (PEM); implies --tls")
        p.add_argument("--tls-cert", help="client certificate for mTLS (PEM)")
        p.add_argument("--tls-key", help="client key for mTLS (PEM)")

    p = sub.add_parser("summarize", help="summarize article files (.txt, .md, .html, .jsonl)")
    p.add_argument("files", nargs="+")
    p.add_argument("--json", action="store_true", help="print each response as protobuf JSON")
    p.add_argument("--max-key-points", type=int, default=0)
    p.add_argument("--entity-types", nargs="*", help="OntoNotes labels to keep, e.g. PERSON ORG GPE")
    common(p)
    p.set_defaults(func=cmd_summarize)

    p = sub.add_parser("health", help="print the server's health status")
    p.add_argument("--service", default="", help='"" for the whole server, or briefing.v1.BriefingService')
    common(p)
    p.set_defaults(func=cmd_health)

    p = sub.add_parser("info", help="print the loaded models")
    common(p)
    p.set_defaults(func=cmd_info)

    p = sub.add_parser("build", help="turn a folder of articles into one briefing document")
    p.add_argument("articles", nargs="+", help="files or folders")
    p.add_argument("--out", default="out/briefing")
    p.add_argument("--formats", default=",".join(FORMATS), help="comma-separated: md,html,json")
    p.add_argument(
        "--fresh", action="store_true", help="ignore the progress journal in --out and summarize everything"
    )
    p.add_argument(
        "--streams", type=int, default=4, help="concurrent streams (spread over comma-separated targets)"
    )
    p.add_argument("--chunk", type=int, default=16, help="articles per stream call")
    p.add_argument("--summarizer-model", default="", help="seq2seq checkpoint for the local server")
    p.add_argument("--startup-timeout", type=float, default=180.0)
    common(p, target_default=None)
    p.set_defaults(func=cmd_build)
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    sys.exit(args.func(args))


if __name__ == "__main__":
    main()
