"""``python -m bot``'s run path against the double: a rejected token, and a clean SIGTERM shutdown."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
from pathlib import Path

import discord
import pytest

from bot.__main__ import _run
from bot.db import Database
from bot.settings import Settings
from tests.double import DiscordDouble

WRONG_TOKEN = "MTAxMjM0NTY3ODkwMTIzNDU2Nzg5.GabcDE.abcdefghijklmnopqrstuvwxyz0123456789AB"


async def test_a_token_discord_rejects_is_reported_in_one_line(
    patched: DiscordDouble, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert patched.token != WRONG_TOKEN
    code = await _run(Settings(discord_token=WRONG_TOKEN, database_path=tmp_path / "k.db"))
    assert code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["Discord rejected DISCORD_TOKEN. Copy a fresh token from the Developer Portal into .env."]


async def test_unreachable_discord_is_reported_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A port nothing listens on: the connection is refused at once, as with no network.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setattr(discord.http.Route, "BASE", f"http://127.0.0.1:{port}/api/v10")
    code = await _run(Settings(discord_token=WRONG_TOKEN, database_path=tmp_path / "k.db"))
    assert code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("Couldn't reach Discord")


@pytest.mark.parametrize("moment", ["during start-up", "once connected"])
async def test_sigterm_shuts_down_cleanly_and_closes_the_database(
    patched: DiscordDouble, tmp_path: Path, moment: str
) -> None:
    db_path = tmp_path / "k.db"
    task = asyncio.create_task(_run(Settings(discord_token=patched.token, database_path=db_path)))
    # Commands are synced at the end of setup_hook, before the gateway connects.
    await patched.wait_for_call("PUT", "/applications/{application_id}/commands", timeout=20)
    if moment == "once connected":
        await patched.world.signal.wait_for(
            lambda: bool(patched.gateway_sent(2)) or None, timeout=20, describe="the bot's IDENTIFY"
        )
    os.kill(os.getpid(), signal.SIGTERM)
    assert await asyncio.wait_for(task, timeout=20) == 0
    # The database was closed and is intact: it opens again at the latest schema.
    db = await Database.open(db_path)
    try:
        assert await db.schema_version() > 0
        assert await db.fetchval("PRAGMA integrity_check") == "ok"
    finally:
        await db.close()
