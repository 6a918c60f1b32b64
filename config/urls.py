from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from propdesk.console.operations.views import metrics
from propdesk.core.views import favicon, healthz, readyz

from .api import api

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics, name="metrics"),
    path("favicon.ico", favicon, name="favicon"),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("propdesk.console.urls")),
    path("org/", include("propdesk.org.urls")),
    path("customers/", include("propdesk.customers.urls")),
    path("desk/", include("propdesk.servicedesk.urls")),
    path("visits/", include("propdesk.followups.urls")),
    path("inbox/", include("propdesk.notify.urls")),
    path("reports/", include("propdesk.reports.urls")),
    path("my/", include("propdesk.portal.urls")),
    path("me/", include("propdesk.staff.urls")),  # the signed-in user's own things: API tokens
    path("", include("propdesk.accounts.urls")),  # phone sign-in (/login/phone/…), /my/homes/, /demo/messages/
    path("", include("propdesk.notices.urls")),  # /notices/ (staff) and /my/notices/ (residents)
    path("", include("propdesk.fees.urls")),  # /fees/ (staff) and /my/fees/ (residents)
    path("staff/", include("propdesk.staff.views.team")),  # a project's staff, skills, certificates (issue 13)
    path("duty/", include("propdesk.duty.urls")),  # rosters, on duty, work and duty logs (issue 13)
    path("steward/", include("propdesk.stewardship.urls")),  # zones, visits, patrols, vacant homes (issue 13)
    path("", include("propdesk.renovation.urls")),  # /renovation/ (staff), /my/renovation/ (residents) (issue 14)
    path("", include("propdesk.movein.urls")),  # /movein/ (staff), /my/handover/ (buyers) (issue 14)
    path("", include("propdesk.violations.urls")),  # /violations/ (staff), /my/violations/ (households) (issue 14)
    path("wording/", include("propdesk.wording.urls")),  # the service-language report (issue 16)
    path("", include("propdesk.knowledge.urls")),  # /knowledge/cases/, /knowledge/answers/ (issue 16)
    path("", include("propdesk.triage.urls")),  # /desk/intake/suggestions/: the intake's triage panel (issue 16)
]

# Errors in the console's layout and language (API paths answer JSON); see propdesk/core/views.py.
handler400 = "propdesk.core.views.bad_request"
handler403 = "propdesk.core.views.permission_denied"
handler404 = "propdesk.core.views.page_not_found"
handler500 = "propdesk.core.views.server_error"
# Uploaded media is never served raw, not even in development: photos go out through servicedesk:attachment,
# which checks the viewer's scope and sets the type of the decoded image.
