"""SQL written once for SQLite, made ready for PostgreSQL: ``?`` parameters and the migration files' types.

Repositories write ``?`` parameters (SQLite's style); asyncpg wants ``$1 … $n``. The translation numbers
every ``?`` outside quotes and comments, and refuses a ``?`` inside them rather than guess: the store never
writes a literal question mark into SQL, it passes text as a parameter.

Migrations are written once, as SQLite files (``bot/migrations/NNNN_name.sql``). :func:`postgres_schema`
turns one into PostgreSQL: whole numbers become ``BIGINT`` (Discord ids need 64 bits), an ``id INTEGER
PRIMARY KEY`` becomes an identity column (SQLite's rowid alias hands out the next id the same way),
``COLLATE NOCASE`` becomes the case-insensitive ICU collation :data:`POSTGRES_PREAMBLE` creates.
Timestamps stay ISO-8601 UTC text on both, so queries compare them the same way. SQLite-only syntax
that has no faithful translation is refused by name, so a new migration fails its test, not a deployment.
"""

from __future__ import annotations

import functools
import re

__all__ = ["POSTGRES_PREAMBLE", "UnportableSQL", "numbered_parameters", "postgres_schema"]


class UnportableSQL(ValueError):
    """SQL the PostgreSQL backend can't run as written; the message says what to write instead."""


@functools.lru_cache(maxsize=4096)
def numbered_parameters(sql: str) -> str:
    """``sql`` with each ``?`` parameter replaced by ``$1``, ``$2``, … in order.

    Quoted text (``'…'``), quoted names (``"…"``) and comments (``-- …``, ``/* … */``) are copied as they
    are; a ``?`` inside one of them raises :class:`UnportableSQL`, because numbering it would change the text
    and leaving it would shift every later parameter.
    """
    out: list[str] = []
    n = 0
    i = 0
    length = len(sql)
    while i < length:
        ch = sql[i]
        if ch == "?":
            n += 1
            out.append(f"${n}")
            i += 1
            continue
        if ch in "'\"":
            end = _quote_end(sql, i, ch)
            _refuse_mark(sql[i:end], "quoted text or a quoted name")
            out.append(sql[i:end])
            i = end
            continue
        if sql.startswith("--", i):
            end = sql.find("\n", i)
            end = length if end < 0 else end
            _refuse_mark(sql[i:end], "a comment")
            out.append(sql[i:end])
            i = end
            continue
        if sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            if end < 0:
                raise UnportableSQL("an unterminated /* comment")
            _refuse_mark(sql[i : end + 2], "a comment")
            out.append(sql[i : end + 2])
            i = end + 2
            continue
        if ch == "$":
            # A dollar sign is PostgreSQL's own parameter or quoting syntax: the store writes neither.
            raise UnportableSQL("a '$' in SQL: write '?' parameters and pass text as a parameter")
        out.append(ch)
        i += 1
    return "".join(out)


def _quote_end(sql: str, start: int, quote: str) -> int:
    """The index just past the quoted run starting at ``start`` (a doubled quote is an escaped quote)."""
    i = start + 1
    while True:
        end = sql.find(quote, i)
        if end < 0:
            raise UnportableSQL(f"an unterminated {quote} quote")
        if sql.startswith(quote * 2, end):
            i = end + 2
            continue
        return end + 1


def _refuse_mark(chunk: str, where: str) -> None:
    if "?" in chunk:
        raise UnportableSQL(f"a '?' inside {where}: {chunk!r}; pass the text as a parameter instead")


# Created before the first migration on PostgreSQL. ICU's "und-u-ks-level2" compares letters regardless of case,
# like SQLite's NOCASE (which folds ASCII only; ICU folds every script's case, so "É" equals "é" here).
POSTGRES_PREAMBLE = (
    "CREATE COLLATION IF NOT EXISTS nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false)"
)

_REFUSED = (
    (re.compile(r"\bAUTOINCREMENT\b", re.I), "AUTOINCREMENT: an `id INTEGER PRIMARY KEY` already numbers rows"),
    (re.compile(r"\bWITHOUT\s+ROWID\b", re.I), "WITHOUT ROWID"),
    (re.compile(r"\bPRAGMA\b", re.I), "PRAGMA: SQLite-only; the backends set their own connection options"),
    (re.compile(r"\bINSERT\s+OR\b", re.I), "INSERT OR …: write INSERT … ON CONFLICT (…) DO NOTHING / DO UPDATE"),
    (re.compile(r"\b(strftime|julianday|datetime|unixepoch)\s*\(", re.I), "SQLite date functions: compute in Python"),
    (re.compile(r"\bCOLLATE\s+(?!NOCASE\b)\w+", re.I), "a collation other than NOCASE"),
)
_ID_KEY = re.compile(r"\b(id\s+)INTEGER(\s+)PRIMARY\s+KEY\b", re.I)
_TYPES = (
    (re.compile(r"\bINTEGER\b", re.I), "BIGINT"),
    (re.compile(r"\bREAL\b", re.I), "DOUBLE PRECISION"),
    (re.compile(r"\bBLOB\b", re.I), "BYTEA"),
    (re.compile(r"\bCOLLATE\s+NOCASE\b", re.I), "COLLATE nocase"),
)
_COMMENT = re.compile(r"--[^\n]*")


def postgres_schema(sql: str) -> str:
    """One SQLite migration file as PostgreSQL (see the module docstring); raises :class:`UnportableSQL`."""
    code = _COMMENT.sub("", sql)  # comments say why, in any words: neither refused nor translated
    for pattern, why in _REFUSED:
        if pattern.search(code):
            raise UnportableSQL(f"migration uses {why}")
    code = _ID_KEY.sub(r"\1BIGINT\2GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", code)
    for pattern, replacement in _TYPES:
        code = pattern.sub(replacement, code)
    return code
