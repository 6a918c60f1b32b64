"""Stub: replaced by its part."""

urlpatterns = []
