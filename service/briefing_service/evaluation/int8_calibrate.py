"""Calibrate the int8 encoder (`make int8-calibration`): record MiniLM's activation ranges on the bundled articles.

    python -m briefing_service.evaluation.int8_calibrate [--articles examples/articles] [--out PATH]

The sentences are the bundled articles' own (text written for this project, split by the service's segmenter),
never the eval data. Prints, per SmoothQuant strength α, the int8 embeddings' cosine to fp32 on the same
sentences: that is how ``encoder_int8.ALPHA`` was chosen. Deterministic for the same weights and articles.
"""

from __future__ import annotations

import argparse
import copy
import sys
from pathlib import Path

import numpy as np

from briefing_service.models.encoder import MiniLMEncoder
from briefing_service.models.encoder_int8 import CALIBRATION_PATH, collect_ranges, quantize
from briefing_service.parsing.segmenter import load_spacy, parse_texts, sentences_of

ALPHAS = (0.5, 0.65, 0.8, 0.9)


def calibration_sentences(folder: Path) -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("0*")) if p.suffix in (".txt", ".md")]
    nlp = load_spacy()
    return [s.text for block in parse_texts(nlp, texts) for s in sentences_of([block]) if s.words >= 4]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="int8-calibrate", description=__doc__)
    p.add_argument("--articles", type=Path, default=Path("examples/articles"))
    p.add_argument("--out", type=Path, default=CALIBRATION_PATH)
    args = p.parse_args(argv)
    sentences = calibration_sentences(args.articles)
    if not sentences:
        print(f"no sentences under {args.articles}", file=sys.stderr)
        return 1
    encoder = MiniLMEncoder(precision="fp32")
    reference = encoder.encode(sentences)
    fp32_model = encoder.model
    ranges = collect_ranges(fp32_model, encoder.encode, sentences)
    print(f"{len(sentences)} calibration sentences from {args.articles}")
    for alpha in ALPHAS:
        encoder.model = copy.deepcopy(fp32_model)
        quantize(encoder.model, ranges, alpha)
        cos = (encoder.encode(sentences) * reference).sum(axis=1)
        print(f"  alpha {alpha:.2f}: cosine to fp32 mean {cos.mean():.5f}, min {cos.min():.5f}")
    np.savez_compressed(args.out, **ranges)  # type: ignore[arg-type]  # numpy's stub types **kwds as its bool flag
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
