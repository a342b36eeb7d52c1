"""End to end through the Discord double: start-up, sync, /about, errors, rate limits, resume."""

from __future__ import annotations

import logging

import pytest
from discord.ext import commands

from bot.client import TIMER_POLL_JOB, all_extensions
from bot.errors import APOLOGY, with_typed_text
from tests.harness import Harness

EXTRA = "tests.support.failing_cog"


async def test_startup_syncs_every_command(running: Harness) -> None:
    call = await running.dd.wait_for_call("PUT", "/applications/{application_id}/commands")
    names = {c["name"] for c in call.json}
    assert {"about", "help"} <= names
    assert running.bot.is_ready()
    assert running.bot.store is not None and running.bot.scheduler.running


async def test_about_answers_privately(running: Harness) -> None:
    inter = await running.dd.slash(running.world.alice, "about", channel=running.world.general)
    await inter.response()
    assert inter.ephemeral
    text = inter.embeds[0]["description"]
    assert "/checkin" in text and "/privacy show" in text


async def test_help_leaves_out_moderator_commands_for_members(running: Harness) -> None:
    member = await running.dd.slash(running.world.alice, "help", channel=running.world.general)
    await member.response()
    listed = " ".join(f["value"] for f in member.embeds[0]["fields"])
    assert "/about" in listed
    assert member.ephemeral


async def test_unexpected_error_is_logged_and_member_gets_an_apology(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    await harness.start(extensions=[*all_extensions(), EXTRA])
    with caplog.at_level(logging.ERROR, logger="bot.errors"):
        inter = await harness.dd.slash(harness.world.alice, "explode", channel=harness.world.general)
        await inter.response()
    assert inter.ephemeral
    assert inter.content == APOLOGY
    assert "kaboom" not in inter.content and "Traceback" not in inter.content
    assert "kaboom" in caplog.text  # logged with its traceback, never swallowed


async def test_known_errors_get_a_specific_message(harness: Harness) -> None:
    await harness.start(extensions=[*all_extensions(), EXTRA])
    refused = await harness.dd.slash(harness.world.alice, "refuse", channel=harness.world.general)
    await refused.response()
    assert refused.ephemeral and "under 1,000 characters" in refused.content

    no_perm = await harness.dd.slash(harness.world.alice, "modonly", channel=harness.world.general)
    await no_perm.response()
    assert no_perm.ephemeral and "Manage Server" in no_perm.content


async def test_a_refusal_hands_back_what_the_member_wrote(harness: Harness) -> None:
    await harness.start(extensions=[*all_extensions(), EXTRA])
    note = "I wrote this carefully: tonight I want to thank everyone who showed up for me this year."
    inter = await harness.dd.slash(
        harness.world.alice, "refuse-note", channel=harness.world.general, when="blurp", note=note
    )
    await inter.response()
    assert inter.ephemeral
    assert inter.content.startswith("I couldn't read 'blurp' as a time.")
    assert "So nothing is lost" in inter.content and note in inter.content
    assert "blurp\n" not in inter.content  # short values are not echoed


def test_long_typed_text_comes_back_as_a_file() -> None:
    message, file = with_typed_text("Too long.", ["x" * 1500, "y" * 900])
    assert file is not None and file.filename == "what-you-wrote.txt"
    assert "attached" in message
    assert with_typed_text("Fine.", []) == ("Fine.", None)
    short, none = with_typed_text("Oops.", ["a note with ``` fences inside it, long enough to keep"])
    assert none is None and short.count("```") == 2


async def test_cooldown_and_bad_arguments_get_specific_messages(harness: Harness) -> None:
    await harness.start(extensions=[*all_extensions(), EXTRA])
    first = await harness.dd.slash(harness.world.alice, "breathe", channel=harness.world.general)
    await first.response()
    again = await harness.dd.slash(harness.world.alice, "breathe", channel=harness.world.general)
    await again.response()
    assert again.ephemeral and "you can use it again <t:" in again.content

    bad = await harness.dd.slash(harness.world.alice, "minutes", channel=harness.world.general, length="soon")
    await bad.response()
    assert bad.ephemeral and "couldn't understand 'soon'" in bad.content


async def test_closed_dms_get_a_specific_message(harness: Harness) -> None:
    await harness.start(extensions=[*all_extensions(), EXTRA])
    harness.dd.close_dms(harness.world.alice)
    inter = await harness.dd.slash(harness.world.alice, "dmme", channel=harness.world.general)
    await inter.response()
    assert inter.ephemeral and "DMs" in inter.content


async def test_member_text_never_pings_everyone_or_roles(harness: Harness) -> None:
    await harness.start(extensions=[*all_extensions(), EXTRA])
    role = harness.world.crisis_team
    inter = await harness.dd.slash(
        harness.world.alice, "announce", channel=harness.world.general, text=f"@everyone @here <@&{role.id}> hi"
    )
    await inter.response()
    call = await harness.dd.wait_for_call("POST", "/channels/{channel_id}/messages")
    allowed = call.json["allowed_mentions"]
    assert "everyone" not in allowed["parse"] and "roles" not in allowed["parse"]


async def test_rate_limited_message_is_retried_without_loss(harness: Harness) -> None:
    await harness.start(extensions=[*all_extensions(), EXTRA])
    harness.dd.rate_limit_next("POST", "/channels/{channel_id}/messages", retry_after=0.05)
    inter = await harness.dd.slash(harness.world.alice, "announce", channel=harness.world.general, text="one")
    await inter.response()
    message = await harness.dd.wait_for_message(
        channel=harness.world.general, predicate=lambda m: m["content"] == "one"
    )
    assert message["content"] == "one"
    posted = [m for m in harness.dd.messages_in(harness.world.general) if m["content"] == "one"]
    assert len(posted) == 1
    statuses = [
        c.status for c in harness.dd.calls if c.method == "POST" and c.route == "/channels/{channel_id}/messages"
    ]
    assert statuses[:2] == [429, 200]


async def test_gateway_resume_keeps_commands_working(running: Harness) -> None:
    await running.dd.drop_gateway(running.bot, resume=True)
    inter = await running.dd.slash(running.world.alice, "about", channel=running.world.general)
    await inter.response()
    assert inter.ephemeral


async def test_restart_rebuilds_the_timer_poll_job_without_duplicates(harness: Harness) -> None:
    await harness.start()
    await harness.stop()
    bot = await harness.start()
    assert bot.scheduler.get_job(TIMER_POLL_JOB) is None  # tests drive timers by hand
    assert len(bot.scheduler.get_jobs()) == 0


async def test_every_extension_loads_and_command_names_do_not_clash(running: Harness) -> None:
    bot = running.bot
    assert set(bot.extensions) == set(all_extensions())
    seen: dict[str, str] = {}
    for command in bot.tree.walk_commands():
        assert command.qualified_name not in seen, f"/{command.qualified_name} is defined twice"
        seen[command.qualified_name] = command.qualified_name
        assert command.description and command.description != "…", f"/{command.qualified_name} needs help text"
        for param in getattr(command, "parameters", []):
            assert param.description and param.description != "…", (
                f"option {param.name!r} of /{command.qualified_name} needs a description"
            )
    names = [c.name for c in bot.tree.get_commands()]
    assert len(names) == len(set(names))
    assert all(isinstance(cog, commands.Cog) for cog in bot.cogs.values())


async def test_reloading_an_extension_does_not_duplicate_work(running: Harness) -> None:
    bot = running.bot
    for name in list(bot.extensions):
        await bot.reload_extension(name)
    jobs = [job.id for job in bot.scheduler.get_jobs()]
    assert len(jobs) == len(set(jobs))
