"""MiniLM-L6 (a 6-layer BERT) as a plain torch module, loaded straight from the wheel's safetensors.

Why not ``transformers.AutoModel``: importing transformers' BERT modelling code pulls in torch._dynamo,
torch.distributed.tensor and scipy, about 2.5 s of the server's ~10 s cold start on a 2-core host (py-spy,
docs/performance.md), for a forward pass that is 40 lines of standard BERT. The tokenizer is the checkpoint's
own ``tokenizer.json`` through the ``tokenizers`` library, which transformers' fast tokenizer wraps. The
submodule names are transformers' (``encoder.layer.0.attention.self.query``...), so the checkpoint loads with a
strict state dict and the int8 calibration keys match; a test checks the outputs against transformers'
``BertModel`` on the same weights, and the token ids against its tokenizer. Seq2seq checkpoints still load
through transformers (models/seq2seq.py): there the Auto classes are the point.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import torch
from safetensors.torch import load_file
from tokenizers import Tokenizer
from torch import nn


@dataclass(frozen=True)
class BertShape:
    vocab_size: int
    hidden_size: int
    num_hidden_layers: int
    num_attention_heads: int
    intermediate_size: int
    max_position_embeddings: int
    type_vocab_size: int
    layer_norm_eps: float

    @classmethod
    def from_config(cls, path: Path) -> BertShape:
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
        if config.get("model_type") != "bert" or config.get("hidden_act", "gelu") != "gelu":
            raise ValueError(
                f"{path} holds a {config.get('model_type')!r} model with {config.get('hidden_act')!r}; "
                "allowed: a BERT encoder with gelu (MiniLM)"
            )
        return cls(**{name: config[name] for name in cls.__dataclass_fields__})


class _Embeddings(nn.Module):
    def __init__(self, shape: BertShape) -> None:
        super().__init__()
        self.word_embeddings = nn.Embedding(shape.vocab_size, shape.hidden_size, padding_idx=0)
        self.position_embeddings = nn.Embedding(shape.max_position_embeddings, shape.hidden_size)
        self.token_type_embeddings = nn.Embedding(shape.type_vocab_size, shape.hidden_size)
        self.LayerNorm = nn.LayerNorm(shape.hidden_size, eps=shape.layer_norm_eps)

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        length = input_ids.shape[1]
        # One segment (token type 0) and absolute positions 0..length-1, as for a single sentence.
        x = self.word_embeddings(input_ids) + self.token_type_embeddings.weight[0]
        return self.LayerNorm(x + self.position_embeddings.weight[:length])


class _SelfAttention(nn.Module):
    def __init__(self, shape: BertShape) -> None:
        super().__init__()
        self.heads = shape.num_attention_heads
        self.query = nn.Linear(shape.hidden_size, shape.hidden_size)
        self.key = nn.Linear(shape.hidden_size, shape.hidden_size)
        self.value = nn.Linear(shape.hidden_size, shape.hidden_size)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        batch, length, hidden = x.shape
        split = (batch, length, self.heads, hidden // self.heads)
        q, k, v = (f(x).view(split).transpose(1, 2) for f in (self.query, self.key, self.value))
        out = nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        return out.transpose(1, 2).reshape(batch, length, hidden)


class _Residual(nn.Module):
    """Dense, then LayerNorm of (output + the block's input): BERT's "SelfOutput" and "Output"."""

    def __init__(self, inner: int, hidden: int, eps: float) -> None:
        super().__init__()
        self.dense = nn.Linear(inner, hidden)
        self.LayerNorm = nn.LayerNorm(hidden, eps=eps)

    def forward(self, x: torch.Tensor, residual: torch.Tensor) -> torch.Tensor:
        return self.LayerNorm(self.dense(x) + residual)


class _Attention(nn.Module):
    def __init__(self, shape: BertShape) -> None:
        super().__init__()
        self.self = _SelfAttention(shape)
        self.output = _Residual(shape.hidden_size, shape.hidden_size, shape.layer_norm_eps)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return self.output(self.self(x, mask), x)


class _Intermediate(nn.Module):
    def __init__(self, shape: BertShape) -> None:
        super().__init__()
        self.dense = nn.Linear(shape.hidden_size, shape.intermediate_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return nn.functional.gelu(self.dense(x))  # exact (erf) gelu, as the checkpoint's "gelu"


class _Layer(nn.Module):
    def __init__(self, shape: BertShape) -> None:
        super().__init__()
        self.attention = _Attention(shape)
        self.intermediate = _Intermediate(shape)
        self.output = _Residual(shape.intermediate_size, shape.hidden_size, shape.layer_norm_eps)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        attended = self.attention(x, mask)
        return self.output(self.intermediate(attended), attended)


class _Stack(nn.Module):
    def __init__(self, shape: BertShape) -> None:
        super().__init__()
        self.layer = nn.ModuleList(_Layer(shape) for _ in range(shape.num_hidden_layers))


class _Pooler(nn.Module):
    """Unused (sentence embeddings mean-pool the hidden states) but part of the checkpoint."""

    def __init__(self, shape: BertShape) -> None:
        super().__init__()
        self.dense = nn.Linear(shape.hidden_size, shape.hidden_size)


class BertEncoder(nn.Module):
    """Token ids and attention mask in, last hidden states out (batch, length, hidden)."""

    def __init__(self, shape: BertShape) -> None:
        super().__init__()
        self.shape = shape
        self.embeddings = _Embeddings(shape)
        self.encoder = _Stack(shape)
        self.pooler = _Pooler(shape)

    @classmethod
    def load(cls, path: str | Path) -> BertEncoder:
        folder = Path(path)
        model = cls(BertShape.from_config(folder))
        weights = load_file(str(folder / "model.safetensors"))
        weights.pop("embeddings.position_ids", None)  # a buffer older checkpoints saved; positions are 0..n-1
        model.load_state_dict(weights, strict=True)
        return model.eval()

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.layers(input_ids, attention_mask)[-1]

    def layers(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> list[torch.Tensor]:
        """Every layer's hidden states, the embeddings' output first: one pass serves the sentence embedding
        (the last layer) and the entity tagger (a middle layer beside it)."""
        # (batch, 1, 1, length): every query may attend to the key positions that are not padding.
        mask = attention_mask.bool()[:, None, None, :]
        x = self.embeddings(input_ids)
        out = [x]
        for layer in self.encoder.layer:
            x = layer(x, mask)
            out.append(x)
        return out


def load_tokenizer(path: str | Path, max_tokens: int) -> Tokenizer:
    """The checkpoint's fast tokenizer, truncating to ``max_tokens`` (special tokens included), no padding."""
    tokenizer = Tokenizer.from_file(str(Path(path) / "tokenizer.json"))
    tokenizer.no_padding()  # the file asks for fixed padding to 128; the encoder pads per length bucket
    tokenizer.enable_truncation(max_length=max_tokens)
    return tokenizer
