"""A refused action's message appears beside the field it is about, named after it, and the field has the focus."""
import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.staff import login, make_dossier, make_staff

pytestmark = pytest.mark.browser


def in_view(page, selector) -> bool:
    return page.evaluate(
        """selector => { const box = document.querySelector(selector).getBoundingClientRect();
                         return box.top >= 0 && box.bottom <= window.innerHeight; }""",
        selector,
    )


def test_empty_documents_request_is_answered_beside_its_field(server, page):
    make_staff(server)
    dossier = make_dossier("Nguyễn Văn An", datetime.datetime(2026, 11, 30, 9, 0), started=True)
    login(page, server, "lanh_dao")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{server.url}/ho-so/{dossier.code}")

    page.locator(".action-request_documents").get_by_role("button", name="Yêu cầu bổ sung").click()

    field = page.get_by_label("Nội dung cần bổ sung")
    expect(field).to_be_focused()
    expect(field).to_have_attribute("aria-invalid", "true")
    message = page.locator("#note-request_documents-error")
    expect(message).to_have_text("Vui lòng ghi nội dung cần bổ sung, hoặc chọn giấy tờ cần bổ sung ở trên.")
    assert in_view(page, "#note-request_documents") and in_view(page, "#note-request_documents-error")
    # Said once, beside the field: not under the status at the top of the page.
    expect(page.locator("#action-error")).to_have_count(0)
    expect(page.get_by_text("Vui lòng ghi rõ lý do.")).to_have_count(0)

    field.fill("Bản sao căn cước của người nộp.")
    page.locator(".action-request_documents").get_by_role("button", name="Yêu cầu bổ sung").click()
    expect(page.get_by_text("Đã ghi nhận: Yêu cầu bổ sung.")).to_be_visible()


def test_empty_refusal_reason_is_answered_beside_its_field_in_vietnamese(server, page):
    make_staff(server)
    dossier = make_dossier("Trần Thị Bình", datetime.datetime(2026, 11, 30, 9, 0), started=True)
    login(page, server, "lanh_dao")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{server.url}/ho-so/{dossier.code}")

    form = page.locator(".action-refuse")
    form.get_by_role("button").click()
    # No browser bubble: the server answers, beside the field.
    expect(form.get_by_text("Vui lòng ghi rõ lý do.")).to_be_visible()
    expect(form.get_by_label("Lý do (bắt buộc)")).to_be_focused()
    assert in_view(page, "#note-refuse-error")
