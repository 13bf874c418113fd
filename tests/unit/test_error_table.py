"""Every domain error maps to one documented gRPC status; unknown errors become a generic INTERNAL."""

from __future__ import annotations

import grpc
from briefing_service import errors
from briefing_service.edge.error_table import ERROR_TABLE, INTERNAL_MESSAGE, status_for


def _all_subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _all_subclasses(sub)
    return found


def test_every_domain_error_is_mapped() -> None:
    unmapped = _all_subclasses(errors.BriefingError) - set(ERROR_TABLE)
    assert not unmapped, f"add these to ERROR_TABLE: {sorted(c.__name__ for c in unmapped)}"


def test_codes() -> None:
    assert status_for(errors.ArticleTooLarge(41_233, 200)) == (
        grpc.StatusCode.INVALID_ARGUMENT,
        "article is 41,233 chars; max 200",
    )
    assert status_for(errors.NotReady("loading"))[0] is grpc.StatusCode.UNAVAILABLE
    assert status_for(errors.Overloaded("full"))[0] is grpc.StatusCode.RESOURCE_EXHAUSTED
    assert status_for(errors.DeadlineUnmeetable("late"))[0] is grpc.StatusCode.DEADLINE_EXCEEDED
    assert status_for(errors.Unauthenticated("who"))[0] is grpc.StatusCode.UNAUTHENTICATED
    assert status_for(errors.PermissionDenied("no"))[0] is grpc.StatusCode.PERMISSION_DENIED


def test_unknown_errors_are_internal_and_generic() -> None:
    code, message = status_for(KeyError("secret/path/in/message"))
    assert code is grpc.StatusCode.INTERNAL
    assert message == INTERNAL_MESSAGE and "secret" not in message
