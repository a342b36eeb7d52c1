"""Shipped hotline data: every region can reach a person now, and every number has a source."""

from __future__ import annotations

import pytest

from bot.guild_config import REGIONS
from bot.resources import contacts_for, load_hotlines, render_contacts


@pytest.mark.parametrize("region", REGIONS)
def test_every_region_has_a_crisis_line_an_emergency_number_and_sources(region: str) -> None:
    contacts = load_hotlines()[region]
    assert contacts.crisis.call or contacts.crisis.text or contacts.crisis.url
    assert contacts.emergency
    for line in (contacts.crisis, contacts.emergency_line, contacts.text_line, contacts.substance):
        if line is not None:
            # Sources are recorded exactly as confirmed; a few stored pages were served over plain http.
            assert line.source.startswith(("https://", "http://")), line
            assert len(line.checked) == 10 and line.checked[4] == "-", line
            assert line.status in {"verified", "unverified"}


def test_unknown_region_falls_back_to_the_worldwide_directory() -> None:
    assert contacts_for("XX").region == "other"
    assert contacts_for(None).region == "other"
    assert "findahelpline.com" in render_contacts(contacts_for(None))


def test_rendering_is_short_and_adds_substance_line_on_request() -> None:
    us = contacts_for("US")
    plain = render_contacts(us)
    assert "988" in plain and "911" in plain and "SAMHSA" not in plain
    assert "1-800-662-4357" in render_contacts(us, substance=True)
    assert len(plain.splitlines()) <= 5
