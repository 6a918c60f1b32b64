"""Fees pages: setup."""

urlpatterns = []
