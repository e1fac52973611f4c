"""The calendar's administration: national days beside local overrides, and the appointment an admin sees change."""
import datetime

import pytest

from app.models import AuditLog, CalendarDay, Procedure

CALENDAR = "/quan-tri/lich"


def three_day_code() -> str:
    return Procedure.select().where(Procedure.working_days == 3, Procedure.active).order_by(Procedure.code).first().code


def trial(client, code, day, hour, **headers):
    return client.get(CALENDAR, query_string={"nam": 2026, "thu_tuc": code, "ngay": day, "gio": hour}, headers=headers)


def add_day(auth, day, kind="nghi", reason="Quyết định số 12/QĐ-UBND"):
    return auth.post(CALENDAR, data={"ngay": day, "loai": kind, "ly_do": reason}, token_from=CALENDAR)


def test_year_view_shows_the_packages_days(client, auth, catalogue):
    auth.login("quan_tri")
    page = client.get(CALENDAR, query_string={"nam": 2026}).get_data(as_text=True)
    assert "Ngày nghỉ, ngày làm bù năm 2026" in page
    assert "Thứ Hai, 27/04/2026" in page
    assert "Thứ Hai, 31/08/2026" in page
    assert "Thứ Bảy, 22/08/2026" in page and "Ngày làm việc bù" in page
    assert "Thứ Ba, 24/11/2026" in page
    assert "Chưa có điều chỉnh nào trong năm 2026." in page
    # Said for the administrator, not in the programmer's words (the "holidays" package).
    assert "Ngày lễ, Tết và nghỉ bù theo quy định của Nhà nước" in page and "holidays" not in page


def test_admin_closes_a_day_and_sees_the_appointment_move(client, auth, catalogue):
    auth.login("quan_tri")
    code = three_day_code()
    before = trial(client, code, "13/02/2026", "10:00").get_data(as_text=True)
    assert "Hẹn trả kết quả" in before
    assert "Thứ Tư, 25/02/2026" in before

    response = add_day(auth, "25/02/2026")
    assert response.status_code == 303
    assert response.headers["Location"] == "/quan-tri/lich?nam=2026"
    assert CalendarDay.get(CalendarDay.day == datetime.date(2026, 2, 25)).is_working is False
    assert AuditLog.select().where(AuditLog.action == "calendar_day_added").count() == 1

    after = trial(client, code, "13/02/2026", "10:00").get_data(as_text=True)
    assert "Thứ Năm, 26/02/2026" in after
    assert "Quyết định số 12/QĐ-UBND" in after


def test_admin_opens_a_saturday_and_a_same_day_procedure_is_due_then(client, auth, catalogue):
    auth.login("quan_tri")
    # Received after the cut-off on Friday 06/03/2026: normally due Monday 09/03.
    assert "Thứ Hai, 09/03/2026" in trial(client, "2.000815", "06/03/2026", "15:05").get_data(as_text=True)
    assert add_day(auth, "2026-03-07", kind="lam", reason="Làm bù theo quyết định của tỉnh").status_code == 303
    assert "Thứ Bảy, 07/03/2026" in trial(client, "2.000815", "06/03/2026", "15:05").get_data(as_text=True)


def test_admin_changes_a_fee_and_sees_it_in_the_trial(client, auth, catalogue):
    auth.login("quan_tri")
    assert "2.000 đồng/trang" in trial(client, "2.000815", "13/02/2026", "10:00").get_data(as_text=True)
    Procedure.update(fee_tiers=[[1, 3000], [3, 1500]]).where(Procedure.code == "2.000815").execute()
    page = trial(client, "2.000815", "13/02/2026", "10:00").get_data(as_text=True)
    assert "3.000 đồng/trang; từ trang thứ 3: 1.500 đồng/trang" in page


