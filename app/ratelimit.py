"""A small in-process limiter: how many guesses one key (a client address, a dossier) may make in a sliding window."""
import threading
import time
from collections import defaultdict, deque

from flask import current_app

from .settings import load as load_settings

# A lookup desk is one PC shared by every visitor: the bound on wrong lookup codes from one address is
# generous for a queue of people who mistype, and still far too low for anyone guessing across dossiers.
DEFAULT_LIMIT = 40
DEFAULT_WINDOW_SECONDS = 600
# One dossier's lookup code (83,521 possibilities) takes few wrong tries from anywhere: five an hour
# is a year of guessing, and its owner can still scan the receipt's QR code, which is never limited.
DEFAULT_DOSSIER_LIMIT = 5
DEFAULT_DOSSIER_WINDOW_SECONDS = 3600


class SlidingWindowLimiter:
    """Counts attempts per key over the last `window` seconds; thread-safe for waitress' worker threads.

    An attempt is counted before it is tried (`acquire`) and given back when it turned out right
    (`release`), so that attempts arriving together cannot all pass one check before any is recorded.
    """

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

    def acquire(self, key: str) -> bool:
        """Count one attempt for `key` and say True, or say False when its allowance is used up."""
        with self._lock:
            moment = self.clock()
            if len(self._expire(key, moment)) >= self.limit:
                return False
            self._events[key].append(moment)
            return True

    def release(self, key: str) -> None:
        """Give back an attempt counted by `acquire`: it was right, or another limit refused it."""
        with self._lock:
            events = self._events.get(key)
            if events:
                events.pop()
            if not events:
                self._events.pop(key, None)

    def reset(self) -> None:
        with self._lock:
            self._events.clear()


def _limiter(name: str, limit: int, window: float) -> SlidingWindowLimiter:
    """The app's limiter `name`, made at first use (a test's new app starts with a clean slate)."""
    limiter = current_app.extensions.get(name)
    if limiter is None:
        limiter = current_app.extensions.setdefault(name, SlidingWindowLimiter(limit, window))
    return limiter


def lookup_limiter() -> SlidingWindowLimiter:
    """Wrong lookup codes per client address."""
    config = current_app.config
    return _limiter(
        "lookup_limiter",
        config.get("LOOKUP_MISS_LIMIT", DEFAULT_LIMIT),
        config.get("LOOKUP_MISS_WINDOW", DEFAULT_WINDOW_SECONDS),
    )


def dossier_lookup_limiter() -> SlidingWindowLimiter:
    """Wrong lookup codes per dossier code, from any address."""
    config = current_app.config
    return _limiter(
        "dossier_lookup_limiter",
        config.get("LOOKUP_DOSSIER_MISS_LIMIT", DEFAULT_DOSSIER_LIMIT),
        config.get("LOOKUP_DOSSIER_MISS_WINDOW", DEFAULT_DOSSIER_WINDOW_SECONDS),
    )


# Tickets from one kiosk in this window: a crowd taking numbers one after another stays well under it.
KIOSK_TICKET_WINDOW_SECONDS = 60


def kiosk_ticket_limiter() -> SlidingWindowLimiter:
    """Tickets per kiosk (client address); the allowance is the setting, read at each use."""
    limiter = _limiter("kiosk_ticket_limiter", 1, KIOSK_TICKET_WINDOW_SECONDS)
    limiter.limit = load_settings()["queue_kiosk_limit"]
    return limiter
