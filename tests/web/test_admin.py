import unicodedata

import pytest

from app import settings as center_settings
from app.db import database
from app.models import AuditLog, Counter, Field, User, UserField

NEW_USER = {"username": "nguyenvana", "full_name": "Nguyễn Văn An", "password": "mat-khau-123", "roles": ["tiep_nhan"], "counter": "0"}


def create(auth, **changes):
    data = dict(NEW_USER, **changes)
    return auth.post("/quan-tri/tai-khoan/moi", data=data, token_from="/quan-tri/tai-khoan/moi")


def test_admin_creates_a_counter_user_who_must_change_password(client, auth, db):
    Counter.create(name="Quầy 1", order=1)
    Field.create(name="Hộ tịch")
    auth.login("quan_tri")
    counter = Counter.get(Counter.name == "Quầy 1")
    field = Field.get(Field.name == "Hộ tịch")
    response = create(auth, counter=str(counter.id), roles=["tiep_nhan", "chuyen_mon"], fields=[str(field.id)])
    assert response.status_code == 303
    user = User.get(User.username == "nguyenvana")
    assert user.roles == {"tiep_nhan", "chuyen_mon"}
    assert user.counter_id == counter.id
    assert user.must_change_password
    assert [link.field_id for link in UserField.select().where(UserField.user == user)] == [field.id]
    assert "Nguyễn Văn An" in client.get("/quan-tri/tai-khoan").get_data(as_text=True)
    assert AuditLog.select().where(AuditLog.action == "user_created").count() == 1


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"username": ""}, "Không được để trống."),
        ({"username": "Nguyễn"}, "Tên đăng nhập gồm 3–60 ký tự"),
        ({"username": "a' OR 1=1 --"}, "Tên đăng nhập gồm 3–60 ký tự"),
        ({"username": "tiepnhan"}, "Tên đăng nhập này đã có người dùng."),
        ({"full_name": ""}, "Không được để trống."),
        ({"full_name": "     "}, "Không được để trống."),
        ({"full_name": "A" * 300}, "Tối đa 120 ký tự."),
        ({"full_name": "Lê\x00Văn"}, "Có ký tự điều khiển không hợp lệ."),
        ({"password": "ngan"}, "Mật khẩu cần từ 8 đến 128 ký tự."),
        ({"roles": []}, "Chọn ít nhất một vai trò."),
        ({"roles": ["vua"]}, "Not a valid choice"),
        ({"counter": "9999"}, "Not a valid choice"),
    ],
)
def test_bad_new_user_is_refused_beside_the_field_and_nothing_saved(client, auth, db, changes, message):
    auth.login("quan_tri")
    before = User.select().count()
    response = create(auth, **changes)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page or message == "Not a valid choice" and 'class="error"' in page
    assert User.select().count() == before


def test_names_with_html_emoji_and_nfd_are_kept_as_text(client, auth, db):
    auth.login("quan_tri")
    name = unicodedata.normalize("NFD", "Trần Thị Bích") + " <script>alert(1)</script> 🙂"
    assert create(auth, full_name=name).status_code == 303
    stored = User.get(User.username == "nguyenvana").full_name
    assert stored == "Trần Thị Bích <script>alert(1)</script> 🙂"
    page = client.get("/quan-tri/tai-khoan").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


def test_double_submit_creates_one_account(client, auth, db):
    auth.login("quan_tri")
    assert create(auth).status_code == 303
    second = create(auth)
    assert second.status_code == 400
    assert User.select().where(User.username == "nguyenvana").count() == 1


def test_deactivated_user_is_kept_but_cannot_log_in(client, auth, db):
    auth.login("quan_tri")
    target = User.get(User.username == "tiepnhan")
    response = auth.post(f"/quan-tri/tai-khoan/{target.id}", data={"full_name": target.full_name, "roles": ["tiep_nhan"], "counter": "0"}, token_from=f"/quan-tri/tai-khoan/{target.id}")
    assert response.status_code == 303
    assert User.get_by_id(target.id).active is False
    auth.logout()
    assert auth.login("tiep_nhan").status_code == 401


def test_admin_cannot_lock_themselves_out(client, auth, db):
    auth.login("quan_tri")
    me = User.get(User.username == "quantri")
    response = auth.post(f"/quan-tri/tai-khoan/{me.id}", data={"full_name": me.full_name, "roles": ["tiep_nhan"], "counter": "0", "active": "y"})
    assert response.status_code == 400
    assert "Bạn không thể tự khóa" in response.get_data(as_text=True)
    assert User.get_by_id(me.id).roles == {"quan_tri"}


