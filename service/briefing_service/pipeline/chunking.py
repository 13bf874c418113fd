"""Cutting a batch into chunks of about equal text, so that parsing one chunk can overlap encoding another."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

MIN_CHUNK_CHARS = 2_000  # about a short news article


def chunk_by_text(items: Sequence[T], sizes: Sequence[int], count: int) -> list[Sequence[T]]:
    """Cut ``items`` (``sizes``: each one's characters) into at most ``count`` runs of about equal text (spaCy
    and the encoder both cost about per character), in order, none under MIN_CHUNK_CHARS: a chunk of a few
    tweets costs more in hand-offs than the overlap wins."""
    sizes = [max(1, size) for size in sizes]
    count = min(count, len(items), sum(sizes) // MIN_CHUNK_CHARS)
    if count <= 1:
        return [items] if items else []
    share = sum(sizes) / count
    chunks: list[Sequence[T]] = []
    start, filled = 0, 0.0
    for i, size in enumerate(sizes):
        filled += size
        if filled >= share * (len(chunks) + 1) and i + 1 < len(items):
            chunks.append(items[start : i + 1])
            start = i + 1
    chunks.append(items[start:])
    return chunks
