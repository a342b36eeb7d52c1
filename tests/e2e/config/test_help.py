"""/help through the double: grouped by feature, one line each, leaving out what the member can't use."""

from __future__ import annotations

from typing import Any

from discord import app_commands

from bot.help import HelpEntry, help_fields
from tests.harness import Harness

EXTENSIONS = ["cogs.config", "cogs.privacy", "cogs.meta"]


async def help_embed_fields(h: Harness, member: Any) -> dict[str, str]:
    inter = await h.dd.slash(member, "help", channel=h.world.general)
    await inter.response()
    assert inter.ephemeral
    return {f["name"]: f["value"] for f in inter.embeds[0]["fields"]}


async def test_members_see_their_commands_but_not_moderator_ones(harness: Harness) -> None:
    await harness.start(extensions=EXTENSIONS)
    fields = await help_embed_fields(harness, harness.world.alice)
    assert "Moderators" not in fields
    listed = "\n".join(fields.values())
    assert "/config" not in listed
    assert "`/privacy delete`" in listed and "`/help`" in listed
    assert next(iter(fields)) == "Getting started" and "Your data" in fields


async def test_moderators_also_see_config_one_line_each(harness: Harness) -> None:
    await harness.start(extensions=EXTENSIONS)
    fields = await help_embed_fields(harness, harness.world.mod)
    lines = [line for name, text in fields.items() if name.startswith("Moderators") for line in text.splitlines()]
    assert "`/config show`: See every setting for this server, its current value and its default." in lines
    assert any(line.startswith("`/config interests add`") for line in lines)
    assert all(line.startswith("`/config") for line in lines)
    # Every /config command is listed: a long group continues in another field instead of being cut off.
    config = next(c for c in harness.bot.tree.get_commands() if c.name == "config")
    leaves = [c for c in config.walk_commands() if isinstance(c, app_commands.Command)]
    assert len(lines) == len(leaves)
    assert all(len(text) <= 1024 for text in fields.values())


def test_help_fields_split_a_long_group_without_losing_lines() -> None:
    entries = [HelpEntry("Moderators", f"config cmd{i}", "x" * 90) for i in range(30)]
    fields = help_fields([HelpEntry("Getting started", "help", "Every command"), *entries])
    assert fields[0] == ("Getting started", "`/help`: Every command")
    assert [name for name, _ in fields[1:]] == ["Moderators"] + ["Moderators (more)"] * (len(fields) - 2)
    assert sum(text.count("\n") + 1 for _, text in fields[1:]) == 30
    assert all(len(text) <= 1024 for _, text in fields)


async def test_full_help_always_fits_discords_embed_limit(running: Harness) -> None:
    """With every extension loaded, a moderator's /help stays under 6,000 characters and 25 fields."""
    inter = await running.dd.slash(running.world.mod, "help", channel=running.world.general)
    await inter.response()
    embed = inter.embeds[0]
    total = len(embed.get("title", "")) + len(embed["footer"]["text"])
    total += sum(len(f["name"]) + len(f["value"]) for f in embed["fields"])
    assert total <= 6000 and len(embed["fields"]) <= 25
    listed = " ".join(f["value"] for f in embed["fields"])
    assert "/config show" in listed and "/about" in listed


async def test_help_for_one_feature_gives_a_line_per_command(running: Harness) -> None:
    inter = await running.dd.slash(running.world.mod, "help", channel=running.world.general, feature="Moderators")
    await inter.response()
    text = "\n".join(f["value"] for f in inter.embeds[0]["fields"])
    assert "`/config show`: " in text
    assert "/about" not in text

    unknown = await running.dd.slash(running.world.alice, "help", channel=running.world.general, feature="Karaoke")
    await unknown.response()
    assert unknown.ephemeral and "Karaoke" in unknown.content and "Getting started" in unknown.content


async def test_help_speaks_the_members_language_with_the_names_their_client_shows(harness: Harness) -> None:
    await harness.start(extensions=EXTENSIONS)
    harness.world.alice.user.locale = "es-ES"
    fields = await help_embed_fields(harness, harness.world.alice)
    assert next(iter(fields)) == "Para empezar" and "Tus datos" in fields
    listed = "\n".join(fields.values())
    assert "`/privacidad borrar`: Borra todo lo que Kindred guarda sobre ti" in listed
    refused = await harness.dd.slash(
        harness.world.alice, "help", channel=harness.world.general, options={"feature": "Astrology"}
    )
    await refused.response()
    assert refused.content.startswith("No tengo ninguna función llamada")
