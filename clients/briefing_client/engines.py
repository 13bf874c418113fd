"""What summarizes the articles of `briefing build`: an engine. The briefing is then built here, from the
summaries, the same way whichever engine made them.

- `grpc` (the default, grpc_engine.py): SummarizeStream calls to --target, or to a local server started for
  the job.
- `ray`: a pool of Ray actors that each load the pipeline in process. It needs the server distribution and
  Ray, which this distribution does not install; the server distribution registers it under the
  `briefing.engines` entry point group, so this package never imports server code by name.

An engine is opened for one job (a context manager) and yields each article with its response as the article
finishes, in any order, each exactly once; an article it could not summarize comes back as a response with a
non-OK status. `run_info()` is what the briefing's `run` object says about it: which engine and where.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from importlib import metadata
from typing import Any, Protocol

from briefing.v1 import briefing_pb2 as pb

ENTRY_POINT_GROUP = "briefing.engines"
ENGINES = ("grpc", "ray")
# Where an engine that is not installed comes from.
INSTALL_HINT = {
    "ray": "the server distribution with its ray extra (make briefing ENGINE=ray installs it; or "
    "pip install ./clients './[ray]')",
}

Result = tuple[pb.Article, pb.SummarizeResponse]


@dataclass(frozen=True)
class EngineOptions:
    """What `briefing build` tells an engine; each reads the fields that concern it."""

    address: str | None = None  # grpc: the target; ray: the cluster (None: $RAY_ADDRESS, else a local one)
    workers: int | None = None  # grpc: concurrent streams; ray: actors (None: one per CPU of the cluster)
    chunk: int = 16  # articles per call (a stream, or an actor call)
    summarizer_model: str = ""  # a seq2seq checkpoint; empty: the extractive engine
    startup_timeout: float = 180.0  # seconds for the models to load (the local server, or the actors)


class Engine(Protocol):
    def summarize(self, articles: Sequence[pb.Article]) -> Iterator[Result]: ...

    def run_info(self) -> dict[str, Any]: ...


EngineOpener = Callable[[EngineOptions], AbstractContextManager[Engine]]


class EngineUnavailable(RuntimeError):
    """The engine named is not installed here."""


class EngineStartError(RuntimeError):
    """The engine is installed but could not start, or reach where it runs (a cluster, its workers)."""


def engine_opener(name: str) -> EngineOpener:
    """The opener of an installed engine other than `grpc` (which build_command opens itself: it takes the
    connection flags)."""
    for entry in metadata.entry_points(group=ENTRY_POINT_GROUP, name=name):
        try:
            opener: EngineOpener = entry.load()
        except ImportError as exc:
            raise EngineUnavailable(
                f"the {name} engine cannot be loaded ({exc}); it needs {INSTALL_HINT.get(name, 'its package')}"
            ) from exc
        return opener
    raise EngineUnavailable(
        f"the {name} engine is not installed here; it comes with {INSTALL_HINT.get(name, 'its package')}"
    )
