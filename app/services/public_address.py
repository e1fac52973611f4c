"""The public address printed in every QR code: confirmed only once this server has fetched itself through it."""
import secrets
import socket
import threading
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from .. import settings as center_settings
from ..db import Prepared
from ..models import Setting

ADDRESS_KEY = "public_base_url"
# The address as it was when the check last succeeded: editing the address in the settings unconfirms it.
CONFIRMED_KEY = "public_base_url_confirmed"
CHECK_TIMEOUT = 5
NONCE_SECONDS = 60
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1", "0.0.0.0")

# Nonces this process issued and has not yet seen come back; the check and its answer run in one server.
_pending: dict[str, float] = {}
_pending_lock = threading.Lock()


# Asked by the intake page on every load: its SQL is built once.
_saved_value = Prepared(lambda key: Setting.select(Setting.value).where(Setting.key == key))


def is_confirmed(settings: dict) -> bool:
    """Whether the address in the settings is the one this server last reached itself through."""
    row = _saved_value.first(Setting, CONFIRMED_KEY)
    return row is not None and row.value == settings[ADDRESS_KEY]


def suggested(settings: dict, host_url: str) -> str:
    """What the first-run form offers: the address the admin's browser used, unless it is this machine's own name."""
    if not is_confirmed(settings) and urlsplit(host_url).hostname not in LOCAL_HOSTS:
        return host_url.rstrip("/")
    return settings[ADDRESS_KEY]


def issue_nonce() -> str:
    nonce = secrets.token_hex(16)
    with _pending_lock:
        moment = time.monotonic()
        for stale in [key for key, issued in _pending.items() if moment - issued > NONCE_SECONDS]:
            del _pending[stale]
        _pending[nonce] = moment
    return nonce


def answers(nonce: str) -> bool:
    """Whether `nonce` is one this server issued in the last minute (the echo page answers only those)."""
    with _pending_lock:
        issued = _pending.get(nonce)
    return issued is not None and time.monotonic() - issued <= NONCE_SECONDS


def check(address: str, echo_path) -> str | None:
    """Fetch `address` + echo_path(nonce) and compare; None when it reached this server, else why not, in Vietnamese."""
    nonce = issue_nonce()
    url = address.rstrip("/") + echo_path(nonce)
    # Straight to the address, as a phone on the LAN goes: never through a proxy set in the environment.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=CHECK_TIMEOUT) as response:
            answer = response.read(200).decode("ascii", "replace").strip()
    except urllib.error.HTTPError:
        answer = None
    except (TimeoutError, socket.timeout):
        return f"Địa chỉ {address} không trả lời trong {CHECK_TIMEOUT} giây. Hãy kiểm tra địa chỉ IP và cổng."
    except (urllib.error.URLError, OSError, ValueError):
        return (
            f"Không kết nối được tới {address}. Hãy kiểm tra địa chỉ IP và cổng: đó phải là địa chỉ của máy chủ này "
            "trong mạng nội bộ, như các địa chỉ run.py in ra khi khởi động."
        )
    finally:
        with _pending_lock:
            _pending.pop(nonce, None)
    if answer != nonce:
        return f"Địa chỉ {address} có trả lời, nhưng đó không phải máy chủ Một Cửa này (có thể là một máy khác trong mạng)."
    return None


def confirm(address: str) -> list[str]:
    """Store `address` as the public address, confirmed; returns the settings keys that changed."""
    changed = center_settings.save({ADDRESS_KEY: address})
    Setting.insert(key=CONFIRMED_KEY, value=address).on_conflict(
        conflict_target=[Setting.key], update={Setting.value: address}
    ).execute()
    return changed
