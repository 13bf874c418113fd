"""bf16 matrix products at a few fixed shapes, so the memory oneDNN keeps per shape stays small and fixed.

Under autocast a Linear's bf16 product runs in oneDNN through ideep, and both keep what they built for each
input shape: ideep in its LRU cache (``LRU_CACHE_CAPACITY``, 1024 entries by default) and oneDNN in its
primitive cache (``ONEDNN_PRIMITIVE_CACHE_CAPACITY``, 1024), about 0.3 MiB an entry in each. The encoder's
products are (rows x padded length) by hidden, and the rows of a call change with the traffic (1-64 sentences
of one length bucket), so every new batch shape added memory that stayed, towards the two caches' limits: in
`make chaos` the bf16 server's RSS was +52 / +54 / +62 MiB over its post-warm-up baseline after the three
hostile rounds (tolerance 32), and in-process 110 new batch shapes kept +175 MiB (fp32, whose MKL products
keep no such cache, +9). The Linear products alone at 56 new shapes kept +98 MiB of live heap, +46 with
oneDNN's cache off, +53 with ideep's off, +0 with both off; so it is the caches, not fragmentation, and turning
them off would compile each product again on every call.

So each product is cut into tiles of rows of a few fixed sizes (the last one padded with zero rows): 18 sizes
by 3 weight shapes, 54 entries in each cache, all made at load time by ``warm_up``; the bf16 encoder with them
took +110 MiB at load against +100 without. With them 110 new batch shapes kept +10 MiB in-process
(the same shapes again +0.3), as fp32 does; what `make chaos` still finds over its tolerance int8 shows alike
(docs/reliability.md), so it is not the encoder's. A row's numbers do not depend on the tile it lands in: oneDNN's
bf16 rows do not depend on the row count (the encoder's batch invariance rests on the same fact, and its test
covers bf16); the embeddings of the bench's 1,240 sentences (17 encodes) were the same bits tiled or not, and
tests/unit/test_fixed_rows.py compares the two encoders bit for bit. The cost is the padding (2.7 % more rows on
the bench's calls) and one copy that also does autocast's cast: the encoder alone took 8.19 s of CPU against
7.90 over those 17 encodes (+3.7 %, median of 6 in turns; 8.75 against 8.74, median of 2, in a second run),
with every shape already in the caches for the untiled one.
"""

from __future__ import annotations

import torch
from torch import nn

TILE_ROWS = 512  # rows of every full tile; a product with fewer rows is one padded tile
TILE_STEP = 32  # a remainder over 32 rows is padded to a multiple of this


def padded_rows(rows: int) -> int:
    """The tile a remainder of ``rows`` (1..TILE_ROWS) is padded to: 8, 16 or 32, else a multiple of 32.
    On the bench's encoder calls (rows x padded length, median 240) that pads 2.7 % of the rows; multiples of
    64 padded 8.0 %, and each size more adds an entry per weight shape to each cache."""
    if rows <= TILE_STEP:
        return max(8, 1 << (rows - 1).bit_length())
    return -(-rows // TILE_STEP) * TILE_STEP


TILE_SIZES = tuple(sorted({padded_rows(r) for r in range(1, TILE_ROWS + 1)}))


def tiles(rows: int) -> list[int]:
    """The tile sizes that cover ``rows`` rows, in order: full tiles, then the padded remainder."""
    full, rest = divmod(rows, TILE_ROWS)
    return [TILE_ROWS] * full + ([padded_rows(rest)] if rest else [])


class FixedRowsLinear(nn.Module):
    """A Linear in bf16 whose product runs tile by tile. The weights are cast to bf16 once, here, as autocast
    would cast them on every encode: the product is the same bf16 product either way."""

    def __init__(self, linear: nn.Linear) -> None:
        super().__init__()
        self.weight = nn.Parameter(linear.weight.detach().to(torch.bfloat16), requires_grad=False)
        bias = linear.bias
        self.bias = (
            None if bias is None else nn.Parameter(bias.detach().to(torch.bfloat16), requires_grad=False)
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        flat = x.reshape(-1, x.shape[-1])
        rows = flat.shape[0]
        sizes = tiles(rows)
        total = sum(sizes)
        if total == rows and flat.dtype == torch.bfloat16:
            padded = flat
        else:
            # The cast to bf16 that autocast would make and the padding, in one copy.
            padded = torch.empty((total, flat.shape[1]), dtype=torch.bfloat16)
            padded[:rows].copy_(flat)
            padded[rows:].zero_()
        if len(sizes) == 1:
            out = nn.functional.linear(padded, self.weight, self.bias)
        else:
            out = torch.empty((total, self.weight.shape[0]), dtype=torch.bfloat16)
            start = 0
            for size in sizes:
                out[start : start + size] = nn.functional.linear(
                    padded[start : start + size], self.weight, self.bias
                )
                start += size
        return out[:rows].reshape(*x.shape[:-1], -1)


def fix_rows(model: nn.Module) -> None:
    """Replace every nn.Linear of ``model`` with a FixedRowsLinear of the same weights, in place."""
    parents = dict(model.named_modules())
    for name, module in list(model.named_modules()):
        if isinstance(module, nn.Linear):
            parent, _, child = name.rpartition(".")
            setattr(parents[parent], child, FixedRowsLinear(module))


def warm_up(model: nn.Module) -> None:
    """Build every tile shape's bf16 product once per weight shape, so what the caches hold is there before
    the server measures its baseline and nothing is compiled while it serves."""
    done: set[tuple[int, ...]] = set()
    with torch.inference_mode():
        for module in model.modules():
            if isinstance(module, FixedRowsLinear) and tuple(module.weight.shape) not in done:
                done.add(tuple(module.weight.shape))
                for size in TILE_SIZES:
                    tile = torch.zeros(size, module.weight.shape[1], dtype=torch.bfloat16)
                    nn.functional.linear(tile, module.weight, module.bias)
