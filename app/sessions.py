"""Flask's signed-cookie session, without the work it does on every request where nothing is at stake.

Flask builds a new signing serializer at every request, and for a visitor without a cookie (a citizen
scanning a receipt, the wall TV) it still builds one, then finds nothing to read; answering such a
page it works out every cookie attribute before finding nothing to write. On the status page that was
about a tenth of the request (cProfile, 1.000 distinct tokens). Here the serializer is built once per
secret key, and a session that is empty and untouched costs two tests.

A staff session lasts a working day from its last request (PERMANENT_SESSION_LIFETIME), so Flask signs
and sends the cookie again with every answer: a tenth of the pickup desk's lookup. It is renewed here
when it changes or when it was signed more than REFRESH_AFTER ago, so a session ends between ten hours
and ten hours and a minute after the last request, never later. The cookie, its signature and its
attributes are Flask's own.
"""
import datetime

from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature

REFRESH_AFTER = datetime.timedelta(minutes=1)


class SessionInterface(SecureCookieSessionInterface):
    def __init__(self):
        self._serializers = {}

    def get_signing_serializer(self, app):
        if not app.secret_key:
            return None
        key = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        serializer = self._serializers.get(key)
        if serializer is None:
            serializer = self._serializers[key] = super().get_signing_serializer(app)
        return serializer

    def open_session(self, app, request):
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        try:
            data, signed_at = serializer.loads(value, max_age=int(app.permanent_session_lifetime.total_seconds()), return_timestamp=True)
        except BadSignature:
            return self.session_class()
        session = self.session_class(data)
        # The cookie's age on the signer's own clock (the wall clock, which its expiry is judged by).
        now = serializer.make_signer(serializer.salt).get_timestamp()
        session.signed_ago = datetime.timedelta(seconds=now - signed_at.timestamp())
        return session

    def should_set_cookie(self, app, session):
        if session.modified:
            return True
        if not (session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]):
            return False
        signed_ago = getattr(session, "signed_ago", None)
        return signed_ago is None or signed_ago >= REFRESH_AFTER

    def save_session(self, app, session, response):
        if not session and not session.modified:
            if session.accessed:
                response.vary.add("Cookie")
            return
        super().save_session(app, session, response)
