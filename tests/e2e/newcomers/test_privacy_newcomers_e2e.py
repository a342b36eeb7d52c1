"""/privacy export and /privacy delete cover first-30-days support: the row, and every timer it had."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from bot.privacy import registered_tables
from tests.harness import Harness
from tests.support.newcomers import live_until, prompts_to
from tests.support.privacy import confirm_erasure, rows_mentioning

EXTENSIONS = ["cogs.checkins", "cogs.newcomers", "cogs.privacy"]
pytestmark = [pytest.mark.extensions(*EXTENSIONS), pytest.mark.quiet]


def test_the_registry_covers_the_support_table_per_server() -> None:
    [entry] = [e for e in registered_tables() if e.table == "newcomer_support"]
    assert entry.user_columns == ("user_id",) and entry.guild_column == "guild_id"
    assert "never who" in entry.who_sees


async def test_export_holds_the_members_support_and_nobody_elses(h: Harness) -> None:
    await h.private_command(h.world.alice, "recovery support on", time="07:45")
    await h.private_command(h.world.bob, "recovery support on")
    inter = await h.private_command(h.world.alice, "privacy export")
    assert inter.ephemeral
    call = await h.dd.wait_for_call("POST", "/webhooks/{webhook_id}/{webhook_token}", lambda c: bool(c.files))
    data = json.loads(call.files[0].data.decode())
    [row] = data["tables"]["newcomer_support"]["rows"]
    assert row["status"] == "on" and row["checkin_time"] == "07:45"
    assert str(h.world.bob.id) not in call.files[0].data.decode()
    kinds = {r["kind"] for r in data["tables"]["timers"]["rows"]}
    assert {"newcomer-prompt", "newcomer-milestone", "newcomer-end"} <= kinds


async def test_delete_erases_the_support_and_nothing_more_arrives(h: Harness) -> None:
    await h.private_command(h.world.alice, "recovery support on")
    asked = await h.private_command(h.world.alice, "privacy delete")
    await confirm_erasure(h, h.world.alice, asked)
    assert await rows_mentioning(h.bot.db, h.world.alice.id) == {}
    await live_until(h, h.clock.now() + timedelta(days=35))
    assert prompts_to(h, h.world.alice) == [] and h.dd.dms_to(h.world.alice) == []