def test_trial_on_htmx_answers_with_the_fragment(client, auth, catalogue):
    auth.login("quan_tri")
    response = trial(client, "2.000815", "13/02/2026", "15:05", **{"HX-Request": "true"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in page and 'id="calendar-trial"' in page
    assert "15:05, Thứ Sáu, 13/02/2026" in page
    assert "Thứ Hai, 23/02/2026" in page


@pytest.mark.parametrize(
    "day, hour, message",
    [
        ("30/02/2026", "10:00", "Ngày «30/02/2026» không có thật."),
        ("hôm qua", "10:00", "không đúng dạng dd/mm/yyyy"),
        ("13/02/2026", "25:00", "Nhập giờ dạng HH:MM"),
        ("13/02/2026", "", "Nhập giờ dạng HH:MM"),
    ],
)
def test_trial_with_bad_input_says_what_is_wrong(client, auth, catalogue, day, hour, message):
    auth.login("quan_tri")
    response = trial(client, "2.000815", day, hour)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)


def test_trial_of_an_unknown_procedure(client, auth, catalogue):
    auth.login("quan_tri")
    assert "Thủ tục «khong-co» không áp dụng vào ngày 13/02/2026." in trial(client, "khong-co", "13/02/2026", "10:00").get_data(as_text=True)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"ngay": "30/02/2026", "loai": "nghi", "ly_do": "x"}, "Ngày «30/02/2026» không có thật."),
        ({"ngay": "2026-02-30", "loai": "nghi", "ly_do": "x"}, "Ngày «2026-02-30» không có thật."),
        ({"ngay": "29/02/2027", "loai": "nghi", "ly_do": "x"}, "Ngày «29/02/2027» không có thật."),
        ({"ngay": "", "loai": "nghi", "ly_do": "x"}, "Hãy nhập ngày."),
        ({"ngay": "ngày mai", "loai": "nghi", "ly_do": "x"}, "không đúng dạng dd/mm/yyyy"),
        ({"ngay": "01/01/1900", "loai": "nghi", "ly_do": "x"}, "Chỉ điều chỉnh được các năm 2020–2100."),
        ({"ngay": "02/01/2026", "loai": "nua", "ly_do": "x"}, "Hãy chọn «Nghỉ» hoặc «Làm việc»."),
        ({"ngay": "02/01/2026", "loai": "nghi", "ly_do": "   "}, "Hãy ghi lý do"),
        ({"ngay": "02/01/2026", "loai": "nghi", "ly_do": "x" * 201}, "Tối đa 200 ký tự."),
    ],
)
def test_bad_override_is_refused_and_nothing_saved(client, auth, catalogue, data, message):
    auth.login("quan_tri")
    response = auth.post(CALENDAR, data=data, token_from=CALENDAR)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert CalendarDay.select().count() == 0


def test_a_day_cannot_be_overridden_twice_and_removal_restores_it(client, auth, catalogue):
    auth.login("quan_tri")
    assert add_day(auth, "02/01/2026").status_code == 303
    second = add_day(auth, "02/01/2026", kind="lam")
    assert second.status_code == 400
    assert "Ngày 02/01/2026 đã có điều chỉnh" in second.get_data(as_text=True)
    row = CalendarDay.get(CalendarDay.day == datetime.date(2026, 1, 2))
    page = client.get(CALENDAR, query_string={"nam": 2026}).get_data(as_text=True)
    assert "Thứ Sáu, 02/01/2026" in page and "Quyết định số 12/QĐ-UBND" in page
    response = auth.post(f"{CALENDAR}/{row.id}/xoa", token_from=CALENDAR)
    assert response.status_code == 303
    assert CalendarDay.select().count() == 0
    assert auth.post(f"{CALENDAR}/{row.id}/xoa", token_from=CALENDAR).status_code == 404


@pytest.mark.parametrize("year", ["1999", "3000"])
def test_years_out_of_range_are_404(client, auth, catalogue, year):
    auth.login("quan_tri")
    assert client.get(CALENDAR, query_string={"nam": year}).status_code == 404


def test_year_view_shows_the_official_file_with_sources(client, auth, catalogue):
    auth.login("quan_tri")
    page = client.get(CALENDAR, query_string={"nam": 2026}).get_data(as_text=True)
    assert "Lịch nghỉ chính thức năm 2026 (tệp app/data/calendar.csv)" in page
    assert "Thứ Sáu, 02/01/2026" in page and "Thứ Bảy, 10/01/2026" in page
    assert "Ngày làm việc bù (thay cho ngày nghỉ 02/01/2026)" in page
    assert "Bộ luật Lao động 2019, Điều 111 khoản 3" in page
    assert "Cần xác nhận" in page and "Xác nhận là ngày nghỉ" in page


def test_the_unconfirmed_day_warns_on_the_admin_home_until_decided(client, auth, catalogue):
    auth.login("quan_tri")
    home = client.get("/quan-tri/").get_data(as_text=True)
    assert "Ngày cần xác nhận" in home
    assert "Thứ Ba, 24/11/2026 — Ngày Văn hóa Việt Nam" in home
    fragment = trial(client, three_day_code(), "20/11/2026", "09:00", **{"HX-Request": "true"}).get_data(as_text=True)
    assert "Thứ Năm, 26/11/2026" in fragment  # counted as a day off until decided
    assert add_day(auth, "24/11/2026", kind="lam", reason="Quản trị xác nhận: Ngày Văn hóa Việt Nam").status_code == 303
    assert CalendarDay.get(CalendarDay.day == datetime.date(2026, 11, 24)).is_working is True
    home = client.get("/quan-tri/").get_data(as_text=True)
    assert "Thứ Ba, 24/11/2026" not in home
    assert "Thứ Tư, 24/11/2027" in home  # the next year's day still waits
    page = client.get(CALENDAR, query_string={"nam": 2026}).get_data(as_text=True)
    assert "Trung tâm đã quyết định: làm việc" in page
    # A working Tuesday now: 3 working days from Friday 20/11 are Mon 23, Tue 24, Wed 25 (not Thu 26).
    fragment = trial(client, three_day_code(), "20/11/2026", "09:00", **{"HX-Request": "true"}).get_data(as_text=True)
    assert "Thứ Tư, 25/11/2026" in fragment


