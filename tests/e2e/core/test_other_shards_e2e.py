"""A server another process owns is "not mine", never "removed": its rhythm, series and members' data stay.

The running bot plays a process of a two-process cluster (:mod:`tests.support.shards`).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.buddies.rounds import ROUND
from bot.privacy_ops import RETENTION_KIND, retention_key
from bot.retention import GUILD_PURGE_KIND, record_guild_departure
from bot.service._models import Recurrence
from bot.shards import NotOwned
from bot.timers import Timer
from tests.harness import Harness
from tests.support.interact import settle
from tests.support.service import opp_id, post
from tests.support.shards import beside, elsewhere

pytestmark = pytest.mark.configure(service_board_channel_id="service_board")


async def test_buddy_rounds_of_another_process_s_server_go_on(h: Harness) -> None:
    w = h.world
    for member in (w.alice, w.bob):
        await h.private_command(member, "buddy join")
    [round_timer] = await h.bot.timers.pending(kind=ROUND)
    elsewhere(h)
    assert await h.advance(timedelta(days=2)) == 0  # its timers are the owner's to run
    assert [t.id for t in await h.bot.timers.pending(kind=ROUND)] == [round_timer.id]
    rounds = h.bot.features.buddies
    assert rounds is not None
    with pytest.raises(NotOwned):
        await rounds.on_round_timer(round_timer)  # had it reached this process, the rhythm is left alone
    assert [t.id for t in await h.bot.timers.pending(kind=ROUND)] == [round_timer.id]
    assert await rounds.reconcile() == 0  # and this process doesn't rebuild it either


async def test_a_service_series_of_another_process_s_server_is_not_ended(h: Harness) -> None:
    _, card = await post(h, when="2026-11-24 18:00", duration="1h", recurring="weekly")
    service = h.bot.features.service
    opp = await h.bot.store.service.get(opp_id(card))
    assert service is not None and opp is not None and opp.recurrence is not Recurrence.NONE
    elsewhere(h)
    with pytest.raises(NotOwned):
        await service.keeper.spawn_next(opp)  # never "the bot is no longer in that server": the series goes on
    assert await h.bot.store.service.spawn_next(opp.id, opp.starts_at + timedelta(days=7), now=h.clock.now())


async def test_another_process_never_erases_a_member_or_a_server(h: Harness) -> None:
    w = h.world
    await h.private_command(w.alice, "buddy join")
    muted = await h.dd.slash(w.alice, "resources mute", channel=w.general)
    await muted.response()
    await record_guild_departure(h.bot.db, w.guild.id, h.clock.now())
    elsewhere(h)
    retention = h.bot.get_cog("Retention")
    assert retention is not None
    now = h.clock.now()
    for handler, timer in (
        (retention.on_retention_timer, Timer(0, RETENTION_KIND, now, w.guild.id, w.alice.id)),  # type: ignore[attr-defined]
        (retention.on_guild_purge_timer, Timer(0, GUILD_PURGE_KIND, now, w.guild.id, None)),  # type: ignore[attr-defined]
    ):
        with pytest.raises(NotOwned):
            await handler(timer)
    assert await h.bot.store.buddies.get(w.guild.id, w.alice.id) is not None
    assert (await h.bot.store.crisis.member_state(w.alice.id)).muted


async def test_the_owner_erases_a_departed_member_s_server_data_but_keeps_a_mute_it_can_t_see_past(
    h: Harness,
) -> None:
    w = h.world
    await h.private_command(w.alice, "buddy join")
    muted = await h.dd.slash(w.alice, "resources mute", channel=w.general)
    await muted.response()
    beside(h)
    await settle(h, "raw_member_remove", lambda: w.guild.remove_member(w.alice))
    assert await h.bot.timers.pending(dedupe_key=retention_key(w.guild.id, w.alice.id))
    await h.advance(timedelta(days=31))
    assert await h.bot.store.buddies.get(w.guild.id, w.alice.id) is None  # this server's data: gone
    # She may share a server another process runs: her own crisis mute stays until she asks or leaves it.
    assert (await h.bot.store.crisis.member_state(w.alice.id)).muted
