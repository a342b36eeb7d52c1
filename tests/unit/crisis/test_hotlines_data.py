"""The shipped hotline file: at least 30 countries, each with a crisis line, an emergency number, a source and
a checked date; numbers that look like numbers; and a docs page that lists every one of them."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import discord
import pytest

from bot.resources import HOTLINES_PATH, HotlineDataError, check_hotlines, load_hotlines, load_locale_regions
from tests.paths import REPO_ROOT

RAW: dict[str, Any] = json.loads(HOTLINES_PATH.read_text(encoding="utf-8"))
COUNTRIES = [code for code in RAW["regions"] if code != "other"]
DOCS = (REPO_ROOT / "docs" / "hotlines.md").read_text(encoding="utf-8")
PHONE = re.compile(r"^[+*]?\(?\d[\d ()\-]*\d$")


def lines_of(entry: dict[str, Any]) -> list[dict[str, Any]]:
    return [entry[key] for key in ("crisis", "text", "substance") if key in entry]


def test_the_shipped_file_has_no_problems() -> None:
    assert check_hotlines(RAW) == []


def test_at_least_30_countries_including_the_largest_communities_of_the_shipped_languages() -> None:
    assert len(COUNTRIES) >= 30
    required = {"ES", "MX", "AR", "CO", "BR", "PT", "FR", "BE", "CH", "DE", "AT", "IN", "ZA", "PH", "JP"}
    assert required <= set(COUNTRIES)


@pytest.mark.parametrize("code", COUNTRIES)
def test_every_country_has_a_crisis_line_an_emergency_number_a_source_and_a_date(code: str) -> None:
    entry = RAW["regions"][code]
    assert entry["name"]
    assert entry["crisis"].get("call") or entry["crisis"].get("text")
    for raw in [*lines_of(entry), entry["emergency"]]:
        assert raw["source"].startswith(("https://", "http://")), (code, raw)
        checked = dt.date.fromisoformat(raw["checked"])
        assert dt.date(2026, 1, 1) <= checked <= dt.date(2027, 12, 31), (code, raw)
        assert raw["status"] == "verified", (code, raw)  # unconfirmed numbers are left out, not shipped
    for number in entry["emergency"]["number"].split(" or "):
        assert PHONE.match(number), (code, number)
    for raw in lines_of(entry):
        for number in raw.get("call", "").split(" or ") if raw.get("call") else []:
            assert PHONE.match(number), (code, number)


@pytest.mark.parametrize("code", COUNTRIES)
def test_docs_list_every_number_and_its_source(code: str) -> None:
    entry = RAW["regions"][code]
    assert f"({code})" in DOCS, code
    for raw in lines_of(entry):
        for number in raw.get("call", "").split(" or ") if raw.get("call") else []:
            assert number in DOCS, (code, number)
        assert raw["source"] in DOCS, (code, raw["source"])
    assert entry["emergency"]["source"] in DOCS, code


def test_locale_suggestions_use_real_discord_locales_and_shipped_countries() -> None:
    known = {locale.value for locale in discord.Locale}
    mapping = load_locale_regions()
    assert mapping and set(mapping) <= known
    assert "en-US" not in mapping  # Discord's default language says nothing about where someone lives
    for codes in mapping.values():
        assert codes and set(codes) <= set(COUNTRIES)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda r: r["regions"]["ES"].pop("crisis"), "ES: needs a crisis line"),
        (lambda r: r["regions"]["ES"].pop("emergency"), "ES: needs an emergency number"),
        (lambda r: r["regions"]["ES"]["crisis"].update(call="call us"), "doesn't look like a phone number"),
        (lambda r: r["regions"]["ES"]["emergency"].update(number="one one two"), "doesn't look like a phone number"),
        (lambda r: r["regions"]["FR"]["crisis"].update(source="a leaflet"), "FR.crisis: source must be a URL"),
        (lambda r: r["regions"]["FR"]["crisis"].update(checked="last week"), "FR.crisis: checked must be an ISO date"),
        (lambda r: r["regions"]["DE"]["substance"].update(status="unverified"), "only verified numbers are shipped"),
        (lambda r: r["regions"]["JP"]["crisis"].pop("call"), "JP.crisis: needs a number to call or text"),
        (lambda r: r["locale_regions"].update(da=["DK"]), "'DK' is not a shipped country"),
        (lambda r: r["regions"].pop("other"), "'other' is missing"),
    ],
)
def test_check_names_each_kind_of_problem(change: Any, problem: str) -> None:
    broken = copy.deepcopy(RAW)
    change(broken)
    found = check_hotlines(broken)
    assert any(problem in p for p in found), found


def test_loading_an_incomplete_file_fails_loudly(tmp_path: Path) -> None:
    broken = copy.deepcopy(RAW)
    del broken["regions"]["BR"]["emergency"]
    path = tmp_path / "hotlines.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(HotlineDataError, match="BR: needs an emergency number"):
        load_hotlines(path)
