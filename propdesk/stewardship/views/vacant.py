"""Vacant homes 空置房: the list, inspection rounds with their checklist, findings, the record."""

urlpatterns = []
