"""Row types are built from real SQLite rows by column name, converted by each field's annotation."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from enum import StrEnum
from pathlib import Path

from bot.clock import to_db
from bot.store.rows import columns, from_row


class Colour(StrEnum):
    RED = "red"
    BLUE = "blue"


@dataclass(frozen=True, slots=True)
class Sample:
    id: int
    name: str | None
    colour: Colour
    done: bool
    at: datetime
    seen_at: datetime | None
    day: date | None
    clock: time
    tags: tuple[str, ...] = ()


def _row(tmp_path: Path, values: tuple[object, ...]) -> sqlite3.Row:
    conn = sqlite3.connect(tmp_path / "rows.sqlite3")
    conn.row_factory = sqlite3.Row
    conn.execute("CREATE TABLE sample (id, name, colour, done, at, seen_at, day, clock, extra)")
    conn.execute("INSERT INTO sample VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", values)
    row = conn.execute(f"SELECT {columns(Sample, leave_out=('tags',))}, extra FROM sample").fetchone()
    conn.close()
    assert row is not None
    return row


def test_columns_follow_the_fields() -> None:
    assert columns(Sample) == "id, name, colour, done, at, seen_at, day, clock, tags"
    assert (
        columns(Sample, prefix="s.", leave_out=("tags", "clock"))
        == "s.id, s.name, s.colour, s.done, s.at, s.seen_at, s.day"
    )


def test_each_column_is_converted_by_its_annotation(tmp_path: Path) -> None:
    when = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    row = _row(tmp_path, (7, "Ana", "blue", 1, to_db(when), None, "2026-02-28", "08:15", "ignored"))
    sample = from_row(Sample, row)
    assert sample == Sample(7, "Ana", Colour.BLUE, True, when, None, date(2026, 2, 28), time(8, 15))
    assert isinstance(sample.colour, Colour)


def test_given_values_win_and_defaults_stay(tmp_path: Path) -> None:
    when = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    row = _row(tmp_path, (1, None, "red", 0, to_db(when), to_db(when), None, "23:59", None))
    sample = from_row(Sample, row, name="given", tags=("a",))
    assert (sample.name, sample.tags, sample.done, sample.seen_at, sample.day) == ("given", ("a",), False, when, None)
    assert from_row(Sample, row).tags == ()
