"""Making the requests a registry entry describes, and judging the answers."""

import json
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from .discovery import Page
from .routes import Lit, Route
from .world import Scope, png

LOGIN_PATHS = ("/login/", "/admin/login/")


@dataclass
class Call:
    method: str
    url: str
    data: object = None
    content_type: str | None = None
    url_kwargs: tuple = ()
    mixed: bool = False  # the caller's own object with another scope's ids in the body

    def __str__(self):
        return f"{self.method} {self.url}"


def value(raw, scope: Scope, own: Scope | None = None):
    """A query or body value with the scope's objects put in: "@request" → its id ("@own:request": the caller's
    own); anything else as it is."""
    if isinstance(raw, dict):
        return {k: value(v, scope, own) for k, v in raw.items()}
    if isinstance(raw, list):
        return [value(v, scope, own) for v in raw]
    if isinstance(raw, str) and not isinstance(raw, Lit) and raw.startswith("@own:"):
        return own.ids[raw[5:]]
    if isinstance(raw, str) and not isinstance(raw, Lit) and raw.startswith("@"):
        return scope.query if raw == "@query" else scope.ids[raw[1:]]
    return str(raw) if isinstance(raw, Lit) else raw


def param(raw, scope: Scope):
    """A path parameter: a scope key ("request" → its id) or a Lit."""
    return str(raw) if isinstance(raw, Lit) else scope.ids[raw]


def page_url(page: Page, kwargs: dict) -> str:
    if page.pattern.name:
        return reverse(page.key, kwargs=kwargs or None)
    # An unnamed pattern (the DEBUG media route, the admin's catch-all): its text with the parameters put in.
    url = "/" + re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kwargs[m.group(1)]), page.route)
    return url.replace("^", "").replace("$", "")


def page_calls(page: Page, route: Route, scope: Scope, own: Scope | None = None) -> list[Call]:
    """GET (and POST with the body) of the scope's object; with ``own``, the mixed body posted to own's object."""
    if own is not None:
        url = page_url(page, {name: param(raw, own) for name, raw in route.params.items()})
        return [Call("POST", url, value(route.mixed, scope, own), mixed=True)]
    url = page_url(page, {name: param(raw, scope) for name, raw in route.params.items()})
    query = {name: value(raw, scope) for name, raw in route.query.items()}
    calls = [Call("GET", url, query)]
    if route.body is not None:
        calls.append(Call("POST", url, value(route.body, scope)))
    return calls


def api_call(key: str, route: Route, scope: Scope, own: Scope | None = None) -> Call:
    """The operation on the scope's object; with ``own``, the mixed body sent to own's object."""
    method, path = key.split(" ", 1)
    url = path.format(**{name: param(raw, own or scope) for name, raw in route.params.items()})
    if method == "GET":
        return Call(method, url, {name: value(raw, scope) for name, raw in route.query.items()})
    if own is not None:
        return Call(method, url, json.dumps(value(route.mixed, scope, own)), "application/json", mixed=True)
    body = value(route.body or {}, scope)
    if route.multipart:
        return Call(method, url, {**body, "files": SimpleUploadedFile("越权.png", png(), content_type="image/png")})
    return Call(method, url, json.dumps(body), "application/json")


def admin_calls(page: Page, scope: Scope) -> list[Call]:
    """Django's admin, one rule for all its pages: the object of this model in the other scope where one exists."""
    kwargs = {}
    for name in page.pattern.pattern.regex.groupindex:
        if name == "object_id":
            model_admin = getattr(page.pattern.callback, "model_admin", None)
            kwargs[name] = str(_an_object_of(model_admin.model if model_admin else None, scope) or 1)
        elif name == "app_label":
            kwargs[name] = "servicedesk"
        else:
            kwargs[name] = "1"
    return [Call("GET", page_url(page, kwargs), url_kwargs=tuple(kwargs))]


def _an_object_of(model, scope: Scope):
    if model is None:
        return None
    for lookup in ("project", "request__project", "work_order__project", "quote__project", "incident__project",
                   "resident__project"):
        if any(f.name == lookup.split("__")[0] for f in model._meta.get_fields()):
            return model.objects.filter(**{lookup: scope.project}).values_list("pk", flat=True).first()
    if model is apps.get_model("org", "Project"):
        return scope.project.pk
    return None


def send(client, call: Call):
    kwargs = {"content_type": call.content_type} if call.content_type else {}
    return getattr(client, call.method.lower())(call.url, call.data or {}, **kwargs)


def content_of(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def leaked(response, scope: Scope) -> list[str]:
    body = content_of(response)
    found = [m for m in scope.markers if m.encode() in body]
    location = response.get("Location", "")
    found += [f"Location: {m}" for m in scope.markers if m in location]
    return found


def to_login(response) -> bool:
    return response.status_code == 302 and urlsplit(response["Location"]).path in LOGIN_PATHS


def judge(response, *, route: Route, role: str, scope: Scope, method: str, api: bool,
          mixed: bool = False) -> str | None:
    """Why this answer is unsafe, or None."""
    status = response.status_code
    if status >= 500:
        return f"answered {status}"
    found = leaked(response, scope)
    if found:
        return f"answered {status} showing the other scope's {', '.join(found)}"
    if mixed:
        if api and status < 400:
            return f"accepted another scope's ids in the body ({status})"
        return None
    ok = route.ok.get(role, ()) if isinstance(route.ok, dict) else route.ok
    if route.kind != "object" or status in ok:
        return None
    allowed = {403, 404, 405}
    if role == "anonymous":
        allowed |= {401}
        if to_login(response):
            return None
    if status not in allowed:
        also = ", or the sign-in page" if role == "anonymous" else ""
        return f"answered {status} for another scope's object (expected 404{also})"
    return None

