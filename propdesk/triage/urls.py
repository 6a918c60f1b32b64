"""Triage pages in the ``triage`` namespace, included at the root: the intake's suggestions panel."""

from django.urls import path

from . import views

app_name = "triage"
urlpatterns = [
    path("desk/intake/suggestions/", views.intake_suggestions, name="intake_suggestions"),
]
