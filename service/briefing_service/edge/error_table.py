"""The one table from domain errors to gRPC statuses and their google.rpc details (AIP-193).

Every non-OK status the service sends carries a google.rpc.Status in `grpc-status-details-bin`, and each
failed item of a SummarizeStream carries the same Status in its `status` field:
- ErrorInfo: `reason` (below), `domain` ("briefing.v1"), `metadata` (the error's own, e.g. limit and received);
- BadRequest with one FieldViolation (the field path and the message) on INVALID_ARGUMENT;
- RetryInfo on RESOURCE_EXHAUSTED and UNAVAILABLE: how long to wait before trying again (here or elsewhere).

`rpcs` says where a caller can meet each error, as the call's status or as a stream item's status; the
.proto's per-rpc comments list the same codes and reasons (a test compares them). BuildBriefing lists an
article that fails alone in `Briefing.errors` instead of failing the call.

Statuses the service returns without a domain error of its own:
- INTERNAL: a bug; the message is generic (ErrorInfo reason INTERNAL) and the traceback is logged.
- CANCELLED: the client went away; gRPC cancels the handler and its queued work is skipped.
- DEADLINE_EXCEEDED from gRPC itself: the deadline passed while the call was being served.
- RESOURCE_EXHAUSTED from the transport: a message over --max-receive-message-bytes (no details).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import grpc
from google.protobuf import duration_pb2
from google.rpc import error_details_pb2, status_pb2
from grpc_status import rpc_status

from briefing_service import errors

DOMAIN = "briefing.v1"
INTERNAL_MESSAGE = "internal error; the server logged the details"
INTERNAL_REASON = "INTERNAL"

SUMMARIZE = "Summarize"
STREAM = "SummarizeStream"
INFO = "GetModelInfo"
BUILD = "BuildBriefing"
ALL_RPCS = frozenset({SUMMARIZE, STREAM, INFO, BUILD})
ARTICLE_RPCS = frozenset({SUMMARIZE, STREAM})  # per-article errors; BuildBriefing lists them in the briefing


@dataclass(frozen=True)
class ErrorKind:
    code: grpc.StatusCode
    reason: str  # ErrorInfo.reason: UPPER_SNAKE_CASE, stable; programs switch on it
    rpcs: frozenset[str]
    field: str = ""  # BadRequest field path when the error does not name its own (INVALID_ARGUMENT only)
    retry_after: float | None = (
        None  # RetryInfo delay when the error does not carry its own; None: no RetryInfo
    )


_INVALID = grpc.StatusCode.INVALID_ARGUMENT
_RETRY_SECONDS = 1.0

ERROR_TABLE: dict[type[errors.BriefingError], ErrorKind] = {
    errors.InvalidArticle: ErrorKind(_INVALID, "ARTICLE_EMPTY", ARTICLE_RPCS, field="article.text"),
    errors.ArticleTooLarge: ErrorKind(_INVALID, "ARTICLE_TOO_LARGE", ARTICLE_RPCS, field="article.text"),
    errors.InvalidOptions: ErrorKind(_INVALID, "OPTION_INVALID", ARTICLE_RPCS | {BUILD}, field="options"),
    errors.StreamTooLong: ErrorKind(_INVALID, "STREAM_TOO_LONG", frozenset({STREAM}), field="article"),
    errors.BriefingTooLarge: ErrorKind(_INVALID, "BRIEFING_TOO_LARGE", frozenset({BUILD}), field="article"),
    errors.EmptyBriefing: ErrorKind(_INVALID, "BRIEFING_EMPTY", frozenset({BUILD}), field="article"),
    errors.ModelsLoading: ErrorKind(
        grpc.StatusCode.UNAVAILABLE, "MODELS_LOADING", ALL_RPCS, retry_after=_RETRY_SECONDS
    ),
    errors.Draining: ErrorKind(grpc.StatusCode.UNAVAILABLE, "DRAINING", ALL_RPCS, retry_after=_RETRY_SECONDS),
    errors.QueueFull: ErrorKind(
        grpc.StatusCode.RESOURCE_EXHAUSTED, "QUEUE_FULL", ARTICLE_RPCS, retry_after=_RETRY_SECONDS
    ),
    errors.TooManyCalls: ErrorKind(
        grpc.StatusCode.RESOURCE_EXHAUSTED, "TOO_MANY_CALLS", ALL_RPCS, retry_after=_RETRY_SECONDS
    ),
    errors.DeadlineUnmeetable: ErrorKind(
        grpc.StatusCode.DEADLINE_EXCEEDED, "DEADLINE_TOO_SHORT", ARTICLE_RPCS
    ),
    # Nobody receives it: gRPC has already ended the call when the pipeline notices.
    errors.CallerGone: ErrorKind(grpc.StatusCode.CANCELLED, "CALLER_GONE", frozenset()),
    errors.TokenMissing: ErrorKind(grpc.StatusCode.UNAUTHENTICATED, "TOKEN_MISSING", ALL_RPCS),
    errors.TokenRejected: ErrorKind(grpc.StatusCode.UNAUTHENTICATED, "TOKEN_REJECTED", ALL_RPCS),
    errors.PermissionDenied: ErrorKind(grpc.StatusCode.PERMISSION_DENIED, "METHOD_NOT_ALLOWED", ALL_RPCS),
    # A model that cannot load stops the server at startup (exit code 2); no call is answered with it.
    errors.ModelLoadError: ErrorKind(grpc.StatusCode.FAILED_PRECONDITION, "MODEL_LOAD_FAILED", frozenset()),
}


def kind_of(exc: BaseException) -> ErrorKind | None:
    """The table's entry for ``exc`` (None: not a domain error, so INTERNAL)."""
    for cls in type(exc).__mro__:
        if cls in ERROR_TABLE:
            return ERROR_TABLE[cls]
    return None


def status_for(exc: BaseException) -> tuple[grpc.StatusCode, str]:
    """Map any exception to (code, message). Unknown errors get a generic message: their text may leak
    internals, so it goes to the log instead."""
    kind = kind_of(exc)
    if kind is None:
        return grpc.StatusCode.INTERNAL, INTERNAL_MESSAGE
    return kind.code, str(exc)


def status_proto(exc: BaseException) -> status_pb2.Status:
    """The google.rpc.Status for ``exc``: code, message and the details the table says it carries."""
    code, message = status_for(exc)
    status = status_pb2.Status(code=code.value[0], message=message)
    kind = kind_of(exc)
    if kind is None or not isinstance(exc, errors.BriefingError):
        status.details.add().Pack(error_details_pb2.ErrorInfo(reason=INTERNAL_REASON, domain=DOMAIN))
        return status
    status.details.add().Pack(
        error_details_pb2.ErrorInfo(reason=kind.reason, domain=DOMAIN, metadata=exc.metadata)
    )
    if kind.code is grpc.StatusCode.INVALID_ARGUMENT:
        violation = error_details_pb2.BadRequest.FieldViolation(
            field=exc.field or kind.field, description=message
        )
        status.details.add().Pack(error_details_pb2.BadRequest(field_violations=[violation]))
    if kind.retry_after is not None:
        delay = exc.retry_after if exc.retry_after is not None else kind.retry_after
        duration = duration_pb2.Duration()
        duration.FromTimedelta(datetime.timedelta(seconds=delay))
        status.details.add().Pack(error_details_pb2.RetryInfo(retry_delay=duration))
    return status


def grpc_status(exc: BaseException) -> grpc.Status:
    """What `context.abort_with_status` takes: code, message and the details in trailing metadata."""
    return rpc_status.to_status(status_proto(exc))
