"""A dict that empties itself when full: the memo tables the parsing components keep must not grow with the
words a long-running server meets (docs/reliability.md, memory)."""

from __future__ import annotations

from typing import Any, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class BoundedCache(dict[K, V]):
    """Emptied, not evicted one by one: a memo of common words refills within an article or two, and the
    check costs one ``len`` per insertion."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def __setitem__(self, key: K, value: V) -> None:
        if len(self) >= self.limit:
            self.clear()
        super().__setitem__(key, value)

    def __reduce__(self) -> tuple[Any, ...]:
        # Built with its limit first, then filled: pickle's default for a dict subclass sets the items before
        # the instance's attributes exist.
        return (type(self), (self.limit,), None, None, iter(self.items()))
