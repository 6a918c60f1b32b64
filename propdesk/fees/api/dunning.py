"""Fees API: dunning."""

from ninja import Router

router = Router(tags=["fees"])
