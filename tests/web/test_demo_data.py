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


def _demo_args(**changes):
    import argparse

    return argparse.Namespace(**{"dossiers": 20, "seed": 3, "force": False, **changes})


def test_demo_data_refuses_a_database_with_real_dossiers_unless_forced(make_dossier, capsys):
    from app.commands.demo_data import run as demo_data

    real = make_dossier()  # received at the counter by a real officer
    assert demo_data(_demo_args()) == 1
    assert "đã có 1 hồ sơ thật" in capsys.readouterr().err
    assert Dossier.select().count() == 1
    assert demo_data(_demo_args(force=True)) == 0
    assert Dossier.select().count() == 21 and Dossier.get_by_id(real.id).code == real.code


def test_an_imported_dossier_is_real_too(db, capsys):
    from app.commands.demo_data import real_dossiers, run as demo_data

    generate(30, random.Random(4), progress=lambda line: None)
    assert real_dossiers() == 0
    Dossier.update(imported=True).where(Dossier.id == Dossier.select(fn.MIN(Dossier.id))).execute()
    assert real_dossiers() == 1
    assert demo_data(_demo_args()) == 1


def test_demo_data_runs_again_on_its_own_dossiers_and_demo_staff_must_change_the_password(db, capsys):
    from app.commands.demo_data import run as demo_data
    from app.models import User

    assert demo_data(_demo_args()) == 0
    assert demo_data(_demo_args(seed=4)) == 0
    assert Dossier.select().count() == 40
    demo = list(User.select().where(User.username.startswith("demo.")))
    assert len(demo) >= 5 and all(user.must_change_password for user in demo)
    assert "phải đổi khi đăng nhập lần đầu" in capsys.readouterr().out
    # Demo dossiers are received by demo staff only: the suite's real officers never appear on them.
    real_officers = User.select(User.id).where(~User.username.startswith("demo."))
    assert Dossier.select().where(Dossier.received_by.in_(real_officers)).count() == 0


def test_demo_data_first_does_not_prevent_the_first_administrator(tmp_path, capsys):
    from app import create_app
    from app.cli import prepare
    from app.db import database
    from app.migrations import migrate
    from app.models import User

    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}", "SECRET_KEY": "y" * 64})
    with database.connection_context():
        migrate(database)
        generate(10, random.Random(2), progress=lambda line: None)
    prepare(app)
    with database.connection_context():
        admin = User.get(User.username == "admin")
        assert admin.roles == {"quan_tri"} and admin.must_change_password
    assert "Đã tạo tài khoản quản trị đầu tiên" in capsys.readouterr().out
