"""Train the entity tagger (`make ner-model`): fit on CoNLL-2003 train, choose the epoch on valid, report test.

    python -m briefing_service.evaluation.ner_train [--shared ../shared/eval] [--out PATH] [--cache DIR]

Each CoNLL document is parsed and cut into sentences exactly as the pipeline does it, and the sentences are
run through MiniLM (fp32) once; with ``--cache`` the words, gold tags and states are kept there, so retraining
takes minutes. Deterministic: seeded, one torch thread, sentences shuffled by a seeded generator.
"""

from __future__ import annotations

import argparse
import bisect
import pickle
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from spacy.language import Language

from briefing_service.entities.labels import COARSE
from briefing_service.entities.tagger import (
    CLASSES,
    ENT_TAGS,
    TAGS,
    WEIGHTS,
    Inputs,
    Tagger,
    TaggerNet,
    Word,
    document_counts,
    pad,
    sentence_inputs,
    spans_of,
)
from briefing_service.entities.tagging import SentenceWords, first_piece_states, sentence_words
from briefing_service.evaluation.data import ConllSentence, load_conll
from briefing_service.models import TokenEncoder

SEED = 1996
EPOCHS = 8
BATCH = 32
LEARNING_RATE = 1e-3
DROPOUT = 0.3
PARTS = ("train", "valid", "test")
MARGIN_GRID = (0.0, 0.2, 0.4, 0.6, 0.8)


@dataclass
class Part:
    """One CoNLL file read the pipeline's way: per document, per sentence, its words and gold tags."""

    words: list[list[list[Word]]]
    gold: list[list[list[str]]]
    states: np.ndarray  # every word's first-piece states, in order (float16)


def _conll_spans(doc: Sequence[ConllSentence]) -> tuple[list[int], list[int], list[str]]:
    """Character start, end and tag of each CoNLL token in the document text ("\\n".join of its lines)."""
    starts, ends, tags, at = [], [], [], 0
    for sentence in doc:
        for tok, tag in zip(sentence.tokens, sentence.tags, strict=True):
            starts.append(at)
            ends.append(at + len(tok))
            tags.append(tag)
            at += len(tok) + 1
    return starts, ends, tags


def _gold(word_starts: Sequence[int], conll: tuple[list[int], list[int], list[str]]) -> list[str]:
    """Each word's IOB2 tag from the CoNLL token it lies in; a word inside a token (spaCy split it) or opening
    a sentence (the splitter cut a name) is re-tagged B/I so the sequence stays valid."""
    starts, _, tags = conll
    out: list[str] = []
    for k, s in enumerate(word_starts):
        i = bisect.bisect_right(starts, s) - 1
        tag = tags[i] if i >= 0 else "O"
        if tag != "O":
            cls = tag[2:]
            inside = s > starts[i] or tag.startswith("I-")
            prev = out[-1] if k else "O"
            tag = ("I-" if inside and prev != "O" and prev[2:] == cls else "B-") + cls
        out.append(tag)
    return out


def read_part(path: Path, nlp: Language, encoder: TokenEncoder) -> Part:
    from briefing_service.evaluation.ner import parse_conll
    from briefing_service.parsing.segmenter import sentences_of

    docs = load_conll(path)
    parsed = parse_conll(nlp, docs)
    all_words: list[list[list[Word]]] = []
    all_gold: list[list[list[str]]] = []
    texts: list[str] = []
    pending: list[tuple[SentenceWords, int]] = []
    for doc, blocks in zip(docs, parsed, strict=True):
        conll = _conll_spans(doc)
        offsets = {id(b.doc): b.offset for b in blocks}
        doc_words: list[list[Word]] = []
        doc_gold: list[list[str]] = []
        for sentence in sentences_of(blocks):
            sw = sentence_words(sentence, offsets[id(sentence.span.doc)])
            if not sw.tokens:
                continue
            doc_words.append(sw.words)
            doc_gold.append(_gold(list(sw.starts), conll))
            texts.append(sentence.text)
            pending.append((sw, sentence.start))
        all_words.append(doc_words)
        all_gold.append(doc_gold)
    _, token_states = encoder.encode_with_tokens(texts)
    rows = []
    for (sw, start), states in zip(pending, token_states, strict=True):
        first = first_piece_states(sw, start, states)
        if first is None:  # past the encoder's 256 pieces: zeros, as the tagger never sees such words
            first = np.zeros((len(sw.tokens), states.states.shape[1]), dtype=np.float32)
        rows.append(first.astype(np.float16))
    return Part(all_words, all_gold, np.concatenate(rows))


