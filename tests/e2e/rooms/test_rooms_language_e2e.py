"""Rooms and interests in each member's language: replies, errors and button answers in the language of the
interaction, reminder DMs a timer sends in each member's last language, and the announcement everyone reads in
the server's language (English when it has none Kindred speaks)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.harness import Harness
from tests.support.interact import answer, click_answer
from tests.support.languages import labels, language_remembered, set_server_language
from tests.support.rooms import ROOMS_MARKS, START, advance_to, refused, room_id, schedule

pytestmark = ROOMS_MARKS


def field_names(message: dict[str, Any]) -> list[str]:
    return [f["name"] for f in message["embeds"][0]["fields"]]


async def test_a_spanish_host_schedules_and_is_answered_in_spanish(h: Harness) -> None:
    w = h.world
    w.alice.user.locale = "es-ES"
    reply, announcement = await schedule(h, recurring="weekly")
    assert reply["content"].startswith(f"Sala **Evening sit** programada: <t:{int(START.timestamp())}:F> (<t:")
    assert "60 minutos; se repite cada semana." in reply["content"]
    assert "Una sala de voz temporal se abre 15 minutos antes y se elimina después." in reply["content"]
    # The server has no language Kindred speaks (Discord's default, en-US): the announcement is in English.
    assert labels(announcement) == ["RSVP", "Can't make it"]
    assert field_names(announcement) == ["When", "Length", "Interest", "Where", "Host"]
    # An error, in her language, with her words echoed as typed.
    too_short = await refused(h, duration=5)
    assert too_short == "Una sala puede durar de 15 a 240 minutos; 5 queda fuera. Prueba 60 para una hora."
    unknown = await refused(h, interest="knitting")
    assert unknown.startswith("**knitting** no es uno de los intereses de este servidor.")
    assert "`/ajustes intereses añadir`" in unknown
    listed = await h.private_command(w.alice, "room list")
    embed = listed.embeds[0]
    assert embed["title"] == "Próximas salas"
    assert "organiza <@" in embed["description"] and "vas a ir" in embed["description"]


async def test_a_button_press_is_answered_in_the_language_of_whoever_pressed_it(h: Harness) -> None:
    w = h.world
    _, announcement = await schedule(h)
    rid = room_id(announcement)
    w.bob.user.locale = "pt-BR"
    yes = await click_answer(h, w.bob, announcement, f"room:rsvp:{rid}:yes")
    assert yes["content"].startswith("Presença confirmada em **Evening sit**, <t:")
    w.carol.user.locale = "de"
    no = await click_answer(h, w.carol, announcement, f"room:rsvp:{rid}:no")
    assert (
        no["content"]
        == "Danke für die Rückmeldung. Keine Erinnerungen für **Evening sit**; vielleicht beim nächsten Mal."
    )


async def test_the_announcement_follows_the_servers_language(h: Harness) -> None:
    await set_server_language(h, "de")
    _, announcement = await schedule(h)
    assert announcement["content"] == "Ein neuer Raum zu **meditation**."
    assert labels(announcement) == ["Ich komme", "Kann nicht"]
    assert field_names(announcement) == ["Wann", "Dauer", "Interesse", "Wo", "Leitung"]
    assert announcement["embeds"][0]["fields"][1]["value"] == "60 Minuten"
    assert announcement["embeds"][0]["footer"]["text"].startswith("Sag zu für eine Erinnerung")
    event = h.dd.scheduled_events[-1]
    assert "Ein Raum zu meditation, geleitet von" in event.description


async def test_a_reminder_dm_a_timer_sends_is_in_each_members_last_language(h: Harness) -> None:
    w = h.world
    _, announcement = await schedule(h)
    rid = room_id(announcement)
    w.bob.user.locale = "fr"
    await h.private_command(w.bob, "room list")  # the last language Kindred sees from him
    await language_remembered(h, w.bob, "fr")
    w.bob.user.locale = "en-US"  # a click carries a language too, but it isn't remembered
    await click_answer(h, w.bob, announcement, f"room:rsvp:{rid}:yes")
    await advance_to(h, START - timedelta(hours=24))
    french = await h.dd.wait_for_dm(w.bob, lambda m: m["content"].startswith("Demain : **Evening sit**"))
    assert "Viens comme tu es ; écouter, c'est aussi participer." in french["content"]
    assert labels(french) == ["Plus de rappels pour ce salon"]
    english = await h.dd.wait_for_dm(w.alice, lambda m: m["content"].startswith("Tomorrow: **Evening sit**"))
    assert labels(english) == ["No more reminders for this room"]
    # Opting out from the DM: the press is answered in the language of the press.
    w.bob.user.locale = "fr"
    muted = await click_answer(h, w.bob, french, f"room:mute:{rid}")
    assert muted["content"].startswith("C'est fait : plus de rappels pour **Evening sit**.")


async def test_interests_answer_in_the_members_language(h: Harness) -> None:
    w = h.world
    w.dave.user.locale = "fr"
    added = await h.private_command(w.dave, "interests add", interest="music")
    assert added.content.startswith("Tu suis maintenant **music**.")
    assert "`/intérêts prévenir activé`" in added.content
    listed = await h.private_command(w.dave, "interests list")
    assert listed.embeds[0]["title"] == "Centres d'intérêt"
    refused_on = await answer(
        await h.dd.slash(w.carol, "interests notify", channel=w.general, options={"setting": "on"})
    )
    assert refused_on["content"].startswith("You don't follow any interests here yet.")  # Carol's Discord is English


async def test_a_spanish_host_can_say_when_in_spanish(h: Harness) -> None:
    w = h.world
    w.alice.user.locale = "es-ES"
    await h.bot.store.prefs.set_timezone(w.alice.id, "Europe/Madrid", now=h.clock.now())
    reply, _ = await schedule(h, when="mañana 19:00")
    tomorrow_at_seven = int(datetime(2026, 11, 23, 18, 0, tzinfo=UTC).timestamp())  # 19:00 in Madrid
    assert reply["content"].startswith(f"Sala **Evening sit** programada: <t:{tomorrow_at_seven}:F> (<t:")
    unreadable = await refused(h, when="cuando podamos")
    assert unreadable == (
        "No he podido leer 'cuando podamos' como una fecha y hora. Prueba con `mañana 19:00`, `vie 19:00`, "
        "`2026-12-01 18:30`, `en 3 horas`."
    )
