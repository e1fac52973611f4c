"""The receipt's QR code: its SVG path paints exactly the library's modules, and a reader decodes the address."""
import re
import shutil
import subprocess

import pytest
import qrcode

from app.qr import BORDER, ERROR_CORRECTION, qr_path, qr_svg, status_url, wifi_text

TEXTS = [
    status_url("http://192.168.1.10:8080", "Xk3fP9aBcDeFgHiJkLmNoPqRsTuVwXyZ"),
    status_url("https://motcua.xa-trung-tiet.gov.vn/", "0" * 32),
    wifi_text("TTHCC Khách", 'mật;khẩu,"1"'),
]


def modules(text: str) -> list[list[bool]]:
    code = qrcode.QRCode(error_correction=ERROR_CORRECTION, border=BORDER)
    code.add_data(text)
    code.make(fit=True)
    return code.get_matrix()


def painted(path: str, size: int) -> list[list[bool]]:
    """The grid the path's rectangles cover (each is "Mx,yHx2V(y+1)Hxz": one run of one row)."""
    grid = [[False] * size for _ in range(size)]
    for start, y, end, below, back in re.findall(r"M(\d+),(\d+)H(\d+)V(\d+)H(\d+)z", path):
        start, y, end, below, back = map(int, (start, y, end, below, back))
        assert below == y + 1 and back == start and end > start
        for x in range(start, end):
            assert not grid[y][x], "a module painted twice"
            grid[y][x] = True
    return grid


@pytest.mark.parametrize("text", TEXTS)
def test_the_path_paints_every_dark_module_and_nothing_else(text):
    expected = modules(text)
    path = qr_path(text)
    assert re.fullmatch(r"(M\d+,\d+H\d+V\d+H\d+z)+", path)
    assert painted(path, len(expected)) == expected


def test_the_svg_is_sized_by_css_and_named_for_screen_readers():
    svg = qr_svg(TEXTS[0], 'Mã QR tra cứu hồ sơ <b>"1"</b>')
    size = len(modules(TEXTS[0]))
    assert svg.startswith(f'<svg version="1.1" viewBox="0 0 {size} {size}" xmlns="http://www.w3.org/2000/svg" role="img" ')
    assert 'aria-label="Mã QR tra cứu hồ sơ &lt;b&gt;&#34;1&#34;&lt;/b&gt;"' in svg
    assert 'class="qr"' in svg and "width=" not in svg and "height=" not in svg and " id=" not in svg
    assert f'<path d="{qr_path(TEXTS[0])}"' in svg


@pytest.mark.skipif(shutil.which("zbarimg") is None, reason="zbarimg (Debian's zbar-tools) reads the code")
@pytest.mark.parametrize("text", TEXTS)
def test_a_reader_decodes_what_was_encoded(tmp_path, text):
    grid = painted(qr_path(text), len(modules(text)))
    scale = 8
    rows = [" ".join("0" if dark else "255" for dark in row for _ in range(scale)) for row in grid for _ in range(scale)]
    image = tmp_path / "qr.pgm"
    image.write_text(f"P2\n{len(grid) * scale} {len(grid) * scale}\n255\n" + "\n".join(rows) + "\n")
    # -Sbinary: the bytes as encoded (UTF-8); without it zbar guesses a legacy charset for "á" and "ậ".
    decoded = subprocess.run(["zbarimg", "--raw", "-q", "-Sbinary", str(image)], capture_output=True, check=True).stdout
    assert decoded.decode("utf-8").rstrip("\n") == text
