"""Region choice through the Discord double: autocomplete on /resources region and /config region, and
what /resources show does with a member's Discord language when nobody has chosen a region."""

from __future__ import annotations

from typing import Any

import pytest

from tests.harness import Harness

pytestmark = pytest.mark.extensions("cogs.crisis", "cogs.config")


async def choices(h: Harness, member: Any, command: str, typed: str) -> list[dict[str, Any]]:
    return await h.dd.autocomplete(member, command, focused="region", value=typed, channel=h.world.general)


# -- /resources region autocomplete ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "expected_first"),
    [("spa", "ES"), ("ES", "ES"), ("deutsch", "DE"), ("gb", "UK"), ("south", "ZA"), ("ch", "CH"), ("JAP", "JP")],
)
async def test_autocomplete_matches_code_and_name_case_insensitively(
    h: Harness, typed: str, expected_first: str
) -> None:
    found = await choices(h, h.world.alice, "resources region", typed)
    assert found and found[0]["value"] == expected_first, found


async def test_autocomplete_never_offers_more_than_25_and_keeps_the_worldwide_directory(h: Harness) -> None:
    found = await choices(h, h.world.alice, "resources region", "")
    assert len(found) == 25
    assert found[-1]["value"] == "other" and "worldwide" in found[-1]["name"]
    assert await choices(h, h.world.alice, "resources region", "atlantis") == []


async def test_without_a_region_the_members_language_country_comes_first(h: Harness) -> None:
    h.world.alice.user.locale = "es-ES"
    found = await choices(h, h.world.alice, "resources region", "")
    # In her language: the country's own name and the note.
    assert found[0] == {"name": "España (ES) · sugerido por tu idioma de Discord", "value": "ES"}
    assert "sugerido" not in found[1]["name"]
    # Latin American Spanish names several countries; all are offered first, none is picked for them.
    h.world.alice.user.locale = "es-419"
    found = await choices(h, h.world.alice, "resources region", "")
    assert [c["value"] for c in found[:4]] == ["MX", "AR", "CO", "CL"]
    # A suggestion that doesn't match what was typed is not forced in.
    assert [c["value"] for c in await choices(h, h.world.alice, "resources region", "jap")] == ["JP"]


async def test_discords_default_language_suggests_nothing(h: Harness) -> None:
    found = await choices(h, h.world.alice, "resources region", "")
    assert not any("suggested" in c["name"] for c in found)
    assert found[0]["value"] == "AR"  # plain alphabetical order


async def test_a_saved_region_comes_first_instead_of_the_language_guess(h: Harness) -> None:
    h.world.alice.user.locale = "es-ES"
    await h.private_command(h.world.alice, "resources region", region="MX")
    found = await choices(h, h.world.alice, "resources region", "")
    assert found[0]["value"] == "MX" and "tu elección actual" in found[0]["name"]


async def test_autocomplete_still_answers_with_the_database_down(h: Harness) -> None:
    h.world.alice.user.locale = "pt-BR"
    await h.bot.db.close()
    found = await choices(h, h.world.alice, "resources region", "bra")
    assert [c["value"] for c in found] == ["BR"]


# -- /resources region ------------------------------------------------------------------------------
async def test_region_accepts_a_typed_name_and_saves_the_code(h: Harness) -> None:
    saved = await h.private_command(h.world.alice, "resources region", region="Deutschland")
    assert saved.content.startswith("Saved.") and "0800 111 0 111" in saved.content and "112" in saved.content
    assert (await h.bot.store.prefs.get(h.world.alice.id)).region == "DE"


async def test_region_refuses_a_country_without_shipped_lines_kindly_and_saves_nothing(h: Harness) -> None:
    refused = await h.private_command(h.world.alice, "resources region", region="Atlantis @everyone")
    assert "Atlantis" in refused.content and "Somewhere else" in refused.content
    assert "Traceback" not in refused.content
    assert (await h.bot.store.prefs.get(h.world.alice.id)).region is None


@pytest.mark.parametrize(
    ("region", "expected"),
    [
        ("ES", ["024", "717 003 717", "112"]),
        ("MX", ["800 911 2000", "911"]),
        ("BR", ["188", "192"]),
        ("FR", ["3114", "0 800 23 13 13", "112"]),
        ("DE", ["0800 111 0 111", "01806 313031", "112"]),
        ("IN", ["14416", "112"]),
        ("ZA", ["0800 567 567", "10177"]),
        ("PH", ["1553", "911"]),
        ("JP", ["0120-279-338", "119"]),
    ],
)
async def test_show_lists_the_chosen_countrys_lines(h: Harness, region: str, expected: list[str]) -> None:
    await h.private_command(h.world.alice, "resources region", region=region)
    shown = await h.private_command(h.world.alice, "resources show")
    for needle in expected:
        assert needle in shown.content, (region, needle)
    assert "findahelpline.com" in shown.content


