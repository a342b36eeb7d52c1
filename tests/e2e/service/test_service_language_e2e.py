"""/service in each member's language: replies, errors and button answers in the language of the interaction,
reminders and notices in each recipient's last language, and the board card everyone reads in the server's
language (English when it has none Kindred speaks)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.harness import Harness
from tests.support.interact import answer
from tests.support.languages import labels, language_remembered, set_server_language
from tests.support.service import button, click, opp_id, post, post_refused, run

pytestmark = [pytest.mark.extensions("cogs.service"), pytest.mark.configure(service_board_channel_id="service_board")]

# The card starts on Friday 27 November 2026 at 18:30 UTC; the clock starts on the 22nd at noon.
TO_DAY_BEFORE = timedelta(days=4, hours=6, minutes=30)


def fields(card: dict[str, Any]) -> dict[str, str]:
    return {f["name"]: f["value"] for f in card["embeds"][0]["fields"]}


async def test_a_spanish_poster_is_answered_in_spanish_and_the_card_stays_in_the_servers_english(h: Harness) -> None:
    h.world.alice.user.locale = "es-419"
    msg, card = await post(h)
    assert msg["content"].startswith(
        "He publicado **Greeter for Friday's meeting** (n.º 1): <t:1795804200:F> (<t:1795804200:R>), "
        "1 hora 30 minutos, 2 plazas.\nSi esa hora no es correcta, corrígela con `/servicio editar 1`."
    )
    assert labels(card) == ["Volunteer", "Withdraw"]
    assert fields(card)["Volunteers"] == "0 of 2 slots filled · 2 open"
    too_many = await post_refused(h, slots=51)
    assert too_many.startswith("Las plazas deben estar entre 1 y 50 (pediste 51).")
    unreadable = await post_refused(h, duration="a while")
    assert unreadable.startswith("No he podido leer 'a while' como una duración. Prueba con `90m`")
    mine = await run(h, h.world.alice, "mine")
    assert mine.embeds[0]["title"] == "Tu servicio"


async def test_buttons_answer_in_the_language_of_the_press_and_reminders_in_the_last_language(h: Harness) -> None:
    w = h.world
    _, card = await post(h)
    w.carol.user.locale = "fr"
    joined = await click(h, w.carol, card, "vol")
    assert joined.content.startswith("C'est noté pour **Greeter for Friday's meeting**, <t:1795804200:F>")
    assert "Je t'enverrai un rappel en MP 24 heures et 1 heure avant" in joined.content
    assert labels(await joined.original()) == ["Plus de rappels pour celle-ci"]
    again = await click(h, w.carol, card, "vol")
    assert again.content == "Tu es déjà inscrit·e pour **Greeter for Friday's meeting**. Merci !"
    # Dave last used a command in German; his press carries English, which isn't remembered.
    w.dave.user.locale = "de"
    await run(h, w.dave, "list")
    await language_remembered(h, w.dave, "de")
    w.dave.user.locale = "en-US"
    await click(h, w.dave, card, "vol")
    await h.advance(TO_DAY_BEFORE)
    german = await h.dd.wait_for_dm(w.dave, lambda m: m["content"].startswith("Eine freundliche Erinnerung"))
    assert "**Greeter for Friday's meeting** beginnt morgen, <t:1795804200:F>" in german["content"]
    assert "`/dienst zurückziehen 1` gibt deinen Platz für jemand anderen frei." in german["content"]
    assert labels(german) == ["Keine Erinnerungen hierfür"]
    # Carol only ever pressed buttons: Kindred has no language on record for her, so her reminder is in English.
    english = await h.dd.wait_for_dm(w.carol, lambda m: m["content"].startswith("A friendly reminder"))
    assert labels(english) == ["Stop reminders for this"]


async def test_a_cancel_asks_in_the_organisers_language_and_tells_each_volunteer_in_theirs(h: Harness) -> None:
    w = h.world
    _, card = await post(h, slots=1)
    w.bob.user.locale = "pt-BR"
    await run(h, w.bob, "join", id=opp_id(card))
    w.alice.user.locale = "de"
    ask = await run(h, w.alice, "cancel", id=opp_id(card), reason="Der Raum ist zu.")
    assert ask.content.startswith("**Greeter for Friday's meeting** (<t:1795804200:F>) absagen?")
    assert labels(await ask.original()) == ["Ja, absagen", "Behalten"]
    confirm = await h.dd.click(w.alice, ask, button(await ask.original(), "Ja, absagen"))
    await confirm.response()
    dm = await h.dd.wait_for_dm(w.bob, lambda m: "foi cancelada" in m["content"])
    assert dm["content"].startswith("**Greeter for Friday's meeting** (<t:1795804200:F>) foi cancelada")
    assert "Quem organiza disse: Der Raum ist zu." in dm["content"]
    again = await answer(await run(h, w.alice, "cancel", id=opp_id(card)))
    assert again["content"] == "Nr. 1 ist schon abgesagt. Es gibt nichts abzusagen."


async def test_the_board_card_follows_the_servers_language(h: Harness) -> None:
    await set_server_language(h, "pt-BR")
    _, card = await post(h)
    assert labels(card) == ["Quero ajudar", "Desistir"]
    shown = fields(card)
    assert shown["Voluntários"] == "0 de 2 vagas preenchidas · 2 livres"
    assert shown["Duração"] == "1 hora 30 minutos" and shown["Tipo"] == "Recepção"
    assert card["embeds"][0]["footer"]["text"].startswith("Oportunidade nº 1 ·")
    # A member's own reply stays in their language, whatever the server's.
    joined = await click(h, h.world.bob, card, "vol")
    assert joined.content.startswith("You're in for **Greeter for Friday's meeting**")


async def test_a_german_poster_says_when_and_how_long_in_german(h: Harness) -> None:
    h.world.alice.user.locale = "de"
    await h.bot.store.prefs.set_timezone(h.world.alice.id, "Europe/Berlin", now=h.clock.now())
    msg, _ = await post(h, when="Freitag 19 Uhr", duration="2 Stunden")
    friday_at_seven = int(datetime(2026, 11, 27, 18, 0, tzinfo=UTC).timestamp())  # 19:00 in Berlin
    assert f"<t:{friday_at_seven}:F>" in msg["content"]
    assert "2 Stunden" in msg["content"]
