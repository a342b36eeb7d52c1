"""Row types are built from real SQLite rows by column name, converted by each field's annotation."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from enum import StrEnum
from pathlib import Path

from bot.clock import to_db
from bot.store.rows import columns, from_row

WHEN = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


class Colour(StrEnum):
    RED = "red"
    BLUE = "blue"


@dataclass(frozen=True)
class Sample:
    colour: Colour
    done: bool
    at: datetime
    seen_at: datetime | None
    day: date | None
    clock: time
    tags: tuple[str, ...] = ()


def _row(tmp_path: Path, *values: object) -> sqlite3.Row:
    conn = sqlite3.connect(tmp_path / "rows.sqlite3")
    conn.row_factory = sqlite3.Row
    conn.execute("CREATE TABLE sample (colour, done, at, seen_at, day, clock, extra)")
    conn.execute("INSERT INTO sample VALUES (?, ?, ?, ?, ?, ?, 'not a field')", values)
    row = conn.execute(f"SELECT {columns(Sample, leave_out=('tags',))}, extra FROM sample").fetchone()
    conn.close()
    assert row is not None
    return row


def test_columns_follow_the_fields() -> None:
    assert columns(Sample) == "colour, done, at, seen_at, day, clock, tags"
    assert columns(Sample, prefix="s.", leave_out=("tags", "clock")) == "s.colour, s.done, s.at, s.seen_at, s.day"


def test_each_column_is_converted_by_its_annotation(tmp_path: Path) -> None:
    sample = from_row(Sample, _row(tmp_path, "blue", 1, to_db(WHEN), None, "2026-02-28", "08:15"))
    assert sample == Sample(Colour.BLUE, True, WHEN, None, date(2026, 2, 28), time(8, 15))
    assert isinstance(sample.colour, Colour)


def test_given_values_win_and_defaults_stay(tmp_path: Path) -> None:
    row = _row(tmp_path, "red", 0, to_db(WHEN), to_db(WHEN), None, "23:59")
    given = from_row(Sample, row, done=True, tags=("a",))
    assert (given.done, given.tags, given.seen_at, given.day) == (True, ("a",), WHEN, None)
    assert from_row(Sample, row).tags == ()
