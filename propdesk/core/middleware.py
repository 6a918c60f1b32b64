from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class OverflowAs404Middleware:
    """An id too large for the database's integer (``/rooms/99999999999999999999/``) is simply not there: SQLite
    raises OverflowError where PostgreSQL finds no row, and neither should be a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OverflowError):
            from django.http import Http404
            from django.views.defaults import page_not_found

            return page_not_found(request, Http404())
        return None


class LanguageMiddleware:
    """Chinese first: the console speaks LANGUAGE_CODE (zh-hans) unless the user chose another language with the
    switch (a cookie). The browser's Accept-Language is ignored on purpose: a front desk's shared PC with an
    English browser should still show the company's Chinese console."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        return response


class ApiNoStoreMiddleware:
    """API answers carry residents' names, phones and complaints: no browser or proxy may keep a copy
    (``Cache-Control: no-store``), errors included. Pages set their own caching; only ``/api/`` is touched."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/api/"):
            response["Cache-Control"] = "no-store"
        return response


class ProcessHeaderMiddleware:
    """``X-PropDesk-Process: host:pid`` on every answer, to tell which of several web processes behind one address
    answered (the scaled topology and its smoke test). Installed only when PROPDESK_EXPOSE_PROCESS is on (settings):
    production does not tell the world its process ids."""

    def __init__(self, get_response):
        import os
        import socket

        self.get_response = get_response
        self.process = f"{socket.gethostname()}:{os.getpid()}"

    def __call__(self, request):
        response = self.get_response(request)
        response["X-PropDesk-Process"] = self.process
        return response
