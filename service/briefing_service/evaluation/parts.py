"""The three measured parts. Each runs the real pipeline (the code the server runs) in batches."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from briefing_service.evaluation.data import ConllSentence, NewsRecord, url_slug_words
from briefing_service.evaluation.headline_checks import headline_checks
from briefing_service.evaluation.key_points import key_point_scores, leading_sentences, summarize_all
from briefing_service.evaluation.ner import parse_conll, score_ner, tag_documents, token_tags
from briefing_service.evaluation.scoring import ONTONOTES_TO_CONLL, seqeval_scores, slug_tokens, unigram_f1

if TYPE_CHECKING:
    from briefing_service.pipeline.pipeline import Pipeline

LEAD_WORDS = 12


def eval_key_points_and_headlines(pipeline: Pipeline, records: Sequence[NewsRecord]) -> dict[str, Any]:
    """The dev file: key points against its highlights (and the anchors) and headlines against its URL slugs,
    from one pass of the pipeline."""
    t0 = time.perf_counter()
    summaries = summarize_all(pipeline, records)
    t_pipeline = time.perf_counter() - t0
    leads = leading_sentences(pipeline, records)
    key_points = key_point_scores(records, summaries, leads)
    key_points["reference"] = "highlights"
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
