"""The first morning: the administrator printed by run.py logs in, sets a password, adds a counter officer."""
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_first_admin_changes_password_creates_counter_user_and_logs_out(server, page):
    password = server.first_admin_password()
    assert "Cán bộ đăng nhập: http://127.0.0.1:" in server.output

    page.goto(server.url + "/")
    assert page.url.startswith(server.url + "/dang-nhap")
    page.get_by_label("Tên đăng nhập").fill("admin")
    page.get_by_label("Mật khẩu").fill(password)
    page.keyboard.press("Enter")
    page.wait_for_url("**/doi-mat-khau")
    expect(page.get_by_text("Bạn cần đặt mật khẩu mới trước khi làm việc.")).to_be_visible()

    page.goto(server.url + "/quan-tri/")
    assert page.url.endswith("/doi-mat-khau")
    page.get_by_label("Mật khẩu hiện tại").fill(password)
    page.get_by_label("Mật khẩu mới", exact=True).fill("mat-khau-moi-2026")
    page.get_by_label("Nhập lại mật khẩu mới").fill("mat-khau-moi-2026")
    page.get_by_role("button", name="Lưu mật khẩu mới").click()
    # The second first-run step: the address the receipts' QR codes open, checked by the server itself.
    page.wait_for_url("**/quan-tri/dia-chi-tra-cuu")
    expect(page.get_by_text("Đã đổi mật khẩu.")).to_be_visible()
    expect(page.get_by_text("Địa chỉ hiện tại http://192.168.1.10:8080 chưa được kiểm tra")).to_be_visible()
    page.get_by_label("Địa chỉ máy chủ trong mạng nội bộ").fill("http://192.168.1.10:8080")
    page.get_by_role("button", name="Kiểm tra và lưu").click()
    expect(page.locator("#public_base_url-error")).to_be_visible()
    assert page.get_by_label("Địa chỉ máy chủ trong mạng nội bộ").input_value() == "http://192.168.1.10:8080"
    # The refusal is a 400, which the browser reports; it is the one expected.
    assert [error for error in page.js_errors if "400" not in error] == []
    page.js_errors.clear()
    page.get_by_label("Địa chỉ máy chủ trong mạng nội bộ").fill(server.url)
    page.get_by_role("button", name="Kiểm tra và lưu").click()
    page.wait_for_url("**/quan-tri/")
    expect(page.get_by_text(f"Đã kiểm tra: {server.url} tới được máy chủ này.")).to_be_visible()

    page.get_by_role("link", name="Quản trị").first.click()
    page.get_by_role("link", name="Tài khoản cán bộ").click()
    page.get_by_role("link", name="Tạo tài khoản").click()
    page.get_by_label("Tên đăng nhập").fill("tiepnhan1")
    page.get_by_label("Họ và tên").fill("Trần Thị Bích")
    page.get_by_label("Mật khẩu ban đầu").fill("mat-khau-quay-1")
    page.get_by_label("Tiếp nhận và trả kết quả").check()
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url("**/quan-tri/tai-khoan")
    row = page.get_by_role("row", name="tiepnhan1")
    assert "Trần Thị Bích" in row.inner_text()
    assert "chờ đổi mật khẩu" in row.inner_text()

    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/dang-nhap")
    expect(page.get_by_text("Bạn đã đăng xuất.")).to_be_visible()
    page.goto(server.url + "/quan-tri/")
    assert "/dang-nhap" in page.url

    page.get_by_label("Tên đăng nhập").fill("tiepnhan1")
    page.get_by_label("Mật khẩu").fill("mat-khau-quay-1")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/doi-mat-khau")
    assert page.js_errors == []
