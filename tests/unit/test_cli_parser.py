"""The `briefing` command line's own promises: help text on every flag and argument, exit statuses in --help."""

from __future__ import annotations

import argparse

import pytest
from briefing_client.cli import build_parser
from briefing_client.cli_common import EXIT_HELP, Exit


def _parsers() -> list[argparse.ArgumentParser]:
    parser = build_parser()
    subs = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return [parser, *subs.choices.values()]


def test_every_flag_and_argument_has_help() -> None:
    for parser in _parsers():
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                continue
            assert action.help and action.help != argparse.SUPPRESS, (parser.prog, action.dest)


def test_help_lists_every_exit_status(capsys: pytest.CaptureFixture[str]) -> None:
    for status in Exit:
        assert f"{status.value} " in EXIT_HELP
    for parser in _parsers():
        assert parser.epilog == EXIT_HELP, parser.prog
    with pytest.raises(SystemExit) as done:
        build_parser().parse_args(["build", "--help"])
    assert done.value.code == 0 and "--startup-timeout" in capsys.readouterr().out
