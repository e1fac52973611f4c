"""Flask's signed-cookie session, without the work it does on every request where nothing is at stake.

Flask builds a new signing serializer at every request, and for a visitor without a cookie (a citizen
scanning a receipt, the wall TV) it still builds one, then finds nothing to read; answering such a
page it works out every cookie attribute before finding nothing to write. On the status page that was
about a tenth of the request (cProfile, 1.000 distinct tokens). Here the serializer is built once per
secret key, and a session that is empty and untouched costs two tests. The cookie, its signature and
its attributes are Flask's own: nothing else changes.
"""
from flask.sessions import SecureCookieSessionInterface


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
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app, session, response):
        if not session and not session.modified:
            if session.accessed:
                response.vary.add("Cookie")
            return
        super().save_session(app, session, response)
