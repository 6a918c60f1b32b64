"""The JSON API: one NinjaAPI, session auth for the browser, bearer tokens for integrations.

Errors are always JSON ``{"message": ..., "extra": {...}}`` with a 4xx status; a field error names its field in
``extra.fields``.
"""

import logging

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.security import APIKeyCookie, HttpBearer

from propdesk.core.errors import ApplicationError, PermissionDenied

log = logging.getLogger(__name__)


class BodyNotAnObject(ValueError):
    pass


class JsonObjectParser(Parser):
    """Every JSON body the API takes is an object. ninja's Schema reads the attributes of whatever it is given, so
    ``[]``, ``"x"`` or ``1`` used to validate as an empty object: an all-optional PATCH answered 200 having changed
    nothing, and a POST reported its required fields missing. Anything but an object is refused (422) here, once for
    every route; ninja turns the exception into an HttpError(400) caused by it, which ``on_http_error`` answers."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise BodyNotAnObject(type(data).__name__)
        return data


class SessionAuth(APIKeyCookie):
    """The browser's Django session, with CSRF checked on unsafe methods."""

    param_name = "sessionid"

    def __init__(self):
        from django.conf import settings

        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__(csrf=True)

    def _get_key(self, request):
        # No signed-in session: nothing for CSRF to protect; let TokenAuth try the bearer token.
        if not request.user.is_authenticated:
            return None
        try:
            return super()._get_key(request)
        except HttpError as error:  # ninja's CSRF refusal, in English: the API's 403 in the user's language
            if error.status_code != 403:
                raise
            raise ApplicationError(_("The CSRF check failed: reload the page and try again."),
                                   status_code=403) from None

    def authenticate(self, request, key):
        user = request.user
        return user if user.is_authenticated and user.is_active else None


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``: a working token (not expired, revoked or void since its user's password
    changed or the user was deactivated) signs the request in as its user. A read-only token may only read."""

    def authenticate(self, request, token):
        from propdesk.staff.rules.tokens import method_allowed
        from propdesk.staff.selectors import token_for_bearer
        from propdesk.staff.services import token_touch

        now = timezone.now()
        found = token_for_bearer(token, now=now)
        if found is None:
            return None
        token_touch(found, now)
        if not method_allowed(read_only=found.read_only, method=request.method):
            raise PermissionDenied(_("This API token is read only: it cannot change anything."))
        request.user = found.user
        request.api_token = found
        return found.user


class ErrorOut(Schema):
    """Every error answer: a sentence for people, details for programs (``extra.fields``: messages per field)."""

    message: str
    extra: dict


# The error answers an operation can give, by what it takes. Every operation needs a signed-in user or a token (401)
# and a role that may (403; with the browser's session also a write without its CSRF token); whatever takes input
# can fail validation (422) or a rule of the service on a named field (400); an id in the path, the query or the
# body can be out of scope or gone (404); a write can find the row in a state that refuses it (409: the transition
# table, an idempotency key reused with another body) or be rate limited (429). ``ERROR_TEXT`` is the description
# the document gives each.
ERROR_TEXT = {
    400: "A field breaks a rule: `extra.fields` names it.",
    401: "Sign in or send a valid API token.",
    403: "Your role may not do this (or, with the browser's session, a write came without its CSRF token).",
    404: "Not found, or not in your scope.",
    409: "The row's current state refuses this (e.g. the transition table); nothing changed.",
    422: "The input does not match the schema: `extra.fields` names each field.",
    429: "Too many attempts; try again later.",
}
WRITES = {"post", "put", "patch", "delete"}


def error_codes(method: str, operation: dict) -> set[int]:
    """The error statuses an operation of the OpenAPI document can answer, from its shape."""
    params = {p.get("in") for p in operation.get("parameters", [])}
    codes = set()
    if operation.get("security"):
        codes |= {401, 403}
    if params or "requestBody" in operation:
        codes |= {400, 422}
    # an id in the path, the query (?project= of another scope, or beyond the integer range) or the body
    if params & {"path", "query"} or "requestBody" in operation:
        codes.add(404)
    if method in WRITES:
        codes |= {400, 409, 429}
    return codes


class PropDeskAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """Ninja documents only the success answers; add the error answers each operation gives, in the shape
        the error handlers below write (``ErrorOut``)."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema["components"]["schemas"]["ErrorOut"] = ErrorOut.model_json_schema()
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        for methods in schema["paths"].values():
            for method, operation in methods.items():
                responses = operation.setdefault("responses", {})
                for code in sorted(error_codes(method, operation)):
                    responses.setdefault(code, {"description": ERROR_TEXT[code], "content": error})
        return schema


api = PropDeskAPI(
    title="PropDesk API",
    version="1",
    description="物业客服中心 PropDesk — org tree, rooms and the customer archive. "
                "Session auth for the browser, `Authorization: Bearer <token>` for integrations.",
    auth=[SessionAuth(), TokenAuth()],
    parser=JsonObjectParser(),
    urls_namespace="api",
)


