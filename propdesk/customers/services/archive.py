from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F

from ..models import ArchiveSequence


def archive_numbers_take(*, project_id: int, day: date, count: int = 1) -> list[str]:
    """Hand out ``count`` consecutive archive numbers ``YYYYMMDDnnn`` for a project and day.

    One atomic ``UPDATE … SET last = last + count`` reserves the block, so concurrent callers never share a
    number. Past 999 a day the sequence simply grows a digit (``202602141000``) rather than fail an import.
    """
    with transaction.atomic():
        updated = ArchiveSequence.objects.filter(project_id=project_id, day=day).update(last=F("last") + count)
        if not updated:
            try:
                with transaction.atomic():
                    ArchiveSequence.objects.create(project_id=project_id, day=day, last=count)
            except IntegrityError:  # someone created the row between our UPDATE and INSERT
                ArchiveSequence.objects.filter(project_id=project_id, day=day).update(last=F("last") + count)
        last = ArchiveSequence.objects.get(project_id=project_id, day=day).last
    prefix = day.strftime("%Y%m%d")
    return [f"{prefix}{n:03d}" for n in range(last - count + 1, last + 1)]
