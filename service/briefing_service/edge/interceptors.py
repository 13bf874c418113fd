"""Server interceptors.

EdgeInterceptor wraps every BriefingService handler: it gives the call its request id (edge/logs.py), applies
the concurrent-call limit, hands the caller's deadline to the batcher, maps exceptions through the error table
(so the servicer raises domain errors and never picks status codes itself), records metrics and logs one line
when the call ends. AuthInterceptor (edge/auth.py) runs inside it.
"""

from __future__ import annotations

import inspect
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import grpc

from briefing_service.edge.error_table import grpc_status, status_for
from briefing_service.edge.logs import CALLS_LOGGER, REQUEST_ID, REQUEST_ID_HEADER, request_id_from
from briefing_service.edge.metrics import Metrics
from briefing_service.errors import Draining, TooManyCalls
from briefing_service.pipeline.batcher import CALLER_DEADLINE

log = logging.getLogger(__name__)
call_log = logging.getLogger(CALLS_LOGGER)

SERVICE_PREFIX = "/briefing.v1.BriefingService/"
Continuation = Callable[[grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler]]


def rewrap(
    handler: grpc.RpcMethodHandler,
    unary: Callable[[Callable[..., Awaitable[Any]]], Callable[..., Awaitable[Any]]],
    streaming: Callable[[Callable[..., AsyncIterator[Any]]], Callable[..., AsyncIterator[Any]]],
) -> grpc.RpcMethodHandler:
    """The same handler with its behaviour wrapped (unary-response and stream-response wrappers)."""
    common = {
        "request_deserializer": handler.request_deserializer,
        "response_serializer": handler.response_serializer,
    }
    if handler.unary_unary:
        return grpc.unary_unary_rpc_method_handler(unary(handler.unary_unary), **common)
    if handler.stream_unary:
        return grpc.stream_unary_rpc_method_handler(unary(handler.stream_unary), **common)
    behavior = handler.unary_stream or handler.stream_stream
    if not inspect.isasyncgenfunction(behavior):
        return handler
    if handler.unary_stream:
        return grpc.unary_stream_rpc_method_handler(streaming(behavior), **common)
    return grpc.stream_stream_rpc_method_handler(streaming(behavior), **common)


class _Call:
    """Book-keeping for one call: limit, deadline, status, metrics."""

    def __init__(self, owner: EdgeInterceptor, method: str, context: grpc.aio.ServicerContext) -> None:
        self.owner = owner
        self.method = method
        self.context = context
        self.code = grpc.StatusCode.OK
        self.started = time.perf_counter()
        self.counted = False
        self.request_id = request_id_from(context.invocation_metadata())
        self.trailing = ((REQUEST_ID_HEADER, self.request_id),)

    def enter(self) -> None:
        # Each call runs in its own task, so the id set here tags only this call's log records.
        REQUEST_ID.set(self.request_id)
        self.context.set_trailing_metadata(self.trailing)
        owner = self.owner
        remaining = self.context.time_remaining()
        CALLER_DEADLINE.set(None if remaining is None else time.monotonic() + remaining)
        if owner.draining:
            raise Draining("server is draining (shutting down); retry on another replica")
        if owner.in_flight >= owner.max_concurrent_calls:
            raise TooManyCalls(
                f"too many concurrent calls: {owner.in_flight} in flight; max {owner.max_concurrent_calls}",
                metadata={"limit": owner.max_concurrent_calls, "in_flight": owner.in_flight},
            )
        owner.in_flight += 1
        self.counted = True

    async def fail(self, exc: BaseException) -> None:
        if isinstance(exc, grpc.aio.AbortError):
            self.code = self.context.code() or grpc.StatusCode.UNKNOWN
            raise exc
        if not isinstance(exc, Exception):
            # CancelledError: gRPC cancelled the handler because the client went away or its deadline passed.
            remaining = self.context.time_remaining()
            expired = remaining is not None and remaining <= 0
            self.code = grpc.StatusCode.DEADLINE_EXCEEDED if expired else grpc.StatusCode.CANCELLED
            raise exc
        self.code, _ = status_for(exc)
        if self.code is grpc.StatusCode.INTERNAL:
            log.error("unhandled error in %s", self.method, exc_info=exc)
        status = grpc_status(exc)
        # The error details travel in trailing metadata too; the request id goes beside them.
        await self.context.abort(
            status.code, status.details, trailing_metadata=(*status.trailing_metadata, *self.trailing)
        )

    def close(self) -> None:
        if self.counted:
            self.owner.in_flight -= 1
        seconds = time.perf_counter() - self.started
        name = self.method.rsplit("/", 1)[-1]
        call_log.info(
            "%s %s in %.3f s",
            name,
            self.code.name,
            seconds,
            extra={"method": name, "code": self.code.name, "seconds": round(seconds, 4), "peer": self.peer()},
        )
        metrics = self.owner.metrics
        if metrics is not None:
            metrics.calls.labels(name, self.code.name).inc()
            metrics.latency.labels(name, self.code.name).observe(seconds)

    def peer(self) -> str:
        try:
            return str(self.context.peer())
        except Exception:  # the call's transport may already be gone
            return ""


class EdgeInterceptor(grpc.aio.ServerInterceptor):
    def __init__(self, *, max_concurrent_calls: int, metrics: Metrics | None = None) -> None:
        self.max_concurrent_calls = max_concurrent_calls
        self.metrics = metrics
        self.in_flight = 0
        self.draining = False  # set on SIGTERM: new calls get UNAVAILABLE, calls in flight finish
        if metrics is not None:
            metrics.in_flight.set_function(lambda: float(self.in_flight))

    async def intercept_service(
        self, continuation: Continuation, handler_call_details: grpc.HandlerCallDetails
    ) -> grpc.RpcMethodHandler:
        handler = await continuation(handler_call_details)
        method = handler_call_details.method
        if handler is None or not method.startswith(SERVICE_PREFIX):
            return handler  # health and reflection keep their own behaviour
        return rewrap(handler, lambda b: self._unary(b, method), lambda b: self._streaming(b, method))

    def _unary(self, behavior: Callable[..., Awaitable[Any]], method: str) -> Callable[..., Awaitable[Any]]:
        async def wrapper(request: Any, context: grpc.aio.ServicerContext) -> Any:
            call = _Call(self, method, context)
            try:
                call.enter()
                return await behavior(request, context)
            except BaseException as exc:
                await call.fail(exc)
            finally:
                call.close()

        return wrapper

    def _streaming(
        self, behavior: Callable[..., AsyncIterator[Any]], method: str
    ) -> Callable[..., AsyncIterator[Any]]:
        async def wrapper(request: Any, context: grpc.aio.ServicerContext) -> AsyncIterator[Any]:
            call = _Call(self, method, context)
            try:
                call.enter()
                async for response in behavior(request, context):
                    yield response
            except BaseException as exc:
                await call.fail(exc)
            finally:
                call.close()

        return wrapper
