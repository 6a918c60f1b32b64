"""Violations pages in the ``violations`` namespace, included at the root: staff pages under /violations/, the
household's notices under /my/violations/."""

from django.urls import include, path

app_name = "violations"
urlpatterns = [
    path("", include("propdesk.violations.views.violations")),
]
