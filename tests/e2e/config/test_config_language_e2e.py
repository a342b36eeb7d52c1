"""/config in the moderator's language: /config show, confirmations, refusals and the confirm buttons; the
mod-log stays English; the setup checklist is in the server's language."""

from __future__ import annotations

from typing import Any

import pytest

from tests.harness import Harness
from tests.support.interact import click

from .test_onboarding import EXTENSIONS, join_new_server

pytestmark = pytest.mark.extensions(*EXTENSIONS)


def fields_of(inter: Any) -> dict[str, str]:
    return {f["name"]: f["value"] for f in inter.embeds[0]["fields"]}


async def test_config_show_is_in_german_for_a_german_moderator(h: Harness) -> None:
    h.world.mod.user.locale = "de"
    await h.command(h.world.mod, "config retention", days=1)
    await h.command(h.world.mod, "config pairing", weekday=2)
    shown = await h.command(h.world.mod, "config show")
    assert shown.ephemeral
    embed = shown.embeds[0]
    assert embed["title"] == "Kindred-Einstellungen für Recovery Circle"
    fields = fields_of(shown)
    assert len(fields) == 22
    assert fields["Datenaufbewahrung nach dem Verlassen"].startswith(
        "1 Tag (Standard: 30 Tage)\n-# Tage, die die Daten"
    )
    assert fields["Kanal für Krisenalarme"].startswith("nicht festgelegt (Standard)")
    assert fields["Region"].startswith("Andere (weltweites Verzeichnis) (Standard)")
    assert fields["Willkommens-DM an neue Mitglieder"].startswith("aus (Standard)")
    assert fields["Vermittlungstag"].startswith("Mittwoch (Standard: Montag)")
    languages = fields["Sprachen der Krisenerkennung"]
    assert languages.startswith("Die Krisenerkennung liest Nachrichten auf Englisch, Spanisch, Portugiesisch")
    assert "keine Krisenerkennung" not in languages  # German is read
    assert fields["Unterstützung in den ersten 30 Tagen"].startswith("0 Mitglieder haben sie gerade aktiviert.")
    assert embed["footer"]["text"].startswith("Ändere jede mit ihrem /konfig-Befehl")


async def test_a_spanish_confirmation_and_an_english_mod_log(h: Harness) -> None:
    h.world.mod.user.locale = "es-419"
    await h.command(h.world.mod, "config modlog", channel=h.world.modlog)
    done = await h.command(h.world.mod, "config retention", days=7)
    assert done.content == "**Conservación de datos tras salir** ahora es 7 días."
    again = await h.command(h.world.mod, "config retention", days=7)
    assert again.content.endswith("(Ese ya era el ajuste, así que no cambió nada.)")
    logged = await h.dd.wait_for_message(h.world.modlog, lambda m: "Data retention" in m["content"])
    assert logged["content"] == f"<@{h.world.mod.id}> changed **Data retention after leaving** from 30 days to 7 days."


async def test_refusals_are_in_the_moderators_language(h: Harness) -> None:
    h.world.mod.user.locale = "fr"
    wrong = await h.command(h.world.mod, "config interests remove", name="tricot")
    assert wrong.ephemeral
    assert wrong.content == "Il n'y a aucun intérêt nommé **tricot**. `/réglages intérêts liste` les affiche."
    h.world.alice.user.locale = "pt-BR"
    refused = await h.overridden_command(h.world.alice, "config show")
    assert refused.content.startswith("Só quem modera com a permissão **Gerenciar servidor**")
    assert not refused.embeds


async def test_the_remove_confirmation_and_its_buttons_are_in_the_moderators_language(h: Harness) -> None:
    h.world.mod.user.locale = "es-ES"
    asked = await h.command(h.world.mod, "config interests remove", name="meditation")
    assert asked.content.startswith("¿Quitar **meditation**? Quienes lo siguen dejarán de seguirlo.")
    buttons = asked.components[0]["components"]
    assert [b["label"] for b in buttons] == ["Quitar", "Mantenerlo"]
    kept = await click(h, h.world.mod, asked, buttons[1]["custom_id"])
    assert kept.data["content"] == "Se mantiene **meditation**."
    asked = await h.command(h.world.mod, "config interests remove", name="meditation")
    removed = await click(h, h.world.mod, asked, asked.components[0]["components"][0]["custom_id"])
    assert removed.data["content"] == "**meditation** se ha quitado."


async def test_the_setup_checklist_is_in_the_servers_language(harness: Harness) -> None:
    await harness.start(extensions=EXTENSIONS)
    guild = join_new_server(harness, locale="fr")
    message = await harness.dd.wait_for_message(guild.text_channels[0])
    text = message["content"]
    assert text.startswith("Merci d'avoir ajouté **Kindred**")
    assert "`/réglages région`" in text and "`/confidentialité voir`" in text and "`/apropos`" in text
    assert "La détection de crise lit les messages en anglais, espagnol, portugais, français et allemand" in text
    assert len(text) <= 2000


async def test_the_checklist_dm_names_a_server_without_detection_in_its_own_words(harness: Harness) -> None:
    await harness.start(extensions=EXTENSIONS)
    guild = join_new_server(harness, system_channel=False, locale="it")
    dm = await harness.dd.wait_for_dm(guild.owner)
    assert dm["content"].startswith("I've just joined **Sunrise Circle**")  # Italian isn't shipped: English
    assert "This server's language (Italian) has no crisis detection yet." in dm["content"]


async def test_the_built_in_limits_are_listed_in_the_moderators_language(h: Harness) -> None:
    h.world.mod.user.locale = "es-ES"
    shown = await h.command(h.world.mod, "config show")
    limits = fields_of(shown)["Límites a acciones que llegan a otras personas"]
    assert limits.splitlines()[:4] == [
        "• Avisos de «Hablar con alguien de aquí» al equipo de crisis: 3 cada 6 horas por miembro, 10 por hora por "
        "servidor",
        "• Avisos de un momento difícil a un compañero: 3 al día por miembro, 30 por hora por servidor",
        "• Salas programadas (`/sala programar`): 5 al día por miembro, 20 al día por servidor (la moderación no tiene "
        "límite)",
        "• Oportunidades de servicio publicadas (`/servicio publicar`): 10 al día por miembro, 30 al día por servidor "
        "(la moderación no tiene límite)",
    ]
    h.world.mod.user.locale = "fr"
    shown = await h.command(h.world.mod, "config show")
    limits = fields_of(shown)["Limites des actions qui atteignent d'autres personnes"]
    assert limits.startswith(
        "• Appels « Parler à quelqu'un ici » à l'équipe de crise : 3 toutes les 6 heures par membre, 10 par heure par "
        "serveur"
    )
