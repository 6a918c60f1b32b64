"""Fees pages: desk."""

urlpatterns = []
