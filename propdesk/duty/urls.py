"""Duty pages, one module a part, in the ``duty`` namespace under /duty/."""

from django.urls import include, path

app_name = "duty"
urlpatterns = [
    path("", include("propdesk.duty.views.rosters")),  # shift kinds, the roster grid, on duty now, coverage gaps
    path("", include("propdesk.duty.views.logs")),  # work and duty logs, handover, comments and sign-off
]
