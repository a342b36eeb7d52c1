"""A real ``python -m bot`` process, killed mid-wave and started again, loses and repeats nothing.

The small, CI-sized version of ``benchmarks/soak_timers.py`` (which runs 2,000 reminders through 20+ kills).
"""

from __future__ import annotations

from pathlib import Path

from tests.double import DiscordDouble
from tests.support.crashtest import run_reminder_crashtest


async def test_a_reminder_wave_survives_sigkills_and_sigterms_with_nothing_lost_or_repeated(
    discord_double: DiscordDouble, tmp_path: Path
) -> None:
    report = await run_reminder_crashtest(
        discord_double, tmp_path, members=150, kills=3, terms=1, seed=7, kill_window=(0.0, 0.4), startup_share=0.0
    )
    assert report.kills_mid_wave >= 1
    assert report.kills == 3 and report.terms == 1
    assert report.lost == [] and report.duplicates == []
    assert report.chain_problems == []  # after every start, each member had exactly one next reminder
    assert report.failed_timers == 0
    assert [life.exit_code for life in report.lives if life.signal == "SIGTERM"] == [0]
    log = (tmp_path / "bot.log").read_text()
    assert "cut off at shutdown" not in log and "Traceback" not in log
