"""What reaches logs and the gateway: no member data from libraries, no token, no pings by default, few intents."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime

import discord
import pytest

from bot.checkins import validate_checkin
from bot.client import KindredBot, build_intents
from bot.db import Database
from bot.logs import DATA_LOGGERS, configure_logging
from bot.settings import Settings, load_settings
from bot.store import Store
from tests.harness import Harness
from tests.paths import REPO_ROOT

TOKEN = "MTAxMjM0NTY3ODkwMTIzNDU2Nzg5.GabcDE.abcdefghijklmnopqrstuvwxyz0123456789AB"
NOTE = "a private note about a very hard evening"


@pytest.fixture
def restore_levels() -> Iterator[None]:
    before = {name: logging.getLogger(name).level for name in DATA_LOGGERS}
    yield
    for name, level in before.items():
        logging.getLogger(name).setLevel(level)


async def record_note(db: Database) -> None:
    now = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    await Store(db).checkins.record_checkin(1, 42, validate_checkin(2, 3, NOTE), now=now, local_date=now.date())


@pytest.mark.sqlite_only  # aiosqlite is the library that logs parameters
async def test_debug_logging_keeps_sql_parameters_out_of_the_log(
    db: Database, caplog: pytest.LogCaptureFixture, restore_levels: None
) -> None:
    # Without the hold, aiosqlite really does log the note: the test would catch a regression.
    logging.getLogger("aiosqlite").setLevel(logging.DEBUG)
    with caplog.at_level(logging.DEBUG):
        await record_note(db)
    assert NOTE in caplog.text
    caplog.clear()
    configure_logging(logging.DEBUG)
    assert all(logging.getLogger(name).getEffectiveLevel() == logging.INFO for name in DATA_LOGGERS)
    with caplog.at_level(logging.DEBUG):
        await record_note(db)
        logging.getLogger("bot.test").debug("the bot's own debug lines still show")
    assert NOTE not in caplog.text and "own debug lines" in caplog.text


def test_settings_never_show_the_token() -> None:
    settings = load_settings({"DISCORD_TOKEN": TOKEN})
    assert TOKEN not in repr(settings) and TOKEN not in str(settings) and TOKEN not in f"{settings}"
    assert settings.discord_token == TOKEN


async def test_the_bot_pings_nobody_unless_a_send_says_so(db: Database) -> None:
    bot = KindredBot(Settings(discord_token=TOKEN), db, timer_poll_seconds=None, extensions=[])
    mentions = bot.allowed_mentions
    assert mentions is not None and mentions.to_dict() == {"parse": []} and not mentions.replied_user
    await bot.http.close()  # never logged in: only the HTTP session to close


def test_only_the_intents_the_features_use() -> None:
    intents = build_intents()
    wanted = {
        "guilds",
        "members",
        "guild_messages",
        "dm_messages",
        "message_content",
        "voice_states",
        "guild_scheduled_events",
    }
    assert {name for name, on in intents if on} == wanted
    assert not intents.typing and not intents.reactions and not intents.presences


def test_readme_lists_every_intent() -> None:

    readme = REPO_ROOT.joinpath("README.md").read_text()
    for label in ("Guilds", "Server Members", "Guild Messages", "Direct Messages", "Message Content", "Voice States"):
        assert f"| {label}" in readme
    assert discord.Intents.default().typing, "sanity: discord.py's defaults do include typing"


async def test_crisis_logs_never_pair_a_member_with_a_verdict_or_their_words(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    from tests.support.crisis import care, settle

    caplog.set_level(logging.DEBUG, logger="cogs")
    caplog.set_level(logging.DEBUG, logger="bot")
    await harness.start(extensions=["cogs.crisis"])
    w = harness.world
    await harness.configure(crisis_alert_channel_id=w.crisis_alerts.id, alert_policy="all")
    harness.dd.close_dms(w.bob)
    text = "honestly i want to die, i can't do this anymore"
    await harness.dd.send_message(w.alice, w.general, text)
    await harness.dd.wait_for_dm(w.alice)
    await harness.dd.send_message(w.bob, w.general, text)
    await harness.dd.send_message(w.alice, w.general, text)  # inside the cooldown: "no answer" is logged
    await settle(harness)
    await care(harness).wait_idle()
    crisis_lines = [r.getMessage() for r in caplog.records if "crisis" in r.getMessage().lower()]
    assert any("crisis detection" in line for line in crisis_lines), "the detections are still logged"
    for line in (r.getMessage() for r in caplog.records):
        assert str(w.alice.id) not in line and str(w.bob.id) not in line
        assert "want to die" not in line
