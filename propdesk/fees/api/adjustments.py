"""Fees API: adjustments."""

from ninja import Router

router = Router(tags=["fees"])
