"""Domain errors. The pipeline raises these; the gRPC edge turns each into one status code and its
google.rpc details (edge/error_table.py).

Messages say what was received and what is allowed, because they reach the caller verbatim. What a program
needs to act on travels beside the message: ``field`` (the request field at fault, sent as
BadRequest.FieldViolation), ``metadata`` (ErrorInfo.metadata, e.g. the limit and what was received) and
``retry_after`` (seconds, sent as RetryInfo where the table says the caller may retry).

Only the leaf classes are raised; NotReady, Overloaded and Unauthenticated group them for callers that catch
a family.
"""

from __future__ import annotations

from collections.abc import Mapping


class BriefingError(Exception):
    """Base class of every error the service reports to callers on purpose."""

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        metadata: Mapping[str, object] | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.field = field
        # ErrorInfo.metadata is a map of strings; ints are written without separators ("200000").
        self.metadata = {k: str(v) for k, v in (metadata or {}).items()}
        self.retry_after = retry_after


class InvalidArticle(BriefingError):
    """The article text is empty or whitespace only."""


class ArticleTooLarge(BriefingError):
    """The article text is over the configured maximum."""

    def __init__(self, received_chars: int, max_chars: int) -> None:
        super().__init__(
            f"article is {received_chars:,} chars; max {max_chars:,}",
            field="article.text",
            metadata={"limit": max_chars, "received": received_chars},
        )
        self.received_chars = received_chars
        self.max_chars = max_chars


class InvalidOptions(BriefingError):
    """An option is out of range or unknown (``field`` names it, e.g. "options.max_key_points")."""


class StreamTooLong(BriefingError):
    """A SummarizeStream call sent more articles than one stream may carry."""


class BriefingTooLarge(BriefingError):
    """A BuildBriefing call is over its article or character limit."""


class EmptyBriefing(BriefingError):
    """A BuildBriefing call ended without sending an article."""


class NotReady(BriefingError):
    """The server cannot take work now; another replica, or this one a little later, can."""


class ModelsLoading(NotReady):
    """The models are still loading (health reports NOT_SERVING until they are)."""


class Draining(NotReady):
    """The server is shutting down: calls in flight finish, new ones belong on another replica."""


class Overloaded(BriefingError):
    """A capacity limit is reached; the caller should back off and retry. The message names the limit."""


class QueueFull(Overloaded):
    """The queue of articles waiting for the inference worker is full."""


class TooManyCalls(Overloaded):
    """The concurrent-call limit is reached."""


class ModelLoadError(BriefingError):
    """A configured model could not be loaded (bad path, not a seq2seq checkpoint, no hub access)."""


class DeadlineUnmeetable(BriefingError):
    """The caller's deadline has passed, or is too close for the work still ahead of this article: the
    server drops it instead of finishing it for nobody."""


class CallerGone(BriefingError):
    """The caller cancelled, or its deadline passed, after its article had joined a batch: the rest of the work
    is skipped. Nobody receives this (gRPC has already ended the call); it stands in for the result."""


class Unauthenticated(BriefingError):
    """The call carries no bearer token the server accepts."""


class TokenMissing(Unauthenticated):
    """No bearer token (auth is configured)."""


class TokenRejected(Unauthenticated):
    """A bearer token the server does not accept."""


class PermissionDenied(BriefingError):
    """A valid token called a method it is not allowed (the tokens file limits it to some methods). The
    message names the method and what the token may call."""