def load_parts(shared: Path, cache: Path | None) -> dict[str, Part]:
    from briefing_service.models.encoder import TOKEN_LAYERS, MiniLMEncoder
    from briefing_service.parsing.segmenter import load_spacy

    name = "conll_layers" + "-".join(map(str, TOKEN_LAYERS)) + ".pkl"
    if cache is not None and (cache / name).exists():
        with (cache / name).open("rb") as f:
            return pickle.load(f)
    nlp, encoder = load_spacy(), MiniLMEncoder(precision="fp32")
    parts = {p: read_part(shared / f"conll2003_{p}.txt", nlp, encoder) for p in PARTS}
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        with (cache / name).open("wb") as f:
            pickle.dump(parts, f, protocol=pickle.HIGHEST_PROTOCOL)
    return parts


def part_inputs(part: Part) -> tuple[list[Inputs], list[list[int]]]:
    inputs: list[Inputs] = []
    gold: list[list[int]] = []
    at = 0
    for doc_words, doc_gold in zip(part.words, part.gold, strict=True):
        counts = document_counts(doc_words)
        for words, tags in zip(doc_words, doc_gold, strict=True):
            states = part.states[at : at + len(words)].astype(np.float32)
            at += len(words)
            inputs.append(sentence_inputs(words, states, counts))
            gold.append([TAGS.index(t) for t in tags])
    return inputs, gold


def word_f1(
    tagger: Tagger, inputs: Sequence[Inputs], gold: Sequence[Sequence[int]], margin: float | None = None
) -> dict[str, float]:
    """Entity-level F1 over the pipeline's words (a quick stand-in for `make eval`'s path, to choose with),
    spaCy's class kept as the entity table keeps it (labels.label_of) at ``margin`` (default: the tagger's)."""
    from briefing_service.evaluation.scoring import seqeval_scores

    keep = tagger.margin if margin is None else margin
    pred = []
    found_all = [found for lo in range(0, len(inputs), 256) for found in tagger.tag(inputs[lo : lo + 256])]
    for found, g, sentence in zip(found_all, gold, inputs, strict=True):
        tags = ["O"] * len(g)
        for f in found:
            label = f.label
            spacy = _spacy_class(sentence, f.start, f.end)
            if (
                spacy not in (None, label)
                and f.probs[CLASSES.index(label)] - f.probs[CLASSES.index(spacy)] < keep
            ):
                label = spacy
            tags[f.start : f.end] = [f"B-{label}"] + [f"I-{label}"] * (f.end - f.start - 1)
        pred.append(tags)
    return seqeval_scores([[TAGS[t] for t in g] for g in gold], pred)


def _spacy_class(sentence: Inputs, start: int, end: int) -> str | None:
    """The CoNLL class of spaCy's name entity on most of the words ``start:end`` (None: none there)."""
    classes = Counter(
        COARSE.get(ENT_TAGS[i - 1][2:])
        for i in sentence.ids[start:end, 2]
        if i > 0 and ENT_TAGS[i - 1] != "O"
    )
    classes.pop(None, None)
    return classes.most_common(1)[0][0] if classes else None


def choose_margin(tagger: Tagger, valid: tuple[list[Inputs], list[list[int]]]) -> float:
    """The margin with the best valid F1 (the smallest of equals)."""
    scores = [(m, word_f1(tagger, *valid, margin=m)["f1"]) for m in MARGIN_GRID]
    for m, f1 in scores:
        print(f"  margin {m}: valid F1 {f1:.4f}")
    return max(scores, key=lambda mf: (mf[1], -mf[0]))[0]


