"""Every slash command, fuzzed through the Discord double with hypothesis-generated options.

Each command's options are generated from the definitions the bot synced (types, choices, min/max,
lengths): huge, empty-ish and unicode-heavy strings, edge numbers, ids that don't exist, members of
another server. For every case:

- Discord hears back within its 3 seconds (the double refuses a later callback with 10062);
- nothing is logged with a traceback, or at ERROR;
- nothing the bot sends is over Discord's limits (the double answers 400 50035) or refused as a
  second answer (40060).

Hypothesis only generates here (derandomized, no example database), so the cases are the same on every
run; each case names its command and options when it fails. The cases are generated up front and run
one after another against one running bot, which keeps the whole file to well under a minute.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.double import CommandError
from tests.harness import Harness

# Generated per command (fewer when a command has few possible inputs), after three hand-made edge cases.
EXAMPLES_PER_COMMAND = 8
DISCORD_STRING_MAX = 6000  # a string option's own limit in Discord
DISCORD_INT = 2**53  # integer options are limited to ±2^53

SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = 3, 4, 5, 6, 7, 8, 9, 10, 11

# Strings that have broken bots before: digits int() refuses, numbers too big for anything, mentions,
# markup, zero-width and right-to-left characters, and plausible values for the options that parse.
NASTY = [
    " ",
    "0",
    "-1",
    "²",
    "١٢",
    "9" * 400,
    str(2**63),
    "1e309",
    "NaN",
    "@everyone",
    "@here",
    "<@&1>",
    "<@1>",
    "<#1>",
    "```",
    "**__~~||",
    "\u200b",
    "\u202eevil",
    "🧘‍♀️" * 50,
    "'; DROP TABLE checkins; --",
    "../../etc/passwd",
    "%s%s%s",
    "{0}",
    "\x00",
    "Europe/London",
    "Atlantis/" + "deep" * 200,
    "tomorrow 7pm",
    "2026-11-25 19:00",
    "yesterday",
    "in 3 hours",
    "99999-99-99",
    "1h30",
    "90m",
    "mon,wed,fri",
    "stress, loneliness",
    "meditation",
    "My interests",
    "@mine",
    "1",
    "999999999",
]


def _text(low: int, high: int) -> st.SearchStrategy[str]:
    repeat = st.builds(
        lambda unit, n: (unit * n)[: max(high, 1)],
        st.sampled_from(["x", "9", "²", "🙂", "\u200b", "@everyone ", "ü", "\n", "`"]),
        st.integers(1, max(high, 1)),
    )
    return st.one_of(st.sampled_from(NASTY), st.text(min_size=1, max_size=min(high, 80)), repeat).filter(
        lambda s: max(low, 1) <= len(s) <= high
    )


def _integer(definition: dict[str, Any]) -> st.SearchStrategy[int]:
    low = int(definition.get("min_value", -DISCORD_INT))
    high = int(definition.get("max_value", DISCORD_INT))
    edges = [v for v in (low, high, 0, 1, -1, 2**31, 2**63 - 1, 10**12) if low <= v <= high]
    return st.one_of(st.sampled_from(edges), st.integers(low, high))


def _number(definition: dict[str, Any]) -> st.SearchStrategy[float]:
    low = float(definition.get("min_value", -float(DISCORD_INT)))
    high = float(definition.get("max_value", float(DISCORD_INT)))
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


def option_strategy(definition: dict[str, Any], world: dict[str, list[Any]]) -> st.SearchStrategy[Any] | None:
    """Values a member could send for one option, as the Discord client allows them."""
    kind = definition["type"]
    if definition.get("choices"):
        return st.sampled_from([c["value"] for c in definition["choices"]])
    if kind == STRING:
        low = int(definition.get("min_length", 1))
        high = min(int(definition.get("max_length", DISCORD_STRING_MAX)), DISCORD_STRING_MAX)
        return _text(low, high)
    if kind == INTEGER:
        return _integer(definition)
    if kind == NUMBER:
        return _number(definition)
    if kind == BOOLEAN:
        return st.booleans()
    if kind == USER:
        return st.sampled_from(world["users"])
    if kind == ROLE:
        return st.sampled_from(world["roles"])
    if kind == MENTIONABLE:
        return st.sampled_from(world["users"] + world["roles"])
    if kind == CHANNEL:
        allowed = definition.get("channel_types")
        channels = [c for c in world["channels"] if not allowed or c.type in allowed]
        return st.sampled_from(channels) if channels else None
    if kind == ATTACHMENT:
        return st.tuples(st.sampled_from(["a.txt", "x" * 200 + ".png", "🙂.csv"]), st.binary(max_size=64))
    return None


def leaf_commands(commands: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Every runnable ``/group sub`` path with its option definitions."""
    found: list[tuple[str, list[dict[str, Any]]]] = []

    def walk(prefix: str, options: list[dict[str, Any]]) -> None:
        subs = [o for o in options if o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP)]
        if not subs:
            found.append((prefix, options))
            return
        for sub in subs:
            walk(f"{prefix} {sub['name']}", sub.get("options", []))

    for command in commands:
        if command.get("type", 1) == 1:
            walk(command["name"], command.get("options", []))
    return sorted(found)


