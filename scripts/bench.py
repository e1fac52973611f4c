"""Measure the product against a bare Flask "hello world" on the same waitress settings, side by side.

    python3 scripts/bench.py [--dossiers 100000] [--duration 10] [--connections 16] [--out bench.json]
    python3 scripts/bench.py --database-url postgresql://postgres@127.0.0.1:5432/bench [--dossiers 100000] ...

Run it inside the project's environment (`.venv/bin/python scripts/bench.py` after `python3 run.py test`).
It fills a scratch database with `run.py demo-data`, serves the product and a hello-world app on free
local ports with the same waitress settings, loads each target with wrk (installed from Debian's
packages when missing) from a separate process, and prints requests per second, p50/p95/p99 and the
ratio to hello-world measured in the same run. With --database-url the same run targets a PostgreSQL
database that already exists (`createdb` it first): migrated, filled with demo-data when it has no
dossiers, and kept afterwards, so a second run reuses it. Targets (SPEC.md "What good means here"):
status page and board fragments >= 0.5 of hello-world; staff pages p95 < 100 ms; a quarter's report < 1 s.

The public figures that count are the "cold" ones: wrk cycles through thousands of distinct addresses
(each citizen scans their own receipt, types their own search), each asked once, so none can come from
`app/pagecache.py`. The repeated-address lines ask for one address over and over: after the first answer
they are served from memory, and they say so.
"""
import argparse
import concurrent.futures
import datetime
import http.cookiejar
import json
import os
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
THREADS = 8
# Issue 18's goals (stricter than SPEC.md's 100 ms and 1 s).
GOALS = {"public_ratio": 0.5, "staff_p95_ms": 50.0, "report_seconds": 0.3}
# Issue 18: staff pages p95 < 50 ms at 100.000 dossiers, < 100 ms at 1.000.000.
STAFF_P95_AT_A_MILLION_MS = 100.0


def staff_goal_ms(dossiers: int) -> float:
    return STAFF_P95_AT_A_MILLION_MS if dossiers >= 1_000_000 else GOALS["staff_p95_ms"]

WRK_SCRIPT = textwrap.dedent(
    """
    done = function(summary, latency, requests)
      io.write(string.format('{"requests": %d, "seconds": %.3f, "errors": %d, "non2xx": %d, "p50": %.3f, "p95": %.3f, "p99": %.3f}\\n',
        summary.requests, summary.duration / 1e6,
        summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
        summary.errors.status,
        latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
    end
    """
)

# Each wrk thread walks its own share of the list (thread i asks for paths i, i + threads, ...), so that
# every address is asked for once before any is asked again.
WRK_THREADS = 2
WRK_PATHS_SCRIPT = textwrap.dedent(
    """
    local threads = 0
    setup = function(thread)
      thread:set("offset", threads)
      threads = threads + 1
    end
    position = 0
    request = function()
      local index = (offset + position * %d) %% #paths + 1
      position = position + 1
      return wrk.format(nil, paths[index])
    end
    """
) % WRK_THREADS

