"""Sending to members safely: DMs that expect to fail, and mentions that never ping groups."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import discord

from bot.i18n import N_

if TYPE_CHECKING:
    from bot.clock import Clock
    from bot.metrics import Metrics
    from bot.store import Store

__all__ = ["NO_PINGS", "DmSender", "pinging", "send_dm"]

log = logging.getLogger(__name__)

# The bot's default, and for anything that echoes member text: nobody is pinged at all.
NO_PINGS = discord.AllowedMentions.none()


def pinging(user_ids: Iterable[int]) -> discord.AllowedMentions:
    """For a message that deliberately addresses members (an intro, a welcome): exactly these, never groups.

    A list rather than "every user mentioned", so text from elsewhere in the message can't ping anyone else.
    """
    return discord.AllowedMentions(
        everyone=False, roles=False, replied_user=False, users=[discord.Object(u) for u in user_ids]
    )


async def open_private_thread(
    channel: discord.TextChannel,
    name: str,
    user_ids: Sequence[int],
    content: str,
    *,
    remember: Callable[[int], Awaitable[object]],
    view: discord.ui.View | None = None,
) -> discord.Thread:
    """A private thread nobody else can be invited to, with exactly ``user_ids`` in it and greeted by ``content``.

    ``remember`` stores the thread's id as soon as it exists, before anyone is added, so whatever happens next
    the thread can still be found and closed. The greeting pings exactly these members.
    """
    thread = await channel.create_thread(
        name=name, type=discord.ChannelType.private_thread, invitable=False, auto_archive_duration=10080
    )
    await remember(thread.id)
    for user_id in user_ids:
        await thread.add_user(discord.Object(user_id))
    if view is None:
        await thread.send(content, allowed_mentions=pinging(user_ids))
    else:
        await thread.send(content, view=view, allowed_mentions=pinging(user_ids))
    return thread


DMS_CLOSED_NOTICE = N_(
    "I tried to send you a direct message but your DMs are closed, so I've stopped trying. "
    "To get reminders and notices again, allow DMs from server members (Server → Privacy Settings) "
    "and run the feature's command once more."
)


class DmSender(Protocol):
    """What :func:`send_dm` needs from the bot; typed by shape so this module never imports the client."""

    store: Store
    clock: Clock
    metrics: Metrics

    def get_user(self, id: int, /) -> discord.User | None: ...
    async def fetch_user(self, user_id: int, /) -> discord.User: ...


async def send_dm(bot: DmSender, user_id: int, **kwargs: Any) -> discord.Message | None:
    """DM a member. Returns ``None`` (and records it) when their DMs are closed.

    Closed DMs are normal, not an error: we mark the member unreachable so features stop retrying
    and the member is told, privately, the next time they use a command.
    """
    kwargs.setdefault("allowed_mentions", NO_PINGS)
    try:
        user = bot.get_user(user_id) or await bot.fetch_user(user_id)
        return await user.send(**kwargs)
    except discord.Forbidden as exc:
        if exc.code == 50007:
            bot.metrics.dm_failures.labels("closed").inc()
            log.info("DMs closed for user %s; marking unreachable", user_id)
            await bot.store.prefs.mark_dm_closed(user_id, now=bot.clock.now())
            return None
        bot.metrics.dm_failures.labels("forbidden").inc()
        log.warning("DM to %s forbidden (code %s)", user_id, exc.code)
        return None
    except discord.NotFound:
        bot.metrics.dm_failures.labels("not_found").inc()
        log.info("user %s no longer exists; DM skipped", user_id)
        return None
    except discord.HTTPException:
        bot.metrics.dm_failures.labels("error").inc()
        log.exception("DM to %s failed", user_id)
        return None
