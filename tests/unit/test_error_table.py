"""The error table: every domain error maps to one documented status with its google.rpc details; unknown errors
become a generic INTERNAL; the .proto's per-rpc error comments say what the table says."""

from __future__ import annotations

import re
from pathlib import Path

import grpc
import pytest
from briefing_service import errors
from briefing_service.edge.error_table import (
    ALL_RPCS,
    DOMAIN,
    ERROR_TABLE,
    INTERNAL_MESSAGE,
    status_for,
    status_proto,
)
from google.rpc import error_details_pb2

PROTO = Path(__file__).resolve().parents[2] / "proto" / "briefing" / "v1" / "briefing.proto"


def _all_subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _all_subclasses(sub)
    return found


def _details(exc: BaseException) -> dict[str, object]:
    out: dict[str, object] = {}
    for detail in status_proto(exc).details:
        for kind in (error_details_pb2.ErrorInfo, error_details_pb2.BadRequest, error_details_pb2.RetryInfo):
            if detail.Is(kind.DESCRIPTOR):
                message = kind()
                detail.Unpack(message)
                out[kind.__name__] = message
    return out


def test_every_raised_domain_error_is_mapped_with_a_unique_reason() -> None:
    leaves = {c for c in _all_subclasses(errors.BriefingError) if not c.__subclasses__()}
    unmapped = leaves - set(ERROR_TABLE)
    assert not unmapped, f"add these to ERROR_TABLE: {sorted(c.__name__ for c in unmapped)}"
    reasons = [kind.reason for kind in ERROR_TABLE.values()]
    assert len(reasons) == len(set(reasons))
    assert all(re.fullmatch(r"[A-Z][A-Z_]+[A-Z]", r) for r in reasons)
    for kind in ERROR_TABLE.values():
        assert kind.rpcs <= ALL_RPCS
        if kind.code is grpc.StatusCode.INVALID_ARGUMENT:
            assert kind.field, kind.reason  # BadRequest needs a field path
        retryable = kind.code in (grpc.StatusCode.RESOURCE_EXHAUSTED, grpc.StatusCode.UNAVAILABLE)
        assert (kind.retry_after is not None) == retryable, kind.reason


def test_codes_and_messages() -> None:
    assert status_for(errors.ArticleTooLarge(41_233, 200)) == (
        grpc.StatusCode.INVALID_ARGUMENT,
        "article is 41,233 chars; max 200",
    )
    assert status_for(errors.ModelsLoading("loading"))[0] is grpc.StatusCode.UNAVAILABLE
    assert status_for(errors.Draining("bye"))[0] is grpc.StatusCode.UNAVAILABLE
    assert status_for(errors.QueueFull("full"))[0] is grpc.StatusCode.RESOURCE_EXHAUSTED
    assert status_for(errors.TooManyCalls("full"))[0] is grpc.StatusCode.RESOURCE_EXHAUSTED
    assert status_for(errors.DeadlineUnmeetable("late"))[0] is grpc.StatusCode.DEADLINE_EXCEEDED
    assert status_for(errors.TokenMissing("who"))[0] is grpc.StatusCode.UNAUTHENTICATED
    assert status_for(errors.PermissionDenied("no"))[0] is grpc.StatusCode.PERMISSION_DENIED
    assert status_for(errors.ModelLoadError("bad"))[0] is grpc.StatusCode.FAILED_PRECONDITION


def test_invalid_argument_carries_error_info_and_the_field() -> None:
    status = status_proto(errors.ArticleTooLarge(241_233, 200_000))
    assert (status.code, status.message) == (3, "article is 241,233 chars; max 200,000")
    details = _details(errors.ArticleTooLarge(241_233, 200_000))
    info, bad = details["ErrorInfo"], details["BadRequest"]
    assert isinstance(info, error_details_pb2.ErrorInfo) and isinstance(bad, error_details_pb2.BadRequest)
    assert (info.reason, info.domain) == ("ARTICLE_TOO_LARGE", DOMAIN)
    assert dict(info.metadata) == {"limit": "200000", "received": "241233"}
    assert [(v.field, v.description) for v in bad.field_violations] == [
        ("article.text", "article is 241,233 chars; max 200,000")
    ]
    assert "RetryInfo" not in details
    # An error that names its own field wins over the table's default.
    option = errors.InvalidOptions("max_key_points is 21", field="options.max_key_points")
    bad = _details(option)["BadRequest"]
    assert isinstance(bad, error_details_pb2.BadRequest)
    assert bad.field_violations[0].field == "options.max_key_points"


@pytest.mark.parametrize(
    ("error", "seconds"),
    [
        (errors.QueueFull("queue is full", retry_after=2.5), 2.5),
        (errors.QueueFull("queue is full"), 1.0),
        (errors.TooManyCalls("too many"), 1.0),
        (errors.Draining("draining"), 1.0),
        (errors.ModelsLoading("loading"), 1.0),
    ],
)
def test_retry_info_on_resource_exhausted_and_unavailable(
    error: errors.BriefingError, seconds: float
) -> None:
    retry = _details(error)["RetryInfo"]
    assert isinstance(retry, error_details_pb2.RetryInfo)
    assert retry.retry_delay.ToTimedelta().total_seconds() == seconds
    assert "BadRequest" not in _details(error)


def test_unknown_errors_are_internal_and_generic() -> None:
    code, message = status_for(KeyError("secret/path/in/message"))
    assert code is grpc.StatusCode.INTERNAL
    assert message == INTERNAL_MESSAGE and "secret" not in message
    info = _details(KeyError("secret"))["ErrorInfo"]
    assert isinstance(info, error_details_pb2.ErrorInfo) and info.reason == "INTERNAL"


def _proto_errors() -> dict[str, dict[str, set[str]]]:
    """{rpc: {status code name: {ErrorInfo reasons}}} from the comment lines above each rpc."""
    found: dict[str, dict[str, set[str]]] = {}
    comment: list[str] = []
    for line in PROTO.read_text().splitlines():
        stripped = line.strip()
        if stripped.startswith("//"):
            comment.append(stripped[2:].strip())
            continue
        if m := re.match(r"rpc (\w+)\(", stripped):
            codes: dict[str, set[str]] = {}
            for text in comment[comment.index(next(c for c in comment if c.startswith("Errors"))) + 1 :]:
                code, _, reasons = text.partition(": ")
                codes[code] = {r.strip() for r in reasons.split(",")}
            found[m[1]] = codes
        comment = []
    return found


def test_the_proto_lists_each_rpcs_errors_as_the_table_does() -> None:
    documented = _proto_errors()
    assert set(documented) == ALL_RPCS
    for rpc in sorted(ALL_RPCS):
        expected: dict[str, set[str]] = {}
        for kind in ERROR_TABLE.values():
            if rpc in kind.rpcs:
                expected.setdefault(kind.code.name, set()).add(kind.reason)
        assert documented[rpc] == expected, rpc
