"""The working-day calendar's administration: the package's holidays beside local overrides, and a "try it" box."""
import datetime

from flask import abort, flash, redirect, request, url_for
from peewee import IntegrityError
from playhouse.flask_utils import get_object_or_404

from ...clock import now, today
from ...models import CalendarDay, Procedure
from ...pages import render
from ...rules.calendar import CalendarNotCovered, OfficialStatus, WorkCalendar
from ...rules.dates import parse_day, parse_time
from ...rules.fees import describe
from ...rules.text import clean
from ...security import audit, roles_required
from ...services.calendar import OFFICIAL_FILE, official_year
from ...services.catalogue import extension_cases, fee_rule, in_force, in_force_by_code, time_in_words
from ...services.dossiers import appointment_for
from ...services.intake import read_extension
from ...settings import load as load_settings
from . import bp, section

section("admin.calendar", "Ngày nghỉ, ngày làm bù", "Ngày lễ, nghỉ bù, thứ Bảy làm bù theo lịch quốc gia và điều chỉnh của trung tâm; thử tính ngày hẹn trả.", order=36)

# The holidays package knows the lunar calendar well beyond this; a wider range would only invite typos.
FIRST_YEAR, LAST_YEAR = 2020, 2100


def _parse_day(text: str) -> tuple[datetime.date | None, str]:
    day, error = parse_day(text)
    return day, error if day or error else "Hãy nhập ngày."


def _year() -> int:
    year = request.args.get("nam", type=int) or today().year
    if not FIRST_YEAR <= year <= LAST_YEAR:
        abort(404)
    return year


def _trial() -> dict:
    """The "try it" box: the appointment and fee a dossier received at the typed moment would get now."""
    code = request.args.get("thu_tuc", "")
    moment = now()
    values = {
        "thu_tuc": code,
        "ngay": request.args.get("ngay", f"{moment:%d/%m/%Y}"),
        "gio": request.args.get("gio", f"{moment:%H:%M}"),
        "extension_case": request.args.get("extension_case", ""),
        "extension_days": request.args.get("extension_days", ""),
    }
    trial = {"values": values, "errors": {}, "result": None}
    if not code:
        return trial
    day, day_error = _parse_day(values["ngay"])
    hour, hour_error = parse_time(values["gio"])
    trial["errors"] = {key: message for key, message in (("ngay", day_error), ("gio", hour_error)) if message}
    if trial["errors"]:
        return trial
    procedure = in_force_by_code(code, day)
    if procedure is None:
        trial["errors"]["thu_tuc"] = f"Thủ tục «{code}» không áp dụng vào ngày {day:%d/%m/%Y}."
        return trial
    # A named longer case is read as the intake form reads it, with the same messages.
    extension = read_extension(request.args, procedure, trial["errors"])
    if trial["errors"]:
        return trial
    settings = load_settings()
    received_at = datetime.datetime.combine(day, hour)
    try:
        due_at = appointment_for(procedure, received_at, settings=settings, extension=extension)
    except CalendarNotCovered as error:
        trial["errors"]["ngay"] = str(error)
        return trial
    trial["result"] = {
        "procedure": procedure,
        "received_at": received_at,
        "due_at": due_at,
        "time_words": time_in_words(procedure, settings["default_cutoff"]),
        "extension": extension,
        "fee_counter": describe(fee_rule(procedure)),
        "fee_online": describe(fee_rule(procedure), online=True),
    }
    return trial


def _page(year: int, form: dict | None = None, errors: dict | None = None, status: int = 200):
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    overrides = list(CalendarDay.select().where(CalendarDay.day.between(start, end)).order_by(CalendarDay.day))
    decided = {row.day: row.is_working for row in overrides}
    official = official_year(year)
    in_file = {row.day: row.is_working for row in official}
    # A package day the official file or the center says otherwise of is shown as overridden.
    package_days = [
        (day, name, working, day in decided or (bool(official) and in_file.get(day) != working))
        for day, name, working in WorkCalendar().package_days(year)
    ]
    trial = _trial()
    choices = list(in_force(today()).order_by(Procedure.code))
    return render(
        "admin/calendar.html",
        "admin/_calendar_trial.html",
        status=status,
        year=year,
        years=(year - 1, year + 1),
        package_days=package_days,
        official=official,
        covered=bool(official),
        official_file=OFFICIAL_FILE.relative_to(OFFICIAL_FILE.parents[2]).as_posix(),
        decided=decided,
        unconfirmed=OfficialStatus.UNCONFIRMED,
        overrides=overrides,
        form=form or {"ngay": "", "loai": "nghi", "ly_do": ""},
        errors=errors or {},
        trial=trial,
        procedures=choices,
        cases_by_procedure=[(procedure, extension_cases(procedure)) for procedure in choices if procedure.extension_cases],
        first_year=FIRST_YEAR,
        last_year=LAST_YEAR,
    )


@bp.get("/lich")
@roles_required("quan_tri")
def calendar():
    """One year: the national days beside the center's own, and the appointment a dossier would get."""
    return _page(_year())


@bp.post("/lich")
@roles_required("quan_tri")
def add_calendar_day():
    """Close a day (a local day off) or open one (a swap the package lacks), with the reason."""
    form = {key: request.form.get(key, "") for key in ("ngay", "loai", "ly_do")}
    errors = {}
    day, error = _parse_day(form["ngay"])
    if error:
        errors["ngay"] = error
    elif not FIRST_YEAR <= day.year <= LAST_YEAR:
        errors["ngay"] = f"Chỉ điều chỉnh được các năm {FIRST_YEAR}–{LAST_YEAR}."
    if form["loai"] not in ("nghi", "lam"):
        errors["loai"] = "Hãy chọn «Nghỉ» hoặc «Làm việc»."
    reason = clean(form["ly_do"])
    if not reason:
        errors["ly_do"] = "Hãy ghi lý do (ví dụ số quyết định của UBND)."
    elif len(reason) > 200:
        errors["ly_do"] = "Tối đa 200 ký tự."
    if not errors and CalendarDay.select().where(CalendarDay.day == day).exists():
        errors["ngay"] = f"Ngày {day:%d/%m/%Y} đã có điều chỉnh; hãy xóa điều chỉnh cũ trước."
    if not errors:
        try:
            CalendarDay.create(day=day, is_working=form["loai"] == "lam", reason=reason)
        except IntegrityError:
            errors["ngay"] = f"Ngày {day:%d/%m/%Y} đã có điều chỉnh; hãy xóa điều chỉnh cũ trước."
    if errors:
        year = day.year if day and FIRST_YEAR <= day.year <= LAST_YEAR else today().year
        return _page(year, form, {key: [message] for key, message in errors.items()}, status=400)
    kind = "làm việc" if form["loai"] == "lam" else "nghỉ"
    audit("calendar_day_added", f"{day:%d/%m/%Y} {kind}: {reason}")
    flash(f"Đã đặt ngày {day:%d/%m/%Y} là ngày {kind}.", "success")
    return redirect(url_for("admin.calendar", nam=day.year), 303)


@bp.post("/lich/<int:day_id>/xoa")
@roles_required("quan_tri")
def remove_calendar_day(day_id):
    """Drop a local override: the day goes back to the national calendar."""
    row = get_object_or_404(CalendarDay, CalendarDay.id == day_id)
    row.delete_instance()
    audit("calendar_day_removed", f"{row.day:%d/%m/%Y}: {row.reason}")
    flash(f"Đã bỏ điều chỉnh ngày {row.day:%d/%m/%Y}; ngày này theo lịch quốc gia.", "success")
    return redirect(url_for("admin.calendar", nam=row.day.year), 303)
