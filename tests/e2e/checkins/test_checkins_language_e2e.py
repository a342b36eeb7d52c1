"""The check-in flow in the member's language: replies, the reminder DM a timer sends, its modal, and the week."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cogs.checkins._checkin_cog import REMINDER_TEXT, reminder_already_sent
from tests.harness import Harness
from tests.support.languages import set_server_language

pytestmark = pytest.mark.extensions("cogs.checkins")

SPANISH_REMINDER = "🌱 Es hora de tu registro. ¿Cómo estás hoy? Lleva treinta segundos, y es solo para ti."


async def test_a_spanish_check_in_is_answered_in_spanish(h: Harness) -> None:
    h.world.alice.user.locale = "es-ES"
    answer = await h.command(h.world.alice, "checkin today", mood=1, craving=9)
    assert answer.ephemeral
    assert answer.content.startswith("Gracias por registrarte en un día muy duro.")
    assert "**Algunas cosas que pueden ayudar ahora mismo:**" in answer.content
    assert "**Personas a las que puedes acudir ahora mismo:**" in answer.content
    labels = [c["label"] for row in answer.components for c in row["components"]]
    assert labels == ["Registrarme con más detalle"]


async def test_the_reminder_dm_and_its_modal_follow_the_language_last_used(h: Harness) -> None:
    h.world.alice.user.locale = "de"
    set_ = await h.command(h.world.alice, "checkin remind set", time="19:00", timezone="UTC", weekdays="weekends")
    assert set_.content.startswith("Deine Erinnerung ist auf **19:00** (UTC) gestellt, am Wochenende.")
    h.world.alice.user.locale = "es-419"
    await h.command(h.world.alice, "checkin pause", days=0)  # the last language Kindred sees from her
    await h.advance(timedelta(hours=7))  # Sunday 19:00
    [dm] = [m for m in h.dd.dms_to(h.world.alice) if m["content"] == SPANISH_REMINDER]
    button = dm["components"][0]["components"][0]
    assert button["label"] == "Registrarme ahora"
    opened = await h.dd.click(h.world.alice, dm, button["custom_id"])
    await opened.response()
    modal = opened.modal
    assert modal is not None and modal["title"] == "Registrarme"
    assert "Ánimo: 1 (muy mal) a 5 (bien)" in str(modal["components"])
    submitted = await h.dd.submit_modal(h.world.alice, opened, {"mood": "4", "craving": "1"})
    await submitted.response()
    assert submitted.content.startswith("Me alegra que hoy vaya bien.")
    # A crash between sending and recording must not send it twice, whatever language it went out in.
    assert await reminder_already_sent(h.bot, h.world.alice.id, None) is True
    assert REMINDER_TEXT not in [m["content"] for m in h.dd.dms_to(h.world.alice)]


async def test_the_shared_line_is_in_the_servers_language_whatever_the_members(h: Harness) -> None:
    await set_server_language(h, "de")
    await h.configure(checkin_share_channel_id=h.world.share.id)
    h.world.alice.user.locale = "es-ES"
    answer = await h.command(
        h.world.alice, "checkin today", mood=3, craving=2, triggers="stress, loneliness", share="with my name"
    )
    assert answer.ephemeral and "Compartido con tu nombre en el canal de registros." in answer.content
    post = await h.dd.wait_for_message(h.world.share)
    assert post["content"] == (
        "**Alice** hat eingecheckt: Stimmung 3 · es geht so, Suchtdruck 2/10.\nBemerkt: Stress, Einsamkeit."
    )


async def test_pause_names_the_day_as_the_language_writes_it(h: Harness) -> None:
    h.world.alice.user.locale = "fr"
    await h.command(h.world.alice, "checkin remind set", time="19:00", timezone="UTC")
    paused = await h.command(h.world.alice, "checkin pause", days=3)
    assert paused.content.startswith("Les rappels sont en pause. Ils reprennent le **mer. 25 novembre**.")


async def test_a_slip_in_portuguese_keeps_the_journey_without_shame(h: Harness) -> None:
    h.world.alice.user.locale = "pt-BR"
    await h.command(h.world.alice, "recovery set", date="2026-10-13")
    ask = await h.command(h.world.alice, "recovery slip")
    assert ask.content.startswith("Obrigado por me contar. Um deslize faz parte da recuperação de muita gente")
    yes = next(c for row in ask.components for c in row["components"] if c["label"].startswith("Sim"))
    confirm = await h.dd.click(h.world.alice, ask, yes["custom_id"])
    await confirm.response()
    text = h.dd.messages[int(ask.record.original_message_id)]["content"]  # type: ignore[arg-type]
    assert text.startswith("Um novo trecho começa hoje.")
    assert "**13 de outubro de 2026**" in text and "**40 dias**" in text and "/recursos ver" in text
    show = await h.command(h.world.alice, "recovery show")
    assert "Trecho atual: **0 dia** (desde 22 de novembro de 2026)" in show.content
    assert "Próximo marco: **24 horas**" in show.content
