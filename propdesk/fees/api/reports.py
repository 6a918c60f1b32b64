"""Fees API: reports."""

from ninja import Router

router = Router(tags=["fees"])
