"""`briefing build` (what `make briefing` runs): a folder of articles into one briefing document.

An engine summarizes the articles (engines.py): `grpc` (default) streams them to --target or to a local
server started for the job; `ray` runs them on a pool of Ray actors (--ray-address, or a local cluster). The
briefing is then assembled here (briefing_assembly) from the summaries, the same way for either, and its `run`
object says which engine made it and where.

Resumable (journal.py); every output is written atomically. Articles that cannot be read or summarized are
listed in the briefing's errors and the rest is written; the exit status then says so (cli.Exit).
"""

from __future__ import annotations

import argparse
import time
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from briefing_assembly import ArticleError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from briefing_client.articles import read_articles
from briefing_client.briefing_doc import FORMATS, build_document, digest_from_pb
from briefing_client.cli_common import (
    EXIT_HELP,
    CliError,
    Exit,
    add_connection_flags,
    add_input_flags,
    message_dict,
)
from briefing_client.engines import ENGINES, Engine, EngineOptions, engine_opener
from briefing_client.errors import code_from_number
from briefing_client.grpc_engine import open_grpc_engine
from briefing_client.journal import Journal, article_key
from briefing_client.outputs import write_outputs


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
        "--engine",
        choices=ENGINES,
        default="grpc",
        help="what summarizes the articles: grpc (a server: --target, or a local one) or ray (a pool of Ray "
        "actors: --ray-address, or a local cluster); default grpc",
    )
    p.add_argument(
        "--streams",
        type=int,
        default=4,
        help="grpc: concurrent SummarizeStream calls, spread over the target's replicas (default 4)",
    )
    p.add_argument(
        "--ray-address",
        default=None,
        help="ray: the cluster to run on, as ray.init takes it (host:port, ray://host:10001, auto); default "
        "$RAY_ADDRESS, else a local cluster on loopback started for the job",
    )
    p.add_argument(
        "--actors",
        type=_positive_int,
        default=None,
        help="ray: actors in the pool, each loading the models once (default: one per CPU of the cluster)",
    )
    p.add_argument(
        "--chunk", type=_positive_int, default=16, help="articles per stream or actor call (default 16)"
    )
    p.add_argument(
        "--summarizer-model",
        default="",
        help="seq2seq checkpoint for the local server (without --target) or the Ray actors; default the "
        "extractive engine",
    )
    p.add_argument(
        "--startup-timeout",
        type=float,
        default=180.0,
        help="seconds to wait for the models to load: the server's SERVING, or the first actor (default 180)",
    )
    add_input_flags(p)
    add_connection_flags(p, target_default=None)
    p.set_defaults(func=cmd_build)


def cmd_build(args: argparse.Namespace) -> Exit:
    console = Console(stderr=True)
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    if bad := sorted(set(formats) - set(FORMATS)):
        raise CliError(f"unknown format(s) {', '.join(bad)}; allowed: {', '.join(FORMATS)}", Exit.USAGE)
    engine_context = _engine_context(args)  # flags checked, nothing started yet
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
    run: dict[str, Any] = {"engine": args.engine}
    if pending:
        with engine_context as engine:
            run = engine.run_info()
            timing["serving"] = started = time.monotonic()  # the rate and ETA count from here
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
                for done, (article, response) in enumerate(engine.summarize(pending), start=1):
                    if response.status.code:
                        code = code_from_number(response.status.code).name
                        failed[article.id] = f"{code}: {response.status.message}"
                    else:
                        journal.record(article_key(article), response)
                    rate = done / max(time.monotonic() - started, 1e-6)
                    progress.update(task, advance=1, rate=rate)
            run = engine.run_info()  # after the run: what it did (actors lost, articles sent again)
    run |= {"summarized": len(pending) - len(failed), "from_journal": resumed}
    t_summarized = time.monotonic()
    digests = [digest_from_pb(a, journal.done[keys[a.id]]) for a in articles if keys[a.id] in journal.done]
    errors = [ArticleError(s.path, s.reason) for s in skipped]
    errors += [ArticleError(article_id, reason) for article_id, reason in failed.items()]
    model = message_dict(next(iter(journal.done.values())).model) if journal.done else {}
    doc = build_document(digests, errors, model, run)
    t_built = time.monotonic()
    for path in write_outputs(doc, out, formats):
        console.print(f"wrote {path}", soft_wrap=True)
    t_written = time.monotonic()
    console.print(
        f"{len(digests)} articles ({len(pending) - len(failed)} summarized now, {resumed} from the journal) "
        f"into {len(doc['stories'])} stories in {t_written - t0:.1f} s "
        f"[read {t_read - t0:.1f} s, {args.engine} start-up {timing['serving'] - t_read:.1f} s, "
        f"summarize {t_summarized - timing['serving']:.1f} s, "
        f"build {t_built - t_summarized:.2f} s, write {t_written - t_built:.2f} s]; "
        f"{len(errors)} not summarized",
        markup=False,
        soft_wrap=True,
    )
    if skipped:
        return Exit.BAD_INPUT
    return Exit.ARTICLES_FAILED if failed else Exit.OK


def _positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value} is not a positive integer")
    return number


def _engine_context(args: argparse.Namespace) -> AbstractContextManager[Engine]:
    if args.engine == "grpc":
        if args.ray_address or args.actors:
            raise CliError("--ray-address and --actors go with --engine ray", Exit.USAGE)
        return open_grpc_engine(args)
    if args.target:
        raise CliError(f"--target goes with --engine grpc; {args.engine} runs the models itself", Exit.USAGE)
    opener = engine_opener(args.engine)  # EngineUnavailable: cli.main's one line, exit 2
    options = EngineOptions(
        address=args.ray_address,
        workers=args.actors,
        chunk=args.chunk,
        summarizer_model=args.summarizer_model,
        startup_timeout=args.startup_timeout,
    )
    return opener(options)
