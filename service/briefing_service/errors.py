"""Domain errors. The pipeline raises these; the gRPC edge maps each to one status code (edge/error_table.py).

Messages say what was received and what is allowed, because they reach the caller verbatim.
"""

from __future__ import annotations


class BriefingError(Exception):
    """Base class of every error the service reports to callers on purpose."""


class InvalidArticle(BriefingError):
    """The article cannot be summarized as sent (empty, no readable text, bad encoding)."""


class ArticleTooLarge(BriefingError):
    """The article text is over the configured maximum."""

    def __init__(self, received_chars: int, max_chars: int) -> None:
        super().__init__(f"article is {received_chars:,} chars; max {max_chars:,}")
        self.received_chars = received_chars
        self.max_chars = max_chars


class InvalidOptions(BriefingError):
    """An option is out of range or unknown."""


class NotReady(BriefingError):
    """The models are still loading or the server is shutting down (draining)."""


class Overloaded(BriefingError):
    """The work queue or the concurrent-call limit is full; the caller should back off and retry.
    The message names the limit."""


class ModelLoadError(BriefingError):
    """A configured model could not be loaded (bad path, not a seq2seq checkpoint, no hub access)."""


class DeadlineUnmeetable(BriefingError):
    """The caller's deadline has passed, or is too close for the work still ahead of this article: the
    server drops it instead of finishing it for nobody."""


class CallerGone(BriefingError):
    """The caller cancelled, or its deadline passed, after its article had joined a batch: the rest of the work
    is skipped. Nobody receives this (gRPC has already ended the call); it stands in for the result."""


class Unauthenticated(BriefingError):
    """No bearer token, or one the server does not accept."""


class PermissionDenied(BriefingError):
    """A valid token called a method it is not allowed (the tokens file limits it to some methods). The
    message names the method and what the token may call."""
