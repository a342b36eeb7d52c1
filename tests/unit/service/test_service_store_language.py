"""The service store's refusals, in the language of whoever is answered (the locale set for the reply)."""

from __future__ import annotations

import pytest

from bot.clock import FakeClock
from bot.errors import KindredError
from bot.i18n import using_locale
from bot.service import Status
from bot.store import Store
from tests.support.service import create_opportunity, update_opportunity


async def test_joining_a_closed_or_missing_opportunity_is_refused_in_spanish(store: Store, clock: FakeClock) -> None:
    opp = await create_opportunity(store, clock)
    await store.service.close(opp.id, Status.CANCELLED, now=clock.now())
    with using_locale("es-ES"):
        with pytest.raises(KindredError) as closed:
            await store.service.join(opp.id, 10, now=clock.now())
        with pytest.raises(KindredError) as missing:
            await store.service.join(9999, 10, now=clock.now())
    assert closed.value.message.endswith("ya no admite voluntarios. `/servicio lista` muestra las abiertas.")
    assert missing.value.message == (
        "No he encontrado la oportunidad de servicio n.º 9999. `/servicio lista` muestra las abiertas."
    )


async def test_edits_are_refused_in_german(store: Store, clock: FakeClock) -> None:
    opp = await create_opportunity(store, clock, slots=3)
    for uid in (10, 11):
        await store.service.join(opp.id, uid, now=clock.now())
    with using_locale("de"):
        with pytest.raises(KindredError) as below:
            await update_opportunity(store, clock, opp, slots=1)
        await store.service.close(opp.id, Status.CANCELLED, now=clock.now())
        with pytest.raises(KindredError) as cancelled:
            await update_opportunity(store, clock, opp, slots=3)
    assert below.value.message.startswith(
        "2 Personen haben sich schon eingetragen, daher können die Plätze nicht unter 2 sinken."
    )
    assert cancelled.value.message == (
        f"Das Hilfsangebot Nr. {opp.id} wurde abgesagt und kann nicht mehr bearbeitet werden."
    )


async def test_the_same_refusals_stay_english_without_a_locale(store: Store, clock: FakeClock) -> None:
    opp = await create_opportunity(store, clock, slots=2)
    await store.service.join(opp.id, 10, now=clock.now())
    await store.service.join(opp.id, 11, now=clock.now())
    with pytest.raises(KindredError, match="2 people have already volunteered, so slots can't go below 2"):
        await update_opportunity(store, clock, opp, slots=1)