def test_reset_password_shows_a_temporary_one_once(client, auth, db):
    auth.login("quan_tri")
    target = User.get(User.username == "tiepnhan")
    response = auth.post(f"/quan-tri/tai-khoan/{target.id}/dat-lai-mat-khau")
    page = response.get_data(as_text=True)
    assert "Mật khẩu tạm" in page
    temporary = page.split('class="secret">')[1].split("<")[0]
    auth.logout()
    assert auth.login(username="tiepnhan", password=temporary).headers["Location"] == "/doi-mat-khau"


def test_edit_unknown_user_is_404(client, auth):
    auth.login("quan_tri")
    assert client.get("/quan-tri/tai-khoan/99999").status_code == 404


def current_form() -> dict:
    """The settings form as the page fills it: every value as it is now."""
    values = center_settings.load()
    form = {}
    for spec in center_settings.SPECS:
        value = values[spec.key]
        if spec.kind == "time":
            form[spec.key] = value.strftime("%H:%M")
        elif spec.kind == "bool":
            if value:
                form[spec.key] = "1"
        else:
            form[spec.key] = str(value)
    return form


def test_settings_are_saved_and_shown(client, auth, db):
    auth.login("quan_tri")
    form = current_form()
    form.update(
        province="Tỉnh Hà Tĩnh", commune="Xã Thạch Lạc", parent_body="UBND XÃ THẠCH LẠC",
        center_name=unicodedata.normalize("NFD", "Trung tâm Phục vụ hành chính công xã Thạch Lạc"),
        agency_code="000.00.20.H42", work_start="07:00", work_end="17:00", saturday_end="11:30",
        default_cutoff="15:00", public_base_url="http://192.168.1.20:8080/", receipt_paper="A5", saturday_counts="1",
    )
    response = auth.post("/quan-tri/cai-dat", data=form)
    assert response.status_code == 303
    values = center_settings.load()
    assert values["center_name"] == "Trung tâm Phục vụ hành chính công xã Thạch Lạc"
    assert values["public_base_url"] == "http://192.168.1.20:8080"
    assert values["saturday_counts"] is True
    assert values["receipt_paper"] == "A5"
    assert "Trung tâm Phục vụ hành chính công xã Thạch Lạc" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    "key, value, message",
    [
        ("agency_code", "H42", "QCVN"),
        ("work_start", "25:00", "Nhập giờ dạng HH:MM"),
        ("public_base_url", "javascript:alert(1)", "Nhập địa chỉ dạng http://"),
        ("commune", "   ", "Không được để trống."),
        ("address", "x" * 400, "Tối đa 300 ký tự."),
        ("receipt_paper", "A3", "Hãy chọn một giá trị"),
        ("local_code_prefix", "T1", "Tiền tố gồm 1 đến 6 chữ cái in hoa không dấu (A–Z), ví dụ TL."),
        ("local_code_prefix", "TĐ", "Tiền tố gồm 1 đến 6 chữ cái in hoa không dấu (A–Z), ví dụ TL."),
        ("local_code_prefix", "", "Tiền tố gồm 1 đến 6 chữ cái in hoa không dấu (A–Z), ví dụ TL."),
        ("local_code_prefix", "ABCDEFG", "Tối đa 6 ký tự."),
    ],
)
def test_bad_setting_is_refused_and_nothing_changes(client, auth, db, key, value, message):
    auth.login("quan_tri")
    before = center_settings.load()
    form = current_form()
    form[key] = value
    response = auth.post("/quan-tri/cai-dat", data=form)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert center_settings.load() == before


def test_audit_log_filters_by_person_and_action(client, auth, db):
    auth.login("tiep_nhan")
    auth.logout()
    auth.login("quan_tri", password="sai")
    auth.login("quan_tri")
    page = client.get("/quan-tri/nhat-ky", query_string={"nguoi": "tiepnhan"}).get_data(as_text=True)
    assert "tiepnhan" in page and "quantri" not in page.split("audit-entries")[1]
    fragment = client.get("/quan-tri/nhat-ky", query_string={"thao_tac": "login_failed"}, headers={"HX-Request": "true"})
    text = fragment.get_data(as_text=True)
    assert "<html" not in text
    assert "Đăng nhập sai" in text and "Đăng xuất" not in text


def test_every_audited_action_has_a_vietnamese_label():
    import re
    from pathlib import Path

    from app.views.admin.audit import ACTION_LABELS

    source = "\n".join(path.read_text() for path in (Path(__file__).resolve().parents[2] / "app").rglob("*.py"))
    used = set()
    for call in re.finditer(r'audit\(\s*"([a-z_]+)"(?:\s+if\s[^"]*?else\s+"([a-z_]+)")?', source):
        used.update(name for name in call.groups() if name)
    assert used - set(ACTION_LABELS) == set()
    assert len(used) > 20
