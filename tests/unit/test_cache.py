"""The content-hash cache: identical input is computed once; ids are the caller's; bounded; errors uncached."""

from __future__ import annotations

from collections.abc import Sequence

from briefing_service.domain import Article, ContentType, ModelInfo, Summary, SummaryOptions
from briefing_service.errors import BriefingError, CallerGone, InvalidArticle
from briefing_service.pipeline.batcher import StillWanted
from briefing_service.pipeline.cache import CachingSummarizer

INFO = ModelInfo("s", "1", "e", "1", "n", "1", "extractive")


class CountingPipeline:
    info = INFO

    def __init__(self) -> None:
        self.seen: list[str] = []

    def begin(
        self, items: Sequence[tuple[Article, SummaryOptions]]
    ) -> Sequence[tuple[Article, SummaryOptions]]:
        return items

    def cancel(self, items: Sequence[tuple[Article, SummaryOptions]]) -> None:
        pass

    def complete(
        self, items: Sequence[tuple[Article, SummaryOptions]], still_wanted: StillWanted | None = None
    ) -> list[Summary | BriefingError]:
        out: list[Summary | BriefingError] = []
        for i, (article, _) in enumerate(items):
            if still_wanted is not None and not still_wanted(i):
                out.append(CallerGone("gone"))
                continue
            self.seen.append(article.text)
            if not article.text:
                out.append(InvalidArticle("empty"))
            else:
                out.append(Summary(article.id, article.text.upper(), (), (), INFO, "sha"))
        return out


def test_identical_articles_are_computed_once_and_keep_their_ids() -> None:
    inner = CountingPipeline()
    cached = CachingSummarizer(inner, max_entries=10)
    opts = SummaryOptions()
    first = cached.summarize_batch([(Article("a text", id="1"), opts), (Article("a text", id="2"), opts)])
    second = cached.summarize_batch([(Article("a text", id="3"), opts)])
    assert inner.seen == ["a text"]
    assert [r.article_id for r in [*first, *second] if isinstance(r, Summary)] == ["1", "2", "3"]
    assert cached.hits == 1 and cached.misses == 1


def test_options_html_and_errors_are_not_confused() -> None:
    inner = CountingPipeline()
    cached = CachingSummarizer(inner, max_entries=10)
    cached.summarize_batch([(Article("t"), SummaryOptions(max_key_points=3))])
    cached.summarize_batch([(Article("t"), SummaryOptions(max_key_points=4))])
    cached.summarize_batch([(Article("<p>t</p>", content_type=ContentType.HTML), SummaryOptions())] * 2)
    cached.summarize_batch([(Article("<p>t</p>", content_type=ContentType.HTML), SummaryOptions())])
    assert isinstance(cached.summarize_batch([(Article(""), SummaryOptions())])[0], InvalidArticle)
    cached.summarize_batch([(Article(""), SummaryOptions())])
    assert inner.seen == ["t", "t", "<p>t</p>", "<p>t</p>", "", ""]


def test_bounded() -> None:
    inner = CountingPipeline()
    cached = CachingSummarizer(inner, max_entries=2)
    for text in ["a", "b", "c", "a"]:
        cached.summarize_batch([(Article(text), SummaryOptions())])
    assert inner.seen == ["a", "b", "c", "a"]


def test_a_repeated_article_is_computed_while_any_of_its_callers_waits_and_gone_results_are_not_cached() -> (
    None
):
    inner = CountingPipeline()
    cached = CachingSummarizer(inner, max_entries=10)
    opts = SummaryOptions()
    items = [
        (Article("kept", id="1"), opts),
        (Article("gone", id="2"), opts),
        (Article("kept", id="3"), opts),  # same text as item 0: one inner item, two callers
    ]
    batch = cached.begin(items)
    # The first caller of "kept" left, the second still waits; the only caller of "gone" left.
    results = cached.complete(batch, still_wanted=lambda i: i == 2)
    assert inner.seen == ["kept"]
    assert isinstance(results[1], CallerGone)
    assert isinstance(results[2], Summary) and results[2].article_id == "3"
    # Nothing was stored for the abandoned article: the next caller gets it computed.
    assert isinstance(cached.summarize_batch([(Article("gone", id="4"), opts)])[0], Summary)
    assert inner.seen == ["kept", "gone"]
