"""The history chart: mood and craving over the period, as PNG bytes.

Uses matplotlib's object API (``Figure`` + the Agg canvas), never ``pyplot``: pyplot keeps global
state, which is unsafe when charts are drawn from worker threads (``asyncio.to_thread``), and
the Agg canvas is headless, so no display or backend selection is involved.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, date2num, num2date
from matplotlib.figure import Figure
from matplotlib.ticker import Formatter

from bot.checkins._history import DaySummary
from bot.i18n import _, format_month_day_short

__all__ = ["PNG_SIGNATURE", "day_axis_labels", "render_history_png"]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def day_axis_labels(days: Sequence[date]) -> list[str]:
    """The chart's date-axis labels: day numbers, with the month named (by Babel, in the current locale) on
    the first tick and wherever it changes ("30 nov", "7 dic", "14")."""
    labels: list[str] = []
    previous: date | None = None
    for day in days:
        same_month = previous is not None and (previous.year, previous.month) == (day.year, day.month)
        labels.append(str(day.day) if same_month else format_month_day_short(day))
        previous = day
    return labels


class _DayAxisFormatter(Formatter):
    """:func:`day_axis_labels` for matplotlib, whose own date formatters name months through ``strftime``,
    which only knows the process's C locale."""

    def __call__(self, x: float, pos: int | None = None) -> str:
        return format_month_day_short(num2date(x).date())

    def format_ticks(self, values: Any) -> list[str]:
        return day_axis_labels([num2date(value).date() for value in values])


def render_history_png(days: Sequence[DaySummary], start: date, end: date) -> bytes:
    """Draw daily mood (1-5) and craving (0-10) between ``start`` and ``end`` and return a PNG."""
    fig = Figure(figsize=(7, 3.2), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    xs = [float(date2num(d.day)) for d in days]
    ax.plot(xs, [d.mood for d in days], marker="o", color="#2a9d8f", label=_("Mood (1-5)"))
    ax.set_ylim(0.5, 5.5)
    ax.set_yticks([1, 2, 3, 4, 5])
    ax.set_ylabel(_("Mood"))
    twin = ax.twinx()
    twin.plot(xs, [d.craving for d in days], marker="s", linestyle="--", color="#e76f51", label=_("Craving (0-10)"))
    twin.set_ylim(-0.5, 10.5)
    twin.set_ylabel(_("Craving"))
    ax.set_xlim(float(date2num(start)) - 0.5, float(date2num(end)) + 0.5)
    locator = AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(_DayAxisFormatter())
    ax.set_title(_("Your check-ins"))
    ax.grid(alpha=0.3)
    handles = ax.get_lines() + twin.get_lines()
    ax.legend(handles=handles, loc="upper left", fontsize="small")
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()
