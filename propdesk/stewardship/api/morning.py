"""API: The morning page of the customer-service assistant: yesterday's log, open work, today's rounds."""

from ninja import Router

router = Router(tags=["stewardship"])
