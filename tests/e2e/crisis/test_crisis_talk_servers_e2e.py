"""The servers a private answer offers to "talk to someone" in, when another process of a cluster answers the DM.

A DM reaches one process, which has only its own shards' servers in its cache. Each server's owner notes the
members it sees there in the database, and the answering process offers those with a crisis alert channel.
"""

from __future__ import annotations

from typing import Any

from tests.e2e.crisis.test_crisis_flow_alerts import talk
from tests.harness import Harness
from tests.support.alerts import CRISIS, CRISIS_ALERTS
from tests.support.crisis import care, settle
from tests.support.shards import beside, elsewhere

pytestmark = CRISIS_ALERTS


def talk_buttons(dm: dict[str, Any]) -> list[str]:
    return [
        str(button["custom_id"])
        for row in dm.get("components", [])
        for button in row["components"]
        if str(button.get("custom_id", "")).startswith("crisis:talk:")
    ]


async def test_a_dm_answered_by_another_process_offers_the_server_its_owner_saw_the_member_in(h: Harness) -> None:
    w = h.world
    beside(h)  # the server's owner, in a cluster
    await h.dd.send_message(w.alice, w.general, "morning everyone, day twelve")
    await settle(h)
    elsewhere(h)  # now the process that gets DMs, without the server in its cache
    await h.dd.send_dm(w.alice, CRISIS)
    dm = await h.dd.wait_for_dm(w.alice)
    [button] = talk_buttons(dm)
    assert button.startswith(f"crisis:talk:{w.guild.id}:")
    _, text = await talk(h, w.alice, dm, button)
    assert "passed your request on to that server's crisis team" in text


async def test_a_member_never_seen_or_a_server_without_an_alert_channel_is_not_offered(h: Harness) -> None:
    w = h.world
    beside(h)
    await h.dd.send_message(w.bob, w.general, "hello")
    await settle(h)
    await h.bot.store.config.reset(w.guild.id, "crisis_alert_channel_id")
    elsewhere(h)
    for member in (w.alice, w.bob):  # Alice never posted; Bob's server has no alert channel
        await h.dd.send_dm(member, CRISIS)
        dm = await h.dd.wait_for_dm(member)
        assert talk_buttons(dm) == [] and "findahelpline.com" in dm["content"]


async def test_one_process_running_every_shard_notes_nothing_and_offers_from_its_cache(h: Harness) -> None:
    w = h.world
    await h.dd.send_message(w.alice, w.general, "morning everyone")
    await settle(h)
    assert await h.bot.store.crisis.talk_servers(w.alice.id) == []  # no extra write per member
    await h.dd.send_dm(w.alice, CRISIS)
    [button] = talk_buttons(await h.dd.wait_for_dm(w.alice))
    assert button.startswith(f"crisis:talk:{w.guild.id}:")


async def test_with_the_database_down_a_cluster_process_still_answers_a_dm(h: Harness) -> None:
    w = h.world
    elsewhere(h)
    await h.bot.db.close()
    await h.dd.send_dm(w.alice, CRISIS)
    dm = await h.dd.wait_for_dm(w.alice)
    assert "findahelpline.com" in dm["content"] and talk_buttons(dm) == []  # its cache has none of her servers
    await care(h).wait_idle()
