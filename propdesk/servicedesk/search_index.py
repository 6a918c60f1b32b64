"""The index over ``ServiceRequest.search_grams`` (rules/bigrams.py), one per database vendor.

- PostgreSQL: a GIN index on ``to_tsvector('simple', search_grams)``; the selectors ask it with a tsquery.
- SQLite: an external-content FTS5 table over the column (unicode61 splits the stored tokens at the spaces, as
  they were written), kept in step by three triggers; the selectors ask it with MATCH.
- Anything else, or an SQLite built without FTS5: no index, the selectors fall back to LIKE on the column.

SQLite drops a table's triggers when Django rebuilds the table (an AlterField on ServiceRequest in any later
migration), so after every ``migrate`` ``ensure_search_index`` puts missing triggers back and rebuilds the FTS table
from the column: the index cannot silently fall out of step.
"""

from __future__ import annotations

import sqlite3
from functools import cache

TABLE = "servicedesk_servicerequest"
FTS = "servicedesk_request_fts"
PG_INDEX = "request_search_grams"
# The expression the GIN index is built on: selectors/search.py asks exactly this one.
PG_VECTOR = "to_tsvector('simple'::regconfig, {column})"

_TRIGGERS = {
    f"{FTS}_ai": f"""CREATE TRIGGER IF NOT EXISTS {FTS}_ai AFTER INSERT ON {TABLE} BEGIN
        INSERT INTO {FTS}(rowid, search_grams) VALUES (new.id, new.search_grams); END""",
    f"{FTS}_ad": f"""CREATE TRIGGER IF NOT EXISTS {FTS}_ad AFTER DELETE ON {TABLE} BEGIN
        INSERT INTO {FTS}({FTS}, rowid, search_grams) VALUES ('delete', old.id, old.search_grams); END""",
    f"{FTS}_au": f"""CREATE TRIGGER IF NOT EXISTS {FTS}_au AFTER UPDATE OF search_grams ON {TABLE} BEGIN
        INSERT INTO {FTS}({FTS}, rowid, search_grams) VALUES ('delete', old.id, old.search_grams);
        INSERT INTO {FTS}(rowid, search_grams) VALUES (new.id, new.search_grams); END""",
}


def create_search_index(schema_editor) -> None:
    """Build the vendor's index (a migration's forward step)."""
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON {TABLE} "
                              f"USING gin ({PG_VECTOR.format(column='search_grams')})")
    elif connection.vendor == "sqlite" and sqlite_has_fts5():  # else the LIKE fallback serves
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5(search_grams, "
                           f"content='{TABLE}', content_rowid='id', tokenize='unicode61 remove_diacritics 0')")
        _sqlite_triggers(connection, rebuild=True)


# PostgreSQL keeps the vector itself, computed by the database from search_grams (a stored generated column the
# model does not know of: Django neither writes nor reads it). Evaluating to_tsvector on each row of a project the
# planner walked by another index cost 125 ms to count the hits of 漏水 in 250,000 requests; the stored vector
# costs 7 ms, and a high statistics target lets the planner see how common a bigram is.
PG_COLUMN = "search_tsv"
PG_COLUMN_INDEX = "request_search_tsv"


def create_search_vector(schema_editor) -> None:
    """PostgreSQL: the stored vector column and its GIN index, in place of the expression index (a migration)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS {PG_COLUMN} tsvector GENERATED ALWAYS AS "
                          f"({PG_VECTOR.format(column='search_grams')}) STORED")
    schema_editor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN {PG_COLUMN} SET STATISTICS 1000")
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {PG_COLUMN_INDEX} ON {TABLE} USING gin ({PG_COLUMN})")
    schema_editor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")


def drop_search_vector(schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON {TABLE} "
                          f"USING gin ({PG_VECTOR.format(column='search_grams')})")
    schema_editor.execute(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS {PG_COLUMN}")


def drop_search_index(schema_editor) -> None:
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for name in _TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {FTS}")


@cache
def sqlite_has_fts5() -> bool:
    """Whether this process's SQLite library has FTS5 (asked of a scratch in-memory database, so that no query of
    the application's connection is spent on it). The migration builds the FTS table exactly when it has."""
    scratch = sqlite3.connect(":memory:")
    try:
        scratch.execute("CREATE VIRTUAL TABLE probe USING fts5(x)")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        scratch.close()


def sqlite_has_fts(connection) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [FTS])
        return cursor.fetchone() is not None


def _sqlite_triggers(connection, *, rebuild: bool) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE])
        present = {name for (name,) in cursor.fetchall()}
        missing = [sql for name, sql in _TRIGGERS.items() if name not in present]
        for sql in missing:
            cursor.execute(sql)
        if rebuild or missing:
            cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')")


def ensure_search_index(using: str = "default", **_kwargs) -> None:
    """After ``migrate``: on SQLite, put back triggers a table rebuild dropped, and rebuild the FTS table then."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor == "sqlite" and sqlite_has_fts(connection):
        _sqlite_triggers(connection, rebuild=False)
