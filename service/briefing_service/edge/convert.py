"""Protobuf <-> domain conversion. The only module below the servicer that knows protobuf types."""

from __future__ import annotations

from briefing.v1 import briefing_pb2 as pb
from briefing_assembly import Briefing
from google.rpc import code_pb2, status_pb2

from briefing_service import __version__
from briefing_service.domain import Article, ContentType, Entity, KeyPoint, ModelInfo, Summary, SummaryOptions
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


def _key_point_to_pb(k: KeyPoint) -> pb.KeyPoint:
    return pb.KeyPoint(text=k.text, score=k.score, start=k.start, end=k.end)


def _entity_to_pb(e: Entity, *, mentions: bool = True) -> pb.Entity:
    return pb.Entity(
        text=e.text,
        type=e.type,
        count=e.count,
        salience=e.salience,
        aliases=list(e.aliases),
        mentions=[pb.Mention(text=m.text, start=m.start, end=m.end) for m in e.mentions] if mentions else [],
    )


def summary_to_pb(summary: Summary) -> pb.SummarizeResponse:
    return pb.SummarizeResponse(
        article_id=summary.article_id,
        headline=summary.headline,
        key_points=[_key_point_to_pb(k) for k in summary.key_points],
        entities=[_entity_to_pb(e) for e in summary.entities],
        model=model_info_to_pb(summary.model),
        content_sha256=summary.content_sha256,
        warnings=list(summary.warnings),
        status=status_pb2.Status(code=code_pb2.OK),
        abstract=summary.abstract,
        source_text=summary.source_text,
        embedding=list(summary.embedding),
    )


def error_response(article_id: str, status: status_pb2.Status) -> pb.SummarizeResponse:
    """A stream item for an article that failed alone: its status carries the same details a unary call's
    error would (edge/error_table.py)."""
    return pb.SummarizeResponse(article_id=article_id, status=status)


def briefing_to_pb(briefing: Briefing, model: ModelInfo) -> pb.Briefing:
    out = pb.Briefing(
        stories=[
            pb.Story(
                id=s.id,
                headline=s.headline,
                score=s.score,
                article_ids=list(s.article_ids),
                key_points=[
                    pb.CitedKeyPoint(
                        text=k.text, article_id=k.article_id, start=k.start, end=k.end, score=k.score
                    )
                    for k in s.key_points
                ],
                entities=list(s.entities),
            )
            for s in briefing.stories
        ],
        entities=[
            pb.BriefingEntity(
                text=e.text,
                type=e.type,
                article_count=e.article_count,
                mention_count=e.mention_count,
                salience=e.salience,
                aliases=list(e.aliases),
                article_ids=list(e.article_ids),
                stories=list(e.story_ids),
            )
            for e in briefing.entities
        ],
        timeline=[
            pb.TimelineEntry(
                date=t.date or "",
                granularity=t.granularity,
                text=t.text,
                mention=t.mention,
                story=t.story_id,
                article_id=t.article_id,
                start=t.start,
                end=t.end,
            )
            for t in briefing.timeline
        ],
        errors=[pb.BriefingError(source=e.source, reason=e.reason) for e in briefing.errors],
        model=model_info_to_pb(model),
    )
    out.generated_at.FromDatetime(briefing.generated_at)
    for a in briefing.articles:
        row = out.articles.add(
            article_id=a.article_id,
            title=a.title,
            source=a.source,
            url=a.url,
            headline=a.headline,
            key_points=[_key_point_to_pb(k) for k in a.key_points],
            entities=[_entity_to_pb(e, mentions=False) for e in a.entities],
            story=a.story_id,
        )
        if a.published_at is not None:
            row.published_at.FromDatetime(a.published_at)
    return out
