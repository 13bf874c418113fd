"""Bearer-token authentication as a server interceptor.

Callers send `authorization: Bearer <token>` metadata. Tokens are compared in constant time
(hmac.compare_digest against every accepted token, without stopping at the first match), so response time
says nothing about how much of a guess was right. Health checks may stay open (a setting) so load balancers
can probe without a token; reflection and BriefingService always need one.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from typing import Any

import grpc

from briefing_service.edge.interceptors import Continuation

HEALTH_PREFIX = "/grpc.health.v1.Health/"


def token_from_metadata(metadata: Iterable[tuple[str, str | bytes]] | None) -> str | None:
    for key, value in metadata or ():
        if key.lower() == "authorization":
            text = value.decode("latin-1") if isinstance(value, bytes) else value
            scheme, _, token = text.strip().partition(" ")
            return token.strip() if scheme.lower() == "bearer" else ""
    return None


class AuthInterceptor(grpc.aio.ServerInterceptor):
    def __init__(self, tokens: Iterable[str], *, health_open: bool = True) -> None:
        self._tokens = [t.encode("utf-8") for t in tokens]
        if not self._tokens:
            raise ValueError("AuthInterceptor needs at least one token")
        self._health_open = health_open

    def accepts(self, token: str | None) -> bool:
        if not token:
            return False
        given = token.encode("utf-8", "surrogatepass")
        ok = False
        for accepted in self._tokens:
            ok |= hmac.compare_digest(given, accepted)  # no early exit: constant time in the token list
        return ok

    async def intercept_service(
        self, continuation: Continuation, handler_call_details: grpc.HandlerCallDetails
    ) -> grpc.RpcMethodHandler:
        handler = await continuation(handler_call_details)
        if handler is None or (self._health_open and handler_call_details.method.startswith(HEALTH_PREFIX)):
            return handler
        token = token_from_metadata(handler_call_details.invocation_metadata)
        if self.accepts(token):
            return handler
        message = (
            "missing bearer token: send metadata 'authorization: Bearer <token>'"
            if token is None
            else "bearer token not accepted"
        )
        return _denying(handler, message)


def _denying(handler: grpc.RpcMethodHandler, message: str) -> grpc.RpcMethodHandler:
    """A handler of the same shape that answers UNAUTHENTICATED without running the method. A coroutine
    (not a generator) serves streaming responses too in grpc.aio."""

    async def deny(request: Any, context: grpc.aio.ServicerContext) -> Any:
        await context.abort(grpc.StatusCode.UNAUTHENTICATED, message)

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
