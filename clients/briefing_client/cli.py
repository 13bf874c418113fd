"""The `briefing` command line: summarize files, check health, show the models, build a briefing.

Every failure is one line on stderr (`briefing: ...`), never a traceback, and a documented exit status (Exit,
printed by every --help). Output is plain text, or the protobuf JSON mapping with --json / --jsonl.
"""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Sequence

from briefing.v1 import briefing_pb2 as pb

from briefing_client.articles import read_articles
from briefing_client.build_command import add_build_parser
from briefing_client.cli_common import (
    EXIT_HELP,
    CliError,
    Exit,
    add_connection_flags,
    add_input_flags,
    call_failed,
    connect,
    to_json,
    version,
    warn,
)
from briefing_client.engines import EngineStartError, EngineUnavailable
from briefing_client.errors import BriefingClientError, InvalidArgument
from briefing_client.local_server import ServerStartError
from briefing_client.messages import make_request


def cmd_summarize(args: argparse.Namespace) -> Exit:
    articles, skipped = read_articles(args.files, args.stdin_format)
    for s in skipped:
        warn(f"skipped {s.path}: {s.reason}")
    refused = 0
    with connect(args, args.target, args.timeout) as client:
        for article in articles:
            request = make_request(
                article, max_key_points=args.max_key_points, entity_types=args.entity_types or ()
            )
            try:
                response = client.summarize_request(request)
            except InvalidArgument as exc:  # this article's fault: the others go on
                reason = f" {exc.reason}" if exc.reason else ""
                warn(f"{article.id}: {exc.code.name}{reason}: {exc.message}")
                refused += 1
                continue
            except BriefingClientError as exc:
                raise call_failed(exc, args.target) from exc
            if args.jsonl:
                print(to_json(response, embedding=args.embedding, indent=None), flush=True)
            elif args.json:
                print(to_json(response, embedding=args.embedding))
            else:
                print(f"# {response.headline}")
                for k in response.key_points:
                    print(f"- [{k.score:.2f}] {' '.join(k.text.split())}")
                ents = ", ".join(f"{e.text} ({e.type}, {e.count})" for e in response.entities[:12])
                print(f"Entities: {ents}\n")
    if skipped:
        return Exit.BAD_INPUT
    return Exit.ARTICLES_FAILED if refused else Exit.OK


def cmd_health(args: argparse.Namespace) -> Exit:
    with connect(args, args.target, args.timeout) as client:
        try:
            status = client.health(args.service)
        except BriefingClientError as exc:
            raise call_failed(exc, args.target) from exc
    print(status)
    return Exit.OK if status == "SERVING" else Exit.NOT_SERVING


def cmd_info(args: argparse.Namespace) -> Exit:
    with connect(args, args.target, args.timeout) as client:
        try:
            info: pb.ModelInfo = client.model_info()
        except BriefingClientError as exc:
            raise call_failed(exc, args.target) from exc
    print(to_json(info, indent=None if args.jsonl else 2))
    return Exit.OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefing", description="Client for the Briefing gRPC service.", epilog=EXIT_HELP
    )
    parser.add_argument(
        "--version", action="version", version=f"briefing {version()}", help="print the version and exit"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "summarize",
        help="summarize article files and print headline, key points and entities",
        description="Summarize article files (.txt, .md, .html, .jsonl; - for standard input), one call each.",
        epilog=EXIT_HELP,
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="article files, folders of them, or - for stdin")
    output = p.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print each response as indented protobuf JSON")
    output.add_argument(
        "--jsonl", action="store_true", help="print each response as one line of protobuf JSON"
    )
    p.add_argument(
        "--embedding",
        action="store_true",
        help="keep the 384-float document embedding in --json/--jsonl output (left out by default)",
    )
    p.add_argument(
        "--max-key-points",
        type=int,
        default=None,
        help="most key points per article, 1-20 (default: the server's, 5)",
    )
    p.add_argument(
        "--entity-types", nargs="*", help="OntoNotes labels to keep, e.g. PERSON ORG GPE (default: all)"
    )
    add_input_flags(p)
    add_connection_flags(p)
    p.set_defaults(func=cmd_summarize)

    p = sub.add_parser("health", help="print the server's health status", epilog=EXIT_HELP)
    p.add_argument(
        "--service",
        default="",
        help='the health service name: "" for the whole server (default), or briefing.v1.BriefingService',
    )
    add_connection_flags(p)
    p.set_defaults(func=cmd_health)

    p = sub.add_parser("info", help="print the loaded models as JSON", epilog=EXIT_HELP)
    p.add_argument("--jsonl", action="store_true", help="print the JSON on one line")
    add_connection_flags(p)
    p.set_defaults(func=cmd_info)

    add_build_parser(sub)
    return parser


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> None:
    args = build_parser().parse_args(argv)  # bad flags: argparse's usage line and exit status 2
    # SIGTERM (a scheduler stopping the job) as Ctrl-C: what the command started (a local server, a local Ray
    # cluster) is stopped on the way out, instead of being left behind by Python's default exit.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        status = args.func(args)
    except CliError as exc:
        warn(str(exc))
        status = exc.status
    except ServerStartError as exc:
        warn(f"no --target given and no local server could be started: {exc}")
        status = Exit.UNREACHABLE
    except EngineUnavailable as exc:
        warn(str(exc))
        status = Exit.USAGE
    except EngineStartError as exc:
        warn(str(exc))
        status = Exit.UNREACHABLE
    except BriefingClientError as exc:
        error = call_failed(exc, getattr(args, "target", None) or "the local server")
        warn(str(error))
        status = error.status
    except OSError as exc:
        warn(f"{exc.filename or ''}: {exc.strerror or exc}" if exc.filename else str(exc))
        status = Exit.BAD_INPUT
    except KeyboardInterrupt:
        warn("interrupted")
        status = Exit.INTERRUPTED
    sys.exit(int(status))


if __name__ == "__main__":
    main()
