"""Fees pages: adjustments."""

urlpatterns = []
