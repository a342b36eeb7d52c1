"""What the crisis end-to-end tests share: messages at known risk levels, the alert setup, the bot's posts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.harness import Harness

CRISIS = "honestly i want to die, i can't do this anymore"  # high
IMMINENT = "i took all my pills tonight, goodbye everyone"  # imminent
FIFTEEN = timedelta(minutes=15)
# Marks for a module whose bot runs only the crisis cog, with the alert channel and crisis team set.
CRISIS_ALERTS = [
    pytest.mark.extensions("cogs.crisis"),
    pytest.mark.configure(crisis_alert_channel_id="crisis_alerts", crisis_team_role_id="crisis_team"),
]


def bot_messages(h: Harness, channel: Any) -> list[dict[str, Any]]:
    """Messages the bot itself posted in ``channel``, oldest first."""
    return [m for m in h.dd.messages_in(channel) if m["author"]["id"] == str(h.dd.bot_user.id)]
