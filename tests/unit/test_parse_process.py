"""spaCy in a child process: the same docs as in-process, recovery from a dead child, no torch in it."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from briefing_service.parsing.parse_process import ParseProcess
from briefing_service.parsing.segmenter import SPACY_MODEL, parse_texts

TEXTS = [
    "Mayor Ana Ortiz said on Tuesday that the council would extend library hours in Leeds.",
    "PRESIDENT BARACK OBAMA VISITED LONDON ON MONDAY .",  # all caps: NER runs on the title-cased text
    "Harbour engineers in Valmora opened the 40-metre bridge. Traffic resumed at noon.",
]


def _tokens(doc: Any) -> list[tuple[Any, ...]]:
    return [
        (
            t.text,
            t.whitespace_,
            t.tag_,
            t.pos_,
            t.dep_,
            t.head.i,
            t.lemma_,
            t.ent_iob_,
            t.ent_type_,
            t.is_sent_start,
        )
        for t in doc
    ]


@pytest.fixture(scope="module")
def parser() -> Iterator[ParseProcess]:
    process = ParseProcess(SPACY_MODEL)
    process.start()
    process.wait_ready()
    yield process
    process.close()


def test_docs_from_the_process_equal_docs_parsed_here(parser: ParseProcess, nlp: Any) -> None:
    tickets = [parser.submit(TEXTS[:2]), parser.submit(TEXTS[2:])]  # the second sent before the first is read
    got = [doc for ticket in tickets for doc in parser.receive(ticket, nlp.vocab)]
    here = [b.doc for b in parse_texts(nlp, TEXTS)]
    assert [_tokens(d) for d in got] == [_tokens(d) for d in here]
    assert [(e.text, e.label_) for e in got[1].ents] == [(e.text, e.label_) for e in here[1].ents]
    assert any(e.label_ == "GPE" and e.text == "LONDON" for e in got[1].ents)


def test_the_process_never_imports_torch(parser: ParseProcess) -> None:
    maps = Path(f"/proc/{parser.pid}/maps")
    if not maps.exists():
        pytest.skip("no /proc on this system")
    assert "libtorch" not in maps.read_text()


def test_answers_reach_their_own_request_and_abandoned_ones_are_dropped(
    parser: ParseProcess, nlp: Any
) -> None:
    first, dropped, last = (parser.submit([t]) for t in TEXTS)
    parser.abandon(dropped)
    # Received out of order: the earlier answers are kept for their own receive or dropped.
    assert [d.text for d in parser.receive(last, nlp.vocab)] == [TEXTS[2]]
    assert [d.text for d in parser.receive(first, nlp.vocab)] == [TEXTS[0]]
    with pytest.raises(KeyError):
        parser.receive(dropped, nlp.vocab)
    ticket = parser.submit(["A later request, read in full."])
    assert [d.text for d in parser.receive(ticket, nlp.vocab)] == ["A later request, read in full."]


def test_a_killed_process_is_started_again_and_the_request_answered(nlp: Any) -> None:
    process = ParseProcess(SPACY_MODEL)
    process.start()
    process.wait_ready()
    try:
        first = process.pid
        assert first is not None
        waiting = process.submit(TEXTS[:1])  # sent before the kill: sent again to the new child
        os.kill(first, signal.SIGKILL)
        later = process.submit(TEXTS[1:2])
        assert [d.text for d in process.receive(waiting, nlp.vocab)] == TEXTS[:1]
        assert [d.text for d in process.receive(later, nlp.vocab)] == TEXTS[1:2]
        assert process.pid not in (None, first)
    finally:
        process.close()
    assert process.pid is None
