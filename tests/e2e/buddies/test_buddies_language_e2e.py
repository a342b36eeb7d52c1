"""Buddy pairing in each member's language: replies, the day-before nudge and its button, a pair's
introduction in the language both use (English when they differ), and the neutral end note."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.harness import Harness

# The harness starts on Sunday 22 Nov 2026 12:00 UTC; the default round is Monday 18:00 UTC.
TO_NUDGE = timedelta(hours=6)
TO_ROUND = timedelta(hours=30)


def labels(message: dict[str, Any]) -> list[str]:
    return [c["label"] for row in message.get("components", []) for c in row.get("components", [])]


async def intro_in_buddy_thread(h: Harness) -> dict[str, Any]:
    [thread] = [t for t in h.dd.threads if t.parent_id == h.world.buddies.id]
    return await h.dd.wait_for_message(thread)


async def test_a_spanish_pair_is_introduced_and_answered_in_spanish(running: Harness) -> None:
    h, w = running, running.world
    await h.configure(buddy_channel_id=w.buddies.id)
    w.alice.user.locale, w.bob.user.locale = "es-ES", "es-419"
    joined = await h.private_command(w.alice, "buddy join", interests="music", timezone="Europe/London")
    assert joined.content.startswith("¡Te damos la bienvenida! Tendrás compañero en la próxima ronda, el <t:")
    assert "**Intereses:** music\n**Zona horaria:** Europe/London\n**Camino:** Cualquier camino" in joined.content
    await h.private_command(w.bob, "buddy join", interests="music", timezone="Europe/London")
    await h.advance(TO_ROUND)
    intro = await intro_in_buddy_thread(h)
    assert intro["content"].startswith(f"¡Hola, <@{w.alice.id}> y <@{w.bob.id}>! Compañeros en esta ronda.")
    assert (
        "Por qué se formó este emparejamiento: a los dos les gusta music; están en la misma zona horaria."
        in intro["content"]
    )
    assert "Algunas formas de empezar, por si ayudan:\n• " in intro["content"]
    status = await h.private_command(w.alice, "buddy status")
    assert status.content.startswith(f"**Tu compañero:** <@{w.bob.id}>. Tu hilo: <#")
    assert "because" not in status.content and "**Esta ronda termina:** <t:" in status.content
    # Ending it: the thanks in her language, the neutral note in Bob's.
    asked = await h.private_command(w.alice, "buddy end")
    confirm = next(c for row in asked.data["components"] for c in row["components"])
    assert confirm["label"] == "Terminar el emparejamiento"
    done = await h.dd.click(w.alice, asked, confirm["custom_id"])
    await done.response()
    assert done.content.startswith("Hecho: el emparejamiento ha terminado y tu compañero ha recibido un aviso neutral.")
    note = await h.dd.wait_for_dm(w.bob, lambda m: m["content"].startswith("Tu emparejamiento de esta ronda"))
    assert "no hace falta ningún motivo" in note["content"] and w.alice.name not in note["content"]


async def test_a_pair_with_two_languages_is_introduced_in_english(running: Harness) -> None:
    h, w = running, running.world
    await h.configure(buddy_channel_id=w.buddies.id)
    w.alice.user.locale = "fr"
    await h.private_command(w.alice, "buddy join", interests="music")
    await h.private_command(w.bob, "buddy join", interests="music")
    await h.advance(TO_ROUND)
    intro = await intro_in_buddy_thread(h)
    assert "Why you were matched: you both like music" in intro["content"]
    status = await h.private_command(w.alice, "buddy status")
    assert status.content.startswith(f"**Ton binôme :** <@{w.bob.id}>.")


async def test_the_nudge_a_timer_sends_follows_each_members_last_language(running: Harness) -> None:
    h, w = running, running.world
    await h.configure(buddy_channel_id=w.buddies.id)
    w.alice.user.locale = "de"
    await h.private_command(w.alice, "buddy join")
    w.alice.user.locale = "fr"
    await h.private_command(w.alice, "buddy status")  # the last language Kindred sees from her
    await h.private_command(w.bob, "buddy join")
    await h.advance(TO_NUDGE)
    nudge = await h.dd.wait_for_dm(w.alice, lambda m: m["content"].startswith("Un nouveau tour de binômes commence"))
    assert "appuie sur **Passer ce tour**" in nudge["content"] and "<t:" in nudge["content"]
    assert labels(nudge) == ["Passer ce tour"]
    english = await h.dd.wait_for_dm(w.bob, lambda m: m["content"].startswith("A new buddy round starts"))
    assert labels(english) == ["Skip this round"]
    skipped = await h.dd.click(w.alice, nudge, nudge["components"][0]["components"][0]["custom_id"])
    await skipped.response()
    assert skipped.content == "Tu passes ce tour. Aucun problème : tu reviendras au suivant."
