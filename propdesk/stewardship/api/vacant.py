"""API: Vacant homes 空置房: the list, inspection rounds with their checklist, findings, the record."""

from ninja import Router

router = Router(tags=["stewardship"])
