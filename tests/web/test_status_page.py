"""The public status page: what the citizen reads, what nobody else may read, and misses that are throttled."""
import datetime

import pytest

from app.models import Dossier, DossierEvent, Rating
from app.rules.status import Action, Status
from app.rules.text import mask_name
from app.services.dossiers import act
from app.security import page_form_token
from app.views.status import RATING_FORM
from tests.conftest import csrf_token_from, user

NAME = "Nguyễn Văn An"
PRIVATE = {
    "id_number": "001203012345",
    "phone": "0912345678",
    "address": "Số 12 ngõ Hoa Sữa",
    "email": "an.nguyen@example.com",
}
PROXY_NAME = "Trần Thị Bích"
PROXY_ID = "040185000777"
T0 = datetime.datetime(2026, 11, 30, 9, 0)


def _hand_over_data():
    return {"collector": "proxy", "collector_name": PROXY_NAME, "collector_id_number": PROXY_ID, "relation": "vợ", "fee_collected": 0}


# How each status is reached: (action, role, note, data) from a newly received dossier.
PATHS = {
    Status.RECEIVED: [],
    Status.PROCESSING: [(Action.START, "chuyen_mon", "", None)],
    Status.WAITING_DOCUMENTS: [
        (Action.START, "chuyen_mon", "", None),
        (Action.REQUEST_DOCUMENTS, "chuyen_mon", "Thiếu bản sao giấy khai sinh", {"missing": ["Bản sao giấy khai sinh", "Tờ khai có chữ ký"]}),
    ],
    Status.WAITING_APPROVAL: [(Action.START, "chuyen_mon", "", None), (Action.SEND_FOR_APPROVAL, "chuyen_mon", "", None)],
    Status.RESULT_READY: [
        (Action.START, "chuyen_mon", "", None),
        (Action.SEND_FOR_APPROVAL, "chuyen_mon", "", None),
        (Action.APPROVE, "lanh_dao", "", {"shelf": "Kệ A2"}),
    ],
    Status.RETURNED: [
        (Action.START, "chuyen_mon", "", None),
        (Action.SEND_FOR_APPROVAL, "chuyen_mon", "", None),
        (Action.APPROVE, "lanh_dao", "", {"shelf": "Kệ A2"}),
        (Action.HAND_OVER, "tiep_nhan", "", _hand_over_data()),
    ],
    Status.REFUSED: [(Action.START, "chuyen_mon", "", None), (Action.REFUSE, "chuyen_mon", "Không đủ điều kiện theo luật", None)],
    Status.STOPPED: [(Action.STOP, "chuyen_mon", "Người dân đề nghị dừng", None)],
    Status.WITHDRAWN: [(Action.WITHDRAW, "tiep_nhan", "Công dân xin rút", None)],
}


def test_every_status_has_a_path():
    assert set(PATHS) == set(Status)


def drive(make_dossier, status: Status, **changes) -> Dossier:
    """A dossier with the personal data above, moved to `status` through the status machine."""
    dossier = make_dossier("2.000815", received_at=T0, name=NAME, fee_inputs={"pages": 3}, **changes)
    Dossier.update(address=PRIVATE["address"], email=PRIVATE["email"]).where(Dossier.id == dossier.id).execute()
    for step, (action, role, note, data) in enumerate(PATHS[status], start=1):
        dossier = act(dossier, action, user(role), note=note, data=data, at=T0 + datetime.timedelta(hours=step))
    assert dossier.status == status
    return dossier