def _loc_to_field(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "form")]
    return ".".join(parts) or "__all__"


@api.exception_handler(ApplicationError)
def on_application_error(request, exc: ApplicationError):
    return api.create_response(request, {"message": str(exc.message), "extra": _jsonable(exc.extra)},
                               status=exc.status_code)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc: NinjaValidationError):
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        fields.setdefault(_loc_to_field(error.get("loc", ())), []).append(str(error.get("msg", "")))
    return api.create_response(request, {"message": _("The request is not valid."), "extra": {"fields": fields}},
                               status=422)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return api.create_response(request, {"message": _("Sign in or send a valid API token."), "extra": {}},
                               status=401)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, {"message": _("Not found."), "extra": {}}, status=404)


@api.exception_handler(OverflowError)
def on_overflow(request, exc):  # an id beyond the database's integer range: not found, as on PostgreSQL
    return api.create_response(request, {"message": _("Not found."), "extra": {}}, status=404)


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    if isinstance(exc.__cause__, BodyNotAnObject):
        message = _("The request body must be a JSON object ({...}).")
        return api.create_response(request, {"message": message, "extra": {"fields": {"__all__": [message]}}},
                                   status=422)
    return api.create_response(request, {"message": str(exc), "extra": {}}, status=exc.status_code)


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


api.add_router("/", "propdesk.core.api.router")
api.add_router("/me/tokens", "propdesk.staff.api.router")  # /api/me/tokens, no trailing slash
api.add_router("/org/", "propdesk.org.api.router")
api.add_router("/customers/", "propdesk.customers.api.router")
api.add_router("/desk/", "propdesk.servicedesk.api.router")
api.add_router("/desk/holidays", "propdesk.servicedesk.api.holidays.router")
api.add_router("/desk/attachments", "propdesk.servicedesk.api.attachments.router")
api.add_router("/followups/", "propdesk.followups.api.router")
api.add_router("/reports/", "propdesk.reports.api.router")
api.add_router("/inbox", "propdesk.notify.api.router")  # GET /api/inbox, no trailing slash
api.add_router("/portal/", "propdesk.portal.api.router")
api.add_router("/portal/", "propdesk.portal.api.follow.router")  # following one request (issue 11)
api.add_router("/auth/", "propdesk.accounts.api.router")  # phone sign-in: /api/auth/sms-code …
api.add_router("/notices", "propdesk.notices.api.router")  # GET /api/notices, no trailing slash
api.add_router("/fees/", "propdesk.fees.api.desk.router")  # accounts, payments, receipts (issue 12)
api.add_router("/fees/", "propdesk.fees.api.adjustments.router")  # reductions, corrections, waivers, refunds
api.add_router("/fees/", "propdesk.fees.api.online.router")  # the resident's account, app payments, gateway
api.add_router("/fees/", "propdesk.fees.api.dunning.router")  # arrears worklist, contacts, ladder
api.add_router("/fees/", "propdesk.fees.api.reports.router")  # collection rate, aging, daily closing
api.add_router("/fees/", "propdesk.fees.api.setup.router")  # fee items, rates, billing runs, readings, imports
api.add_router("/staff/", "propdesk.staff.api.team.router")  # a project's staff, skills, certificates (issue 13)
api.add_router("/desk/", "propdesk.servicedesk.api.suggestions.router")  # whom to dispatch to (issue 13)
api.add_router("/duty/", "propdesk.duty.api.rosters.router")  # shifts, roster, on duty now, coverage (issue 13)
api.add_router("/duty/", "propdesk.duty.api.logs.router")  # work and duty logs, handover, comments, sign-off
api.add_router("/steward/", "propdesk.stewardship.api.zones.router")  # zones, load, first-contact tasks
api.add_router("/steward/", "propdesk.stewardship.api.visits.router")  # home visit plans and records
api.add_router("/steward/", "propdesk.stewardship.api.patrols.router")  # patrol plans, checkpoints, rounds
api.add_router("/steward/", "propdesk.stewardship.api.vacant.router")  # vacant homes and inspections
api.add_router("/steward/", "propdesk.stewardship.api.morning.router")  # the morning page as data
api.add_router("/renovation/", "propdesk.renovation.api.applications.router")  # apply, decide, permit (issue 14)
api.add_router("/renovation/", "propdesk.renovation.api.inspections.router")  # inspections, rectification, 验收
api.add_router("/movein/", "propdesk.movein.api.handovers.router")  # slots, bookings, checklist, defects
api.add_router("/violations/", "propdesk.violations.api.violations.router")  # violations, notices, follow-up
api.add_router("/desk/triage", "propdesk.triage.api.router")  # POST /api/desk/triage (issue 16)
api.add_router("/wording/", "propdesk.wording.api.router")  # service-language check and report (issue 16)
api.add_router("/knowledge/", "propdesk.knowledge.api.router")  # cases, similar, standard answers (issue 16)
