"""The crisis detector's quality floors, kept as data in ``tests/data/crisis/floors.toml``.

One file holds every floor (English and the other languages) beside the sets they are measured on, with the
measured figures as comments, so raising a floor after a new measurement touches data, not test code.
"""

from __future__ import annotations

import tomllib
from typing import Any

from bot.crisis import Category
from tests.paths import CRISIS_SETS

FLOORS_FILE = CRISIS_SETS / "floors.toml"

#: A set's floors: (min recall, max false-alarm rate, min precision).
SetFloors = tuple[float, float, float]
#: A category's floors: (min recall, min precision).
CategoryFloors = tuple[float, float]

_TABLES: dict[str, Any] = tomllib.loads(FLOORS_FILE.read_text(encoding="utf-8"))


def _set_floors(row: list[float]) -> SetFloors:
    min_recall, max_false_alarms, min_precision = row
    return min_recall, max_false_alarms, min_precision


def set_floors(table: str) -> dict[str, SetFloors]:
    """One table of set floors (``lexicon``, ``pipeline``), by set file name, in the file's order."""
    return {name: _set_floors(row) for name, row in _TABLES[table].items()}


def category_floors(table: str) -> dict[Category, CategoryFloors]:
    """One table of per-category floors, by category, in the file's order (an unknown category raises)."""
    floors: dict[Category, CategoryFloors] = {}
    for name, (min_recall, min_precision) in _TABLES[table].items():
        floors[Category(name)] = (min_recall, min_precision)
    return floors


def language_floors() -> dict[tuple[str, str], SetFloors]:
    """The other languages' set floors, by (language code, set file name)."""
    return {(code, name): _set_floors(row) for code, sets in _TABLES["languages"].items() for name, row in sets.items()}
