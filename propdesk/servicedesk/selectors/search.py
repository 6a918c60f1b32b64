"""Requests by the words staff type (rules/bigrams.py): one function hides which index the database has
(servicedesk/search_index.py)."""

from __future__ import annotations

from django.db import connection
from django.db.models import BooleanField, F, Func, IntegerField, Q, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat
from django.db.models.lookups import Contains, In

from ..rules.bigrams import Token, query_tokens
from ..search_index import FTS, PG_COLUMN, TABLE, sqlite_has_fts5


def _pg(tokens: list[Token]) -> Q:
    """The stored vector (search_index.PG_COLUMN, GIN-indexed) matches every token. The column is the request
    table's own, named with the table: the request lists read the table once, without an alias.

    Words common enough (``_pg_common``) are tested row by row (``ts_match_vq``, the function behind ``@@``, which
    no index answers) so that a list walks its scope newest first and stops at the rows it shows: at a million
    requests 水管 漏水 matches 41,670 of them, and fetching them all from the GIN index to sort by recency and show 25
    took 127 ms, against 6 ms walking the received_at index. Rare words keep the index. Same rows either way."""
    tsquery = " & ".join(f"'{t.text}'{':*' if t.prefix else ''}" for t in tokens)
    template = ('ts_match_vq("{table}"."{column}", to_tsquery(\'simple\'::regconfig, %s))' if _pg_common(tsquery)
                else '"{table}"."{column}" @@ to_tsquery(\'simple\'::regconfig, %s)')
    return Q(RawSQL(template.format(table=TABLE, column=PG_COLUMN), [tsquery], output_field=BooleanField()))


COMMON_SHARE = 0.0025  # estimated share of all requests above which the words are walked, not looked up
COMMON_MIN_ROWS = 20_000  # below this many requests the index is always cheap


def _pg_common(tsquery: str) -> bool:
    """Whether the planner expects ``tsquery`` to match at least COMMON_SHARE of the requests (its statistics on
    the vector column: target 1000, search_index.py). It assumes the words independent, so words that go together
    (水管 and 漏水) are judged rarer than they are: the index is kept when in doubt. One EXPLAIN, under 2 ms."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [TABLE])
        row = cursor.fetchone()
        total = row[0] if row else 0
        if total < COMMON_MIN_ROWS:
            return False
        cursor.execute(f'EXPLAIN (FORMAT JSON) SELECT 1 FROM "{TABLE}" WHERE "{PG_COLUMN}" '  # noqa: S608
                       "@@ to_tsquery('simple'::regconfig, %s)", [tsquery])
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        import json

        plan = json.loads(plan)
    return plan[0]["Plan"]["Plan Rows"] >= COMMON_SHARE * total


def _sqlite_fts(tokens: list[Token]) -> Q:
    match = " AND ".join(f'"{t.text}"{"*" if t.prefix else ""}' for t in tokens)
    # search_index.FTS is a constant table name, not input; the query is a parameter.
    hits = RawSQL(f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s", (match,))  # noqa: S611
    if _sqlite_hits_at_most(match, FEW_HITS):
        return Q(pk__in=hits)  # start from the few hits: fetch them and sort
    # Many hits: test the newest rows of the scope against them until 25 pass (``+id`` keeps SQLite's planner from
    # starting from the IN list: a common word's 20,000 hits were each fetched and sorted to show 25, 80 ms at 100k).
    return Q(In(Func(F("pk"), template="+%(expressions)s", output_field=IntegerField()), hits))


FEW_HITS = 2000


def _sqlite_hits_at_most(match: str, limit: int) -> bool:
    """One bounded count in the FTS index (under a millisecond for a rare word, a few for a common one)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM (SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s LIMIT %s)",  # noqa: S608
                       [match, limit + 1])
        return cursor.fetchone()[0] <= limit


def _like(tokens: list[Token]) -> Q:
    padded = Concat(Value(" "), F("search_grams"), Value(" "), output_field=TextField())
    q = Q()
    for t in tokens:
        q &= Q(Contains(padded, f" {t.text}" if t.prefix else f" {t.text} "))
    return q


def words_q(query: str) -> Q | None:
    """The requests whose text holds every word of ``query``, as a filter; None when ``query`` has no word (only
    punctuation, emoji…). The tokens are letters, digits and CJK characters only (rules/bigrams.py), so quoting
    them for tsquery and FTS5 needs no escaping: FTS syntax typed in the box is just words."""
    tokens = query_tokens(query)
    if not tokens:
        return None
    if connection.vendor == "postgresql":
        return _pg(tokens)
    if connection.vendor == "sqlite" and sqlite_has_fts5():
        return _sqlite_fts(tokens)
    return _like(tokens)
