"""The one table from domain errors to gRPC status codes (the README's status contract mirrors it).

Statuses the service returns without a domain error of its own:
- CANCELLED: the client went away; gRPC cancels the handler and its queued work is skipped.
- DEADLINE_EXCEEDED from gRPC itself: the deadline passed while the call was being served.
- RESOURCE_EXHAUSTED from the transport: a message over --max-receive-message-bytes.
"""

from __future__ import annotations

import grpc

from briefing_service import errors

ERROR_TABLE: dict[type[errors.BriefingError], grpc.StatusCode] = {
    errors.InvalidArticle: grpc.StatusCode.INVALID_ARGUMENT,
    errors.ArticleTooLarge: grpc.StatusCode.INVALID_ARGUMENT,
    errors.InvalidOptions: grpc.StatusCode.INVALID_ARGUMENT,
    errors.NotReady: grpc.StatusCode.UNAVAILABLE,
    errors.Overloaded: grpc.StatusCode.RESOURCE_EXHAUSTED,
    errors.DeadlineUnmeetable: grpc.StatusCode.DEADLINE_EXCEEDED,
    errors.CallerGone: grpc.StatusCode.CANCELLED,
    errors.Unauthenticated: grpc.StatusCode.UNAUTHENTICATED,
    errors.PermissionDenied: grpc.StatusCode.PERMISSION_DENIED,
    errors.ModelLoadError: grpc.StatusCode.FAILED_PRECONDITION,
}

INTERNAL_MESSAGE = "internal error; the server logged the details"


def status_for(exc: BaseException) -> tuple[grpc.StatusCode, str]:
    """Map any exception to (code, message). Unknown errors get a generic message: their text may leak
    internals, so it goes to the log instead."""
    for cls in type(exc).__mro__:
        if cls in ERROR_TABLE:
            return ERROR_TABLE[cls], str(exc)
    return grpc.StatusCode.INTERNAL, INTERNAL_MESSAGE
