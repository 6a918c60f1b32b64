"""Zones 责任区: the steward of each building, load per steward, reassignment, first-contact tasks."""

urlpatterns = []
