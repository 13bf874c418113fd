"""The `briefing` command line: summarize files, check health, build a briefing from a folder."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from google.protobuf import json_format
from google.protobuf.message import Message
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from briefing_client.articles import read_articles
from briefing_client.briefing_doc import build_document, write_outputs
from briefing_client.client import BriefingClient, make_request
from briefing_client.errors import BriefingClientError
from briefing_client.local_server import local_server

DEFAULT_TARGET = "localhost:50051"


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


def cmd_summarize(args: argparse.Namespace) -> int:
    articles, skipped = read_articles(args.files)
    for s in skipped:
        print(f"skipped {s.path}: {s.reason}", file=sys.stderr)
    status = 1 if skipped else 0
    with BriefingClient(args.target, timeout=args.timeout) as client:
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
    with BriefingClient(args.target, timeout=args.timeout) as client:
        try:
            status = client.health(args.service)
        except BriefingClientError as exc:
            print(f"{exc.code.name}: {exc.details}", file=sys.stderr)
            return 2
    print(status)
    return 0 if status == "SERVING" else 1


def cmd_info(args: argparse.Namespace) -> int:
    with BriefingClient(args.target, timeout=args.timeout) as client:
        print(to_json(client.model_info()))
    return 0


def _run_briefing(args: argparse.Namespace, target: str) -> int:
    console = Console(stderr=True)
    articles, skipped = read_articles(args.articles)
    errors = [{"source": s.path, "reason": s.reason} for s in skipped]
    for s in skipped:
        console.print(f"[yellow]skipped[/] {s.path}: {s.reason}")
    results: list[dict] = []
    started = time.monotonic()
    with BriefingClient(target, timeout=None) as client:
        client.wait_until_serving(timeout=args.startup_timeout)
        model = to_dict(client.model_info())
        columns = (
            TextColumn("summarizing"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]:.1f} art/s"),
            TimeRemainingColumn(),
        )
        with Progress(*columns, console=console) as progress:
            task = progress.add_task("articles", total=len(articles), rate=0.0)
            for response in client.summarize_many(articles):
                item = to_dict(response)
                if response.status.code:
                    errors.append({"source": response.article_id, "reason": response.status.message})
                else:
                    results.append(item)
                done = len(results) + len(errors) - len(skipped)
                progress.update(task, completed=done, rate=done / max(time.monotonic() - started, 1e-6))
    order = {a.id: i for i, a in enumerate(articles)}
    results.sort(key=lambda a: order.get(a.get("article_id", ""), 0))
    doc = build_document(results, errors, model)
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    for path in write_outputs(doc, Path(args.out), formats):
        console.print(f"wrote {path}")
    console.print(
        f"{len(results)} articles in {time.monotonic() - started:.1f} s; {len(errors)} not summarized"
    )
    return 0 if results or not articles else 1


def cmd_build(args: argparse.Namespace) -> int:
    if args.target:
        return _run_briefing(args, args.target)
    extra = ["--summarizer-model", args.summarizer_model] if args.summarizer_model else []
    with local_server(extra) as target:
        return _run_briefing(args, target)


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
    p.add_argument("--formats", default="md,json", help="comma-separated: md,json")
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
