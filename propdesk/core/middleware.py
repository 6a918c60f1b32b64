import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
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
        try:
            response = self.get_response(request)
        finally:
            # The thread goes back to the site's language: work done after the request in this thread (in-process
            # background jobs, a test's next step) must not speak the last visitor's choice.
            translation.deactivate()
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


class ForbiddenCharactersMiddleware:
    """Input with a control character or a text-direction override (see core/text.py) is refused before any view
    sees it, naming the field: in the path, the query string (searches too: PostgreSQL cannot even compare a NUL),
    the Idempotency-Key header, a JSON body and a form body. The API answers 422 ``{"message", "extra":
    {"fields"}}`` like its other validation errors; a page answers the 400 page naming the fields. Multipart bodies
    (forms with photos) are left to the forms, whose text fields refuse the same characters (CoreConfig.ready), so
    that the upload handlers are not fixed before the views set them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        fields = self.forbidden_fields(request)
        if fields:
            return self.refuse(request, fields)
        return self.get_response(request)

    @staticmethod
    def forbidden_fields(request) -> list[str]:
        from .text import forbidden_in, has_forbidden

        found = []
        if has_forbidden(request.path):
            found.append("path")
        for key, values in request.GET.lists():
            if has_forbidden(key) or any(has_forbidden(value) for value in values):
                found.append(key)
        if has_forbidden(request.headers.get("Idempotency-Key", "")):
            found.append("Idempotency-Key")
        if request.method in ("POST", "PUT", "PATCH", "DELETE"):
            content_type = request.content_type or ""
            if content_type == "application/json" or content_type.endswith("+json"):
                try:
                    found.extend(forbidden_in(json.loads(request.body)))
                except (ValueError, RequestDataTooBig):  # not JSON, or too big: the API's own answer
                    pass
            elif content_type == "application/x-www-form-urlencoded":
                try:
                    posted = request.POST
                except RequestDataTooBig:
                    posted = {}
                for key, values in (posted.lists() if posted else ()):
                    if has_forbidden(key) or any(has_forbidden(value) for value in values):
                        found.append(key)
        return list(dict.fromkeys(found))

    @staticmethod
    def refuse(request, fields: list[str]):
        from django.http import JsonResponse
        from django.utils.translation import gettext as _

        from .text import has_forbidden

        message = _("Remove the control characters and text-direction marks from this text.")
        shown = ["?" if has_forbidden(field) else field for field in fields]
        if request.path.startswith("/api/"):
            return JsonResponse({"message": _("The request is not valid."),
                                 "extra": {"fields": {field: [message] for field in shown}}}, status=422)
        from .views import bad_request

        return bad_request(request, fields=shown, detail=message)


class ApiJsonErrorsMiddleware:
    """Under ``/api/`` every error is the API's JSON shape ``{"message", "extra"}``, whoever wrote it: the error
    handlers already answer so (config/api.py, core/views.py); this catches what answers without them, such as
    ninja's bare 405 for a method an endpoint does not take, or a page Django renders itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (request.path.startswith("/api/") and response.status_code >= 400
                and not response.get("Content-Type", "").startswith("application/json")):
            return self.as_json(response)
        return response

    @staticmethod
    def as_json(response):
        from http import HTTPStatus

        from django.http import JsonResponse
        from django.utils.translation import gettext as _

        messages = {405: _("This method is not allowed here."), 413: _("The request is too large.")}
        try:
            phrase = HTTPStatus(response.status_code).phrase
        except ValueError:
            phrase = ""
        answer = JsonResponse({"message": str(messages.get(response.status_code, phrase)), "extra": {}},
                              status=response.status_code)
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):
            if header in response:
                answer[header] = response[header]
        return answer
