"""Member-level drivers shared by end-to-end tests."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.harness import Harness


async def leave_server(h: Harness, member: Any) -> None:
    """The member leaves the server; wait until every listener for the departure has finished."""
    waiter = asyncio.ensure_future(h.bot.wait_for("raw_member_remove", timeout=3))
    await asyncio.sleep(0)  # let wait_for register before the gateway event can arrive
    await h.dd.member_leave(member)
    await waiter
    # discord.py names listener tasks "discord.py: on_<event>"; awaiting them means they are done.
    names = {"discord.py: on_raw_member_remove", "discord.py: on_member_remove"}
    await asyncio.gather(*[t for t in asyncio.all_tasks() if t.get_name() in names])