# -- /resources show and the member's language --------------------------------------------------------
async def test_show_offers_the_languages_country_as_a_labelled_guess_and_saves_nothing(h: Harness) -> None:
    h.world.bob.user.locale = "es-ES"
    shown = await h.private_command(h.world.bob, "resources show", dm=True)
    # In Spanish, the member's language; the line's name and number are never translated.
    assert "ahora mismo en España" in shown.content and "**024, line for people" in shown.content
    assert "deducida de tu idioma de Discord" in shown.content
    assert "¿No estás en España?" in shown.content and "/recursos región" in shown.content
    assert "findahelpline.com" in shown.content  # anyone the guess is wrong for still has a way
    assert (await h.bot.store.prefs.get(h.world.bob.id)).region is None


async def test_show_names_the_countries_a_shared_language_suggests_without_picking_one(h: Harness) -> None:
    h.world.bob.user.locale = "de"
    shown = await h.private_command(h.world.bob, "resources show", dm=True)
    assert "Deutschland, Österreich oder Schweiz" in shown.content  # named as her language names them
    assert "findahelpline.com" in shown.content and "0800 111 0 111" not in shown.content
    assert "erraten" not in shown.content


async def test_a_chosen_region_wins_over_the_language(h: Harness) -> None:
    h.world.alice.user.locale = "ja"
    await h.configure(region="UK")
    assert "Samaritans" in (await h.private_command(h.world.alice, "resources show")).content
    await h.private_command(h.world.alice, "resources region", region="FR")
    shown = await h.private_command(h.world.alice, "resources show")
    assert "3114" in shown.content and "guessed" not in shown.content


async def test_a_member_who_chose_somewhere_else_is_not_second_guessed(h: Harness) -> None:
    h.world.alice.user.locale = "es-ES"
    await h.private_command(h.world.alice, "resources region", region="other")
    shown = await h.private_command(h.world.alice, "resources show")
    assert "findahelpline.com" in shown.content and "024" not in shown.content and "guessed" not in shown.content


async def test_show_still_guesses_from_the_language_with_the_database_down(h: Harness) -> None:
    h.world.alice.user.locale = "pt-BR"
    await h.bot.db.close()
    shown = await h.private_command(h.world.alice, "resources show")
    assert "188" in shown.content and "deduzida do seu idioma do Discord" in shown.content


# -- /config region -----------------------------------------------------------------------------------
async def test_config_region_autocomplete_puts_the_servers_language_then_its_setting_first(h: Harness) -> None:
    h.world.guild.preferred_locale = "pt-BR"
    found = await choices(h, h.world.mod, "config region", "")
    assert found[0]["value"] == "BR" and "server's language" in found[0]["name"]
    assert len(found) <= 25
    await h.private_command(h.world.mod, "config region", region="PT")
    assert (await h.bot.store.config.get(h.world.guild.id)).region == "PT"
    found = await choices(h, h.world.mod, "config region", "")
    assert found[0]["value"] == "PT" and "current setting" in found[0]["name"]
    assert [c["value"] for c in await choices(h, h.world.mod, "config region", "phil")] == ["PH"]


async def test_config_region_refuses_an_unknown_country(h: Harness) -> None:
    refused = await h.private_command(h.world.mod, "config region", region="Narnia")
    assert "Narnia" in refused.content and "Somewhere else" in refused.content
    assert (await h.bot.store.config.get(h.world.guild.id)).region == "other"


# -- the member's language ------------------------------------------------------------------------------
async def test_a_spanish_member_gets_commands_and_replies_in_spanish(h: Harness) -> None:
    synced = {c["name"]: c for c in h.dd.world.commands_for(None)}
    resources = synced["resources"]
    assert resources["name_localizations"]["es-ES"] == "recursos"
    assert resources["description_localizations"]["de"].startswith("Krisentelefone")
    show = next(o for o in resources["options"] if o["name"] == "show")
    assert show["name_localizations"] == {**show["name_localizations"], "es-419": "ver", "pt-BR": "ver"}
    h.world.alice.user.locale = "es-ES"
    await h.private_command(h.world.alice, "resources region", region="ES")
    shown = await h.private_command(h.world.alice, "resources show")
    assert shown.content.startswith("**Personas a las que puedes acudir ahora mismo en España** (tu región)")
    assert "112" in shown.content and "Importas" in shown.content
    assert await h.bot.store.prefs.locale_of(h.world.alice.id) == "es-ES"  # for the DMs no interaction carries
    h.world.alice.user.locale = "en-US"
    assert "People you can reach" in (await h.private_command(h.world.alice, "resources show")).content
