"""Build a row type from a database row by column name, so each row type is described once: by its fields.

A field reads the column of the same name. Its annotation decides the conversion: ``datetime`` columns are
parsed with :func:`bot.clock.from_db` (``NULL`` stays ``None``), ``date`` and ``time`` columns from ISO text,
``bool`` columns are cast from SQLite's 0/1,
and enum fields are built from their stored value. Fields the row does not hold (joined lists, values
computed from several columns) are passed in by the caller.
"""

from __future__ import annotations

import enum
import functools
import types
import typing
from collections.abc import Callable
from dataclasses import fields
from datetime import date, datetime, time
from typing import Any, TypeVar

from bot.clock import from_db

__all__ = ["columns", "from_row"]

T = TypeVar("T")

_Convert = Callable[[Any], Any]


def _keep(value: Any) -> Any:
    return value


def _when(value: Any) -> datetime | None:
    return None if value is None else from_db(value)


def _converter(hint: Any) -> _Convert:
    """How to turn a stored value into a field of type ``hint``."""
    options = typing.get_args(hint) if typing.get_origin(hint) in (types.UnionType, typing.Union) else (hint,)
    kinds = [t for t in options if t is not type(None)]
    if len(kinds) != 1:
        return _keep
    kind = kinds[0]
    if kind is datetime:
        return _when
    if kind is date:
        return lambda value: date.fromisoformat(value) if value else None
    if kind is time:
        return lambda value: None if value is None else time.fromisoformat(value)
    if kind is bool:
        return lambda value: None if value is None else bool(value)
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return lambda value: None if value is None else kind(value)
    return _keep


@functools.cache
def _plan(cls: type) -> tuple[tuple[str, _Convert], ...]:
    hints = typing.get_type_hints(cls)
    return tuple((f.name, _converter(hints[f.name])) for f in fields(cls))


def columns(cls: type, *, prefix: str = "", leave_out: tuple[str, ...] = ()) -> str:
    """The comma-separated column list for ``SELECT``-ing a row of ``cls`` (``prefix`` qualifies each column)."""
    return ", ".join(f"{prefix}{name}" for name, _ in _plan(cls) if name not in leave_out)


def from_row(cls: type[T], row: Any, **given: Any) -> T:
    """A ``cls`` from ``row``: each field from its column, converted by its annotation, unless ``given``.

    A field with a default may be missing from both the row and ``given``; it then keeps its default.
    """
    held = set(row.keys())
    values = dict(given)
    plan: tuple[tuple[str, _Convert], ...] = _plan(cls)  # type: ignore[arg-type]  # a class is hashable
    for name, convert in plan:
        if name not in values and name in held:
            values[name] = convert(row[name])
    return cls(**values)
