"""First-30-days support in the member's language: the offer, its buttons and menu, ``/recovery support
status`` in Spanish, and the prompts and notes a timer sends in the language the member last used."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.harness import Harness
from tests.support.newcomers import button_id, live_until, offer_of, select_id

EXTENSIONS = ["cogs.checkins", "cogs.newcomers"]
pytestmark = [pytest.mark.extensions(*EXTENSIONS), pytest.mark.quiet]


def labels(message: object) -> list[str]:
    rows = message.components if hasattr(message, "components") else message["components"]  # type: ignore[index]
    return [c["label"] for row in rows for c in row["components"] if "label" in c]


async def test_the_offer_its_answer_and_the_status_are_in_spanish(h: Harness) -> None:
    h.world.alice.user.locale = "es-ES"
    offer = await offer_of(h, h.world.alice, "2026-11-20")
    assert offer["flags"] & 64, "the offer must be ephemeral"
    assert offer["content"].startswith("**¿Te ayudaría algo de apoyo extra en tus primeros 30 días?**")
    assert "• una nota privada a las 24 horas, a los 3 días, a la semana y a las 2 semanas" in offer["content"]
    assert "`/recuperación apoyo activar`" in offer["content"]
    assert labels(offer) == ["Sí, todo", "Déjame elegir", "No, gracias"]
    click = await h.dd.click(h.world.alice, offer, button_id(offer, "Sí, todo"))
    await click.response()
    text = h.dd.messages[int(offer["id"])]["content"]
    assert text.startswith("**El apoyo de los primeros 30 días está activado.** Solo tú puedes ver esto.")
    assert "Tus 30 días empezaron el 20 de noviembre. Recibirás:" in text
    assert "**19:00**" in text and "**¿Cómo te gustaría la bienvenida?**" in text
    assert labels(h.dd.messages[int(offer["id"])]) == [
        "Un MD de una persona voluntaria",
        "Un saludo en mi hilo con mi compañero",
    ]
    status = await h.private_command(h.world.alice, "recovery support status")
    assert status.content.startswith("**El apoyo de los primeros 30 días está activado.** Hoy es el día 3 de tus 30.")
    assert "Los recordatorios para registrarte llegan a las **19:00**, tu hora." in status.content
    for word in ("adict", "limpi", "recaída"):
        assert word not in (offer["content"] + text + status.content).lower()


async def test_the_parts_menu_is_in_spanish_and_english_stays_english(h: Harness) -> None:
    h.world.alice.user.locale = "es-419"
    offer = await offer_of(h, h.world.alice, "2026-11-21")
    choose = await h.dd.click(h.world.alice, offer, button_id(offer, "Déjame elegir"))
    await choose.response()
    assert choose.content.startswith("Elige las partes que quieras (una o más).")
    [menu] = [c for row in choose.components for c in row["components"] if c.get("type") == 3]
    assert menu["placeholder"] == "Elige las partes que quieras"
    assert {o["label"] for o in menu["options"]} >= {"Un compañero ya", "Notas de hitos", "Salas para empezar"}
    picked = await h.dd.select(h.world.alice, choose, select_id(choose), ["milestones"])
    await picked.response()
    assert picked.content.startswith("**El apoyo de los primeros 30 días está activado.**")
    # Bob never told Kindred another language: he reads the English he always did.
    bob = await h.private_command(h.world.bob, "recovery support status")
    assert bob.content.startswith("First-30-days support is off.")


async def test_timer_prompts_and_milestone_notes_follow_the_language_last_used(h: Harness) -> None:
    h.world.alice.user.locale = "de"
    await h.private_command(h.world.alice, "recovery support on")
    h.world.alice.user.locale = "fr"
    await h.private_command(h.world.alice, "recovery support status")  # the last language Kindred sees from her
    await live_until(h, datetime(2026, 11, 24, 12, tzinfo=UTC))
    dms = h.dd.dms_to(h.world.alice)
    [day1] = [m for m in dms if m["content"].startswith("🌱 Jour 1.")]
    assert "Faire ton point prend trente secondes et toi seul·e le vois." in day1["content"]
    assert labels(day1) == ["Faire mon point"]
    assert any(m["content"].startswith("🌱 Jour 2. Un petit signe : comment vas-tu aujourd'hui ?") for m in dms)
    notes = [m["content"] for m in dms if m["content"].startswith("🎉")]
    assert notes == [
        "🎉 **24 heures** depuis que tu as commencé tes 30 premiers jours ici. Chaque jour où tu prends soin de toi "
        "compte. Bravo."
    ]
    assert not any("Day" in m["content"] or "Tag " in m["content"] for m in dms)
