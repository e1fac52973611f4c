"""The center's clock: naive local time in Asia/Ho_Chi_Minh, the way every record stores it."""
import datetime
from zoneinfo import ZoneInfo

CENTER_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def now() -> datetime.datetime:
    """The local time at the center, to the second, without tzinfo (as stored in the database)."""
    return datetime.datetime.now(CENTER_TZ).replace(tzinfo=None, microsecond=0)


def today() -> datetime.date:
    return now().date()
