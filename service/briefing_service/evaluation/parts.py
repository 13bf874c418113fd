"""The three measured parts. Each runs the real pipeline (the code the server runs) in batches."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from briefing_service.domain import Article, Summary, SummaryOptions
from briefing_service.evaluation.data import ConllSentence, NewsRecord, url_slug_words
from briefing_service.evaluation.headline_checks import headline_checks
from briefing_service.evaluation.ner import parse_conll, score_ner, tag_documents, token_tags
from briefing_service.evaluation.ranker_cv import FOLDS, RecordingPipeline, cross_validate
from briefing_service.evaluation.scoring import (
    ONTONOTES_TO_CONLL,
    Rouge,
    anchor_lines,
    seqeval_scores,
    slug_tokens,
    unigram_f1,
)
from briefing_service.parsing.segmenter import body_sentences

if TYPE_CHECKING:
    from briefing_service.pipeline.pipeline import Pipeline

KEY_POINTS = 3
BATCH = 16
LEAD_WORDS = 12


def summarize_all(pipeline: Pipeline, records: Sequence[NewsRecord]) -> list[Summary]:
    """Key points and headlines for every record through ``Pipeline.summarize_batch``."""
    options = SummaryOptions(max_key_points=KEY_POINTS, include_entities=False)
    out: list[Summary] = []
    for lo in range(0, len(records), BATCH):
        items = [(Article(text=r.article, id=r.id), options) for r in records[lo : lo + BATCH]]
        for result in pipeline.summarize_batch(items):
            if not isinstance(result, Summary):
                raise RuntimeError(f"the pipeline refused an eval article: {result}")
            out.append(result)
    return out


def leading_sentences(pipeline: Pipeline, records: Sequence[NewsRecord]) -> list[list[str]]:
    """Each article's sentences as the pipeline sees them (page chrome cut, the same splitter), for Lead-3 and
    first-sentence."""
    return [[s.text for s in sents] for sents in body_sentences(pipeline.nlp, [r.article for r in records])]


def eval_key_points_and_headlines(pipeline: Pipeline, records: Sequence[NewsRecord]) -> dict[str, Any]:
    t0 = time.perf_counter()
    summaries = summarize_all(pipeline, records)
    t_pipeline = time.perf_counter() - t0
    leads = leading_sentences(pipeline, records)
    refs = [r.highlights for r in records]
    rouge = Rouge()
    systems: dict[str, dict[str, float]] = {
        "briefing key points (top 3)": rouge.mean(
            ["\n".join(k.text for k in s.key_points) for s in summaries], refs
        ),
        "Lead-3 (same splitter)": rouge.mean(["\n".join(sents[:3]) for sents in leads], refs),
    }
    for field in ("anchor_bertsumext", "anchor_bart_large_cnn"):
        have = [r for r in records if field in r.anchors]
        if have:
            systems[field] = rouge.mean(
                [anchor_lines(r.anchors[field]) for r in have], [r.highlights for r in have]
            )
    key_points: dict[str, Any] = {"articles": len(records), "systems": systems}
    if isinstance(pipeline, RecordingPipeline) and len(records) >= FOLDS:
        key_points["cross_validation"] = cross_validate(
            records, pipeline.recorded, KEY_POINTS, pipeline.weights
        )
    key_points["seconds"] = round(time.perf_counter() - t0, 1)

    headline_words = [len(s.headline.split()) for s in summaries]
    scored: dict[str, list[float]] = {"briefing headline": [], "first sentence": [], "first 12 words": []}
    lengths: dict[str, list[int]] = {k: [] for k in scored}
    for record, summary, sents in zip(records, summaries, leads, strict=True):
        slug = url_slug_words(record.url)
        if slug is None:
            continue
        reference = slug_tokens(" ".join(slug))
        first = sents[0] if sents else ""
        for name, text in (
            ("briefing headline", summary.headline),
            ("first sentence", first),
            ("first 12 words", " ".join(first.split()[:LEAD_WORDS])),
        ):
            scored[name].append(unigram_f1(slug_tokens(text), reference))
            lengths[name].append(len(text.split()))
    headlines = {
        "articles_with_slug": len(scored["briefing headline"]),
        "systems": {
            name: {
                "slug_rouge1": round(100 * sum(v) / max(len(v), 1), 2),
                "mean_words": round(sum(lengths[name]) / max(len(lengths[name]), 1), 2),
            }
            for name, v in scored.items()
        },
        "headline_words_mean_all": round(sum(headline_words) / max(len(headline_words), 1), 2),
        "headline_words_max_all": max(headline_words, default=0),
        "headlines_over_14_words": sum(n > 14 for n in headline_words),
        "checks": headline_checks([s.headline for s in summaries]),
    }
    return {
        "key_points": key_points,
        "headline": headlines,
        "pipeline_seconds": round(t_pipeline, 1),
        "seconds": round(time.perf_counter() - t0, 1),
    }


def eval_ner(pipeline: Pipeline, docs: Sequence[Sequence[ConllSentence]]) -> dict[str, Any]:
    """CoNLL-2003: each document is one text (one sentence a line), parsed sentence by sentence with
    ``nlp.pipe`` as the pipeline parses body blocks, then the entity table's mention resolution over the
    whole document (so document-level merging counts). Two baselines in the same run: the same path without
    the entity tagger (spaCy's entities and the rules), and spaCy's raw ``doc.ents``."""
    t0 = time.perf_counter()
    parsed = parse_conll(pipeline.nlp, docs)
    scores = score_ner(docs, parsed, tag_documents(pipeline.encoder, parsed))  # type: ignore[arg-type]
    seconds = round(time.perf_counter() - t0, 1)
    texts = [" ".join(s.tokens) for doc in docs for s in doc]
    gold = [list(s.tags) for d in docs for s in d]
    # Baseline: the model's own entities (plain nlp.pipe, no recasing, no resolution), scored the same way.
    raw = [
        token_tags(
            sentence,
            [
                (e.start_char, e.end_char, ONTONOTES_TO_CONLL[e.label_])
                for e in doc.ents
                if e.label_ in ONTONOTES_TO_CONLL
            ],
            0,
        )
        for sentence, doc in zip(
            (s for d in docs for s in d), pipeline.nlp.pipe(texts, batch_size=128), strict=True
        )
    ]
    return {
        "documents": len(docs),
        "sentences": len(texts),
        **scores,
        "rules_alone": score_ner(docs, parsed, [None] * len(docs)),
        "spacy_alone": seqeval_scores(gold, raw),
        "seconds": seconds,
    }
