"""Named sequences (core.Counter): request numbers per project and day, receipt numbers per project.

One function, :func:`counter_take`, used two ways, chosen by what a gap would cost:

- inside the transaction that uses the number: concurrent callers queue on the row's lock until the caller
  commits, and a rolled-back caller gives its number back — gapless. Receipts are numbered this way (a missing
  receipt number is a question for the auditor).
- before that transaction, in autocommit: the number is committed at once and the row is locked for one statement
  instead of the whole create, so a project's intake does not queue behind one row. Request numbers are taken this
  way when the caller is not already inside a transaction (services/requests.request_submit): a request that then
  fails to save (a database error, a dispatch refused in the same call, two retries of one idempotency key racing)
  leaves its number unused. Request numbers may have gaps, never duplicates.
"""

from django.db import IntegrityError, connection, transaction

from .models import Counter


def _bump(key: str, count: int) -> int | None:
    """``value += count`` for ``key`` and the new value, in one statement (UPDATE … RETURNING: PostgreSQL, and
    SQLite since 3.35); None when the row does not exist yet."""
    table, value, key_column = (connection.ops.quote_name(name) for name in (Counter._meta.db_table, "value", "key"))
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {value} = {value} + %s WHERE {key_column} = %s RETURNING {value}",
                       [count, key])
        row = cursor.fetchone()
    return row[0] if row else None


def _take(key: str, count: int) -> int:
    value = _bump(key, count)
    if value is not None:
        return value
    try:
        with transaction.atomic():  # the first number of the key (a new project or day)
            Counter.objects.create(key=key, value=count)
            return count
    except IntegrityError:  # created concurrently: take from the row the other caller made
        return _bump(key, count)


def counter_take(key: str, count: int = 1) -> int:
    """Reserve ``count`` numbers of the sequence ``key``; returns the last one (the first is last - count + 1).

    Inside a transaction the numbers are the transaction's: gapless, and concurrent callers wait on the row until it
    commits. Outside one (autocommit) they are committed at once: nobody waits, and a caller that then fails leaves
    a gap."""
    return _take(key, count)
