"""Fees API: desk."""

from ninja import Router

router = Router(tags=["fees"])
