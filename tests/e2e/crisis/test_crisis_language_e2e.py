"""Crisis-team alerts in the server's language, and the moderators' crisis tools in each moderator's own.

The standard server here has German as its community language: alerts, their claim button and the claimed
line are German whoever reads or clicks them; what a moderator alone reads (the thanks after a claim,
``/crisis test``, ``/crisis terms``) follows that moderator's Discord language; mod-log lines stay English.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.double import DiscordDouble
from tests.harness import Harness, World, build_world
from tests.support.alerts import CRISIS, IMMINENT
from tests.support.crisis import care
from tests.support.interact import click

pytestmark = [
    pytest.mark.extensions("cogs.crisis"),
    pytest.mark.configure(
        crisis_alert_channel_id="crisis_alerts", crisis_team_role_id="crisis_team", modlog_channel_id="modlog"
    ),
]


@pytest.fixture
def world(discord_double: DiscordDouble) -> World:
    """The standard server, whose community language (``preferred_locale``) is German."""
    built = build_world(discord_double)
    built.guild.preferred_locale = "de"
    return built


async def test_an_alert_in_a_german_server_is_german_and_stays_german_when_a_spanish_moderator_claims_it(
    h: Harness,
) -> None:
    w = h.world
    await h.dd.send_message(w.alice, w.general, IMMINENT)
    alert = await h.dd.wait_for_message(w.crisis_alerts)
    await care(h).wait_idle()
    text = alert["content"]
    assert text.startswith(f"<@&{w.crisis_team.id}> **Krisenalarm**: akute Gefahr")
    assert (
        f"**Mitglied:** <@{w.alice.id}>" in text and "**Anzeichen:** " in text and "**Wo:** eine Nachricht in" in text
    )
    assert "Klick auf **Ich melde mich**" in text
    for english in ("Crisis alert", "Member:", "Where:", "reaching out"):
        assert english not in text
    [button] = alert["components"][0]["components"]
    assert button["label"] == "Ich melde mich"

    w.mod.user.locale = "es-ES"
    claimed = await click(h, w.mod, alert, button["custom_id"])
    assert claimed.type == 7  # the alert itself, edited: still in the server's language
    assert f"✅ <@{w.mod.id}> meldet sich" in claimed.data["content"]
    assert "**Krisenalarm**: akute Gefahr" in claimed.data["content"]
    assert claimed.data["components"][0]["components"][0]["label"] == "Übernommen"
    [thanks] = await claimed.followups()  # only the moderator reads this: their language
    assert thanks["content"].startswith(f"Gracias por ponerte en contacto con <@{w.alice.id}>.")
    assert "`/recursos ver`" in thanks["content"]

    w.owner.user.locale = "fr"
    again = await click(h, w.owner, alert, button["custom_id"])
    assert again.ephemeral and f"<@{w.mod.id}> l'a prise en charge" in again.content

    await care(h).wait_idle()
    log = "\n".join(m["content"] for m in h.dd.messages_in(w.modlog))
    assert "Crisis alert #1 (imminent) was posted" in log and f"claimed by <@{w.mod.id}>" in log


async def test_the_alert_after_talk_to_someone_here_is_german_too(h: Harness) -> None:
    w = h.world
    await h.configure(alert_policy="off")
    await h.dd.send_message(w.alice, w.general, CRISIS)
    dm = await h.dd.wait_for_dm(w.alice)
    inter = await click(h, w.alice, dm, f"crisis:talk:{w.guild.id}:2")
    await inter.followups()
    alert = await h.dd.wait_for_message(w.crisis_alerts)
    assert "**Krisenalarm**: hoch" in alert["content"]
    assert "hat in meiner privaten Nachricht auf **Mit jemandem hier reden** getippt" in alert["content"]
    assert "**Anzeichen:**" not in alert["content"]  # nothing was matched: the member asked
    await care(h).wait_idle()
    await h.advance(timedelta(minutes=15))  # unclaimed: the timer posts it again, still in German
    repost = await h.dd.wait_for_message(w.crisis_alerts, lambda m: m["id"] != alert["id"])
    assert "**Noch nicht übernommen** (Wiederholung 1 von 3, zuerst gepostet <t:" in repost["content"]
    assert repost["components"][0]["components"][0]["label"] == "Ich melde mich"


async def test_crisis_test_and_terms_answer_in_the_moderators_language(h: Harness) -> None:
    w = h.world
    w.mod.user.locale = "fr"
    report = await h.command(w.mod, "crisis test", text=IMMINENT)
    assert report.ephemeral
    assert report.content.startswith("**Niveau :** risque imminent\n**Catégories :** ")
    assert "**Ce que je ferais** (politique d'alertes : risque imminent seulement) :" in report.content
    assert f"Alerter l'équipe de crise dans <#{w.crisis_alerts.id}>" in report.content

    w.mod.user.locale = "pt-BR"
    short = await h.command(w.mod, "crisis terms add", term="a b", category="self_harm", level="high")
    assert short.ephemeral
    assert short.content.startswith("'a b' é curto demais para ser detectado com segurança")
    added = await h.command(w.mod, "crisis terms add", term="yeet myself", category="self_harm", level="high")
    assert added.content.startswith("**yeet myself** adicionado (autolesão, alto).")
    listed = await h.command(w.mod, "crisis terms list")
    assert listed.content == "**Termos de crise extras aqui (1):**\n• **yeet myself**: autolesão, alto"
    # The mod-log line is posted after the reply, in English.
    logged = await h.dd.wait_for_message(w.modlog, lambda m: "yeet myself" in m["content"])
    assert logged["content"].endswith("added the extra crisis term **yeet myself** (self-harm, high).")


async def test_the_closed_dm_line_is_in_the_servers_language(h: Harness) -> None:
    w = h.world
    h.dd.close_dms(w.alice)
    await h.dd.send_message(w.alice, w.general, CRISIS)
    line = await h.dd.wait_for_message(w.general, lambda m: m["author"]["id"] == str(h.dd.bot_user.id))
    assert line["content"].startswith("Falls hier jemand mit jemandem reden möchte: `/hilfsangebote anzeigen`")
    assert "Alice" not in line["content"] and not line.get("message_reference")
