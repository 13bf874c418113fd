"""Abstractive engine: any Hugging Face seq2seq summarization checkpoint (BART, PEGASUS, T5, ...).

Loaded by local folder or hub id through the Auto classes. Inputs longer than the model window are split
into sentence-aligned chunks; each chunk is summarized and the chunk summaries are joined (map-reduce), so a
long article never gets silently truncated to its first window.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import torch
from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

from briefing_service.errors import ModelLoadError
from briefing_service.models.linear_layout import pack_for_batched_decoding, transpose_linears

# T5 checkpoints expect a task prefix; other families ignore it when absent.
_T5_PREFIX = "summarize: "
_FALLBACK_WINDOW = 512
_DEFAULT_MAX_NEW_TOKENS = 96


class Seq2SeqSummarizer:
    def __init__(
        self, model_id: str, max_new_tokens: int | None = None, num_beams: int | None = None
    ) -> None:
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(model_id)
            self.model = AutoModelForSeq2SeqLM.from_pretrained(model_id).eval()
        except (OSError, ValueError) as exc:
            raise ModelLoadError(
                f"cannot load seq2seq summarizer {model_id!r}: {exc.__class__.__name__}: {exc}"
            ) from exc
        # Faster decoding steps on CPU, one sequence or a batch of them (models/linear_layout.py).
        transpose_linears(self.model)
        pack_for_batched_decoding(self.model)
        self.name = model_id
        self.version = self._revision(model_id)
        self.prefix = _T5_PREFIX if self.model.config.model_type in {"t5", "mt5", "umt5"} else ""
        self.window = self._window()
        self.generate_kwargs = self._generate_kwargs(max_new_tokens, num_beams)

    def _generate_kwargs(self, max_new_tokens: int | None, num_beams: int | None) -> dict[str, int]:
        """The checkpoint's own generation config (beams, lengths) wins unless a caller overrides it: a
        summarization checkpoint ships the settings it was tuned with. Only when it sets no length at all
        (transformers' default of 20 tokens) do we ask for a summary-sized output."""
        kwargs: dict[str, int] = {}
        config = self.model.generation_config
        if max_new_tokens is not None:
            kwargs["max_new_tokens"] = max_new_tokens
        elif config.max_new_tokens is None and config.max_length in (None, 20):
            kwargs["max_new_tokens"] = _DEFAULT_MAX_NEW_TOKENS
        if num_beams is not None:
            kwargs["num_beams"] = num_beams
        return kwargs

    def _revision(self, model_id: str) -> str:
        commit = getattr(self.model.config, "_commit_hash", None)
        if commit:
            return str(commit)
        return "local" if Path(model_id).exists() else "unknown"

    def _window(self) -> int:
        positions = getattr(self.model.config, "max_position_embeddings", None)
        tokenizer_max = self.tokenizer.model_max_length
        candidates = [int(v) for v in (positions, tokenizer_max) if isinstance(v, int) and 0 < v < 100_000]
        # Leave room for the special tokens the tokenizer adds.
        return (min(candidates) if candidates else _FALLBACK_WINDOW) - 4

    def _token_count(self, text: str) -> int:
        return len(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    def chunk(self, sentences: Sequence[str]) -> list[str]:
        """Group sentences into chunks that fit the model window (a sentence longer than the window is
        truncated by the tokenizer, the only place text is lost)."""
        chunks: list[str] = []
        current: list[str] = []
        used = 0
        for sentence in sentences:
            n = self._token_count(sentence)
            if current and used + n > self.window:
                chunks.append(" ".join(current))
                current, used = [], 0
            current.append(sentence)
            used += n
        if current:
            chunks.append(" ".join(current))
        return chunks

    @torch.inference_mode()
    def generate(self, texts: Sequence[str], max_new_tokens: int | None = None) -> list[str]:
        """Summarize each text (already within the window) in one batched ``generate`` call."""
        if not texts:
            return []
        batch = self.tokenizer(
            [self.prefix + t for t in texts],
            padding=True,
            truncation=True,
            max_length=self.window,
            return_tensors="pt",
            return_token_type_ids=False,  # generate() rejects token_type_ids (BERT-style tokenizers add them)
        )
        kwargs = dict(self.generate_kwargs)
        if max_new_tokens is not None:
            kwargs["max_new_tokens"] = max_new_tokens
        output = self.model.generate(**batch, **kwargs)
        return [s.strip() for s in self.tokenizer.batch_decode(output, skip_special_tokens=True)]

    def summarize_many(self, articles: Sequence[Sequence[str]]) -> list[str]:
        """Summarize several articles (each a list of sentences) with one batched ``generate`` for all their
        chunks, then one more for the reduce step of the articles that needed several chunks."""
        chunked = [self.chunk(sentences) for sentences in articles]
        flat = [c for chunks in chunked for c in chunks]
        generated = iter(self.generate(flat))
        partials = [[next(generated) for _ in chunks] for chunks in chunked]
        out = [" ".join(p) for p in partials]
        # Reduce step: articles with several chunk summaries get one more pass if the joined text fits.
        reduce_idx = [
            i for i, p in enumerate(partials) if len(p) > 1 and self._token_count(out[i]) <= self.window
        ]
        for i, text in zip(reduce_idx, self.generate([out[i] for i in reduce_idx]), strict=True):
            out[i] = text
        return out
