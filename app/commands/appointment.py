"""`run.py appointment`: the appointment a dossier received at a moment would get, as JSON.

The same engine as the intake form and the admin's "thử tính ngày hẹn": the center's calendar (the
official file, the holidays package, the admin's overrides) and settings (Saturday mornings, hours, cut-off).
"""
import datetime
import json
import sys

from ..rules.calendar import CalendarNotCovered, ProcessingRule, TimeUnit
from ..services.calendar import work_calendar
from ..services.catalogue import in_force_by_code, processing_rule
from ..settings import load as load_settings


def register(subparsers) -> None:
    command = subparsers.add_parser(
        "appointment",
        help="tính ngày hẹn trả cho một thời điểm tiếp nhận (JSON)",
        description="Ngày hẹn trả theo lịch và cài đặt của trung tâm, giống ô «Thử tính ngày hẹn trả».",
    )
    command.add_argument("--received", required=True, metavar="YYYY-MM-DDTHH:MM", help="thời điểm tiếp nhận, ví dụ 2026-01-09T09:00")
    rule = command.add_mutually_exclusive_group(required=True)
    rule.add_argument("--procedure", metavar="MÃ", help="mã thủ tục trong danh mục, ví dụ 1.004873")
    rule.add_argument("--working-days", type=int, metavar="N", help="N ngày làm việc")
    rule.add_argument("--calendar-days", type=int, metavar="N", help="N ngày (tính từ ngày hôm sau; ngày cuối là ngày nghỉ thì hết ngày làm việc tiếp theo)")
    rule.add_argument("--same-day", action="store_true", help="giải quyết trong ngày, với giờ cắt trong Cài đặt")
    command.set_defaults(handler=run)


def _fail(message: str) -> int:
    print(f"Lỗi: {message}", file=sys.stderr)
    return 2


def run(args) -> int:
    try:
        received = datetime.datetime.strptime(args.received, "%Y-%m-%dT%H:%M")
    except ValueError:
        return _fail(f"--received «{args.received}» không đúng dạng YYYY-MM-DDTHH:MM, ví dụ 2026-01-09T09:00.")
    settings = load_settings()
    if args.procedure:
        procedure = in_force_by_code(args.procedure, received.date())
        if procedure is None:
            return _fail(f"thủ tục «{args.procedure}» không có trong danh mục hoặc không áp dụng vào ngày {received:%d/%m/%Y}.")
        rule = processing_rule(procedure, settings["default_cutoff"])
    elif args.same_day:
        rule = ProcessingRule(0, cutoff=settings["default_cutoff"], unit=TimeUnit.SAME_DAY)
    else:
        amount, unit = (args.working_days, TimeUnit.WORKING_DAYS) if args.working_days is not None else (args.calendar_days, TimeUnit.DAYS)
        if amount < 1:
            return _fail("số ngày phải từ 1 trở lên.")
        rule = ProcessingRule(amount, unit=unit)
    try:
        due = work_calendar(settings).appointment(received, rule)
    except CalendarNotCovered as error:
        return _fail(str(error))
    print(json.dumps({"due": f"{due:%Y-%m-%dT%H:%M}", "unit": rule.unit.value, "amount": rule.amount}, ensure_ascii=False))
    return 0
