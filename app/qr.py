"""QR codes for printed forms: inline SVG made with `qrcode`, and the texts they carry."""
import xml.etree.ElementTree as ET

import qrcode
from qrcode.image.svg import SvgPathImage

from .rules.codes import STATUS_PATH

# Medium correction survives a receipt folded in a wallet; a two-module margin is enough on white paper.
ERROR_CORRECTION = qrcode.constants.ERROR_CORRECT_M
BORDER = 2


def qr_path(text: str) -> str:
    """The SVG path data of the QR code for `text`: what a test rebuilds to prove what a receipt encodes."""
    return _image(text).path.get("d")


def qr_svg(text: str, label: str) -> str:
    """The QR code for `text` as an inline <svg> element, sized by CSS, described by `label` for screen readers."""
    image = _image(text)
    # The library names every path "qr-path"; two codes on one page would repeat the id.
    image.path.attrib.pop("id", None)
    svg = image.get_image()
    for size in ("width", "height"):
        svg.attrib.pop(size, None)
    svg.set("role", "img")
    svg.set("aria-label", label)
    svg.set("class", "qr")
    return ET.tostring(svg, encoding="unicode")


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


def _image(text: str) -> SvgPathImage:
    code = qrcode.QRCode(error_correction=ERROR_CORRECTION, border=BORDER, image_factory=SvgPathImage)
    code.add_data(text)
    code.make(fit=True)
    return code.make_image()
