"""Typed client exceptions, one per gRPC status the service documents."""

from __future__ import annotations

import grpc


class BriefingClientError(Exception):
    """A call failed. ``code`` is the gRPC status code, ``details`` the server's message."""

    code: grpc.StatusCode = grpc.StatusCode.UNKNOWN

    def __init__(self, details: str, code: grpc.StatusCode | None = None) -> None:
        super().__init__(details)
        self.details = details
        if code is not None:
            self.code = code


class InvalidArgument(BriefingClientError):
    code = grpc.StatusCode.INVALID_ARGUMENT


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


class InternalError(BriefingClientError):
    code = grpc.StatusCode.INTERNAL


_BY_CODE: dict[grpc.StatusCode, type[BriefingClientError]] = {
    cls.code: cls
    for cls in (
        InvalidArgument,
        Unavailable,
        ResourceExhausted,
        DeadlineExceeded,
        Cancelled,
        Unauthenticated,
        PermissionDenied,
        InternalError,
    )
}


def from_code(code: grpc.StatusCode, details: str) -> BriefingClientError:
    return _BY_CODE.get(code, BriefingClientError)(details, code)


def from_rpc_error(exc: grpc.RpcError) -> BriefingClientError:
    code = exc.code() if hasattr(exc, "code") else grpc.StatusCode.UNKNOWN
    details = exc.details() if hasattr(exc, "details") else str(exc)
    return from_code(code, details or "")


def code_from_number(number: int) -> grpc.StatusCode:
    for code in grpc.StatusCode:
        if code.value[0] == number:
            return code
    return grpc.StatusCode.UNKNOWN
