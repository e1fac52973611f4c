"""A small in-process limiter: how many misses one client address may make in a sliding window."""
import threading
import time
from collections import defaultdict, deque

from flask import current_app

# A lookup desk is one PC shared by every visitor, so the bound is generous for people who mistype
# and still far too low for anyone guessing tokens or lookup codes.
DEFAULT_LIMIT = 20
DEFAULT_WINDOW_SECONDS = 600


class SlidingWindowLimiter:
    """Counts events per key over the last `window` seconds; thread-safe for waitress' worker threads."""

    def __init__(self, limit: int, window: float, clock=time.monotonic):
        self.limit = limit
        self.window = window
        self.clock = clock
        self._events: dict[str, deque] = defaultdict(deque)
        self._lock = threading.Lock()

    def _expire(self, key: str, moment: float) -> deque:
        events = self._events[key]
        while events and events[0] <= moment - self.window:
            events.popleft()
        if not events:
            del self._events[key]
            return deque()
        return events

    def blocked(self, key: str) -> bool:
        """Whether `key` has used up its allowance in the current window."""
        with self._lock:
            return len(self._expire(key, self.clock())) >= self.limit

    def hit(self, key: str) -> None:
        """Count one event for `key`."""
        with self._lock:
            moment = self.clock()
            self._expire(key, moment)
            self._events[key].append(moment)

    def reset(self) -> None:
        with self._lock:
            self._events.clear()


def lookup_limiter() -> SlidingWindowLimiter:
    """The limiter of failed public lookups, one per app (a test's new app starts with a clean slate)."""
    limiter = current_app.extensions.get("lookup_limiter")
    if limiter is None:
        limiter = current_app.extensions.setdefault(
            "lookup_limiter",
            SlidingWindowLimiter(
                current_app.config.get("LOOKUP_MISS_LIMIT", DEFAULT_LIMIT),
                current_app.config.get("LOOKUP_MISS_WINDOW", DEFAULT_WINDOW_SECONDS),
            ),
        )
    return limiter