def test_a_year_beyond_the_file_is_said_plainly_and_never_guessed(client, auth, catalogue):
    auth.login("quan_tri")
    page = client.get(CALENDAR, query_string={"nam": 2031}).get_data(as_text=True)
    assert "Tệp lịch chính thức chưa có năm 2031" in page
    response = client.get(CALENDAR, query_string={"nam": 2031, "thu_tuc": three_day_code(), "ngay": "03/03/2031", "gio": "09:00"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Chưa có lịch nghỉ lễ chính thức năm 2031" in page
    assert "Hẹn trả kết quả" not in page


def test_admin_home_counts_unconfirmed_province_fees_until_each_is_confirmed(client, auth, catalogue):
    auth.login("quan_tri")
    unconfirmed = Procedure.select().where(Procedure.fee_set_by_province, ~Procedure.fee_confirmed, Procedure.active).count()
    assert unconfirmed > 1
    assert f"{unconfirmed} thủ tục có mức phí do HĐND tỉnh quy định chưa được đối chiếu" in client.get("/quan-tri/").get_data(as_text=True)
    Procedure.update(fee_confirmed=True).where(Procedure.code == "1.004873").execute()
    assert f"{unconfirmed - 1} thủ tục có mức phí" in client.get("/quan-tri/").get_data(as_text=True)
    assert "Chưa xác nhận" in client.get("/quan-tri/thu-tuc").get_data(as_text=True)
    Procedure.update(fee_confirmed=True).execute()
    assert "Mức phí chưa xác nhận" not in client.get("/quan-tri/").get_data(as_text=True)


MARRIAGE = "1.000894"
VERIFICATION = "Cần xác minh điều kiện kết hôn"
CONTRACT = "2.001035"
AGREED = "Dài hơn theo thỏa thuận bằng văn bản với người yêu cầu chứng thực"


def trial_with_case(client, code, case, days=""):
    query = {"nam": 2026, "thu_tuc": code, "ngay": "02/03/2026", "gio": "09:00", "extension_case": case, "extension_days": days}
    return client.get(CALENDAR, query_string=query, headers={"HX-Request": "true"}).get_data(as_text=True)


def test_trial_offers_the_named_longer_cases_and_counts_them_as_intake_does(client, auth, catalogue):
    auth.login("quan_tri")
    page = client.get(CALENDAR, query_string={"nam": 2026}).get_data(as_text=True)
    assert f"{VERIFICATION} (thêm 5 ngày làm việc)" in page
    assert f"{AGREED} (thêm số ngày làm việc thỏa thuận bằng văn bản)" in page
    # Marriage on Mon 02/03/2026: the same day ordinarily, five working days more when verification is needed.
    ordinary = trial_with_case(client, MARRIAGE, "")
    longer = trial_with_case(client, MARRIAGE, VERIFICATION)
    assert "Thứ Hai, 09/03/2026" in longer and "Thứ Hai, 09/03/2026" not in ordinary
    assert f"{VERIFICATION}: thêm 5 ngày làm việc" in longer
    agreed = trial_with_case(client, CONTRACT, AGREED, "10")
    assert "thêm 10 ngày làm việc" in agreed


@pytest.mark.parametrize(
    "code, case, days, message",
    [
        (CONTRACT, VERIFICATION, "", "Trường hợp này không thuộc thủ tục đã chọn"),
        (CONTRACT, AGREED, "", "Chưa nhập số ngày làm việc đã thỏa thuận bằng văn bản."),
        (CONTRACT, AGREED, "mười", "Số ngày làm việc thỏa thuận phải là số nguyên từ 1 đến"),
    ],
)
def test_trial_refuses_a_case_the_procedure_does_not_have(client, auth, catalogue, code, case, days, message):
    auth.login("quan_tri")
    fragment = trial_with_case(client, code, case, days)
    assert message in fragment
    assert "Hẹn trả kết quả" not in fragment
