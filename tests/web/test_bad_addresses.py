"""Addresses an anonymous visitor or a tired clerk can type: an answer of 404 or 400, never a 500 with a traceback."""
import pytest

from tests.conftest import PASSWORD

BIG = "9" * 30


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("quan_tri", f"/quan-tri/tai-khoan/{BIG}"),
        ("quan_tri", f"/quan-tri/tai-khoan/{2**63}"),
        ("quan_tri", f"/quan-tri/thu-tuc/{BIG}"),
        ("tiep_nhan", f"/tra-ket-qua/ho-so/{BIG}"),
        ("tiep_nhan", f"/tra-ket-qua/thon/{2**63}"),
        ("lanh_dao", "/ho-so/{code}/in/mau-02/" + BIG),
        ("lanh_dao", "/ho-so/{code}/in/mau-04/" + str(2**63)),
    ],
)
def test_huge_ids_in_the_path_are_not_found(client, auth, make_dossier, role, path):
    dossier = make_dossier()
    auth.login(role)
    response = client.get(path.format(code=dossier.code))
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("role", "path"),
    [
        (None, f"/thu-tuc?linh_vuc={BIG}"),
        ("lanh_dao", f"/ho-so?trang={BIG}"),
        ("lanh_dao", f"/ho-so?linh_vuc={2**63}&quay={BIG}&thon=²"),
        ("quan_tri", f"/quan-tri/nhat-ky?trang={2**62}"),
        ("quan_tri", f"/quan-tri/nhat-ky-ho-so?nguoi={BIG}&trang={BIG}"),
        ("quan_tri", f"/quan-tri/thu-tuc?linh_vuc={BIG}"),
        ("tiep_nhan", f"/tra-ket-qua?vua_tra={BIG}"),
    ],
)
def test_absurd_query_values_are_ignored(client, auth, catalogue, role, path):
    if role:
        auth.login(role)
    assert client.get(path).status_code == 200


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("lanh_dao", "/ho-so?tu_ngay=0001-01-01&den_ngay=9999-12-31"),
        ("lanh_dao", "/ho-so/so-theo-doi?tu_ngay=0001-01-01&den_ngay=9999-12-31"),
        ("quan_tri", f"/quan-tri/nhat-ky?trang={2**62}&tu_ngay=0001-01-01&den_ngay=9999-12-31"),
    ],
)
def test_absurd_dates_are_said_beside_the_filter(client, auth, catalogue, role, path):
    auth.login(role)
    response = client.get(path)
    assert response.status_code in (200, 400)
    assert "Ngày «0001-01-01» có năm ngoài khoảng 1900–2999." in response.get_data(as_text=True)


@pytest.mark.parametrize("target", ["/%0d%0aSet-Cookie:x=1", "/ho-so%0aX-Evil:1", "/ho-so\r\nSet-Cookie:x=1", "/\x7f"])
def test_a_next_with_control_characters_leads_home_after_login(client, auth, target):
    token = auth.csrf()
    from urllib.parse import quote

    response = client.post(
        "/dang-nhap?next=" + (target if "%" in target else quote(target)),
        data={"username": "quantri", "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    assert "x=1" not in response.headers.get("Set-Cookie", "").split(";")[0]


def test_a_plain_next_is_still_followed(client, auth):
    response = client.post("/dang-nhap?next=/ho-so%3Ftrang%3D2", data={"username": "lanhdao", "password": PASSWORD, "csrf_token": auth.csrf()})
    assert response.headers["Location"] == "/ho-so?trang=2"
