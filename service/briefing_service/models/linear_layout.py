"""Linear layers with their weight stored transposed, for token-by-token decoding on CPU.

`nn.Linear` keeps its weight as (out, in) and multiplies by its transpose. For the few rows a decoder step has
(one per sequence in the batch), MKL is much slower on that layout than on an (in, out) matrix it reads row by
row: measured on the 2-core dev machine (torch 2.13, fp32, 2 threads), 8 rows through a 1024 → 4096 layer took
1.09 ms as `nn.Linear` and 0.75 ms as `addmm` on the transposed copy, 8 rows through 1024 → 50,264 26.8 vs
15.7 ms; one row and large blocks (an encoder pass, 512 tokens a sequence) cost the same either way. Profiled on
the distilbart-cnn shape (512 tokens in, 64 out, greedy, 8 sequences, two rounds in turns): the decoder's matrix
products 3.51 / 3.14 → 2.64 / 2.69 s, the whole decoding 8.66 / 7.62 → 7.10 / 7.11 s, the same tokens out. The
encoder pass (about half of generate() at 8 sequences) is unchanged, and whole generate() calls timed in three
rounds differed by less than this machine's noise (12.9 / 12.5 / 14.5 s vs 12.5 / 12.9 / 13.7 s).

The output head is left alone by the transposition: it is usually tied to the input embeddings, and a
transposed copy would hold a second vocabulary-sized matrix (200 MB for BART's 50k × 1024).

Batched decoding steps (4 to 64 rows: concurrent callers' sequences, beams included) are faster still on a
weight that oneDNN has reordered for its own GEMM kernels, but one row is slower on it (measured on the 2-core
Ice Lake host, medians of 5 alternating timings, 2 threads: 8 rows through 4096 → 1024 1.08 ms reordered vs 1.85
transposed, through the 1024 → 50,264 head 14.4 vs 20.5 transposed and 31.9 as `nn.Linear`; one row 0.72 vs
0.61 and 17.7 vs 15.0). So `pack_for_batched_decoding` gives the decoder's large layers (the feed-forward pair)
and the output head a reordered copy as well, used only for 4 to 64 rows: decoding 64 tokens for 8 sequences
of the distilbart-cnn shape took 7.13 s without it, 5.77 s with the head alone, 5.25 s with the head and every
decoder layer (medians of three rounds in turns, the same tokens out). The copies cost memory: about 400 MB for
that shape (the head and 12 feed-forward layers), which is why the 1024 × 1024 attention projections, which
gained nothing measurable, are left out.
"""

from __future__ import annotations

import torch

# Rows (sequences in a decoding step) that take the reordered weight: below, one-row GEMV-like products are
# faster on the plain layout; above, encoder-sized blocks (hundreds of tokens) are too.
PACKED_ROWS = (4, 64)
# Layers smaller than this (a 1024 x 1024 attention projection is 1 M) gained nothing from reordering.
PACKED_MIN_WEIGHTS = 4_000_000


def _can_pack() -> bool:
    return torch.backends.mkldnn.is_available() and hasattr(torch.ops.mkldnn, "_reorder_linear_weight")


def _worth_packing(weight: torch.Tensor) -> bool:
    # fp32 only: the only precision measured here (a half-precision checkpoint keeps its plain layout).
    return weight.dtype == torch.float32 and weight.numel() >= PACKED_MIN_WEIGHTS


def _reorder(weight: torch.Tensor) -> torch.Tensor:
    """oneDNN's blocked layout for a (out, in) weight, tuned for about 8 rows (it serves any row count)."""
    return torch.ops.mkldnn._reorder_linear_weight(weight.detach().contiguous(), 8)


