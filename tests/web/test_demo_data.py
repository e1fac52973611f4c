"""`run.py demo-data`: a small run must be as consistent as real intake and processing would leave it."""
import datetime
import os
import random
import subprocess
import sys
from collections import Counter as Tally
from pathlib import Path

from peewee import SqliteDatabase, fn

from app.commands.demo_data import generate
from app.models import DaySequence, Dossier, DossierEvent, Procedure
from app.rules import codes
from app.services.calendar import work_calendar
from app.services.catalogue import processing_rule
from app.services.dossiers import Application, receive
from app.settings import load as load_settings

ROOT = Path(__file__).resolve().parents[2]


def test_demo_data_is_consistent_with_the_rules(app, db):
    made = generate(400, random.Random(5), progress=lambda line: None)
    assert made == Dossier.select().count() == 400
    dossiers = list(Dossier.select())
    assert len({d.code for d in dossiers}) == 400 and len({d.token for d in dossiers}) == 400
    for dossier in dossiers:
        assert codes.parse_dossier_code(dossier.code) == (load_settings()["agency_code"], dossier.received_day, dossier.sequence)
    events = {}
    for event in DossierEvent.select().order_by(DossierEvent.at, DossierEvent.id):
        events.setdefault(event.dossier_id, []).append(event)
    calendar, settings = work_calendar(), load_settings()
    for dossier in dossiers:
        history = events[dossier.id]
        assert history[0].action == "receive" and history[0].to_status == "received"
        assert history[-1].to_status == dossier.status
        assert dossier.version == len(history)
        assert all(a.to_status == b.from_status for a, b in zip(history, history[1:]))
        if not any(event.action == "documents_received" for event in history):
            assert dossier.due_at == calendar.appointment(dossier.received_at, processing_rule(dossier.procedure, settings["default_cutoff"]))
        # The figures of a past period read the appointment a later "documents received" replaced.
        resumed = [event for event in history if event.action == "documents_received"]
        assert all(event.due_at_before == datetime.datetime.fromisoformat(event.data["due_at_before"]) for event in resumed)
        if dossier.status in ("result_ready", "returned", "refused"):
            assert calendar.is_working_day(dossier.resolved_at.date())
        if dossier.status in ("stopped", "withdrawn"):
            assert dossier.closed_at == history[-1].at
        if dossier.status == "returned":
            assert dossier.returned_at >= dossier.resolved_at
        # Officers act in office hours: no result handed over at 00:27 or started at 05:25.
        for event in history[1:]:
            day = event.at.date()
            assert calendar.is_working_day(day), (event.action, event.at)
            assert calendar.work_start <= event.at.time() <= calendar.end_of_day(day), (event.action, event.at)
    for row in DaySequence.select():
        assert row.last == Dossier.select(fn.MAX(Dossier.sequence)).where(Dossier.received_day == row.day).scalar()
    statuses = Tally(d.status for d in dossiers)
    assert statuses["returned"] > 300 and len(statuses) >= 4
    procedures = Tally(d.procedure_code for d in dossiers)
    assert procedures.most_common(1)[0][0] == "2.000815"
    assert len({d.channel for d in dossiers}) == 4


def test_intake_after_demo_data_takes_the_next_number_of_the_day(app, db):
    generate(200, random.Random(6), progress=lambda line: None)
    last = Dossier.select().order_by(Dossier.received_at.desc()).first()
    procedure = Procedure.get(Procedure.code == "1.004873")
    dossier = receive(Application(procedure=procedure, applicant_name="Hồ Thị Mới"), None, None, last.received_at + datetime.timedelta(seconds=1))
    assert dossier.received_day == last.received_day and dossier.sequence == DaySequence.get(DaySequence.day == last.received_day).last
    assert dossier.sequence > last.sequence


def test_command_line_run_twice_adds_without_collisions(tmp_path):
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    for seed in ("1", "2"):
        result = subprocess.run([sys.executable, str(ROOT / "run.py"), "demo-data", "--dossiers", "150", "--seed", seed], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        assert "Đã tạo 150 hồ sơ mẫu" in result.stdout
    database = SqliteDatabase(str(tmp_path / "demo.sqlite3"))
    assert database.execute_sql("select count(*), count(distinct code) from dossier").fetchone() == (300, 300)
    assert database.execute_sql("select count(*) from village").fetchone()[0] == 19
    assert database.execute_sql("select count(*) from dossier d where not exists (select 1 from dossier_event e where e.dossier_id = d.id and e.action = 'receive')").fetchone()[0] == 0
    database.close()
    bad = subprocess.run([sys.executable, str(ROOT / "run.py"), "demo-data", "--dossiers", "-5"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "Lỗi" in bad.stderr
