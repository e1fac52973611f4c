"""The center's clock: naive local time in Asia/Ho_Chi_Minh, the way every record stores it.

Every part of the app asks this module for the current moment (`now()`, `today()`); nothing else
reads the wall clock for a date or an hour. So the clock can be faked in one place, and every
importer sees it, however it imported `now`:

- In tests (same process): `clock.freeze(moment)` stops the clock at `moment`, `clock.advance(delta)`
  moves it, `clock.reset()` gives back the real clock. tests/conftest.py has an autouse `clock`
  fixture that freezes it at a fixed Monday morning for every test.
- In a server started for browser tests (another process): set the environment variable
  `MOTCUA_CLOCK_FILE` to the path of a text file holding one ISO local datetime, for example
  `2027-02-05T15:30:00`. `now()` re-reads the file whenever it changes (inode, modification time or
  size: a stat per call, no read), so a test moves the server's clock by writing a new file and
  renaming it over the old one. Add the word `running` after the datetime
  (`2027-02-05T15:30:00 running`) and the clock goes on from there: it shows that moment plus the
  real time elapsed since the file was written. tests/browser/conftest.py `Server(tmp_path,
  clock=moment)` and `server.set_clock(moment)` write this file.

Without `freeze()` and without `MOTCUA_CLOCK_FILE` the clock is the real one.
"""
import datetime
import os
import time
from zoneinfo import ZoneInfo

CENTER_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CLOCK_FILE_VARIABLE = "MOTCUA_CLOCK_FILE"
RUNNING = "running"

_frozen: datetime.datetime | None = None
# The clock file last read: (path, inode, modification time, size) -> (moment, running).
_file_seen: tuple[tuple[str, int, int, int], tuple[datetime.datetime, bool]] | None = None


def now() -> datetime.datetime:
    """The local time at the center, to the second, without tzinfo (as stored in the database)."""
    if _frozen is not None:
        return _frozen
    path = os.environ.get(CLOCK_FILE_VARIABLE)
    if path:
        return _from_file(path)
    return real_now()


def today() -> datetime.date:
    return now().date()


def real_now() -> datetime.datetime:
    """The wall clock at the center, whatever the fake says."""
    return datetime.datetime.now(CENTER_TZ).replace(tzinfo=None, microsecond=0)


def freeze(moment: datetime.datetime) -> None:
    """Stop this process's clock at `moment` (naive local time) until `advance`, `freeze` or `reset`."""
    global _frozen
    if moment.tzinfo is not None:
        moment = moment.astimezone(CENTER_TZ).replace(tzinfo=None)
    _frozen = moment.replace(microsecond=0)


def advance(delta: datetime.timedelta) -> datetime.datetime:
    """Move the frozen clock on by `delta` and return the new moment."""
    freeze(now() + delta)
    return now()


def reset() -> None:
    """Back to the real clock (or the clock file, when MOTCUA_CLOCK_FILE is set)."""
    global _frozen
    _frozen = None


def write_clock_file(path, moment: datetime.datetime, running: bool = False) -> None:
    """Make the MOTCUA_CLOCK_FILE at `path` show `moment`, standing or running. The text goes to a
    new file renamed over the old one, so a reader never sees half of it and always sees the change."""
    partial = f"{path}.partial"
    with open(partial, "w", encoding="utf-8") as file:
        file.write(moment.replace(microsecond=0).isoformat() + (f" {RUNNING}" if running else "") + "\n")
    os.replace(partial, path)


def _from_file(path: str) -> datetime.datetime:
    global _file_seen
    stat = os.stat(path)
    key = (path, stat.st_ino, stat.st_mtime_ns, stat.st_size)
    if _file_seen is None or _file_seen[0] != key:
        with open(path, encoding="utf-8") as file:
            words = file.read().split()
        if not words or len(words) > 2 or (len(words) == 2 and words[1] != RUNNING):
            raise ValueError(f"{path}: expected 'YYYY-MM-DDTHH:MM[:SS] [{RUNNING}]' for {CLOCK_FILE_VARIABLE}")
        _file_seen = (key, (datetime.datetime.fromisoformat(words[0]).replace(microsecond=0), len(words) == 2))
    moment, running = _file_seen[1]
    if running:
        elapsed = max(0.0, time.time() - stat.st_mtime)
        moment += datetime.timedelta(seconds=int(elapsed))
    return moment
