"""Steward's-day pages, one module a part, in the ``stewardship`` namespace under /steward/."""

from django.urls import include, path

app_name = "stewardship"
urlpatterns = [
    path("", include("propdesk.stewardship.views.zones")),  # zones, load per steward, first-contact tasks
    path("", include("propdesk.stewardship.views.visits")),  # home visit plans and records
    path("", include("propdesk.stewardship.views.patrols.urls")),  # patrol plans, checkpoints, QR sheets, rounds
    path("", include("propdesk.stewardship.views.vacant")),  # vacant homes and their inspections
    path("", include("propdesk.stewardship.views.morning")),  # the assistant's morning page
]
