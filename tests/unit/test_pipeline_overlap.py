"""The two-stage overlap (spaCy on one thread or in the spaCy process, encoder and finishing on another) changes
timing, not answers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from briefing_service.domain import Article, Summary, SummaryOptions
from briefing_service.errors import CallerGone, InvalidArticle
from briefing_service.parsing.parse_process import ParseProcess
from briefing_service.parsing.segmenter import SPACY_MODEL, load_spacy
from briefing_service.pipeline.chunking import chunk_by_text
from briefing_service.pipeline.pipeline import Pipeline, _Work

from tests.conftest import EXAMPLES


def _work(chars: int) -> _Work:
    w = _Work(article=Article(text="x" * chars, id=str(chars)), options=SummaryOptions())
    w.source = w.article.text
    return w


def _chunks(live: list[_Work], count: int) -> list[Any]:
    return chunk_by_text(live, [len(w.source) for w in live], count)


def test_chunks_keep_order_and_split_by_text_size() -> None:
    live = [_work(3000) for _ in range(16)]
    chunks = _chunks(live, 4)
    assert [len(c) for c in chunks] == [4, 4, 4, 4]
    assert [w for c in chunks for w in c] == live
    assert [len(c) for c in _chunks(live[:3], 4)] == [1, 1, 1]
    assert [len(c) for c in _chunks(live[:5], 1)] == [5]
    assert _chunks([], 4) == []
    # Short articles are not cut into chunks of less than MIN_CHUNK_CHARS.
    assert [len(c) for c in _chunks([_work(100) for _ in range(16)], 4)] == [16]
    assert [len(c) for c in _chunks([_work(1500) for _ in range(8)], 4)] == [2, 2, 2, 2]
    assert [len(c) for c in _chunks([_work(500) for _ in range(8)], 4)] == [4, 4]


def _shape(s: Summary) -> tuple[Any, ...]:
    return (
        s.headline,
        [(k.text, k.start, k.end) for k in s.key_points],
        [(e.text, e.type, e.count) for e in s.entities],
    )


@pytest.fixture(scope="module")
def parser() -> Iterator[ParseProcess]:
    process = ParseProcess(SPACY_MODEL)
    process.start()
    process.wait_ready()
    yield process
    process.close()


@pytest.mark.parametrize("schedule", ["threads", "spacy-process", "spacy-process-one-chunk"])
def test_overlapped_batch_matches_serial_batch(
    pipeline: Pipeline, parser: ParseProcess, schedule: str
) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]
    items = [(Article(text=t, id=str(i)), SummaryOptions()) for i, t in enumerate(texts)]
    items.insert(2, (Article(text="   ", id="blank"), SummaryOptions()))
    serial = Pipeline(pipeline.nlp, pipeline.encoder, overlap_chunks=1).summarize_batch(items)
    in_process = schedule.startswith("spacy-process")
    other = Pipeline(
        # Beside a spaCy process the server loads only the vocabulary, to decode the child's docs.
        load_spacy(vocab_only=True) if in_process else pipeline.nlp,
        pipeline.encoder,
        overlap_chunks=1 if schedule.endswith("one-chunk") else 4,
        parser=parser if in_process else None,
    )
    overlapped = other.summarize_batch(items)
    assert len(overlapped) == len(items)
    assert isinstance(overlapped[2], InvalidArticle)  # a bad article keeps its slot
    for a, b in zip(serial, overlapped, strict=True):
        if isinstance(a, Summary):
            assert isinstance(b, Summary)
            assert _shape(a) == _shape(b)
            assert a.headline and a.key_points


def test_an_article_gets_the_same_answer_alone_or_in_a_batch(pipeline: Pipeline) -> None:
    """The service batches whatever traffic arrives together; that must never change an article's summary
    (the encoder pads each sentence to its own length bucket, and int8 quantizes at fixed ranges, so that it
    holds)."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]
    items = [(Article(text=t, id=str(i)), SummaryOptions()) for i, t in enumerate(texts)]
    batched = pipeline.summarize_batch(items)
    for item, in_batch in zip(items, batched, strict=True):
        alone = pipeline.summarize_batch([item])[0]
        assert isinstance(alone, Summary) and isinstance(in_batch, Summary)
        assert _shape(alone) == _shape(in_batch)


@pytest.mark.parametrize("schedule", ["threads", "spacy-process"])
def test_articles_whose_callers_went_away_are_not_encoded(
    pipeline: Pipeline, parser: ParseProcess, schedule: str
) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))][:4]
    items = [(Article(text=t, id=str(i)), SummaryOptions()) for i, t in enumerate(texts)]
    in_process = schedule == "spacy-process"
    other = Pipeline(
        load_spacy(vocab_only=True) if in_process else pipeline.nlp,
        pipeline.encoder,
        overlap_chunks=4,
        parser=parser if in_process else None,
    )
    encoded: list[str] = []
    encode, encode_with_tokens = other.encoder.encode, other.encoder.encode_with_tokens  # type: ignore[attr-defined]

    def counting_encode(sentences: Any) -> Any:
        encoded.extend(sentences)
        return encode(sentences)

    def counting_encode_with_tokens(sentences: Any) -> Any:
        encoded.extend(sentences)
        return encode_with_tokens(sentences)

    other.encoder = type(  # type: ignore[assignment]
        "CountingEncoder",
        (),
        {
            "encode": staticmethod(counting_encode),
            "encode_with_tokens": staticmethod(counting_encode_with_tokens),
        },
    )()
    full = pipeline.summarize_batch(items)
    results = other.complete(other.begin(items), still_wanted=lambda i: i != 1)
    assert isinstance(results[1], CallerGone)
    for i in (0, 2, 3):
        assert isinstance(results[i], Summary) and isinstance(full[i], Summary)
        assert _shape(results[i]) == _shape(full[i])
    # Not one of the gone article's sentences reached the encoder (unless another article has it too).
    assert encoded and all(s not in texts[1] or s in texts[0] + texts[2] + texts[3] for s in encoded)
