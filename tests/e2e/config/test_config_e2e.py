"""/config end to end through the Discord double: setters, validation, the mod-log and the runtime check."""

from __future__ import annotations

import asyncio
from typing import Any

import discord
import pytest

from bot.events import ConfigChange
from tests.double import CommandError, InteractionHandle
from tests.harness import Harness

EXTENSIONS = ["cogs.config", "cogs.privacy", "cogs.meta"]
pytestmark = pytest.mark.extensions(*EXTENSIONS)


async def run(h: Harness, command: str, member: Any = None, **options: Any) -> InteractionHandle:
    return await h.command(member or h.world.mod, command, **options)


async def config_of(h: Harness) -> Any:
    return await h.bot.store.config.get(h.world.guild.id)


# -- who may configure ----------------------------------------------------------------------------
async def test_client_hides_config_from_members(h: Harness) -> None:
    with pytest.raises(CommandError, match="cannot see it"):
        await h.dd.slash(h.world.alice, "config show", channel=h.world.general)


async def test_non_moderator_is_refused_at_run_time_even_when_the_client_shows_the_command(h: Harness) -> None:
    inter = await h.overridden_command(h.world.alice, "config region", region="UK")
    assert inter.ephemeral and "Manage Server" in inter.content
    assert (await config_of(h)).region == "other"
    inter = await h.overridden_command(h.world.alice, "config interests add", name="knitting")
    assert "Manage Server" in inter.content
    inter = await h.overridden_command(h.world.alice, "config show")
    assert "Manage Server" in inter.content and not inter.embeds


# -- setters --------------------------------------------------------------------------------------
async def test_region_setter_confirms_logs_and_dispatches(h: Harness) -> None:
    await run(h, "config modlog", channel=h.world.modlog)
    seen: list[ConfigChange] = []

    async def listener(change: ConfigChange) -> None:
        seen.append(change)

    h.bot.add_listener(listener, "on_guild_config_changed")
    inter = await run(h, "config region", region="UK")
    assert inter.ephemeral and "United Kingdom" in inter.content
    assert (await config_of(h)).region == "UK"
    logged = await h.dd.wait_for_message(h.world.modlog, lambda m: "Region" in m["content"])
    assert f"<@{h.world.mod.id}>" in logged["content"]
    assert "Other (worldwide directory)" in logged["content"] and "United Kingdom" in logged["content"]
    call = next(
        c for c in h.dd.calls_to("POST", f"/channels/{h.world.modlog.id}/messages") if "Region" in c.json["content"]
    )
    assert call.json["allowed_mentions"]["parse"] == []
    # dispatched before the reply, so the listener has run by the time the mod-log post arrived
    assert seen[0] == ConfigChange(h.world.guild.id, "region", "other", "UK", h.world.mod.id)


async def test_every_channel_setter_saves_a_usable_channel(h: Harness) -> None:
    w = h.world
    for command, channel, key in [
        ("config crisis-channel", w.crisis_alerts, "crisis_alert_channel_id"),
        ("config share-channel", w.share, "checkin_share_channel_id"),
        ("config buddy-channel", w.buddies, "buddy_channel_id"),
        ("config service-board", w.service_board, "service_board_channel_id"),
        ("config rooms-channel", w.rooms, "rooms_channel_id"),
        ("config modlog", w.modlog, "modlog_channel_id"),
    ]:
        inter = await run(h, command, channel=channel)
        assert f"<#{channel.id}>" in inter.content, (command, inter.content)
        assert getattr(await config_of(h), key) == channel.id
    inter = await run(h, "config rooms-category", category=w.rooms_category)
    assert (await config_of(h)).rooms_category_id == w.rooms_category.id


async def test_roles_policy_pairing_and_retention_setters(h: Harness) -> None:
    w = h.world
    await run(h, "config crisis-role", role=w.crisis_team)
    await run(h, "config alert-policy", policy="all")
    inter = await run(h, "config pairing", cadence="biweekly", weekday=4, hour=19, repeat_window=6)
    assert "Friday" in inter.content and "19:00" in inter.content and "every two weeks" in inter.content
    await run(h, "config service-posters", role=w.moderators)
    await run(h, "config retention", days=14)
    await run(h, "config timezone", name="europe/london")
    cfg = await config_of(h)
    assert (cfg.crisis_team_role_id, cfg.alert_policy) == (w.crisis_team.id, "all")
    assert (cfg.pairing_cadence, cfg.pairing_weekday, cfg.pairing_hour, cfg.pairing_repeat_window) == (
        "biweekly",
        4,
        19,
        6,
    )
    assert (cfg.service_post_role_id, cfg.retention_days, cfg.timezone) == (w.moderators.id, 14, "Europe/London")
    inter = await run(h, "config service-posters")
    assert "everyone" in inter.content and (await config_of(h)).service_post_role_id is None


