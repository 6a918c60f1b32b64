"""Fees pages: online."""

urlpatterns = []
