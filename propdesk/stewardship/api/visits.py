"""API: Home visits 拜访: plans by segment and flag, visit records, needs found become requests."""

from ninja import Router

router = Router(tags=["stewardship"])
