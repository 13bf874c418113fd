"""Python client for the Briefing gRPC service: BriefingClient (sync), AsyncBriefingClient (asyncio), typed
article input and typed errors carrying the server's google.rpc details; the `briefing` CLI is cli.py."""

from briefing_client.aio import AsyncBriefingClient
from briefing_client.client import BriefingClient
from briefing_client.errors import (
    BriefingClientError,
    Cancelled,
    DeadlineExceeded,
    FailedPrecondition,
    FieldViolation,
    InternalError,
    InvalidArgument,
    PermissionDenied,
    ResourceExhausted,
    Unauthenticated,
    Unavailable,
    Unimplemented,
    from_status,
)
from briefing_client.messages import Article, SummarizeOptions

__all__ = [
    "Article",
    "AsyncBriefingClient",
    "BriefingClient",
    "BriefingClientError",
    "Cancelled",
    "DeadlineExceeded",
    "FailedPrecondition",
    "FieldViolation",
    "InternalError",
    "InvalidArgument",
    "PermissionDenied",
    "ResourceExhausted",
    "SummarizeOptions",
    "Unauthenticated",
    "Unavailable",
    "Unimplemented",
    "from_status",
]