def _packed_product(
    rows: torch.Tensor, packed: torch.Tensor | None, bias: torch.Tensor | None
) -> torch.Tensor | None:
    """rows @ W.T + bias on the reordered weight, or None when it is absent or the row count is outside
    PACKED_ROWS (the caller then uses its plain layout)."""
    if packed is None or not PACKED_ROWS[0] <= rows.shape[0] <= PACKED_ROWS[1]:
        return None
    return torch.ops.mkldnn._linear_pointwise(rows.contiguous(), packed, bias, "none", [], "")


class TransposedLinear(torch.nn.Module):
    """Computes what the `nn.Linear` it replaces computes, from a contiguous (in, out) copy of its weight."""

    def __init__(self, linear: torch.nn.Linear) -> None:
        super().__init__()
        self.in_features = linear.in_features
        self.out_features = linear.out_features
        self.weight_t = torch.nn.Parameter(linear.weight.detach().t().contiguous(), requires_grad=False)
        self.bias = linear.bias
        self.packed: torch.Tensor | None = None  # set by pack_for_batched_decoding

    @property
    def weight(self) -> torch.Tensor:
        """The (out, in) view some model code reads (e.g. T5 checks ``wo.weight.dtype``)."""
        return self.weight_t.t()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        rows = x.reshape(-1, self.in_features)
        out = _packed_product(rows, self.packed, self.bias)
        if out is None:
            out = rows @ self.weight_t if self.bias is None else torch.addmm(self.bias, rows, self.weight_t)
        return out.reshape(*x.shape[:-1], self.out_features)

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}, "
            f"packed={self.packed is not None}"
        )


class PackedHead(torch.nn.Module):
    """The output head (kept as it is, so it stays tied to the input embeddings) plus a reordered copy of its
    weight for batched decoding steps."""

    def __init__(self, head: torch.nn.Linear) -> None:
        super().__init__()
        self.head = head
        self.packed = _reorder(head.weight)

    @property
    def weight(self) -> torch.Tensor:
        return self.head.weight

    @property
    def bias(self) -> torch.Tensor | None:
        return self.head.bias

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = _packed_product(x.reshape(-1, self.head.in_features), self.packed, self.head.bias)
        return self.head(x) if out is None else out.reshape(*x.shape[:-1], self.head.out_features)


def transpose_linears(model: torch.nn.Module) -> int:
    """Replace every plain `nn.Linear` in ``model`` but its output head with a `TransposedLinear`; returns how
    many were replaced. The model is then for inference only and frozen: the copies do not train, their
    state_dict keys are ``weight_t``, and re-tying, resizing or quantizing them is not supported."""
    get_head = getattr(model, "get_output_embeddings", None)
    head = get_head() if callable(get_head) else None
    copies: dict[int, TransposedLinear] = {}  # a Linear shared by two parents gets one copy
    for module in list(model.modules()):
        for name, child in list(module.named_children()):
            if type(child) is torch.nn.Linear and child is not head:
                if id(child) not in copies:
                    copies[id(child)] = TransposedLinear(child)
                setattr(module, name, copies[id(child)])
    return len(copies)


def pack_for_batched_decoding(model: torch.nn.Module) -> int:
    """Give the decoder's fp32 TransposedLinear layers of at least PACKED_MIN_WEIGHTS weights, and an output
    head that large, a oneDNN-reordered copy for decoding steps of PACKED_ROWS rows (call after transpose_linears).
    Returns how many layers got one; 0 where oneDNN is not available or the model has no decoder."""
    get_decoder = getattr(model, "get_decoder", None)
    if not _can_pack() or not callable(get_decoder):
        return 0
    packed = 0
    for layer in get_decoder().modules():
        if isinstance(layer, TransposedLinear) and _worth_packing(layer.weight_t):
            layer.packed = _reorder(layer.weight)
            packed += 1
    get_head = getattr(model, "get_output_embeddings", None)
    set_head = getattr(model, "set_output_embeddings", None)
    head = get_head() if callable(get_head) else None
    if type(head) is torch.nn.Linear and callable(set_head) and _worth_packing(head.weight):
        set_head(PackedHead(head))
        packed += 1
    return packed
