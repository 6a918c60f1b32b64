from django.db import IntegrityError, transaction
from django.db.models import F

from .models import Counter


def counter_take(key: str, count: int = 1) -> int:
    """Reserve ``count`` numbers of the sequence ``key``; returns the last one (the first is last - count + 1).
    Call it inside the transaction that uses the numbers."""
    with transaction.atomic():
        if not Counter.objects.filter(key=key).update(value=F("value") + count):
            try:
                with transaction.atomic():
                    Counter.objects.create(key=key, value=count)
                    return count
            except IntegrityError:  # created concurrently: fall through to the update
                Counter.objects.filter(key=key).update(value=F("value") + count)
        return Counter.objects.get(key=key).value