def train(
    train_in: list[Inputs],
    train_gold: list[list[int]],
    valid_in: list[Inputs],
    valid_gold: list[list[int]],
    epochs: int = EPOCHS,
    log: bool = True,
    **net_args: object,
) -> tuple[Tagger, int, float]:
    """The net after the epoch with the best valid F1, that epoch and its F1."""
    torch.manual_seed(SEED)
    rng = np.random.default_rng(SEED)
    net = TaggerNet(train_in[0].dense.shape[1] - 14, dropout=DROPOUT, **net_args)  # type: ignore[arg-type]
    optimizer = torch.optim.Adam(net.parameters(), lr=LEARNING_RATE)
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=-1)
    best: tuple[float, int, dict[str, torch.Tensor]] | None = None
    for epoch in range(1, epochs + 1):
        t0 = time.perf_counter()
        net.train()
        order = rng.permutation(len(train_in))
        total = 0.0
        for lo in range(0, len(order), BATCH):
            idx = order[lo : lo + BATCH]
            dense, ids, lengths = pad([train_in[i] for i in idx])
            target = torch.full(ids.shape[:2], -1, dtype=torch.long)
            for r, i in enumerate(idx):
                target[r, : len(train_gold[i])] = torch.tensor(train_gold[i])
            scores = net(dense, ids, lengths)
            loss = loss_fn(scores.reshape(-1, len(TAGS)), target.reshape(-1))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(idx)
        net.eval()
        f1 = word_f1(Tagger(net), valid_in, valid_gold)["f1"]
        if log:
            print(
                f"  epoch {epoch}: loss {total / len(order):.4f}  valid F1 {f1:.4f}  "
                f"({time.perf_counter() - t0:.0f}s)",
                flush=True,
            )
        if best is None or f1 > best[0]:
            best = (f1, epoch, {k: v.clone() for k, v in net.state_dict().items()})
    assert best is not None
    net.load_state_dict(best[2])
    return Tagger(net.eval()), best[1], best[0]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="ner-train", description=__doc__)
    p.add_argument("--shared", type=Path, default=Path("../shared/eval"))
    p.add_argument("--out", type=Path, default=WEIGHTS)
    p.add_argument("--cache", type=Path, default=None, help="keep the parsed, encoded CoNLL files here")
    args = p.parse_args(argv)
    files = [args.shared / f"conll2003_{part}.txt" for part in PARTS]
    missing = [str(f) for f in files if not f.exists()]
    if missing:
        print(f"ner-model skipped: {', '.join(missing)} not found (the data lives in ../shared, optional)")
        return 0
    torch.set_num_threads(1)  # the same summation order on every machine: the same weights
    t0 = time.perf_counter()
    parts = load_parts(args.shared, args.cache)
    print(f"CoNLL parsed and encoded in {time.perf_counter() - t0:.0f}s", flush=True)
    data = {name: part_inputs(part) for name, part in parts.items()}
    tagger, epoch, f1 = train(*data["train"], *data["valid"])
    tagger.margin = choose_margin(tagger, data["valid"])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tagger.save(args.out)
    print(
        f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB): epoch {epoch} (valid word F1 {f1:.4f}), "
        f"margin {tagger.margin}"
    )
    saved = Tagger.load(args.out)
    for name in ("valid", "test"):
        s = word_f1(saved, *data[name])
        per = "  ".join(f"{t} {s.get('f1_' + t, 0.0):.3f}" for t in ("PER", "ORG", "LOC", "MISC"))
        print(f"CoNLL-2003 {name} (tagger alone, pipeline words): F1 {s['f1']:.4f}   {per}")
    print(f"total {time.perf_counter() - t0:.0f}s (make eval scores the whole entity path)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

__all__ = ["main", "spans_of"]
