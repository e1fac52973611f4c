"""Who may open what: the role decorator, login throttling, the secret key and security headers."""
import datetime
import functools
import hashlib
import hmac
import secrets
from pathlib import Path

from flask import abort, current_app, g, redirect, request, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from .clock import now
from .extensions import htmx, login_manager
from .models import ROLES, AuditLog, LoginAttempt

ANY_STAFF = tuple(ROLES)
# What a user who must change their password may still do: change it, or leave a shared counter PC.
PASSWORD_CHANGE_ENDPOINTS = ("auth.change_password", "auth.logout")
MAX_FAILED_LOGINS = 5
# One PC trying name after name: a counter officer who mistypes never comes near it.
MAX_FAILED_LOGINS_PER_ADDRESS = 20
FAILED_LOGIN_WINDOW = datetime.timedelta(minutes=15)
WEAK_SECRETS = {"", "dev", "secret", "changeme", "change-me", "secret-key", "development"}


def roles_required(*roles: str):
    """Admit logged-in staff holding one of `roles`; anonymous users go to the login page, others get 403.

    The roles are kept on the view so that a test can walk the URL map and check every staff route.
    """
    unknown = set(roles) - set(ROLES)
    if unknown or not roles:
        raise ValueError(f"unknown roles {unknown}")

    def decorate(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.must_change_password and request.endpoint not in PASSWORD_CHANGE_ENDPOINTS:
                return redirect(url_for("auth.change_password"))
            if not current_user.has_any_role(roles):
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = frozenset(roles)
        return wrapped

    return decorate


def staff_required(view):
    """Any logged-in member of staff, whatever their role (their own password, logout)."""
    return roles_required(*ANY_STAFF)(view)


def public(view):
    """Mark a view as deliberately open to everyone (the SPEC's public addresses)."""
    view.is_public = True
    return view


def unauthorized():
    """Anonymous user on a staff page: to the login, the whole page even for an htmx request."""
    target = url_for("auth.login", next=request.full_path.rstrip("?"))
    if htmx:
        response = current_app.response_class(status=401)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target)


def user_seen_by_this_request():
    """The staff member this request already loaded, without loading one (an anonymous page stays cheap)."""
    user = g.get("_login_user")
    return user if user is not None and user.is_authenticated else None


def username_key(username: str) -> str:
    return username.strip().casefold()[:60]


def _wait(earlier, limit: int) -> datetime.timedelta | None:
    """How long until the oldest of the last `limit` failures in `earlier` leaves the window, or None."""
    times = [attempt.at for attempt in earlier.order_by(LoginAttempt.at.desc()).limit(limit)]
    if len(times) < limit:
        return None
    # The wait runs from the oldest of the last failures: once it leaves the window, one more try.
    return times[-1] + FAILED_LOGIN_WINDOW - now()


def begin_login_attempt(username: str, ip: str) -> datetime.timedelta | None:
    """Record this attempt as a failure first, then count the ones before it, so that check and record
    are one step: attempts made at the same moment never slip through a limit together.

    Failures count per username from this address (the owner at their usual PC is never refused
    because someone elsewhere typed wrong passwords for their name) and per address whatever the
    username (one PC cannot try name after name). A refused attempt is not kept; a right password
    clears its own record with `clear_failed_logins`. Returns how long to wait, or None to go on.
    """
    attempt = LoginAttempt.create(username_key=username_key(username), ip=ip)
    earlier = LoginAttempt.select(LoginAttempt.at).where(
        (LoginAttempt.id < attempt.id) & (LoginAttempt.at > attempt.at - FAILED_LOGIN_WINDOW) & (LoginAttempt.ip == ip)
    )
    waits = [
        wait
        for wait in (
            _wait(earlier.where(LoginAttempt.username_key == attempt.username_key), MAX_FAILED_LOGINS),
            _wait(earlier, MAX_FAILED_LOGINS_PER_ADDRESS),
        )
        if wait is not None
    ]
    if not waits:
        return None
    attempt.delete_instance()
    return max(waits)


def clear_failed_logins(username: str, ip: str) -> None:
    """A right password: this username starts afresh from this address."""
    LoginAttempt.delete().where((LoginAttempt.username_key == username_key(username)) & (LoginAttempt.ip == ip)).execute()


def client_ip() -> str:
    return (request.remote_addr or "")[:64]


def audit(action: str, detail: str = "", user=None) -> None:
    """Append one line to the audit log (who, what, when, from where)."""
    actor = user if user is not None else (current_user if current_user.is_authenticated else None)
    AuditLog.create(
        user=actor.id if actor else None,
        username=actor.username if actor else "",
        action=action,
        detail=detail[:2000],
        ip=client_ip(),
    )


def load_secret_key(folder: Path) -> str:
    """The secret key kept beside the database, made on first start: never a literal in the code."""
    path = folder / "secret_key"
    if path.exists():
        return path.read_text().strip()
    folder.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    try:
        path.chmod(0o600)
    except OSError:
        pass
    return key


def is_weak_secret(key: str) -> bool:
    return key.strip().lower() in WEAK_SECRETS or len(key) < 32


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)


def set_security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    return response


# The CSRF token of a public form that belongs to one page (the rating on a dossier's status page).
# It is bound to that page's key, not to the visitor's session, so the page sets no cookie: it may be
# kept by app/pagecache.py, and it costs no session signing. Against CSRF it is as strong as the
# session's token here: a page that could forge the post must already know the dossier's status token,
# and whoever knows it can open the page and post the form without any help from a victim's browser.
PAGE_FORM_TOKEN_MISSING = "The CSRF token is missing or does not match this page."


def page_form_token(purpose: str, key: str) -> str:
    message = f"{purpose}\x00{key}".encode()
    return hmac.new(current_app.secret_key.encode(), message, hashlib.sha256).hexdigest()


def check_page_form_token(purpose: str, key: str) -> None:
    """Raise CSRFError (answered like every other CSRF failure, 400) unless the form carries this page's token."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    sent = request.form.get("csrf_token", "")
    if not sent.isascii() or not hmac.compare_digest(sent, page_form_token(purpose, key)):
        raise CSRFError(PAGE_FORM_TOKEN_MISSING)
