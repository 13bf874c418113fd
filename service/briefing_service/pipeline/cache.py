"""Content-hash cache in front of the pipeline: an identical article with identical options is summarized once.

Bounded LRU (entries, not bytes: a Summary of a 200,000-char article is still only kilobytes, since it holds
offsets and short strings — except source_text for HTML input, which is why HTML results are not cached).
"""

from __future__ import annotations

import dataclasses
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from briefing_service.domain import Article, ContentType, ModelInfo, Summary, SummaryOptions
from briefing_service.errors import BriefingError
from briefing_service.pipeline.batcher import BatchStages, StillWanted


class BatchSummarizer(BatchStages[tuple[Article, SummaryOptions], Summary], Protocol):
    """The batcher's two stages (Pipeline.begin / complete / cancel: `summarize_batch` in two halves, so the
    server can begin one batch while the previous one completes), plus the models' description."""

    info: ModelInfo

    def complete(  # errors are domain errors
        self, begun: Any, still_wanted: StillWanted | None = None
    ) -> list[Summary | BriefingError]: ...


@dataclass(frozen=True)
class _CachedBatch:
    items: Sequence[tuple[Article, SummaryOptions]]
    keys: list[str]
    cached: list[Summary | BriefingError | None]  # per item: the cached result, or None
    todo: dict[str, int]  # distinct missing key -> the first item with it
    askers: dict[str, list[int]]  # distinct missing key -> every item with it
    inner: Any  # the inner summarizer's begun batch (None: every item cached)


def cache_key(article: Article, options: SummaryOptions) -> str:
    digest = hashlib.sha256(article.text.encode("utf-8", "surrogatepass"))
    # The title is a headline fallback, so it is part of what determines the result.
    digest.update(
        repr(
            (
                article.title,
                article.content_type.value,
                options.max_key_points,
                sorted(options.entity_types),
                options.include_entities,
            )
        ).encode()
    )
    return digest.hexdigest()


class CachingSummarizer:
    def __init__(self, inner: BatchSummarizer, max_entries: int = 1024) -> None:
        self.inner = inner
        self.info = inner.info
        self.max_entries = max_entries
        self._entries: OrderedDict[str, Summary] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def _get(self, key: str) -> Summary | None:
        with self._lock:
            summary = self._entries.get(key)
            if summary is not None:
                self._entries.move_to_end(key)
            return summary

    def _put(self, key: str, summary: Summary) -> None:
        with self._lock:
            self._entries[key] = summary
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def summarize_batch(
        self, items: Sequence[tuple[Article, SummaryOptions]]
    ) -> list[Summary | BriefingError]:
        return self.complete(self.begin(items))

    def begin(self, items: Sequence[tuple[Article, SummaryOptions]]) -> _CachedBatch:
        keys = [cache_key(article, options) for article, options in items]
        results: list[Summary | BriefingError | None] = [
            self._get(k) if self.max_entries else None for k in keys
        ]
        # Work out each distinct missing key once, even when a batch repeats an article.
        todo: dict[str, int] = {}
        askers: dict[str, list[int]] = {}
        for i, (key, result) in enumerate(zip(keys, results, strict=True)):
            if result is None:
                todo.setdefault(key, i)
                askers.setdefault(key, []).append(i)
        self.hits += sum(r is not None for r in results)
        self.misses += len(todo)
        inner = self.inner.begin([items[i] for i in todo.values()]) if todo else None
        return _CachedBatch(items, keys, results, todo, askers, inner)

    def complete(
        self, batch: _CachedBatch, still_wanted: StillWanted | None = None
    ) -> list[Summary | BriefingError]:
        computed: list[Summary | BriefingError] = []
        if batch.inner is not None:
            wanted = None
            if still_wanted is not None:
                # The inner batch's item j is the distinct key j; it is wanted while any caller of it is.
                askers = [batch.askers[key] for key in batch.todo]
                wanted = lambda j: any(still_wanted(i) for i in askers[j])  # noqa: E731
            computed = self.inner.complete(batch.inner, wanted)
        fresh = dict(zip(batch.todo, computed, strict=True))
        for key, result in fresh.items():
            article = batch.items[batch.todo[key]][0]
            if (
                isinstance(result, Summary)
                and article.content_type is not ContentType.HTML
                and self.max_entries
            ):
                self._put(key, result)
        out: list[Summary | BriefingError] = []
        for (article, _), key, hit in zip(batch.items, batch.keys, batch.cached, strict=True):
            value = hit if hit is not None else fresh[key]
            if isinstance(value, Summary) and value.article_id != article.id:
                value = dataclasses.replace(value, article_id=article.id)
            out.append(value)
        return out

    def cancel(self, batch: _CachedBatch) -> None:
        if batch.inner is not None:
            self.inner.cancel(batch.inner)
