from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from propdesk.core.views import healthz

from .api import api

urlpatterns = [
    path("healthz", healthz, name="healthz"),
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
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
