"""Python client for the Briefing gRPC service: library (BriefingClient) and the `briefing` CLI."""

from briefing_client.client import BriefingClient
from briefing_client.errors import (
    BriefingClientError,
    Cancelled,
    DeadlineExceeded,
    InternalError,
    InvalidArgument,
    PermissionDenied,
    ResourceExhausted,
    Unauthenticated,
    Unavailable,
)

__all__ = [
    "BriefingClient",
    "BriefingClientError",
    "Cancelled",
    "DeadlineExceeded",
    "InternalError",
    "InvalidArgument",
    "PermissionDenied",
    "ResourceExhausted",
    "Unauthenticated",
    "Unavailable",
]
