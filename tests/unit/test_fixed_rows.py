"""The bf16 encoder's products run at a few fixed row counts whatever the batch, so oneDNN's per-shape caches
hold a fixed, small set (they grew with every new batch shape: make chaos, +63 MiB)."""

from __future__ import annotations

import random
from collections.abc import Iterator

import numpy as np
import pytest
import torch
from briefing_service.models import fixed_rows
from briefing_service.models.encoder import MiniLMEncoder
from briefing_service.models.fixed_rows import TILE_ROWS, TILE_SIZES, FixedRowsLinear, fix_rows, tiles
from torch import nn


@pytest.mark.parametrize("rows", [1, 7, 8, 9, 63, 64, 65, 200, 511, 512, 513, 1000, 64 * 256])
def test_tiles_cover_the_rows_with_under_32_padded(rows: int) -> None:
    sizes = tiles(rows)
    assert set(sizes) <= set(TILE_SIZES)
    assert rows <= sum(sizes) < rows + 32 or sum(sizes) == 8  # a tile holds at least 8 rows
    assert all(size == TILE_ROWS for size in sizes[:-1])


def test_eighteen_tile_sizes() -> None:
    assert (8, 16, *range(32, 513, 32)) == TILE_SIZES


def test_a_fixed_rows_linear_gives_the_bits_of_the_linear_under_autocast() -> None:
    """oneDNN's bf16 rows do not depend on the row count (the encoder's batch invariance rests on it too), and
    casting the weights once gives the numbers autocast's cast gives."""
    torch.manual_seed(0)
    linear = nn.Linear(24, 40)
    fixed = FixedRowsLinear(linear)
    for shape in [(3, 24), (2, 300, 24), (1, 1, 24), (4, 32, 24)]:
        for x in (torch.randn(*shape), torch.randn(*shape).to(torch.bfloat16)):
            with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16):
                expected = linear(x)
                got = fixed(x)
            assert got.dtype == expected.dtype == torch.bfloat16
            assert torch.equal(got, expected)


def _sentences(rows: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    words = "the mayor said new rules on rents would follow a review of costs next year".split()
    return [" ".join(rng.choice(words) for _ in range(rng.randrange(3, 90))) for _ in range(rows)]


@pytest.fixture(scope="module")
def tiled_encoder() -> MiniLMEncoder:
    return MiniLMEncoder(precision="bf16")


@pytest.fixture(scope="module")
def untiled_encoder() -> Iterator[MiniLMEncoder]:
    """The bf16 encoder as it was before fixed rows: plain Linear layers under autocast."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fixed_rows, "fix_rows", lambda model: None)
        patch.setattr(fixed_rows, "warm_up", lambda model: None)
        encoder = MiniLMEncoder(precision="bf16")
    assert any(type(m) is nn.Linear for m in encoder.model.modules())
    return encoder


def test_the_tiled_bf16_encoder_gives_the_same_bits_as_plain_autocast(
    tiled_encoder: MiniLMEncoder, untiled_encoder: MiniLMEncoder
) -> None:
    """Embeddings and word-piece states, bit for bit, on calls of one tile, of several (over 512 rows: 20
    sentences of up to 90 words) and of a padded remainder."""
    for rows, seed in [(1, 0), (5, 1), (20, 2), (33, 3)]:
        sentences = _sentences(rows, seed)
        assert np.array_equal(tiled_encoder.encode(sentences), untiled_encoder.encode(sentences))
        tiled, tiled_states = tiled_encoder.encode_with_tokens(sentences)
        plain, plain_states = untiled_encoder.encode_with_tokens(sentences)
        assert np.array_equal(tiled, plain)
        assert len(tiled_states) == len(plain_states) == rows
        for a, b in zip(tiled_states, plain_states, strict=True):
            assert np.array_equal(a.offsets, b.offsets)
            assert np.array_equal(a.states, b.states)


def test_the_bf16_encoder_multiplies_at_tile_shapes_only(
    tiled_encoder: MiniLMEncoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    encoder = tiled_encoder
    assert not any(type(m) is nn.Linear for m in encoder.model.modules())
    seen: set[int] = set()
    linear = nn.functional.linear

    def recording(x: torch.Tensor, *args: object) -> torch.Tensor:
        seen.add(x.shape[0] if x.dim() == 2 else -1)
        return linear(x, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(nn.functional, "linear", recording)
    for rows in (1, 3, 17, 40):
        encoder.encode(_sentences(rows, rows))
    assert seen and seen <= set(TILE_SIZES)


def test_fix_rows_replaces_every_linear_with_its_weights_in_bf16() -> None:
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Sequential(nn.Linear(8, 2)))
    weights = [model[0].weight.detach().clone(), model[2][0].weight.detach().clone()]
    fix_rows(model)
    assert isinstance(model[0], FixedRowsLinear) and isinstance(model[2][0], FixedRowsLinear)
    assert torch.equal(model[0].weight, weights[0].to(torch.bfloat16))
    assert torch.equal(model[2][0].weight, weights[1].to(torch.bfloat16))
