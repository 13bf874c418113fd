"""One Ray actor of the pool: a worker process that loads the pipeline once, the way the server does (same
encoder precision rule, warm-up, interpreter tuning), and then summarizes batches of articles in process.

Articles go in and responses come out as serialized `briefing.v1` messages, converted by the edge's own
functions, so a response, and the status of an article that fails alone, is what SummarizeStream would have
answered for the same article. Plain bytes also keep Ray's serialization out of the protobuf types.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from briefing.v1 import briefing_pb2 as pb

from briefing_service.domain import Summary
from briefing_service.edge.convert import article_from_pb, error_response, options_from_pb, summary_to_pb
from briefing_service.edge.error_table import status_proto
from briefing_service.errors import BriefingError


@dataclass(frozen=True)
class ActorConfig:
    summarizer_model: str = ""  # empty: the extractive engine
    encoder_precision: str = "auto"  # as the server's --encoder-precision
    torch_threads: int = 1  # the actor's CPUs


class PipelineActor:
    """Made a Ray actor by the pool (ray.remote(PipelineActor)), so this module imports without Ray."""

    def __init__(self, config: ActorConfig) -> None:
        from briefing_service.models import resolve_precision
        from briefing_service.pipeline.pipeline import Pipeline
        from briefing_service.runtime import freeze_long_lived, set_torch_threads, tune_interpreter

        tune_interpreter()
        set_torch_threads(config.torch_threads)
        # spaCy runs in this process: an actor is one CPU's worth of work, and the pool runs one per CPU.
        self.pipeline = Pipeline.load(
            config.summarizer_model, encoder_precision=resolve_precision(config.encoder_precision)
        )
        self.pipeline.warm_up()
        freeze_long_lived()
        # What the build command sends: the options of a SummarizeRequest left unset (the server's defaults).
        self.options = options_from_pb(pb.SummarizeOptions())

    def ready(self) -> dict[str, Any]:
        """Where this actor runs; the pool calls it to know the models are loaded (and after a failure, to
        know whether Ray restarted the actor)."""
        return {"pid": os.getpid(), "host": socket.gethostname(), "summarizer": self.pipeline.info.summarizer}

    def summarize(self, articles: Sequence[bytes]) -> list[bytes]:
        """Serialized `briefing.v1.Article`s in, one serialized SummarizeResponse per article out, in order."""
        from briefing_service.runtime import release_free_memory

        parsed = [pb.Article.FromString(raw) for raw in articles]
        results = self.pipeline.summarize_batch([(article_from_pb(a), self.options) for a in parsed])
        release_free_memory()  # as the server does between batches: RSS back from a long article's peak
        return [_response(a, r).SerializeToString() for a, r in zip(parsed, results, strict=True)]


def _response(article: pb.Article, result: Summary | BriefingError) -> pb.SummarizeResponse:
    if isinstance(result, BriefingError):
        return error_response(article.id, status_proto(result))
    return summary_to_pb(result)
