"""Protobuf <-> domain conversion. The only module below the servicer that knows protobuf types."""

from __future__ import annotations

from briefing.v1 import briefing_pb2 as pb
from google.rpc import code_pb2, status_pb2

from briefing_service import __version__
from briefing_service.domain import Article, ContentType, ModelInfo, Summary, SummaryOptions
from briefing_service.pipeline.options import make_options

_CONTENT_TYPES = {
    pb.CONTENT_TYPE_UNSPECIFIED: ContentType.PLAIN_TEXT,
    pb.CONTENT_TYPE_PLAIN_TEXT: ContentType.PLAIN_TEXT,
    pb.CONTENT_TYPE_HTML: ContentType.HTML,
}


def article_from_pb(msg: pb.Article) -> Article:
    return Article(
        text=msg.text,
        id=msg.id,
        title=msg.title,
        url=msg.url,
        source=msg.source,
        published_at=msg.published_at.ToDatetime() if msg.HasField("published_at") else None,
        # An unknown enum number (a newer client) is read as plain text rather than refused.
        content_type=_CONTENT_TYPES.get(msg.content_type, ContentType.PLAIN_TEXT),
    )


def options_from_pb(msg: pb.SummarizeOptions) -> SummaryOptions:
    """Validates as it converts (raises InvalidOptions); proto3 zero values mean the defaults."""
    return make_options(msg.max_key_points, msg.entity_types, msg.exclude_entities)


def model_info_to_pb(info: ModelInfo) -> pb.ModelInfo:
    return pb.ModelInfo(
        engine=info.engine,
        summarizer=info.summarizer,
        summarizer_version=info.summarizer_version,
        encoder=info.encoder,
        encoder_version=info.encoder_version,
        ner=info.ner,
        ner_version=info.ner_version,
        server_version=__version__,
    )


def summary_to_pb(summary: Summary) -> pb.SummarizeResponse:
    return pb.SummarizeResponse(
        article_id=summary.article_id,
        headline=summary.headline,
        key_points=[
            pb.KeyPoint(text=k.text, score=k.score, start=k.start, end=k.end) for k in summary.key_points
        ],
        entities=[
            pb.Entity(
                text=e.text,
                type=e.type,
                count=e.count,
                salience=e.salience,
                aliases=list(e.aliases),
                mentions=[pb.Mention(text=m.text, start=m.start, end=m.end) for m in e.mentions],
            )
            for e in summary.entities
        ],
        model=model_info_to_pb(summary.model),
        content_sha256=summary.content_sha256,
        warnings=list(summary.warnings),
        status=status_pb2.Status(code=code_pb2.OK),
        abstract=summary.abstract,
        source_text=summary.source_text,
    )


def error_response(article_id: str, code: int, message: str) -> pb.SummarizeResponse:
    """A stream item for an article that failed alone."""
    return pb.SummarizeResponse(article_id=article_id, status=status_pb2.Status(code=code, message=message))
