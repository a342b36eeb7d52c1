"""``/healthz`` and ``/metrics`` over real HTTP on 127.0.0.1, with the bot running against the double."""

from __future__ import annotations

import socket
import sqlite3
from datetime import timedelta
from typing import Any

import aiohttp
import pytest

from tests.harness import Harness
from tests.support.crisis import care

EXTENSIONS = ["cogs.crisis"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def h(harness: Harness) -> Harness:
    harness.settings_overrides = {"health_port": free_port(), "health_max_late_timers": 3}
    await harness.start(extensions=EXTENSIONS)
    return harness


async def get(h: Harness, path: str) -> tuple[int, Any]:
    port = h.bot.settings.health_port
    async with aiohttp.ClientSession() as session, session.get(f"http://127.0.0.1:{port}{path}") as response:
        if path == "/healthz":
            return response.status, await response.json()
        assert response.headers["Content-Type"].startswith("text/plain; version=")
        return response.status, await response.text()


def metric(text: str, name: str) -> float:
    """The value of one sample line (``name`` with its labels, exactly as printed)."""
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    raise AssertionError(f"{name} not in the metrics")


async def test_a_healthy_bot_says_ok(h: Harness) -> None:
    status, body = await get(h, "/healthz")
    assert (status, body) == (200, {"status": "ok", "problems": []})


async def test_a_late_timer_backlog_is_unhealthy(h: Harness) -> None:
    for n in range(4):
        await h.bot.timers.schedule("test:late", h.clock.now(), dedupe_key=f"late:{n}")
    h.clock.advance(timedelta(minutes=10))
    status, body = await get(h, "/healthz")
    assert status == 503
    assert body["problems"] == ["timer backlog: 4 timers are more than 5 minutes late (limit 3)"]


@pytest.mark.sqlite_only  # another sqlite3 connection holds the write lock
async def test_a_database_that_takes_no_writes_is_unhealthy(h: Harness) -> None:
    other = sqlite3.connect(h.db_path, timeout=0.1)
    try:
        other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        status, body = await get(h, "/healthz")
    finally:
        other.rollback()
        other.close()
    assert status == 503 and len(body["problems"]) == 1
    assert body["problems"][0].startswith("the database does not take writes")
    assert (await get(h, "/healthz"))[0] == 200


async def test_a_lost_gateway_is_unhealthy_until_it_resumes(h: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    gateway = h.dd.gateway
    real_resume = gateway._resume
    stalled: list[Any] = []

    async def unanswered(conn: Any, data: Any) -> Any:
        stalled.append(conn)
        return None  # the double never confirms the RESUME: the session stays down

    monkeypatch.setattr(gateway, "_resume", unanswered)
    await h.dd.drop_gateway(h.bot, resume=True, wait=False)
    await h.dd.world.signal.wait_for(lambda: not h.bot.connected_shards or None, timeout=10, describe="disconnect")
    status, body = await get(h, "/healthz")
    assert status == 503 and body["problems"] == ["the gateway is not connected"]
    monkeypatch.setattr(gateway, "_resume", real_resume)
    await h.dd.world.signal.wait_for(lambda: bool(stalled) or None, timeout=10, describe="the RESUME")
    await stalled[-1].close(4000)  # discord.py connects again and resumes, answered this time
    await h.dd.world.signal.wait_for(lambda: bool(h.bot.connected_shards) or None, timeout=10, describe="resume")
    assert (await get(h, "/healthz"))[0] == 200


async def test_metrics_count_commands_and_dm_failures_and_name_no_one(h: Harness) -> None:
    w = h.world
    inter = await h.dd.slash(w.alice, "resources show", channel=w.general, options={})
    await inter.response()
    h.dd.close_dms(w.bob)
    await h.dd.send_message(w.bob, w.general, "honestly i want to die, i can't do this anymore")
    await h.dd.wait_for_message(w.general)  # the closed-DM line
    await care(h).wait_idle()
    status, text = await get(h, "/metrics")
    assert status == 200
    assert metric(text, 'kindred_commands_total{command="resources show"}') == 1
    assert metric(text, 'kindred_dm_failures_total{reason="closed"}') == 1
    assert metric(text, "kindred_crisis_review_queue_depth") == 0
    assert metric(text, 'kindred_timers{state="late"}') == 0
    assert metric(text, "kindred_database_latency_seconds") > 0
    assert "kindred_gateway_latency_seconds" in text
    for member in (w.alice, w.bob):
        assert str(member.id) not in text
    assert str(w.guild.id) not in text and "want to die" not in text
