"""QR codes for printed forms: inline SVG of the modules `qrcode` computes, and the texts they carry."""
import qrcode
from markupsafe import escape

from .rules.codes import STATUS_PATH

# Medium correction survives a receipt folded in a wallet; a two-module margin is enough on white paper.
ERROR_CORRECTION = qrcode.constants.ERROR_CORRECT_M
BORDER = 2


def qr_path(text: str) -> str:
    """The SVG path data of the QR code for `text`: what a test rebuilds to prove what a receipt encodes.

    Each run of dark modules in a row is one rectangle. The library's own SVG image drew every module
    as an element of its own, then serialised the tree: a third of a receipt's time, and the receipt is
    a third of each intake (8 counters saving: the request's CPU is what bounds them).
    """
    return _path(_modules(text))


def _path(rows: list[list[bool]]) -> str:
    parts = []
    for y, row in enumerate(rows):
        x, width = 0, len(row)
        while x < width:
            if not row[x]:
                x += 1
                continue
            start = x
            while x < width and row[x]:
                x += 1
            parts.append(f"M{start},{y}H{x}V{y + 1}H{start}z")
    return "".join(parts)


def qr_svg(text: str, label: str) -> str:
    """The QR code for `text` as an inline <svg> element, sized by CSS, described by `label` for screen readers."""
    rows = _modules(text)
    size = len(rows)
    return (
        f'<svg version="1.1" viewBox="0 0 {size} {size}" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-label="{escape(label)}" class="qr"><path d="{_path(rows)}" fill="#000000" stroke="none" /></svg>'
    )


def status_url(base_url: str, token: str) -> str:
    """The public status address a receipt's QR code opens."""
    return f"{base_url.rstrip('/')}{STATUS_PATH}{token}"


def wifi_text(name: str, password: str) -> str:
    """The text phones read to join a WPA network; the format's special characters are escaped."""

    def escape(value: str) -> str:
        for special in ("\\", ";", ",", ":", '"'):
            value = value.replace(special, "\\" + special)
        return value

    return f"WIFI:T:WPA;S:{escape(name)};P:{escape(password)};;"


def _modules(text: str) -> list[list[bool]]:
    """The QR code's modules, row by row, its margin included (the best of the eight masks, as the standard asks)."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECTION, border=BORDER)
    code.add_data(text)
    code.make(fit=True)
    return code.get_matrix()
