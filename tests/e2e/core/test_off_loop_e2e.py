"""CPU-heavy work stays off the event loop: pairing rounds and natural-language times run in a worker thread.

On the loop, a 5,000-member round stalled every other member's commands for seconds, and a slow time
parse could push /room past Discord's 3 seconds. ``benchmarks/bench_loop_lag.py`` measures the lag;
these tests pin down where the work runs and that the interaction is acknowledged before it.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

from tests.harness import Harness


def _loaded(name: str) -> ModuleType:
    # The module the running bot loaded: discord.py re-imports an extension's modules each time a bot
    # loads it, so the one imported at collection time may not be the one in use.
    return sys.modules[name]


def _recording(real: Callable[..., Any], seen: list[dict[str, Any]], **probe: Callable[[], Any]) -> Callable[..., Any]:
    """``real``, noting for each call which thread ran it and what ``probe`` said at that moment."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        seen.append({"thread": threading.get_ident(), **{k: p() for k, p in probe.items()}})
        return real(*args, **kwargs)

    return wrapper


async def test_buddy_preview_and_rounds_match_in_a_worker_thread(
    running: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    h, w = running, running.world
    seen: list[dict[str, Any]] = []
    rounds_module = _loaded("bot.buddies.rounds")
    monkeypatch.setattr(rounds_module, "match", _recording(rounds_module.match, seen))
    for member in (w.alice, w.bob):
        await (await h.dd.slash(member, "buddy join", channel=w.general)).response()
    preview = await h.dd.slash(w.mod, "buddy preview", channel=w.general)
    [shown] = await preview.followups()
    assert "2 members would take part: 1 pair." in shown["content"]
    report = await h.bot.features.buddies.run_round(w.guild.id, scheduled_for=None)  # type: ignore[union-attr]
    assert report is not None and report.groups == 1
    loop_thread = threading.get_ident()
    assert len(seen) == 2 and all(call["thread"] != loop_thread for call in seen)


async def test_room_schedule_is_acknowledged_before_its_time_is_parsed_in_a_worker_thread(
    running: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    h, w = running, running.world
    await h.configure(rooms_channel_id=w.rooms.id, rooms_category_id=w.rooms_category.id)
    seen: list[dict[str, Any]] = []
    acknowledged = lambda: [i.id for i in h.dd.world.interactions.values() if i.responded is not None]  # noqa: E731
    when_module = _loaded("cogs._when")  # rooms and service read typed times through it
    monkeypatch.setattr(when_module, "parse_when", _recording(when_module.parse_when, seen, acked=acknowledged))
    options = {"interest": "meditation", "title": "Evening sit", "when": "2026-11-25 19:00", "duration": 60}
    inter = await h.dd.slash(w.alice, "room schedule", channel=w.general, options=options)
    await inter.response()
    assert inter.type == 5  # deferred, privately
    [reply] = await inter.followups()
    assert "Scheduled **Evening sit**" in reply["content"]
    assert len(seen) == 1
    assert seen[0]["thread"] != threading.get_ident()
    assert inter.id in seen[0]["acked"]  # Discord had its answer before the parse began


async def test_a_bad_time_still_gets_its_kind_answer_after_the_early_acknowledgement(running: Harness) -> None:
    h, w = running, running.world
    await h.configure(rooms_channel_id=w.rooms.id, rooms_category_id=w.rooms_category.id)
    options = {"interest": "meditation", "title": "Evening sit", "when": "whenever, really", "duration": 60}
    inter = await h.dd.slash(w.alice, "room schedule", channel=w.general, options=options)
    await inter.response()
    [reply] = await inter.followups()
    assert reply["flags"] & 64 and "tomorrow 7pm" in reply["content"]