@pytest.mark.parametrize("status", list(Status), ids=str)
def test_status_page_never_shows_personal_data(client, make_dossier, status):
    dossier = drive(make_dossier, status)
    response = client.get(f"/tra-cuu/{dossier.token}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for value in (*PRIVATE.values(), NAME, "Nguyễn", PROXY_NAME, PROXY_ID, "Cán bộ"):
        assert value not in page, (status, value)
    assert mask_name(NAME) in page
    assert dossier.code in page
    assert status.label in page
    assert status.citizen_text in page


def test_status_page_says_what_to_do_when_ready(client, make_dossier):
    dossier = drive(make_dossier, Status.RESULT_READY)
    page = client.get(f"/tra-cuu/{dossier.token}").get_data(as_text=True)
    assert "Quầy 1" in page
    assert "07:30" in page and "17:00" in page
    assert "giấy biên nhận và căn cước" in page
    assert "Lệ phí còn phải nộp khi nhận kết quả: <strong>5.000 đ</strong>" in page
    assert "Chứng thực bản sao từ bản chính" in page
    assert "09:00 30/11/2026" in page
    for label in ("Đã tiếp nhận", "Đang giải quyết", "Chờ phê duyệt", "Đã có kết quả, chờ trả"):
        assert label in page


def test_waiting_documents_lists_what_is_missing(client, make_dossier):
    dossier = drive(make_dossier, Status.WAITING_DOCUMENTS)
    page = client.get(f"/tra-cuu/{dossier.token}").get_data(as_text=True)
    assert "<li>Bản sao giấy khai sinh</li>" in page
    assert "<li>Tờ khai có chữ ký</li>" in page


def test_waiting_dossier_shows_the_stopped_clock_not_the_stale_appointment(client, make_dossier):
    dossier = drive(make_dossier, Status.WAITING_DOCUMENTS)
    page = client.get(f"/tra-cuu/{dossier.token}").get_data(as_text=True)
    assert "Chờ bổ sung" in page and "Tạm dừng, chờ ông/bà bổ sung giấy tờ" in page
    assert f"{dossier.due_at:%H:%M %d/%m/%Y}" not in page


def test_returned_dossier_owes_nothing_and_shows_new_appointment_after_letter(client, make_dossier):
    dossier = drive(make_dossier, Status.RETURNED)
    Dossier.update(extended_due_at=datetime.datetime(2026, 12, 4, 16, 0)).where(Dossier.id == dossier.id).execute()
    page = client.get(f"/tra-cuu/{dossier.token}").get_data(as_text=True)
    assert "Lệ phí còn phải nộp" not in page
    assert "Hẹn mới: 16:00 04/12/2026" in page
    assert "Đã trả kết quả lúc" in page


@pytest.mark.parametrize(
    "token",
    ["x", "A" * 31, "A" * 32, "A" * 5000, "%3Cscript%3E", "' OR 1=1 --", "ÁÀẢÃẠ" * 7],
    ids=["short", "31", "unknown-32", "5000", "script", "sql", "unicode"],
)
def test_unknown_or_malformed_token_gets_a_polite_404(client, app, token):
    response = client.get(f"/tra-cuu/{token}")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Không tìm thấy hồ sơ" in page
    assert "quét lại mã QR" in page


def test_a_right_token_opens_even_after_this_pc_was_stopped(client, app, make_dossier):
    dossier = make_dossier()
    app.config.update(LOOKUP_MISS_LIMIT=3)
    csrf = csrf_token_from(client.get("/tra-cuu").get_data(as_text=True))
    wrong = "KKKK" if dossier.lookup_code != "KKKK" else "MMMM"
    statuses = [client.post("/tra-cuu", data={"csrf_token": csrf, "ma": dossier.code, "ma_tra_cuu": wrong}).status_code for _ in range(4)]
    assert statuses == [400, 400, 400, 429]
    # Tokens cannot be guessed: unknown ones are a plain 404 however many, a right one always opens.
    for _ in range(10):
        assert client.get("/tra-cuu/" + "B" * 32).status_code == 404
    assert client.get(f"/tra-cuu/{dossier.token}").status_code == 200


def test_right_tokens_are_not_counted_as_misses(client, app, make_dossier):
    dossier = make_dossier()
    app.config.update(LOOKUP_MISS_LIMIT=2)
    for _ in range(5):
        assert client.get(f"/tra-cuu/{dossier.token}").status_code == 200


def page_token(client, token) -> str:
    """The rating form's CSRF token, as the citizen's browser has it: from the dossier's own status page
    (a page without the form, as before the result is returned, is given the one it would carry)."""
    page = client.get(f"/tra-cuu/{token}").get_data(as_text=True)
    if 'name="csrf_token"' in page:
        return csrf_token_from(page)
    with client.application.test_request_context():
        return page_form_token(RATING_FORM, token)


def rate(client, token, **data):
    return client.post(f"/tra-cuu/{token}/danh-gia", data={"csrf_token": page_token(client, token), **data})


def test_citizen_rates_a_returned_dossier_once(client, make_dossier):
    dossier = drive(make_dossier, Status.RETURNED)
    page = client.get(f"/tra-cuu/{dossier.token}").get_data(as_text=True)
    assert "Rất hài lòng" in page and "Không hài lòng" in page
    form_token = csrf_token_from(page)
    response = rate(client, dossier.token, muc_do="rat_hai_long", y_kien="  Cán bộ nhiệt tình  ")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/tra-cuu/{dossier.token}#danh-gia"
    page = client.get(f"/tra-cuu/{dossier.token}").get_data(as_text=True)
    assert "Cảm ơn ông/bà đã đánh giá" in page
    assert "Ông/bà đã đánh giá: <strong>Rất hài lòng</strong>" in page
    # The page no longer shows the form; a second post of the first page's form is told it was done.
    second = client.post(f"/tra-cuu/{dossier.token}/danh-gia", data={"csrf_token": form_token, "muc_do": "khong_hai_long"})
    assert second.status_code == 303
    assert "Hồ sơ này đã được đánh giá" in client.get(f"/tra-cuu/{dossier.token}").get_data(as_text=True)
    rating = Rating.get(Rating.dossier == dossier)
    assert (rating.level, rating.comment, rating.source) == ("rat_hai_long", "Cán bộ nhiệt tình", "cong_dan")
    assert DossierEvent.select().where((DossierEvent.dossier == dossier) & (DossierEvent.action == "rate")).count() == 1


@pytest.mark.parametrize("status", [Status.PROCESSING, Status.RESULT_READY])
def test_rating_before_the_result_is_returned_is_refused(client, make_dossier, status):
    dossier = drive(make_dossier, status)
    assert "Gửi đánh giá" not in client.get(f"/tra-cuu/{dossier.token}").get_data(as_text=True)
    response = rate(client, dossier.token, muc_do="hai_long")
    assert response.status_code == 303
    assert "Chỉ đánh giá được sau khi đã nhận kết quả." in client.get(f"/tra-cuu/{dossier.token}").get_data(as_text=True)
    assert Rating.select().count() == 0


@pytest.mark.parametrize("level", [{"muc_do": "tuyet_voi"}, {}])
def test_rating_without_a_known_level_is_answered_beside_the_choices(client, make_dossier, level):
    dossier = drive(make_dossier, Status.RETURNED)
    response = rate(client, dossier.token, y_kien="Cán bộ nhiệt tình", **level)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert '<p class="error" id="muc_do-error" role="alert">Vui lòng chọn một mức độ hài lòng.</p>' in page
    # What the citizen wrote is still there, and the browser does not step in with its own bubble.
    assert ">Cán bộ nhiệt tình</textarea>" in page
    assert "novalidate" in page and " required" not in page
    assert Rating.select().count() == 0


def test_rating_needs_the_csrf_token_of_its_own_page(client, make_dossier):
    dossier = drive(make_dossier, Status.RETURNED)
    other = drive(make_dossier, Status.RETURNED)
    kiosk_token = csrf_token_from(client.get("/tra-cuu").get_data(as_text=True))
    for sent in ({}, {"csrf_token": ""}, {"csrf_token": page_token(client, other.token)}, {"csrf_token": kiosk_token},
                 {"csrf_token": "đ" * 64}):
        response = client.post(f"/tra-cuu/{dossier.token}/danh-gia", data={"muc_do": "hai_long", **sent})
        assert response.status_code == 400, sent
        assert "Phiên làm việc của biểu mẫu đã hết hạn hoặc không hợp lệ" in response.get_data(as_text=True)
    assert Rating.select().count() == 0
    assert rate(client, dossier.token, muc_do="hai_long").status_code == 303
    assert Rating.select().count() == 1


def test_the_rating_form_sets_no_cookie_so_its_page_can_be_kept(client, make_dossier):
    dossier = drive(make_dossier, Status.RETURNED)
    response = client.get(f"/tra-cuu/{dossier.token}")
    assert 'name="csrf_token"' in response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers


def test_status_page_is_light_and_needs_no_script(client, make_dossier):
    dossier = drive(make_dossier, Status.RESULT_READY)
    page = client.get(f"/tra-cuu/{dossier.token}").get_data(as_text=True)
    assert "<script" not in page
    assert "<img" not in page
    assert 'name="viewport"' in page
    assert len(page.encode()) < 10_000


def test_status_page_is_private_and_revalidated(client, make_dossier):
    dossier = make_dossier()
    first = client.get(f"/tra-cuu/{dossier.token}")
    again = client.get(f"/tra-cuu/{dossier.token}")  # the second one comes from the page cache
    assert first.headers["Cache-Control"] == "private, no-cache"
    assert again.headers["Cache-Control"] == "private, no-cache"
