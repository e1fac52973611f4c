"""The same demo data on SQLite and PostgreSQL must give the same report (issue 20, item 5).

    .venv/bin/python scripts/compare_engines.py --server postgresql://postgres@127.0.0.1:5432 \
        [--name bench_compare] [--dossiers 5000] [--seed 20] [--period 2026-Q3] [--by field] [--replace]

Builds a fresh SQLite file (in a temporary folder) and a fresh PostgreSQL database `--name` on `--server`
with the same `run.py demo-data --dossiers N --seed S`, runs `run.py report --period P --format json`
(and `--by B` when given) on both, and compares the two answers. "as_of" (the moment the report was
made) is left out; everything else must be equal. Prints each difference and exits 1 when there is one,
0 when the engines agree. The PostgreSQL database is kept for a look afterwards; --replace drops it first
when it exists (without it an existing database is refused, never overwritten).

Demo data is made relative to today: build both sides the same day (this script does, minutes apart).
"""
import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IGNORED = {"as_of"}


def previous_quarter(today: datetime.date) -> str:
    """The last complete quarter: demo-data spans at least 180 days before today, so it has data."""
    quarter = (today.month - 1) // 3  # this quarter's index from 0; the previous one's from 1
    return f"{today.year - 1}-Q4" if quarter == 0 else f"{today.year}-Q{quarter}"


def differences(left, right, path: str = "") -> list[str]:
    """Where two JSON values differ, as `path: left != right` lines (keys in IGNORED are skipped)."""
    if isinstance(left, dict) and isinstance(right, dict):
        found = []
        for key in sorted(set(left) | set(right), key=str):
            if key in IGNORED:
                continue
            if key not in left or key not in right:
                found.append(f"{path}/{key}: only on {'SQLite' if key in left else 'PostgreSQL'}")
            else:
                found += differences(left[key], right[key], f"{path}/{key}")
        return found
    if isinstance(left, list) and isinstance(right, list):
        found = [f"{path}: {len(left)} items != {len(right)} items"] if len(left) != len(right) else []
        for index, (a, b) in enumerate(zip(left, right)):
            found += differences(a, b, f"{path}[{index}]")
        return found
    return [] if left == right and type(left) is type(right) else [f"{path}: {left!r} != {right!r}"]


def run_py(env: dict, *args) -> str:
    done = subprocess.run([sys.executable, str(ROOT / "run.py"), *args], env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"run.py {' '.join(args)} failed ({done.returncode}):\n{done.stderr or done.stdout}")
    return done.stdout


def fresh_postgres(server: str, name: str, replace: bool) -> str:
    import psycopg

    with psycopg.connect(server.rstrip("/") + "/postgres", autocommit=True) as connection:
        exists = connection.execute("select 1 from pg_database where datname = %s", (name,)).fetchone()
        if exists and not replace:
            raise SystemExit(f"database {name} exists: choose another --name, or add --replace to drop it first")
        if exists:
            connection.execute(f'drop database "{name}"')
        connection.execute(f'create database "{name}"')
    return server.rstrip("/") + "/" + name


def report(url: str, args) -> dict:
    env = dict(os.environ, DATABASE_URL=url, PYTHONUNBUFFERED="1")
    run_py(env, "migrate")
    run_py(env, "demo-data", "--dossiers", str(args.dossiers), "--seed", str(args.seed))
    command = ["report", "--period", args.period, "--format", "json"] + (["--by", args.by] if args.by else [])
    return json.loads(run_py(env, *command))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", required=True, help="postgresql://user@host:port of a server where --name may be created")
    parser.add_argument("--name", default="bench_compare", help="the PostgreSQL database to create (default bench_compare)")
    parser.add_argument("--dossiers", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--period", default=previous_quarter(datetime.date.today()))
    parser.add_argument("--by", default="field", help="the breakdown (default field; empty for the totals only)")
    parser.add_argument("--replace", action="store_true", help="drop --name first when it exists")
    parser.add_argument("--keep", type=Path, help="write both reports here (sqlite.json, postgresql.json)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="motcua-compare-") as folder:
        sqlite_report = report(f"sqlite:///{folder}/compare.sqlite3", args)
    postgres_report = report(fresh_postgres(args.server, args.name, args.replace), args)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        (args.keep / "sqlite.json").write_text(json.dumps(sqlite_report, ensure_ascii=False, indent=2))
        (args.keep / "postgresql.json").write_text(json.dumps(postgres_report, ensure_ascii=False, indent=2))
    found = differences(sqlite_report, postgres_report)
    what = f"{args.dossiers:,} dossiers, seed {args.seed}, period {args.period}" + (f", by {args.by}" if args.by else "")
    if found:
        print(f"SQLite and PostgreSQL differ ({what}): {len(found)} differences")
        print("\n".join(found))
        return 1
    rows = len(sqlite_report.get("rows", [])) if isinstance(sqlite_report, dict) else 0
    print(f"SQLite and PostgreSQL agree ({what}; as_of left out){f'; {rows} rows' if rows else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
