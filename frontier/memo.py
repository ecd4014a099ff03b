"""A small thread-safe memo of recent results, kept on the object whose data they derive from."""

from __future__ import annotations

import threading
from collections import OrderedDict

_MISSING = object()


class Memo:
    def __init__(self, maxsize: int = 64):
        self.maxsize = maxsize
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, compute):
        """The value for ``key``, computed (outside the lock: two threads may both compute a
        missing value, which is harmless and keeps one slow view from blocking the others)."""
        value = self.peek(key, _MISSING)
        if value is not _MISSING:
            return value
        value = compute()
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.maxsize:
                self._items.popitem(last=False)
        return value

    def peek(self, key, default=None):
        """The value for ``key`` if it is here (counted as recent), else ``default``."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        return default

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)
