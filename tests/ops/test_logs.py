"""The log file: requests, logins and errors with their traceback go to db/logs; the person sees none of it."""
import logging

import pytest

from app import logs


@pytest.fixture
def logged(app, tmp_path):
    """The app logging to tmp_path/logs as `serve` sets it up; the handlers are taken off afterwards."""
    path = logs.configure(tmp_path)
    logs.install(app)
    yield path
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "motcua", False)]:
        root.removeHandler(handler)
        handler.close()


def written(path) -> str:
    """The log file once every line queued so far is in it (a writer thread of its own writes them)."""
    logs.flush()
    return path.read_text(encoding="utf-8")


def test_an_error_is_logged_with_its_traceback_and_the_page_shows_none(app, client, logged):
    def broken():
        return 1 / 0

    app.add_url_rule("/thu-tuc/loi-thu", "broken", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production, not as under TESTING
    response = client.get("/thu-tuc/loi-thu")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Đã có lỗi xảy ra" in page
    assert "Traceback" not in page and "ZeroDivisionError" not in page
    text = written(logged)
    assert "Traceback" in text and "ZeroDivisionError: division by zero" in text
    assert "GET /thu-tuc/loi-thu 500" in text


def test_logins_and_requests_are_logged(client, auth, logged):
    auth.login("quan_tri")
    auth.login("tiep_nhan", password="sai-mat-khau")
    text = written(logged)
    assert "login quantri from 127.0.0.1" in text
    assert "POST /dang-nhap 303" in text
    assert "POST /dang-nhap 401" in text


def test_configure_twice_adds_no_second_handler(logged, tmp_path):
    before = len(logging.getLogger().handlers)
    logs.configure(tmp_path)
    assert len(logging.getLogger().handlers) == before


def test_status_tokens_are_masked_in_every_log_line(app, client, make_dossier, logged):
    dossier = make_dossier()
    assert client.get(f"/tra-cuu/{dossier.token}").status_code == 200
    client.get(f"/tra-cuu/{dossier.token}x")  # a miss is logged too
    logging.getLogger("motcua.test").error("failed on http://10.0.0.5:8080/tra-cuu/%s/danh-gia", dossier.token)
    text = written(logged)
    assert dossier.token not in text
    assert f"GET /tra-cuu/{dossier.token[:4]}… 200" in text
    assert f"/tra-cuu/{dossier.token[:4]}…/danh-gia" in text


@pytest.mark.parametrize(
    ("line", "masked"),
    [
        ("GET /tra-cuu/AbC_-dEfGhIjKlMnOpQrSt 200", "GET /tra-cuu/AbC_… 200"),
        ("/tra-cuu/AbCdEfGh/danh-gia", "/tra-cuu/AbCd…/danh-gia"),
        ("GET /tra-cuu 200", "GET /tra-cuu 200"),
        ("GET /tra-cuu/Ab 404", "GET /tra-cuu/Ab 404"),
        ("GET /ho-so/000.00.20.H42-261130-0001 200", "GET /ho-so/000.00.20.H42-261130-0001 200"),
    ],
)
def test_mask_tokens(line, masked):
    assert logs.mask_tokens(line) == masked