HELLO_APP = textwrap.dedent(
    """
    import logging
    import sys
    from flask import Flask
    from waitress import serve
    app = Flask(__name__)
    @app.get("/")
    def hello():
        return "hello"
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    serve(app, host="127.0.0.1", port=int(sys.argv[1]), threads=int(sys.argv[2]), ident="hello", _quiet=True)
    """
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server for {url} exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer in {seconds} s")


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        print("Installing wrk from Debian's packages ...", flush=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False, stdout=subprocess.DEVNULL)
        found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk is needed (apt-get install wrk)")
    return found


def load(wrk: str, script: Path, url: str, duration: int, connections: int, headers: dict | None = None, paths: list[str] | None = None) -> dict:
    """Load one URL, or the distinct `paths` under it one after the other, with wrk from its own process
    (2 wrk threads, `connections` keep-alive connections).

    One request first (to an address that is not measured afterwards), so that what is measured is the
    steady state, not a cold start.
    """
    if paths:
        warm_up, paths = url + paths[-1], paths[:-1]
        listed = "paths = {\n" + ",\n".join(json.dumps(path) for path in paths) + "\n}\n"
        script = script.with_name("paths.lua")
        script.write_text(listed + WRK_PATHS_SCRIPT + WRK_SCRIPT)
    else:
        warm_up = url
    urllib.request.urlopen(urllib.request.Request(warm_up, headers=headers or {}), timeout=120).read()
    command = [wrk, f"-t{WRK_THREADS}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s", str(script)]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    result = json.loads(output.strip().splitlines()[-1])
    result["rps"] = result["requests"] / result["seconds"] if result["seconds"] else 0.0
    if paths:
        result["distinct"] = len(paths)
        # Beyond the list's length wrk starts again from its beginning: those answers may come from memory.
        result["repeated"] = max(0, result["requests"] - len(paths))
    return result


class Session:
    """A logged-in staff browser, enough to fetch pages and post forms with their CSRF token."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> str:
        return self.opener.open(self.base + path, timeout=30).read().decode()

    def post(self, path: str, data: dict, token_from: str | None = None, page: str | None = None):
        page = page or self.get(token_from or path)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(r'"X-CSRFToken": "([^"]+)"', page)
        body = urllib.parse.urlencode(dict(data, csrf_token=token.group(1)), doseq=True).encode()
        return self.opener.open(urllib.request.Request(self.base + path, data=body), timeout=30)

    def login(self, username: str, password: str) -> None:
        self.post("/dang-nhap", {"username": username, "password": password})

    def cookie_header(self) -> str:
        return "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.jar)


def run_py(*args, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "run.py"), *args], env=env, check=True, capture_output=True, text=True)


def prepare_database(folder: Path, dossiers: int, env: dict) -> None:
    started = time.monotonic()
    run_py("migrate", env=env)
    run_py("demo-data", "--dossiers", str(dossiers), env=env)
    run_py("create-user", "--username", "bench", "--password", "bench-password-1", "--role", "tiep_nhan", "--role", "chuyen_mon", "--role", "lanh_dao", "--role", "quan_tri", "--full-name", "Đo tải", env=env)
    print(f"Database with {dossiers:,} dossiers ready in {time.monotonic() - started:.0f} s", flush=True)


def query(database: Path | str, sql: str, params: tuple = ()) -> list[tuple]:
    """The rows of one read, from the SQLite file `database` or the PostgreSQL database at the URL `database`
    (written with SQLite's `?` markers; psycopg's are `%s`)."""
    if isinstance(database, Path):
        connection = sqlite3.connect(database)
        try:
            return connection.execute(sql, params).fetchall()
        finally:
            connection.close()
    import psycopg

    with psycopg.connect(database) as connection:
        return connection.execute(sql.replace("?", "%s"), params).fetchall()


def prepare_postgres(url: str, dossiers: int, env: dict) -> int:
    """Migrate the PostgreSQL database, fill it with demo-data when it has no dossiers, add the bench account
    when missing; the number of dossiers it holds."""
    started = time.monotonic()
    run_py("migrate", env=env)
    held = query(url, "select count(*) from dossier")[0][0]
    if held:
        print(f"Database {url} already holds {held:,} dossiers: reused as it is", flush=True)
    else:
        run_py("demo-data", "--dossiers", str(dossiers), env=env)
    if not query(url, "select 1 from \"user\" where username = ?", ("bench",)):
        run_py("create-user", "--username", "bench", "--password", "bench-password-1", "--role", "tiep_nhan", "--role", "chuyen_mon", "--role", "lanh_dao", "--role", "quan_tri", "--full-name", "Đo tải", env=env)
    if not held:
        print(f"Database with {dossiers:,} dossiers ready in {time.monotonic() - started:.0f} s", flush=True)
    return held or dossiers


def sample_rows(database: Path | str, distinct: int) -> dict:
    token, code, name = query(database, "select token, code, applicant_name from dossier order by id desc limit 1")[0]
    spread = query(database, "select token, code from dossier order by random() limit ?", (distinct,))
    fields = dict(query(database, "select procedure.name, procedure.field_id from procedure where active"))
    return {"token": token, "code": code, "suffix": code[-4:], "name": name,
            "status_paths": [f"/tra-cuu/{token}" for token, _ in spread],
            "pickup_paths": ["/tra-ket-qua?" + urllib.parse.urlencode({"q": code}) for _, code in spread],
            "catalogue_paths": catalogue_searches(fields)}


def shown_url(url: str) -> str:
    """The URL without its password, as it may be printed."""
    parts = urllib.parse.urlsplit(url)
    if parts.password is None:
        return url
    return urllib.parse.urlunsplit(parts._replace(netloc=f"{parts.username}:***@{parts.netloc.rsplit('@', 1)[1]}"))


def catalogue_searches(fields: dict) -> list[str]:
    """What citizens type into the catalogue's box, a request per keystroke: every prefix of each procedure's
    name, with its diacritics and without, over all fields and with each field chosen."""
    sys.path.insert(0, str(ROOT))
    from app.rules.text import fold

    typed = set()
    for name in fields:
        for text in (name.lower(), fold(name)):
            for length in range(2, len(text) + 1):
                prefix = text[:length]
                if not prefix.endswith(" "):
                    typed.update((prefix, str(field)) for field in ("", *set(fields.values())))
    return ["/thu-tuc?" + urllib.parse.urlencode({"q": prefix, "linh_vuc": field}) for prefix, field in sorted(typed)]


def time_report(env: dict, quarter: str | None = None) -> dict:
    today = datetime.date.today()
    quarter = quarter or f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    started = time.monotonic()
    run_py("report", "--period", quarter, "--format", "json", env=env)
    command_seconds = time.monotonic() - started
    timing = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(
            f"""
            import json, time
            from app import create_app
            from app.db import database
            from app.rules.periods import parse
            from app.services.statistics import DIMENSIONS, figures
            app = create_app()
            with app.app_context(), database.connection_context():
                period = parse("{quarter}")
                figures(period.start, period.end)
                one_call = []
                for _ in range(3):
                    started, cpu = time.perf_counter(), time.process_time()
                    figures(period.start, period.end, by=list(DIMENSIONS))
                    one_call.append((time.perf_counter() - started, time.process_time() - cpu))
                started = time.perf_counter()
                for by in (None, *DIMENSIONS):
                    figures(period.start, period.end, by=by)
                print(json.dumps({{"one_call": min(one_call), "separately": time.perf_counter() - started}}))
            """)],
        env=env, cwd=ROOT, capture_output=True, text=True,
    )
    measured = json.loads(timing.stdout.strip().splitlines()[-1]) if timing.returncode == 0 else None
    return {"period": quarter, "command_seconds": command_seconds,
            # Every breakdown in one statement (best of 3, wall and CPU seconds), and one call per breakdown.
            "all_breakdowns_seconds": measured["one_call"][0] if measured else None,
            "all_breakdowns_cpu_seconds": measured["one_call"][1] if measured else None,
            "each_breakdown_separately_seconds": measured["separately"] if measured else None}


def time_figures_page(staff: Session, runs: int = 5) -> dict:
    """The figures page (this quarter's table and the chart by month) as a leader opens it, one at a time:
    a report, held to the report's goal rather than a list's."""
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        staff.get("/thong-ke/")
        timings.append(time.perf_counter() - started)
    return {"median": statistics.median(timings), "max": max(timings)}


def intake_form(database: Path | str, procedure_code: str = "2.000815") -> dict:
    """What a counter officer submits for a complete certified copy of 3 pages, every document ticked."""
    procedure_id = query(database, "select id from procedure where code = ? and active order by id desc", (procedure_code,))[0][0]
    documents = query(database, "select id, form, count from procedure_document where procedure_id = ?", (procedure_id,))
    counter_id = query(database, "select id from counter order by id")[0][0]
    form = {"procedure": str(procedure_id), "applicant_name": "Nguyễn Văn Đo", "id_number": "001203012345", "phone": "0912345678",
            "address": "Thôn Trung Tiết", "channel": "truc_tiep", "return_method": "tai_quay", "sets": "1", "pages": "3", "copies": "1", "counter": str(counter_id)}
    for document_id, document_form, count in documents:
        form.update({f"doc_{document_id}": "1", f"doc_{document_id}_form": document_form, f"doc_{document_id}_count": str(count)})
    return form


def intake_saves(base: str, form: dict, clients: int, per_client: int) -> dict:
    """8 counters saving at once through the real intake form: saves per second, failures, repeated codes."""
    sessions = []
    for _ in range(clients):
        session = Session(base)
        session.login("bench", "bench-password-1")
        sessions.append(session)
    form_page = sessions[0].get("/tiep-nhan")
    codes, failures = [], 0

    def save(session: Session, index: int):
        page = session.get("/tiep-nhan")
        key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
        # As a counter does: one form page, then its save (the token and the key from that same page).
        response = session.post("/tiep-nhan", dict(form, idempotency_key=key), page=page)
        match = re.search(r"/ho-so/([^/]+)/bien-nhan", urllib.parse.unquote(response.geturl()))
        return match.group(1) if match else None

    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        futures = [pool.submit(save, session, index) for session in sessions for index in range(per_client)]
        for future in concurrent.futures.as_completed(futures):
            try:
                code = future.result()
            except Exception:  # noqa: BLE001 - every failure is counted, none may happen
                code = None
            if code:
                codes.append(code)
            else:
                failures += 1
    seconds = time.monotonic() - started
    return {"saves": len(codes), "seconds": seconds, "saves_per_second": len(codes) / seconds, "failures": failures,
            "repeated_codes": len(codes) - len(set(codes)), "form_bytes": len(form_page)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per target")
    parser.add_argument("--connections", type=int, default=16, help="connections for the public pages")
    parser.add_argument("--staff-connections", type=int, default=4, help="connections for the staff pages (a few officers at once)")
    parser.add_argument("--database", help="reuse this SQLite file (made by an earlier run) instead of a new one")
    parser.add_argument("--database-url", help="measure on this PostgreSQL database (postgresql://...; it must exist), "
                                               "filled with demo-data when it has no dossiers, instead of a scratch SQLite file")
    parser.add_argument("--distinct", type=int, default=20_000, help="distinct tokens and codes for the cold public targets (at most the dossiers)")
    parser.add_argument("--period", help="the quarter of the report's timing, e.g. 2026-Q3 (default: this quarter)")
    parser.add_argument("--out", help="write the results as JSON here")
    parser.add_argument("--only", help="measure only the targets whose name contains one of these comma-separated words "
                                       "(hello-world always; the intake saves and the report only when named: intake, report), "
                                       "to check one fix quickly")
    args = parser.parse_args()
    chosen = [word.strip() for word in args.only.split(",")] if args.only else None

    wrk = ensure_wrk()
    workdir = Path(tempfile.mkdtemp(prefix="motcua-bench-"))
    script = workdir / "report.lua"
    script.write_text(WRK_SCRIPT)
    if args.database_url:
        if args.database:
            parser.error("--database and --database-url exclude each other")
        if not args.database_url.startswith(("postgres://", "postgresql://")):
            parser.error("--database-url takes a postgresql:// URL (SQLite: --database FILE, or nothing for a scratch file)")
        database = args.database_url
        env = dict(os.environ, DATABASE_URL=database, PYTHONUNBUFFERED="1")
        args.dossiers = prepare_postgres(database, args.dossiers, env)
    else:
        database = Path(args.database) if args.database else workdir / "bench.sqlite3"
        env = dict(os.environ, DATABASE_URL=f"sqlite:///{database}", PYTHONUNBUFFERED="1")
    if not args.database and not args.database_url:
        prepare_database(workdir, args.dossiers, env)
    rows = sample_rows(database, args.distinct)
    # The server makes the day's backup as it starts when none is made yet, and checks it: on a million
    # dossiers that is minutes of a core, which would fall inside the first targets' measurements.
    started = time.monotonic()
    run_py("backup", env=env)
    print(f"Today's backup made beforehand in {time.monotonic() - started:.0f} s, so the server's start makes none", flush=True)

    hello_port, product_port = free_port(), free_port()
    hello = subprocess.Popen([sys.executable, "-c", HELLO_APP, str(hello_port), str(THREADS)])
    product = subprocess.Popen([sys.executable, str(ROOT / "run.py"), "serve", "--host", "127.0.0.1", "--port", str(product_port), "--threads", str(THREADS)],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    hello_url, product_url = f"http://127.0.0.1:{hello_port}", f"http://127.0.0.1:{product_port}"
    results = {"dossiers": args.dossiers, "duration": args.duration, "connections": args.connections, "threads": THREADS, "targets": {}}
    if args.database_url:
        results["engine"] = "postgresql"
    try:
        wait_until_up(hello_url + "/", hello)
        wait_until_up(product_url + "/dang-nhap", product)
        staff = Session(product_url)
        staff.login("bench", "bench-password-1")
        cookie = {"Cookie": staff.cookie_header()}
        htmx = {"HX-Request": "true"}
        targets = [
            ("hello-world", hello_url + "/", {}, "ceiling"),
            # The headline public figure: each citizen's own token, asked once.
            ("status-cold /tra-cuu/<distinct tokens>", rows["status_paths"], {}, "public"),
            ("status page, one token (from memory)", f"{product_url}/tra-cuu/{rows['token']}", {}, "public"),
            ("pickup-cold /tra-ket-qua?q=<distinct codes>", rows["pickup_paths"], {**cookie, **htmx}, "lookup"),
            ("board: ready list", product_url + "/bang-tin/ket-qua", htmx, "public"),
            ("board: procedures", product_url + "/bang-tin/thu-tuc", htmx, "public"),
            ("board: figures", product_url + "/bang-tin/so-lieu", htmx, "public"),
            ("board: notices", product_url + "/bang-tin/thong-bao", htmx, "public"),
            ("board: heartbeat", product_url + "/bang-tin/trang-thai", htmx, "public"),
            ("catalogue-cold /thu-tuc?q=<distinct typed>", rows["catalogue_paths"], htmx, "public"),
            ("catalogue search, one query (from memory)", product_url + "/thu-tuc?q=chung+thuc", htmx, "public"),
            ("staff search by name", product_url + "/ho-so?" + urllib.parse.urlencode({"q": rows["name"]}), {**cookie, **htmx}, "staff"),
            ("staff search by code suffix", product_url + "/ho-so?" + urllib.parse.urlencode({"q": rows["suffix"]}), {**cookie, **htmx}, "staff"),
            ("staff queue", product_url + "/ho-so", cookie, "staff"),
            ("my queue", product_url + "/ho-so/cua-toi", cookie, "staff"),
            ("dossier page", f"{product_url}/ho-so/{rows['code']}", cookie, "staff"),
            ("intake page", product_url + "/tiep-nhan", cookie, "staff"),
        ]
        if chosen:
            targets = [target for target in targets if target[3] == "ceiling" or any(word in target[0] for word in chosen)]
        ceiling = None
        for name, url, headers, kind in targets:
            connections = args.staff_connections if kind == "staff" else args.connections
            paths = url if isinstance(url, list) else None
            result = load(wrk, script, product_url if paths else url, args.duration, connections, headers, paths)
            if kind == "ceiling":
                ceiling = result["rps"]
            shown = f"{len(paths):,} distinct" if paths else url.replace(product_url, "").replace(hello_url, "")
            result.update(kind=kind, connections=connections, url=shown, ratio=result["rps"] / ceiling if ceiling else None)
            results["targets"][name] = result
            repeated = f"  repeated {result['repeated']}" if paths else ""
            print(f"{name:44} {result['rps']:8.0f} req/s  p50 {result['p50']:7.1f} ms  p95 {result['p95']:7.1f} ms  p99 {result['p99']:7.1f} ms  "
                  f"ratio {result['ratio']:.2f}  non-2xx {result['non2xx']}{repeated}", flush=True)
        if not chosen or "intake" in chosen:
            results["intake_saves"] = intake_saves(product_url, intake_form(database), clients=8, per_client=25)
        if not chosen or "report" in chosen:
            results["report"] = time_report(env, args.period)
            try:
                results["report"]["figures_page_seconds"] = time_figures_page(staff)
            except OSError as error:  # a page slower than the session's 30 s: the run keeps what it measured
                results["report"]["figures_page_seconds"] = None
                results["report"]["figures_page_error"] = str(error)
    finally:
        for process in (hello, product):
            process.terminate()
            process.wait(timeout=30)

    summary = []
    for name, result in results["targets"].items():
        verdict = ""
        if result["kind"] in ("public", "lookup"):
            verdict = "ok" if result["ratio"] >= GOALS["public_ratio"] else f"MISSED (< {GOALS['public_ratio']} of hello-world)"
        elif result["kind"] == "staff":
            goal = staff_goal_ms(args.dossiers)
            verdict = "ok" if result["p95"] < goal else f"MISSED (p95 >= {goal:.0f} ms)"
        if result.get("repeated"):
            verdict += f"; {result['repeated']:,} of {result['requests']:,} asked again"
        summary.append(f"| {name} | {result['rps']:.0f} | {result['p50']:.1f} | {result['p95']:.1f} | {result['p99']:.1f} | {result['ratio']:.2f} | {verdict} |")
    print()
    print(f"{args.dossiers:,} dossiers; {args.connections} connections for public pages, {args.staff_connections} for staff pages; "
          f"waitress threads={THREADS}; {args.duration} s per target")
    if args.database_url:
        # app/pagecache.py watches SQLite's data_version only: on PostgreSQL every page is built, none kept.
        print(f"engine: PostgreSQL {shown_url(args.database_url)}; the page cache is off on PostgreSQL, so the lines \"from memory\" are built too")
    print("| target | req/s | p50 ms | p95 ms | p99 ms | ratio to hello | goal |")
    print("|---|---|---|---|---|---|---|")
    print("\n".join(summary))
    if "intake_saves" in results:
        saves = results["intake_saves"]
        print(f"intake saves, 8 clients: {saves['saves_per_second']:.1f} saves/s, {saves['failures']} failed, {saves['repeated_codes']} repeated codes")
    if "report" in results:
        report = results["report"]
        if report["all_breakdowns_seconds"] is None:
            print(f"quarter report {report['period']}: command {report['command_seconds']:.2f} s; the in-process timing failed")
        else:
            print(f"quarter report {report['period']}: command {report['command_seconds']:.2f} s (incl. start-up); all breakdowns in one call "
                  f"{report['all_breakdowns_seconds']:.3f} s (CPU {report['all_breakdowns_cpu_seconds']:.3f} s; goal < {GOALS['report_seconds']} s); "
                  f"total and each breakdown as 7 calls {report['each_breakdown_separately_seconds']:.2f} s")
        page = report["figures_page_seconds"]
        if page is None:
            print(f"figures page /thong-ke/: no answer ({report['figures_page_error']})")
        else:
            print(f"figures page /thong-ke/ (quarter table and chart by month), one at a time: median {page['median']:.2f} s, slowest {page['max']:.2f} s (goal < {GOALS['report_seconds']} s)")
    if args.out:
        Path(args.out).write_text(json.dumps(results, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
