"""Asking for fewer key points gives the top of the same list: for every k < n, max_key_points=k returns the
first k of the n (same sentences, order and scores), and no key point repeats another. Every k through the
key-point API on the ranking inputs of the written articles and, where ../shared is present, of 50 training
articles; through the real pipeline (offsets and all) for a few k on the written articles."""

from __future__ import annotations

import json
from pathlib import Path

from briefing_service.domain import Article, ContentType, Summary, SummaryOptions
from briefing_service.keypoints import rank_key_points
from briefing_service.keypoints.ranker import NEAR_DUPLICATE, content_words
from briefing_service.limits import MAX_KEY_POINTS

ROOT = Path(__file__).resolve().parents[2]
WRITTEN = sorted(
    [p for p in (ROOT / "examples" / "articles").iterdir() if p.suffix in {".txt", ".md", ".html"}]
    + [ROOT / "tests" / "data" / "briefing" / "valmora-strike-day-four.txt"]
)
TRAIN = ROOT.parent / "shared" / "eval" / "cnndm_llm_train.jsonl"


def _no_repeats(texts: list[str], share: float) -> None:
    words = [content_words(t) for t in texts]
    for i, own in enumerate(words):
        for other in words[:i]:
            assert len(own & other) < share * len(own), texts[i]


def test_fewer_key_points_are_the_first_of_more_through_the_pipeline(pipeline: object) -> None:
    for path in WRITTEN:
        kind = ContentType.HTML if path.suffix == ".html" else ContentType.PLAIN_TEXT
        article = Article(text=path.read_text(encoding="utf-8"), id=path.name, content_type=kind)
        ks = (1, 2, 3, 4, MAX_KEY_POINTS)
        results = pipeline.summarize_batch([(article, SummaryOptions(max_key_points=k)) for k in ks])  # type: ignore[attr-defined]
        assert all(isinstance(r, Summary) for r in results)
        full = results[-1].key_points
        assert len(full) >= 5, path.name
        for k, result in zip(ks[:-1], results[:-1], strict=True):
            assert result.key_points == full[:k], (path.name, k)
        assert [p.score for p in full] == sorted((p.score for p in full), reverse=True)
        source = results[-1].source_text or article.text
        assert all(source[p.start : p.end] == p.text for p in full)
        _no_repeats([p.text for p in full], pipeline.scorer.repeat_share)  # type: ignore[attr-defined]


def test_fewer_key_points_are_the_first_of_more_for_every_k(pipeline: object) -> None:
    from briefing_service.evaluation.keypoint_data import EmbeddingCache, prepare

    articles = [(p.name, p.read_text(encoding="utf-8")) for p in WRITTEN if p.suffix != ".html"]
    if TRAIN.exists():
        rows = [json.loads(line) for line in TRAIN.read_text(encoding="utf-8").splitlines()[:50]]
        articles += [(r["id"], r["article"]) for r in rows]
    cache = EmbeddingCache(pipeline.encoder)  # type: ignore[attr-defined]
    inputs = prepare(pipeline.nlp, cache, articles)  # type: ignore[attr-defined]
    checked = 0
    for x in inputs:
        scores, full = rank_key_points(x.embeddings, x.sentences, MAX_KEY_POINTS)
        for k in range(1, len(full)):
            again, picked = rank_key_points(x.embeddings, x.sentences, k)
            assert picked == full[:k] and (again == scores).all(), (x.id, k)
            checked += 1
        assert [scores[i] for i in full] == sorted((scores[i] for i in full), reverse=True)
        for a, i in enumerate(full):
            assert all(float(x.embeddings[i] @ x.embeddings[j]) < NEAR_DUPLICATE for j in full[:a])
        _no_repeats([x.text(i) for i in full], pipeline.scorer.repeat_share)  # type: ignore[attr-defined]
    assert checked >= 5 * len(inputs)


def test_prepared_inputs_rank_to_what_the_pipeline_returns(pipeline: object) -> None:
    """The training inputs (keypoint_data.prepare) are what the server ranks: the same key points come out."""
    from briefing_service.evaluation.keypoint_data import EmbeddingCache, prepare

    paths = [p for p in WRITTEN if p.suffix != ".html"]
    texts = [p.read_text(encoding="utf-8") for p in paths]
    inputs = prepare(
        pipeline.nlp, EmbeddingCache(pipeline.encoder), list(zip(map(str, paths), texts, strict=True))
    )  # type: ignore[attr-defined]
    results = pipeline.summarize_batch(
        [(Article(text=t, id="x"), SummaryOptions(max_key_points=5)) for t in texts]
    )  # type: ignore[attr-defined]
    for x, result in zip(inputs, results, strict=True):
        assert isinstance(result, Summary)
        _, picked = rank_key_points(x.embeddings, x.sentences, 5)
        assert [x.text(i) for i in picked] == [p.text for p in result.key_points]
