"""Server interceptors. ErrorInterceptor applies the error table to every BriefingService handler, so the
servicer raises domain errors and never picks status codes itself."""

from __future__ import annotations

import inspect
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import grpc

from briefing_service.edge.error_table import status_for

log = logging.getLogger(__name__)

SERVICE_PREFIX = "/briefing.v1.BriefingService/"


async def _abort_for(exc: Exception, context: grpc.aio.ServicerContext, method: str) -> None:
    code, message = status_for(exc)
    if code is grpc.StatusCode.INTERNAL:
        log.error("unhandled error in %s", method, exc_info=exc)
    await context.abort(code, message)


def _wrap_unary_response(
    behavior: Callable[..., Awaitable[Any]], method: str
) -> Callable[..., Awaitable[Any]]:
    async def wrapper(request: Any, context: grpc.aio.ServicerContext) -> Any:
        try:
            return await behavior(request, context)
        except grpc.aio.AbortError:
            raise
        except Exception as exc:
            await _abort_for(exc, context, method)

    return wrapper


def _wrap_stream_response(behavior: Callable[..., AsyncIterator[Any]], method: str) -> Callable[..., Any]:
    async def wrapper(request: Any, context: grpc.aio.ServicerContext) -> AsyncIterator[Any]:
        try:
            async for response in behavior(request, context):
                yield response
        except grpc.aio.AbortError:
            raise
        except Exception as exc:
            await _abort_for(exc, context, method)

    return wrapper


class ErrorInterceptor(grpc.aio.ServerInterceptor):
    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler]],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler:
        handler = await continuation(handler_call_details)
        method = handler_call_details.method
        if handler is None or not method.startswith(SERVICE_PREFIX):
            return handler  # health and reflection keep their own behaviour
        common = {
            "request_deserializer": handler.request_deserializer,
            "response_serializer": handler.response_serializer,
        }
        if handler.unary_unary:
            return grpc.unary_unary_rpc_method_handler(
                _wrap_unary_response(handler.unary_unary, method), **common
            )
        if handler.stream_unary:
            return grpc.stream_unary_rpc_method_handler(
                _wrap_unary_response(handler.stream_unary, method), **common
            )
        behavior = handler.unary_stream or handler.stream_stream
        if not inspect.isasyncgenfunction(behavior):
            return handler
        wrapped = _wrap_stream_response(behavior, method)
        if handler.unary_stream:
            return grpc.unary_stream_rpc_method_handler(wrapped, **common)
        return grpc.stream_stream_rpc_method_handler(wrapped, **common)
