"""The watermark of a family of rollups: every row changed (``updated_at``) up to it is counted in the rollups. A
row changed later lies in a "dirty" bucket that the pages read raw until the worker has recomputed it.

The watermark trails the worker's clock by LAG: a transaction that stamped ``updated_at`` before the pass began but
committed after it is picked up by the next pass (a bucket recomputed twice is the same bucket)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from ..models import RollupState

LAG = timedelta(minutes=5)


def watermark(name: str) -> datetime | None:
    """Up to when the family is exact; None: never built (read raw)."""
    return RollupState.objects.filter(name=name).values_list("watermark", flat=True).first()


def advance(name: str, started: datetime, *, rebuilt: bool = False) -> None:
    """Record a pass that began at ``started``."""
    defaults = {"watermark": started - LAG}
    if rebuilt:
        defaults["rebuilt_at"] = timezone.now()
    RollupState.objects.update_or_create(name=name, defaults=defaults)
