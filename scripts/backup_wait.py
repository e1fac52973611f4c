"""How long counters wait to save while a backup runs: `python3 scripts/backup_wait.py [--dossiers 1000000]`.

Builds (once) a scratch database of N dossiers under /tmp, then lets writer threads save dossiers
through the real service as fast as they can, during a backup made the way the server makes it and
then as long again without one, and prints the save times side by side. `--steps 256 --pause 0.005`
measures a stepped copy instead (on a busy database it restarts at every write and may never end).
"""
import argparse
import datetime
import itertools
import os
import secrets
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from peewee import OperationalError, fn  # noqa: E402

from app import create_app  # noqa: E402
from app.db import database  # noqa: E402
from app.migrations import migrate  # noqa: E402
from app.models import Counter, Dossier, DossierEvent, Procedure  # noqa: E402
from app.services import backup  # noqa: E402
from app.services.catalogue import seed_if_empty  # noqa: E402
from app.services.dossiers import Application, receive  # noqa: E402

BATCH = 5000
DOSSIER_FIELDS = [
    Dossier.code, Dossier.received_day, Dossier.sequence, Dossier.token, Dossier.lookup_code,
    Dossier.procedure, Dossier.procedure_code, Dossier.procedure_name, Dossier.field, Dossier.working_days,
    Dossier.applicant_name, Dossier.applicant_key, Dossier.id_number, Dossier.phone, Dossier.address,
    Dossier.received_at, Dossier.due_at, Dossier.status, Dossier.counter,
]


def build(count: int) -> None:
    """Fill the scratch database with `count` dossiers and their first event, 1,000 a day up to yesterday."""
    migrate(database)
    seed_if_empty()
    if not Counter.select().exists():
        Counter.create(name="Quầy 1", order=1)
    have = Dossier.select().count()
    procedures = list(Procedure.select())
    counter = Counter.select().first()
    per_day = 1000
    first_day = datetime.date.today() - datetime.timedelta(days=count // per_day + 2)
    started = time.monotonic()
    for start in range(have, count, BATCH):
        rows = []
        for number in range(start, min(start + BATCH, count)):
            day = first_day + datetime.timedelta(days=number // per_day)
            sequence = number % per_day + 1
            procedure = procedures[number % len(procedures)]
            at = datetime.datetime.combine(day, datetime.time(8, 0)) + datetime.timedelta(seconds=sequence * 20)
            rows.append((
                f"000.00.20.H42-{day:%y%m%d}-{sequence:04d}", day, sequence, secrets.token_hex(16), "AB12",
                procedure.id, procedure.code, procedure.name, procedure.field_id, procedure.working_days,
                f"Nguyễn Văn {number}", f"nguyen van {number}", f"{number:012d}", "0912345678", "Thôn Trung Tiết",
                at, at + datetime.timedelta(days=3), "received", counter.id,
            ))
        with database.atomic():
            # One INSERT in one transaction: its rows get consecutive ids ending at the last one.
            last_id = Dossier.insert_many(rows, fields=DOSSIER_FIELDS).execute()
            events = [(dossier_id, "receive", "received") for dossier_id in range(last_id - len(rows) + 1, last_id + 1)]
            DossierEvent.insert_many(events, fields=[DossierEvent.dossier, DossierEvent.action, DossierEvent.to_status]).execute()
        done = start + len(rows)
        if done % 100_000 < BATCH:
            print(f"  {done:,} hồ sơ ({time.monotonic() - started:.0f} s)", flush=True)


def writer(results: list, failures: list, stop: threading.Event, procedure_id: int, counter_id: int, next_day) -> None:
    """Save dossiers until told to stop; each on a day of its own batch, so no day runs past 9,999."""
    with database.connection_context():
        procedure = Procedure.get_by_id(procedure_id)
        counter = Counter.get_by_id(counter_id)
        while not stop.is_set():
            received_at = datetime.datetime.combine(next_day(), datetime.time(9, 0))
            began = time.perf_counter()
            try:
                receive(Application(procedure=procedure, applicant_name="Trần Thị Bình"), None, counter, received_at)
            except OperationalError as error:
                failures.append(str(error))
                continue
            results.append(time.perf_counter() - began)


def measure(seconds: float, writers: int, during_backup) -> tuple[list, list, float | None]:
    """Save times (s) and failures over `seconds` of writing, or for as long as a backup takes."""
    procedure = Procedure.select().where(Procedure.working_days > 0).first()
    counter = Counter.select().first()
    first_free_day = max(Dossier.select(fn.MAX(Dossier.received_day)).scalar(), datetime.date.today()) + datetime.timedelta(days=1)
    numbers = itertools.count()
    # count() hands out each number once even across threads (its next() is atomic).
    def next_day():
        return first_free_day + datetime.timedelta(days=next(numbers) // 5000)

    results, failures, stop = [], [], threading.Event()
    threads = [threading.Thread(target=writer, args=(results, failures, stop, procedure.id, counter.id, next_day)) for _ in range(writers)]
    for thread in threads:
        thread.start()
    backup_seconds = None
    if during_backup:
        began = time.perf_counter()
        made = during_backup()
        backup_seconds = time.perf_counter() - began
        made.path.unlink()
    else:
        time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    return results, failures, backup_seconds


def summary(label: str, times: list, failures: list) -> str:
    if not times:
        return f"{label}: no save finished"
    ordered = sorted(times)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (f"{label}: {len(times)} saves, median {statistics.median(times) * 1000:.1f} ms, "
            f"p99 {p99 * 1000:.1f} ms, max {max(times) * 1000:.1f} ms, {len(failures)} failed {sorted(set(failures))}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--database", type=Path, default=Path("/tmp/motcua-backup-wait.sqlite3"))
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--steps", type=int, default=-1, help="pages per step (-1: one snapshot, as the server does)")
    parser.add_argument("--pause", type=float, default=0.0, help="pause between steps, seconds")
    args = parser.parse_args()
    create_app({"DATABASE_URL": f"sqlite:///{args.database}", "SECRET_KEY": secrets.token_hex(32), "TESTING": True})
    with database.connection_context():
        build(args.dossiers)
        total = Dossier.select().count()
    size = args.database.stat().st_size
    folder = Path(f"/tmp/motcua-backup-wait-{os.getpid()}")
    folder.mkdir()
    print(f"Database: {args.database} — {total:,} dossiers, {size / 1e6:,.0f} MB; {args.writers} writer threads")
    with database.connection_context():
        during, during_failed, took = measure(0, args.writers, lambda: backup.make_backup(args.database, folder, step_pages=args.steps, pause=args.pause))
        # As long again without a backup: rare long waits get the same chance to show up in both.
        alone, alone_failed, _ = measure(took, args.writers, None)
    folder.rmdir()
    print(summary(f"without backup ({took:.1f} s)", alone, alone_failed))
    print(summary(f"during backup ({took:.1f} s, copy + integrity_check, steps={args.steps})", during, during_failed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
