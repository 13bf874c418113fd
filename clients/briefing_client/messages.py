"""Typed request input: the article and options a caller passes, and their protobuf messages.

The clients take an `Article` (or a generated `briefing.v1.Article`, or plain text) and keyword options, so a
misspelt field is a TypeError at the call, not a field silently left empty.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from briefing.v1 import briefing_pb2 as pb

from briefing_client.errors import InvalidArgument


@dataclass(frozen=True)
class Article:
    """One article to summarize. Only ``text`` is required; ``id`` is echoed in the response."""

    text: str
    id: str = ""
    title: str = ""  # a last-resort headline only
    url: str = ""
    source: str = ""
    published_at: datetime | None = None
    html: bool = False  # ``text`` is an HTML page: the server extracts the main text first

    def to_pb(self) -> pb.Article:
        return make_article(
            self.text,
            id=self.id,
            title=self.title,
            url=self.url,
            source=self.source,
            published_at=self.published_at,
            html=self.html,
        )


@dataclass(frozen=True)
class SummarizeOptions:
    """Per-call options. ``max_key_points`` None: the server's default (5); ``entity_types`` empty: every
    label but CARDINAL and ORDINAL."""

    max_key_points: int | None = None
    entity_types: Sequence[str] = ()
    include_entities: bool = True

    def to_pb(self) -> pb.SummarizeOptions:
        return pb.SummarizeOptions(
            # proto3's zero means "the default" on the wire.
            max_key_points=self.max_key_points if self.max_key_points is not None else 0,
            entity_types=list(self.entity_types),
            exclude_entities=not self.include_entities,
        )


ArticleInput = Article | pb.Article | str


def make_article(
    text: str,
    *,
    id: str = "",
    title: str = "",
    url: str = "",
    source: str = "",
    published_at: datetime | None = None,
    html: bool = False,
) -> pb.Article:
    try:
        article = pb.Article(
            id=id,
            title=title,
            text=text,
            url=url,
            source=source,
            content_type=pb.CONTENT_TYPE_HTML if html else pb.CONTENT_TYPE_PLAIN_TEXT,
        )
    except UnicodeEncodeError as exc:
        # Lone surrogates cannot travel as protobuf strings (UTF-8): refused here, with the status the
        # server would give, before anything is sent.
        raise InvalidArgument(
            f"article {id!r} is not valid Unicode: {exc.reason} at index {exc.start}; "
            "send UTF-8-encodable text",
            reason="ARTICLE_NOT_UNICODE",
        ) from exc
    if published_at is not None:
        article.published_at.FromDatetime(published_at)
    return article


def to_pb_article(article: ArticleInput) -> pb.Article:
    if isinstance(article, pb.Article):
        return article
    if isinstance(article, str):
        return make_article(article)
    return article.to_pb()


def make_request(
    article: ArticleInput,
    options: SummarizeOptions | None = None,
    *,
    max_key_points: int | None = None,
    entity_types: Sequence[str] = (),
    include_entities: bool = True,
) -> pb.SummarizeRequest:
    """A SummarizeRequest; the options as a SummarizeOptions, or as its fields."""
    opts = options or SummarizeOptions(max_key_points, entity_types, include_entities)
    return pb.SummarizeRequest(article=to_pb_article(article), options=opts.to_pb())


def stream_request(
    item: ArticleInput | pb.SummarizeRequest, options: SummarizeOptions
) -> pb.SummarizeRequest:
    """A stream item: a ready request as it is, an article with the call's options."""
    return item if isinstance(item, pb.SummarizeRequest) else make_request(item, options)


def briefing_request(article: ArticleInput, options: SummarizeOptions | None) -> pb.BuildBriefingRequest:
    """One BuildBriefing message; the options belong in the first one only (the only one the server reads)."""
    request = pb.BuildBriefingRequest(article=to_pb_article(article))
    if options is not None:
        request.options.CopyFrom(options.to_pb())
    return request


def briefing_requests(
    articles: Iterable[ArticleInput], options: SummarizeOptions
) -> Iterator[pb.BuildBriefingRequest]:
    for n, article in enumerate(articles):
        yield briefing_request(article, options if n == 0 else None)
