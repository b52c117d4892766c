import time

from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _


class LanguageMiddleware:
    """Speak Indonesian unless the user chose English with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many office and field
    phones are set to English; the office works in Indonesian, so only an explicit choice (the
    language cookie set by the switch) changes it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class PrivatePagesNotStored:
    """Pages shown to a signed-in user carry personal data: no browser or proxy may keep them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            response["Cache-Control"] = "no-store"
        return response


class PermissionsPolicy:
    """Say that no page may use the camera, the microphone, the location or payments: a photo is
    chosen through the file field (the phone's own camera app), and nothing else needs them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class RequestSizeLimit:
    """Refuse a request body over MAX_REQUEST_BODY_SIZE from its declared length, before reading it.

    Django limits form fields in memory but streams file uploads to disk whatever their size; a
    60 MB upload would be read whole before the 5 MB rule could refuse it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BODY_SIZE:
            message = _(
                "What was sent is too large (at most %(limit)s). Send smaller files, one at a time."
            ) % {"limit": filesizeformat(settings.MAX_REQUEST_BODY_SIZE)}
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class SessionIdleTimeout:
    """End a session after SESSION_COOKIE_AGE without a request, writing it at most once a minute.

    Django's SESSION_SAVE_EVERY_REQUEST would write (and, on PostgreSQL, flush to disk) the session
    on every page; refreshing its expiry once a minute keeps the idle limit to the minute.
    """

    REFRESH_SECONDS = 60
    KEY = "_seen"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.session_key:
            now = int(time.time())
            if now - session.get(self.KEY, 0) >= self.REFRESH_SECONDS:
                session[self.KEY] = now  # marks the session modified: saved with a new expiry
        return self.get_response(request)


def session_started(sender, request, user, **kwargs):
    """A login has just saved the session with a fresh expiry: the next minute needs no write."""
    if getattr(request, "session", None) is not None:
        request.session[SessionIdleTimeout.KEY] = int(time.time())


class ServerTiming:
    """Where a request's time went, in a `Server-Timing` header (settings.SERVER_TIMING, off in
    production unless DJANGO_SERVER_TIMING is set): the whole time in the app, its CPU time, the
    time in the database (and the number of queries) and, of that, the session's own write.

    The load benchmark (benchmarks/load.py) reads the header: what the client waited beyond `app`
    was spent before the app saw the request, queued for a free worker.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        spent = {"db": 0.0, "queries": 0, "session": 0.0}

        def timed(execute, sql, params, many, context):
            began = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                taken = time.perf_counter() - began
                spent["db"] += taken
                spent["queries"] += 1
                if "django_session" in sql and not sql.lstrip().upper().startswith("SELECT"):
                    spent["session"] += taken

        began, cpu_began = time.perf_counter(), time.process_time()
        with connection.execute_wrapper(timed):
            response = self.get_response(request)
        app = (time.perf_counter() - began) * 1000
        cpu = (time.process_time() - cpu_began) * 1000
        response.headers["Server-Timing"] = (
            f"app;dur={app:.1f}, cpu;dur={cpu:.1f}, "
            f'db;dur={spent["db"] * 1000:.1f};desc="{spent["queries"]} queries", '
            f"session;dur={spent['session'] * 1000:.1f}"
        )
        return response
