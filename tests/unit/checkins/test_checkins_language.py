"""Check-in words read by others or drawn on the chart, in a language other than English."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.checkins import CheckinEntry, share_summary, validate_checkin, weekly_summary
from bot.checkins._history import DaySummary
from bot.checkins.chart import PNG_SIGNATURE, day_axis_labels, render_history_png
from bot.i18n import using_locale

# Weekly ticks across two month ends and a new year.
TICKS = [date(2026, 11, 23), date(2026, 11, 30), date(2026, 12, 7), date(2026, 12, 14), date(2027, 1, 4)]


def test_the_chart_names_months_in_the_locale_on_the_first_tick_and_where_the_month_changes() -> None:
    assert day_axis_labels(TICKS) == ["Nov 23", "30", "Dec 7", "14", "Jan 4"]
    with using_locale("es-ES"):
        assert day_axis_labels(TICKS) == ["23 nov", "30", "7 dic", "14", "4 ene"]
    with using_locale("de"):
        assert day_axis_labels(TICKS) == ["23. Nov.", "30", "7. Dez.", "14", "4. Jan."]
    with using_locale("fr"):
        assert day_axis_labels(TICKS) == ["23 nov.", "30", "7 déc.", "14", "4 janv."]


def test_the_chart_draws_in_a_non_english_locale() -> None:
    days = [DaySummary(day, 3.0, 2.0, frozenset(), 1) for day in TICKS]
    with using_locale("pt-BR"):
        png = render_history_png(days, TICKS[0], TICKS[-1])
    assert png.startswith(PNG_SIGNATURE)


def test_the_shared_line_is_in_the_locale_set_for_it_with_the_note_as_written() -> None:
    draft = validate_checkin(3, 2, "mi nota", ("stress", "loneliness"))
    with using_locale("es-ES"):
        anonymous = share_summary(draft, who=None, include_note=True)
        named = share_summary(draft, who="Alice", include_note=False)
    assert anonymous == (
        "**Alguien** hizo su registro: ánimo 3 · voy tirando, deseo de consumir 2/10.\n"
        "Está notando: estrés, soledad.\n"
        "> mi nota"
    )
    assert named.startswith("**Alice** hizo su registro:") and "mi nota" not in named
    assert share_summary(draft, who=None, include_note=False) == (
        "**Someone** checked in: mood 3 · getting by, craving 2/10.\nNoticing: stress, loneliness."
    )


def test_the_weekly_note_names_triggers_in_the_locale() -> None:
    noon = datetime(2026, 11, 23, 12, tzinfo=UTC)
    entries = [CheckinEntry(i, 1, 2, noon, TICKS[0], 3, 2, None, ("stress",)) for i in (1, 2)]
    with using_locale("es-ES"):
        assert "estrés (2)" in weekly_summary(entries).render()