async def test_setting_the_same_value_twice_says_nothing_changed(h: Harness) -> None:
    await run(h, "config region", region="US")
    inter = await run(h, "config region", region="US")
    assert "nothing changed" in inter.content


async def test_timezone_autocomplete_suggests_zones(h: Harness) -> None:
    choices = await h.dd.autocomplete(h.world.mod, "config timezone", focused="name", value="Lond")
    assert "Europe/London" in [c["value"] for c in choices]


# -- validation -----------------------------------------------------------------------------------
async def test_unknown_time_zone_is_refused_with_examples(h: Harness) -> None:
    inter = await run(h, "config timezone", name="Mars/Olympus")
    assert inter.ephemeral and "Mars/Olympus" in inter.content and "Europe/London" in inter.content
    assert (await config_of(h)).timezone == "UTC"


@pytest.mark.parametrize(
    ("command", "attr", "denied", "named"),
    [
        ("config buddy-channel", "buddies", discord.Permissions(create_private_threads=True), "Create Private Threads"),
        ("config buddy-channel", "buddies", discord.Permissions(manage_threads=True), "Manage Threads"),
        (
            "config buddy-channel",
            "buddies",
            discord.Permissions(send_messages_in_threads=True),
            "Send Messages in Threads",
        ),
        ("config crisis-channel", "crisis_alerts", discord.Permissions(embed_links=True), "Embed Links"),
        ("config share-channel", "share", discord.Permissions(send_messages=True), "Send Messages"),
        ("config service-board", "service_board", discord.Permissions(embed_links=True), "Embed Links"),
        ("config rooms-channel", "rooms", discord.Permissions(send_messages=True), "Send Messages"),
        ("config modlog", "modlog", discord.Permissions(send_messages=True), "Send Messages"),
    ],
)
async def test_channel_setters_name_the_permissions_the_bot_is_missing(
    h: Harness, command: str, attr: str, denied: discord.Permissions, named: str
) -> None:
    channel = getattr(h.world, attr)
    await deny_bot(h, channel, denied)
    inter = await run(h, command, channel=channel)
    assert inter.ephemeral and named in inter.content and channel.name in inter.content
    assert (await config_of(h)).modlog_channel_id is None or attr != "modlog"


async def test_rooms_category_needs_manage_channels(h: Harness) -> None:
    category = h.world.rooms_category
    denied = discord.Permissions(manage_channels=True)
    await deny_bot(h, category, denied)
    inter = await run(h, "config rooms-category", category=category)
    assert "Manage Channels" in inter.content
    assert (await config_of(h)).rooms_category_id is None


async def test_everyone_role_is_refused_for_crisis_team_and_service_posters(h: Harness) -> None:
    everyone = h.world.guild.default_role
    inter = await run(h, "config crisis-role", role=everyone)
    assert inter.ephemeral and "@everyone" in inter.content
    inter = await run(h, "config service-posters", role=everyone)
    assert "@everyone" in inter.content
    cfg = await config_of(h)
    assert cfg.crisis_team_role_id is None and cfg.service_post_role_id is None


async def test_pairing_with_nothing_to_change_is_explained(h: Harness) -> None:
    inter = await run(h, "config pairing")
    assert "cadence, a day, an hour" in inter.content


async def test_client_side_ranges_and_channel_types_are_declared(h: Harness) -> None:
    # The client enforces these; the double mirrors it, so a bad value never reaches the bot.
    with pytest.raises(CommandError, match="minimum"):
        await h.dd.slash(h.world.mod, "config retention", channel=h.world.general, days=0)
    with pytest.raises(CommandError, match="channel types"):
        await h.dd.slash(
            h.world.mod, "config buddy-channel", channel=h.world.general, options={"channel": h.world.lounge}
        )


