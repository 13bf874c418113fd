"""Bearer-token authentication and per-token authorization, as a server interceptor.

Callers send `authorization: Bearer <token>` metadata. Tokens are compared in constant time
(hmac.compare_digest against every accepted token, without stopping at the first match), so response time
says nothing about how much of a guess was right. Health checks may stay open (a setting) so load balancers
can probe without a token; reflection and BriefingService always need one.

A token may be limited to some BriefingService methods (tokens file: `TOKEN Summarize,SummarizeStream`).
Such a token still passes health checks; any other method (reflection too) answers PERMISSION_DENIED,
naming the method and what the token allows. No token or an unknown one is UNAUTHENTICATED. Both statuses
come from the error table, like every other status the service gives.
"""

from __future__ import annotations

import hmac
from collections.abc import Collection, Iterable, Mapping
from typing import Any

import grpc
from briefing.v1 import briefing_pb2 as pb

from briefing_service import errors
from briefing_service.edge.error_table import grpc_status
from briefing_service.edge.interceptors import Continuation

HEALTH_PREFIX = "/grpc.health.v1.Health/"
_SERVICE = pb.DESCRIPTOR.services_by_name["BriefingService"]
SERVICE_PREFIX = f"/{_SERVICE.full_name}/"
METHOD_NAMES = frozenset(m.name for m in _SERVICE.methods)


def token_from_metadata(metadata: Iterable[tuple[str, str | bytes]] | None) -> str | None:
    for key, value in metadata or ():
        if key.lower() == "authorization":
            text = value.decode("latin-1") if isinstance(value, bytes) else value
            scheme, _, token = text.strip().partition(" ")
            return token.strip() if scheme.lower() == "bearer" else ""
    return None


class AuthInterceptor(grpc.aio.ServerInterceptor):
    def __init__(
        self,
        tokens: Mapping[str, Collection[str] | None] | Iterable[str],
        *,
        health_open: bool = True,
    ) -> None:
        """``tokens``: token -> the BriefingService method names it may call (None: all), or just tokens."""
        grants = tokens if isinstance(tokens, Mapping) else dict.fromkeys(tokens)
        if not grants:
            raise ValueError("AuthInterceptor needs at least one token")
        self._tokens = [t.encode("utf-8") for t in grants]
        self._allowed: list[frozenset[str] | None] = []
        for n, methods in enumerate(grants.values(), 1):
            unknown = sorted(set(methods or ()) - METHOD_NAMES)
            if unknown:
                raise ValueError(
                    f"token #{n} is limited to unknown method(s) {unknown}; "
                    f"{_SERVICE.full_name} has {sorted(METHOD_NAMES)}"
                )
            self._allowed.append(None if methods is None else frozenset(methods))
        self._health_open = health_open

    def match(self, token: str | None) -> int | None:
        """Index of the accepted token equal to ``token`` (None: no match), in time independent of which."""
        if not token:
            return None
        given = token.encode("utf-8", "surrogatepass")
        found = None
        for i, accepted in enumerate(self._tokens):  # no early exit: constant time in the token list
            if hmac.compare_digest(given, accepted):
                found = i
        return found

    def accepts(self, token: str | None) -> bool:
        return self.match(token) is not None

    def check(self, token: str | None, method: str) -> errors.BriefingError | None:
        """The error for calling ``method`` (a gRPC path) with ``token``, or None when it is allowed."""
        found = self.match(token)
        if found is None:
            if token is None:
                return errors.TokenMissing(
                    "missing bearer token: send metadata 'authorization: Bearer <token>'"
                )
            return errors.TokenRejected("bearer token not accepted")
        allowed = self._allowed[found]
        if allowed is None or method.startswith(HEALTH_PREFIX):
            return None
        name = method.removeprefix(SERVICE_PREFIX)
        if name in allowed:
            return None
        return errors.PermissionDenied(
            f"this token may not call {name.lstrip('/')}; it may call {', '.join(sorted(allowed))}",
            metadata={"method": name.lstrip("/"), "allowed": ",".join(sorted(allowed))},
        )

    async def intercept_service(
        self, continuation: Continuation, handler_call_details: grpc.HandlerCallDetails
    ) -> grpc.RpcMethodHandler:
        handler = await continuation(handler_call_details)
        method = handler_call_details.method
        if handler is None or (self._health_open and method.startswith(HEALTH_PREFIX)):
            return handler
        refusal = self.check(token_from_metadata(handler_call_details.invocation_metadata), method)
        return handler if refusal is None else _denying(handler, refusal)


def _denying(handler: grpc.RpcMethodHandler, refusal: errors.BriefingError) -> grpc.RpcMethodHandler:
    """A handler of the same shape that answers the refusal's status without running the method. A
    coroutine (not a generator) serves streaming responses too in grpc.aio."""
    status = grpc_status(refusal)

    async def deny(request: Any, context: grpc.aio.ServicerContext) -> Any:
        await context.abort_with_status(status)

    common = {
        "request_deserializer": handler.request_deserializer,
        "response_serializer": handler.response_serializer,
    }
    if handler.unary_unary:
        return grpc.unary_unary_rpc_method_handler(deny, **common)
    if handler.unary_stream:
        return grpc.unary_stream_rpc_method_handler(deny, **common)
    if handler.stream_unary:
        return grpc.stream_unary_rpc_method_handler(deny, **common)
    return grpc.stream_stream_rpc_method_handler(deny, **common)
