"""The server's logs: text or JSON lines, each record inside a call tagged with that call's request id.

A call's request id is the caller's ``x-request-id`` metadata when it sends a usable one (so a trace can span
services), else a new random one; the server returns it in the call's trailing metadata and writes it on
every record logged while the call runs. Each finished call gets one line (method, status, seconds, peer) on
the ``briefing.calls`` logger: always in JSON logs, which are one object per line for a log collector
(Kubernetes' node agents, Loki, Cloud Logging) to index without parsing text; in text logs only at
--log-level DEBUG, so a terminal running `make bench` is not flooded.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import uuid
from datetime import UTC, datetime
from typing import Any

REQUEST_ID_HEADER = "x-request-id"
# A caller's id is kept only if it is short and plain: it lands in every log line of the call.
_USABLE_ID = re.compile(r"[A-Za-z0-9._:/+=-]{1,128}")
REQUEST_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
# Fields a record may carry beside its message (logging's `extra=`), written as JSON fields.
CALL_FIELDS = ("method", "code", "seconds", "peer")
CALLS_LOGGER = "briefing.calls"


def request_id_from(metadata: Any) -> str:
    """The caller's x-request-id if usable, else a new random one (32 hex digits)."""
    for key, value in metadata or ():
        if key == REQUEST_ID_HEADER and isinstance(value, str) and _USABLE_ID.fullmatch(value):
            return value
    return uuid.uuid4().hex


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, request_id inside a call, the
    call fields on a call's line, and exception (the formatted traceback) when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None)
        if request_id:
            entry["request_id"] = request_id
        for name in CALL_FIELDS:
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """The plain format, with ``[request id]`` after the logger name inside a call."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s%(call)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        request_id = getattr(record, "request_id", None)
        record.call = f" [{request_id}]" if request_id else ""
        return super().format(record)


def configure_logging(level: str, log_format: str) -> None:
    """The root logger writes to stderr in ``log_format`` ("text" or "json"), every record tagged with the
    request id of the call it was logged in."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    handler.addFilter(_RequestIdFilter())
    logging.basicConfig(level=level.upper(), handlers=[handler], force=True)
    shown = log_format == "json" or logging.getLogger().level <= logging.DEBUG
    logging.getLogger(CALLS_LOGGER).setLevel(logging.NOTSET if shown else logging.WARNING)
