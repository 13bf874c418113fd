"""Typed client exceptions: one class per gRPC status the service returns, with the google.rpc details the
server attaches (AIP-193) as attributes.

Every error carries ``code`` (grpc.StatusCode), ``message`` (the server's text; ``details`` is the same
string, under gRPC's own name for it) and, when the server sent them, ``reason`` and ``domain`` (ErrorInfo:
``reason`` is stable, e.g. "ARTICLE_TOO_LARGE", "QUEUE_FULL"), ``metadata`` (ErrorInfo.metadata, e.g.
{"limit": "200000", "received": "241233"}; ``limit`` and ``received`` read it as ints), ``field_violations``
(BadRequest: which request field, and why) and ``retry_after`` (RetryInfo, seconds). An error that never
reached the server (no connection) has no ``reason``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import grpc
from google.rpc import error_details_pb2, status_pb2

DETAILS_METADATA_KEY = "grpc-status-details-bin"


@dataclass(frozen=True)
class FieldViolation:
    field: str  # the request field path, e.g. "article.text", "options.max_key_points"
    description: str


class BriefingClientError(Exception):
    """A call failed. See the module docstring for the attributes."""

    code: grpc.StatusCode = grpc.StatusCode.UNKNOWN

    def __init__(
        self,
        message: str,
        code: grpc.StatusCode | None = None,
        *,
        reason: str = "",
        domain: str = "",
        metadata: Mapping[str, str] | None = None,
        field_violations: Iterable[FieldViolation] = (),
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.reason = reason
        self.domain = domain
        self.metadata: dict[str, str] = dict(metadata or {})
        self.field_violations = tuple(field_violations)
        self.retry_after = retry_after

    @property
    def details(self) -> str:
        """The server's message (gRPC calls it `details`)."""
        return self.message

    @property
    def field(self) -> str | None:
        """The first request field the server named as wrong, if any."""
        return self.field_violations[0].field if self.field_violations else None

    @property
    def limit(self) -> int | None:
        return _int(self.metadata.get("limit"))

    @property
    def received(self) -> int | None:
        return _int(self.metadata.get("received"))

    @property
    def from_server(self) -> bool:
        """True when the server itself answered with this status (it sent details); False for what the
        transport reports, such as a server that cannot be reached."""
        return bool(self.reason)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


class InvalidArgument(BriefingClientError):
    code = grpc.StatusCode.INVALID_ARGUMENT


class FailedPrecondition(BriefingClientError):
    code = grpc.StatusCode.FAILED_PRECONDITION


class Unavailable(BriefingClientError):
    code = grpc.StatusCode.UNAVAILABLE


class ResourceExhausted(BriefingClientError):
    code = grpc.StatusCode.RESOURCE_EXHAUSTED


class DeadlineExceeded(BriefingClientError):
    code = grpc.StatusCode.DEADLINE_EXCEEDED


class Cancelled(BriefingClientError):
    code = grpc.StatusCode.CANCELLED


class Unauthenticated(BriefingClientError):
    code = grpc.StatusCode.UNAUTHENTICATED


class PermissionDenied(BriefingClientError):
    code = grpc.StatusCode.PERMISSION_DENIED


class Unimplemented(BriefingClientError):
    """The server does not have this method (an older server)."""

    code = grpc.StatusCode.UNIMPLEMENTED


class InternalError(BriefingClientError):
    code = grpc.StatusCode.INTERNAL


ERROR_CLASSES: tuple[type[BriefingClientError], ...] = (
    InvalidArgument,
    FailedPrecondition,
    Unavailable,
    ResourceExhausted,
    DeadlineExceeded,
    Cancelled,
    Unauthenticated,
    PermissionDenied,
    Unimplemented,
    InternalError,
)
_BY_CODE: dict[grpc.StatusCode, type[BriefingClientError]] = {cls.code: cls for cls in ERROR_CLASSES}


def code_from_number(number: int) -> grpc.StatusCode:
    for code in grpc.StatusCode:
        if code.value[0] == number:
            return code
    return grpc.StatusCode.UNKNOWN


def from_code(code: grpc.StatusCode, message: str) -> BriefingClientError:
    return _BY_CODE.get(code, BriefingClientError)(message, code)


def from_status(status: status_pb2.Status) -> BriefingClientError | None:
    """The typed error a google.rpc.Status stands for (a SummarizeStream item's `status`); None when OK."""
    if status.code == 0:
        return None
    code = code_from_number(status.code)
    error = from_code(code, status.message)
    for any_detail in status.details:
        if any_detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            any_detail.Unpack(info)
            error.reason, error.domain, error.metadata = info.reason, info.domain, dict(info.metadata)
        elif any_detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad = error_details_pb2.BadRequest()
            any_detail.Unpack(bad)
            error.field_violations += tuple(
                FieldViolation(v.field, v.description) for v in bad.field_violations
            )
        elif any_detail.Is(error_details_pb2.RetryInfo.DESCRIPTOR):
            retry = error_details_pb2.RetryInfo()
            any_detail.Unpack(retry)
            error.retry_after = retry.retry_delay.ToTimedelta().total_seconds()
    return error


def from_rpc_error(exc: grpc.RpcError) -> BriefingClientError:
    """The typed error for a failed call (sync or grpc.aio), details read from its trailing metadata."""
    code = exc.code() if hasattr(exc, "code") else grpc.StatusCode.UNKNOWN
    message = (exc.details() if hasattr(exc, "details") else str(exc)) or ""
    trailing = exc.trailing_metadata() if hasattr(exc, "trailing_metadata") else None
    for key, value in trailing or ():
        if key == DETAILS_METADATA_KEY and isinstance(value, bytes):
            status = status_pb2.Status.FromString(value)
            # The transport's own status wins over details that disagree with it.
            if status.code == code.value[0]:
                error = from_status(status)
                if error is not None:
                    error.message = message or error.message
                    error.args = (error.message,)
                    return error
    return from_code(code, message)


def stream_broke(error: BriefingClientError) -> bool:
    """Whether a stream that ended with ``error`` may be reopened with the articles not yet answered:
    UNAVAILABLE (a replica went away or is draining), or an INTERNAL the transport made up rather than the
    server sent (no details): grpc.aio reports a request written while the server was closing the stream as
    "Internal error from Core" instead of the server's own status."""
    if isinstance(error, Unavailable):
        return True
    return isinstance(error, InternalError) and not error.from_server