# -- show and reset -------------------------------------------------------------------------------
async def test_show_lists_every_setting_with_current_and_default(h: Harness) -> None:
    await run(h, "config retention", days=10)
    inter = await run(h, "config show")
    assert inter.ephemeral
    fields = {f["name"]: f["value"] for f in inter.embeds[0]["fields"]}
    assert len(fields) == 22  # every setting, the built-in limits, the first-30-days count and detection languages
    assert fields["First-30-days buddies per mentor"].startswith("2 at once (default)")
    languages = fields["Crisis detection languages"]
    assert "English, Spanish, Portuguese, French and German" in languages and "no crisis detection" not in languages
    assert fields["Welcome DM to new members"].startswith("off (default)")
    limits = fields["Limits on actions that reach others"]
    assert "Talk to someone here" in limits and "3 per 6 hours per member" in limits and "/service post" in limits
    assert fields["Data retention after leaving"].startswith("10 days (default: 30 days)")
    assert fields["Region"].startswith("Other (worldwide directory) (default)")
    assert fields["Who may post service opportunities"].startswith("everyone")


async def test_show_says_plainly_when_the_servers_language_has_no_crisis_detection(h: Harness) -> None:
    h.world.guild.preferred_locale = "it"
    fields = {f["name"]: f["value"] for f in (await run(h, "config show")).embeds[0]["fields"]}
    assert fields["Crisis detection languages"].startswith("**This server's language (Italian) has no crisis detection")


async def test_reset_puts_a_setting_back_and_logs_it(h: Harness) -> None:
    await run(h, "config modlog", channel=h.world.modlog)
    await run(h, "config retention", days=10)
    inter = await run(h, "config reset", setting="retention_days")
    assert "30 days" in inter.content
    assert (await config_of(h)).retention_days == 30
    logged = await h.dd.wait_for_message(h.world.modlog, lambda m: "from 10 days to 30 days" in m["content"])
    assert "Data retention" in logged["content"]


# -- interests ------------------------------------------------------------------------------------
async def test_interests_add_list_and_remove_with_confirmation(h: Harness) -> None:
    inter = await run(h, "config interests add", name="  Knitting   circle ", role=h.world.crisis_team)
    assert "Knitting circle" in inter.content and "added" in inter.content
    listed = await run(h, "config interests list")
    description = listed.embeds[0]["description"]
    assert "Knitting circle" in description and "meditation" in description
    assert f"<@&{h.world.crisis_team.id}>" in description

    choices = await h.dd.autocomplete(h.world.mod, "config interests remove", focused="name", value="knit")
    assert [c["value"] for c in choices] == ["Knitting circle"]
    asked = await run(h, "config interests remove", name="knitting circle")
    assert "can't be undone" in asked.content
    ids = [c["custom_id"] for row in asked.components for c in row["components"]]
    click = await h.dd.click(h.world.mod, asked, ids[0])
    await click.response()
    assert "removed" in click.data["content"]
    names = [i.name for i in await h.bot.store.interests.catalogue(h.world.guild.id, now=h.clock.now())]
    assert "Knitting circle" not in names


async def test_interest_validation(h: Harness) -> None:
    inter = await run(h, "config interests add", name="@everyone party")
    assert "can't contain" in inter.content
    inter = await run(h, "config interests add", name="x" * 60)
    assert "up to 50" in inter.content
    inter = await run(h, "config interests add", name="yoga", role=h.world.guild.default_role)
    assert "@everyone" in inter.content
    inter = await run(h, "config interests remove", name="underwater basket weaving")
    assert "no interest called" in inter.content


async def deny_bot(h: Harness, channel: Any, denied: discord.Permissions) -> None:
    """Deny the bot permissions in a channel and wait until the bot has applied the CHANNEL_UPDATE."""
    updated = asyncio.ensure_future(
        h.bot.wait_for("guild_channel_update", check=lambda before, after: after.id == channel.id, timeout=3)
    )
    await asyncio.sleep(0)  # let wait_for register before the gateway event can arrive
    h.world.guild.set_bot_permissions(0, channel=channel, deny=denied)
    await updated
    guild = h.bot.get_guild(h.world.guild.id)
    assert guild is not None
    cached = guild.get_channel(channel.id)
    assert cached is not None and not cached.permissions_for(guild.me).value & denied.value
