"""The history chart: mood and craving over the period, as PNG bytes.

Uses matplotlib's object API (``Figure`` + the Agg canvas), never ``pyplot``: pyplot keeps global
state, which is unsafe when charts are drawn from worker threads (``asyncio.to_thread``), and
the Agg canvas is headless, so no display or backend selection is involved.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure

from bot.checkins._history import DaySummary
from bot.i18n import _

__all__ = ["PNG_SIGNATURE", "render_history_png"]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


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
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    ax.set_title(_("Your check-ins"))
    ax.grid(alpha=0.3)
    handles = ax.get_lines() + twin.get_lines()
    ax.legend(handles=handles, loc="upper left", fontsize="small")
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()
