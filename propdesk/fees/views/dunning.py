"""Fees pages: dunning."""

urlpatterns = []
