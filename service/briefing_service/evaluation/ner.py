"""CoNLL-2003 scoring of the entity path as `make eval` runs it: the pipeline's sentences, encoder and tagger."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from spacy.language import Language

from briefing_service.entities import Tagged, resolve_mentions, tag_entities
from briefing_service.evaluation.data import ConllSentence
from briefing_service.evaluation.scoring import ONTONOTES_TO_CONLL, seqeval_scores
from briefing_service.models import TokenEncoder
from briefing_service.parsing.blocks import ParsedBlock
from briefing_service.parsing.segmenter import parse_texts, sentences_of, with_offsets
from briefing_service.pipeline.pipeline import MAX_RANKED_SENTENCES


def token_tags(sentence: ConllSentence, mentions: list[tuple[int, int, str]], offset: int) -> list[str]:
    """IOB2 tags for one sentence's tokens from character-level mentions (start, end, CoNLL label)."""
    tags = ["O"] * len(sentence.tokens)
    starts, pos = [], offset
    for tok in sentence.tokens:
        starts.append(pos)
        pos += len(tok) + 1
    for start, end, label in mentions:
        inside = [i for i, s in enumerate(starts) if s < end and s + len(sentence.tokens[i]) > start]
        if not inside or any(tags[i] != "O" for i in inside):
            continue
        for n, i in enumerate(inside):
            tags[i] = ("B-" if n == 0 else "I-") + label
    return tags


def parse_conll(nlp: Language, docs: Sequence[Sequence[ConllSentence]]) -> list[list[ParsedBlock]]:
    """Each document's sentences parsed as the pipeline parses body blocks (one sentence a line), with
    offsets into the document text ``"\\n".join(sentences)``."""
    parsed = parse_texts(nlp, [" ".join(s.tokens) for doc in docs for s in doc], batch_size=128)
    out, pos = [], 0
    for doc in docs:
        offsets, at = [], 0
        for sentence in doc:
            offsets.append(at)
            at += len(" ".join(sentence.tokens)) + 1
        out.append(with_offsets(parsed[pos : pos + len(doc)], offsets))
        pos += len(doc)
    return out


def tag_documents(
    encoder: TokenEncoder, parsed: Sequence[Sequence[ParsedBlock]], limit: int = MAX_RANKED_SENTENCES
) -> list[Tagged | None]:
    """Each document read as the pipeline reads an article: its sentences (the first ``limit``, as the
    pipeline ranks) through the encoder in one call, its word-piece states through the entity tagger."""
    sentences = [sentences_of(blocks)[:limit] for blocks in parsed]
    _, states = encoder.encode_with_tokens([s.text for doc in sentences for s in doc])
    out: list[Tagged | None] = []
    pos = 0
    for blocks, doc in zip(parsed, sentences, strict=True):
        out.append(tag_entities(blocks, doc, states[pos : pos + len(doc)]))
        pos += len(doc)
    return out


def predicted_tags(
    docs: Sequence[Sequence[ConllSentence]],
    parsed: Sequence[Sequence[ParsedBlock]],
    tagged: Sequence[Tagged | None],
) -> list[list[str]]:
    pred: list[list[str]] = []
    for doc, blocks, doc_tagged in zip(docs, parsed, tagged, strict=True):
        lines = [" ".join(s.tokens) for s in doc]
        text = "\n".join(lines)
        mentions = [
            (m.start, m.end, ONTONOTES_TO_CONLL[label])
            for m, label in resolve_mentions(blocks, text, doc_tagged)
            if label in ONTONOTES_TO_CONLL
        ]
        for sentence, block, line in zip(doc, blocks, lines, strict=True):
            mine = [(s, e, lab) for s, e, lab in mentions if block.offset <= s < block.offset + len(line)]
            pred.append(token_tags(sentence, mine, block.offset))
    return pred


def score_ner(
    docs: Sequence[Sequence[ConllSentence]],
    parsed: Sequence[Sequence[ParsedBlock]],
    tagged: Sequence[Tagged | None],
) -> dict[str, Any]:
    gold = [list(s.tags) for d in docs for s in d]
    return seqeval_scores(gold, predicted_tags(docs, parsed, tagged))
