"""/privacy in the member's language: show, export, delete with its confirmation buttons, and an error."""

from __future__ import annotations

import json

import pytest

from bot.privacy import registered_tables
from tests.harness import Harness
from tests.support.interact import answer, click

EXTENSIONS = ["cogs.config", "cogs.privacy", "cogs.meta"]
pytestmark = pytest.mark.extensions(*EXTENSIONS)


async def test_show_is_in_brazilian_portuguese(h: Harness) -> None:
    h.world.alice.user.locale = "pt-BR"
    await h.bot.store.prefs.set_timezone(h.world.alice.id, "America/Sao_Paulo", now=h.clock.now())
    shown = await h.private_command(h.world.alice, "privacy show")
    embed = shown.embeds[0]
    assert embed["title"] == "O que o Kindred guarda sobre você"
    names = [f["name"] for f in embed["fields"]]
    assert names[0] == "Guardado agora" and names[-1] == "Detecção de crise"
    assert "Guardado só se você usar o recurso" in names
    assert "(1 guardado). Quem vê: " in embed["fields"][0]["value"]
    assert embed["fields"][-1]["value"].startswith("A detecção de crise do Kindred lê mensagens")
    assert embed["footer"]["text"].startswith("/privacidade exportar envia uma cópia para você.")


async def test_show_describes_each_kind_of_data_in_spanish(h: Harness) -> None:
    h.world.alice.user.locale = "es-ES"
    await h.bot.store.prefs.set_timezone(h.world.alice.id, "Europe/Madrid", now=h.clock.now())
    shown = await h.private_command(h.world.alice, "privacy show")
    values = "\n".join(f["value"] for f in shown.embeds[0]["fields"])
    assert values.startswith(
        "• tu zona horaria, la región de tus líneas de ayuda, tu idioma de Discord y si tenías los MD cerrados la "
        "última vez que lo intentamos (1 guardado). Lo ve: solo tú."
    )
    assert "• los próximos recordatorios que el bot te enviará. Lo ve: solo tú." in values
    assert "• tus registros: ánimo, deseo de consumir, desencadenantes, notas y si compartiste cada uno." in values
    # Nothing of the registry is left in English (every description and audience has a Spanish wording).
    for entry in registered_tables():
        assert entry.what not in values and f"Lo ve: {entry.who_sees}." not in values


async def test_the_export_explains_itself_in_french_with_the_same_keys(h: Harness) -> None:
    h.world.alice.user.locale = "fr"
    await h.bot.store.prefs.set_timezone(h.world.alice.id, "Europe/Paris", now=h.clock.now())
    await answer(await h.dd.slash(h.world.alice, "privacy export", channel=h.world.general))
    call = await h.dd.wait_for_call("POST", "/webhooks/{webhook_id}/{webhook_token}", lambda c: bool(c.files))
    data = json.loads(call.files[0].data)
    # The shape programs read stays the same in every language: table and column names, and these keys.
    assert set(data) == {"format", "user_id", "exported_at", "tables"}
    assert set(data["tables"]) == {t.table for t in registered_tables()}
    prefs = data["tables"]["member_prefs"]
    assert set(prefs) == {"what", "who_sees", "rows"}
    assert prefs["rows"][0]["timezone"] == "Europe/Paris"
    # Only the words for the member are in their language.
    assert prefs["what"].startswith("ton fuseau horaire, la région de tes lignes d'écoute")
    assert prefs["who_sees"] == "toi uniquement"
    assert data["tables"]["crisis_alerts"]["who_sees"] == "l'équipe de crise du serveur"


async def test_export_says_so_in_german(h: Harness) -> None:
    h.world.alice.user.locale = "de"
    await h.bot.store.prefs.set_timezone(h.world.alice.id, "Europe/Berlin", now=h.clock.now())
    sent = await answer(await h.dd.slash(h.world.alice, "privacy export", channel=h.world.general))
    assert sent["content"] == (
        "Hier ist alles, was Kindred über dich gespeichert hat (1 Eintrag). Nur du siehst diese Nachricht."
    )


async def test_delete_asks_in_french_with_french_buttons_and_keeps_or_erases_in_french(h: Harness) -> None:
    w = h.world
    w.alice.user.locale = "fr"
    await h.bot.store.prefs.set_timezone(w.alice.id, "Europe/Paris", now=h.clock.now())
    asked = await h.private_command(w.alice, "privacy delete")
    assert asked.content.startswith("Ceci efface **tout** ce que Kindred conserve sur toi, dans tous les serveurs")
    assert asked.content.endswith("Tu veux une copie avant ? Utilise `/confidentialité exporter`.")
    buttons = asked.components[0]["components"]
    assert [b["label"] for b in buttons] == ["Tout effacer", "Garder mes données"]
    kept = await click(h, w.alice, asked, buttons[1]["custom_id"])
    assert kept.data["content"] == "Rien n'a été effacé. Tes données sont restées telles quelles."
    assert await h.bot.store.prefs.get(w.alice.id) is not None

    asked = await h.private_command(w.alice, "privacy delete")
    await click(h, w.alice, asked, asked.components[0]["components"][0]["custom_id"])
    message_id = int((await asked.original())["id"])
    done = await h.dd.world.signal.wait_for(
        lambda: h.dd.messages[message_id].get("content", "").startswith("C'est fait.") or None,
        timeout=10,
        describe=lambda: "the erasure was never confirmed",
    )
    assert done
    text = h.dd.messages[message_id]["content"]
    assert "J'ai effacé tout ce que je conservais sur toi (1 élément)." in text and "Prends soin de toi." in text


async def test_an_error_is_answered_in_spanish(h: Harness) -> None:
    h.world.alice.user.locale = "es-ES"
    await h.bot.db.close()  # whatever goes wrong, the member hears it kindly, in their language
    failed = await h.private_command(h.world.alice, "privacy show")
    assert failed.content.startswith("Lo siento, algo ha fallado por nuestra parte.")
