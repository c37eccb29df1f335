"""Writing many rows at once: ``COPY`` on PostgreSQL, ``executemany`` in batches on SQLite.

A million-row load cannot afford a model instance per row, nor one statement
per row over the network: PostgreSQL's ``COPY … FROM STDIN`` streams the rows
in one command (psycopg 3's ``Cursor.copy``), several times faster than
``executemany``; SQLite, in-process, takes ``executemany`` in large batches.
Call inside a transaction; the table and column names are the caller's own
constants, never user input.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection

BATCH = 5000


def insert_many(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert ``rows`` (tuples in the order of ``columns``) into ``table``."""
    if not rows:
        return
    quoted_table = connection.ops.quote_name(table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            copy_sql = f"COPY {quoted_table} ({names}) FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {quoted_table} ({names}) VALUES ({placeholders})"  # noqa: S608
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])
