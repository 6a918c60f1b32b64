"""Fees pages: reports."""

urlpatterns = []