def generate_cases(options: list[dict[str, Any]], world: dict[str, list[Any]], n: int) -> list[dict[str, Any]]:
    """Up to ``n`` option sets for one command, the same ones on every run."""
    fields: dict[str, st.SearchStrategy[Any]] = {}
    for definition in options:
        strategy = option_strategy(definition, world)
        if strategy is None:
            continue
        if definition.get("required"):
            fields[definition["name"]] = strategy
        else:
            fields[definition["name"]] = st.one_of(st.none(), strategy)
    cases: list[dict[str, Any]] = []

    @settings(
        max_examples=n,
        derandomize=True,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        deadline=None,
    )
    @given(st.fixed_dictionaries(fields))
    def collect(values: dict[str, Any]) -> None:
        cases.append({k: v for k, v in values.items() if v is not None})

    collect()
    return cases[:n]


def edge_cases(options: list[dict[str, Any]], world: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """Besides the generated ones: every option at once at its longest, at its smallest, and as "²"/huge digits."""
    shapes: list[dict[str, Any]] = [{}, {}, {}]
    for definition in options:
        name, kind = definition["name"], definition["type"]
        choices = [c["value"] for c in definition.get("choices", [])]
        if choices:
            values = [choices[-1], choices[0], choices[0]]
        elif kind == STRING:
            high = min(int(definition.get("max_length", DISCORD_STRING_MAX)), DISCORD_STRING_MAX)
            low = max(int(definition.get("min_length", 1)), 1)
            values = [("🙂" + "x" * high)[:high], "x" * low, ("²" if low <= 1 <= high else "9" * low)]
        elif kind in (INTEGER, NUMBER):
            top = definition.get("max_value", DISCORD_INT)
            bottom = definition.get("min_value", -DISCORD_INT)
            values = [top, bottom, 0 if bottom <= 0 <= top else bottom]
        else:
            strategy = option_strategy(definition, world)
            if strategy is None:
                continue
            allowed = definition.get("channel_types")
            channels = [c for c in world["channels"] if not allowed or c.type in allowed]
            pool = {USER: world["users"], ROLE: world["roles"], MENTIONABLE: world["roles"], CHANNEL: channels}.get(
                kind
            )
            if not pool:
                continue
            values = [pool[-1], pool[0], pool[0]]
        for shape, value in zip(shapes, values, strict=True):
            shape[name] = value
    return shapes if options else []


@pytest.fixture
async def h(harness: Harness) -> AsyncIterator[Harness]:
    harness.stranger = harness.dd.add_guild("Elsewhere").add_member("Stranger")  # type: ignore[attr-defined]
    await harness.start()  # every extension
    w = harness.world
    await harness.configure(
        crisis_alert_channel_id=w.crisis_alerts.id,
        crisis_team_role_id=w.crisis_team.id,
        checkin_share_channel_id=w.share.id,
        buddy_channel_id=w.buddies.id,
        service_board_channel_id=w.service_board.id,
        rooms_channel_id=w.rooms.id,
        rooms_category_id=w.rooms_category.id,
        modlog_channel_id=w.modlog.id,
    )
    yield harness


def _bad_calls(h: Harness, since: int) -> list[str]:
    """Calls the double refused because the bot broke Discord's rules (limits, late or double answers)."""
    bad = []
    for call in h.dd.calls[since:]:
        code = call.response.get("code") if isinstance(call.response, dict) else None
        if code in (50035, 10062, 40060, 50006) or call.status >= 500:
            bad.append(f"{call.method} {call.path} -> {call.status} {call.response}")
        for text in _contents(call.json):
            if len(text) > 2000:
                bad.append(f"{call.method} {call.path} sent {len(text)} characters of content")
    return bad


def _contents(body: Any) -> list[str]:
    if not isinstance(body, dict):
        return []
    data = body.get("data") if isinstance(body.get("data"), dict) else body
    content = data.get("content")
    return [content] if isinstance(content, str) else []


async def test_every_command_answers_in_time_without_tracebacks_or_oversized_replies(
    h: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    w = h.world
    stranger: Any = h.stranger  # type: ignore[attr-defined]
    world = {
        "users": [w.alice, w.bob, w.mod, w.owner, stranger],
        "roles": [w.moderators, w.crisis_team, w.guild.default_role],
        "channels": [
            w.general,
            w.share,
            w.buddies,
            w.service_board,
            w.rooms,
            w.crisis_alerts,
            w.modlog,
            w.rooms_category,
            w.lounge,
        ],
    }
    commands = leaf_commands(h.dd.world.commands_for(w.guild.id))
    assert len(commands) > 40, "every extension's commands were synced"
    ran, failures = 0, []
    for index, (path, options) in enumerate(commands):
        cases = edge_cases(options, world) + generate_cases(options, world, EXAMPLES_PER_COMMAND)
        for number, values in enumerate(cases):
            invoker = w.alice if (index + number) % 2 == 0 else w.mod
            label = f"/{path} {values!r}"[:300]
            since_calls, since_logs = len(h.dd.calls), len(caplog.records)
            try:
                inter = await h.dd.slash(invoker, path, channel=w.general, options=values)
            except CommandError:
                # A moderator command the member can't see: the client wouldn't send it, a moderator can.
                inter = await h.dd.slash(w.mod, path, channel=w.general, options=values)
            ran += 1
            try:
                response = await inter.response(timeout=5)
                if response.get("type") == 5:  # deferred: wait for the real answer
                    await inter.original(timeout=10)
            except AssertionError as exc:
                failures.append(f"{label}: no answer in time ({str(exc)[:300]})")
                continue
            if inter.record.response is None:
                failures.append(f"{label}: not acknowledged")
            for problem in _bad_calls(h, since_calls):
                failures.append(f"{label}: {problem}")
            for record in caplog.records[since_logs:]:
                if record.exc_info or record.levelno >= logging.ERROR:
                    failures.append(f"{label}: logged {record.levelname} {record.getMessage()[:200]}")
    tracebacks = sum(1 for r in caplog.records if r.exc_info)
    refusals = sum(1 for r in caplog.records if " refused (" in r.getMessage())
    print(
        f"\nfuzz: {ran} cases over {len(commands)} commands; {refusals} kind refusals; "
        f"{tracebacks} tracebacks; {len(failures)} failures"
    )
    assert h.dd.unknown_calls == [] and h.dd.internal_errors == []
    assert failures == [], "\n".join(failures[:40])
    assert tracebacks == 0
    assert ran >= len(commands)
