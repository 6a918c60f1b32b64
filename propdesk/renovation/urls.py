"""Renovation pages, one module a part, in the ``renovation`` namespace and included at the root: staff pages under
/renovation/, the resident's under /my/renovation/."""

from django.urls import include, path

app_name = "renovation"
urlpatterns = [
    path("", include("propdesk.renovation.views.applications")),  # apply (app, desk), review, approve, permit, passes
    path("", include("propdesk.renovation.views.inspections")),  # daily inspections, rectification, acceptance
]
