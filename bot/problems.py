"""Problems a member can fix, and the words that explain them: no Discord import.

Core modules raise :class:`KindredError` with a message written for the member; the Discord layer
(:mod:`bot.errors`) shows that message privately. Keeping these here lets plain logic refuse bad input
without depending on discord.py.
"""

from __future__ import annotations

from bot.db.errors import storage_kind
from bot.i18n import N_, _, pgettext, pgettext_noop

__all__ = [
    "STORAGE_BUSY",
    "STORAGE_FULL",
    "KindredError",
    "permission_names",
    "storage_problem",
    "within",
]

# The English text; storage_problem answers in the member's language.
STORAGE_BUSY = N_(
    "I couldn't save that just now: my database is busy. Nothing was changed. Please try again in a minute."
)
STORAGE_FULL = N_(
    "I can't save anything right now: the bot's storage is full. Nothing was changed. "
    "Please try again later; whoever runs the bot has been told in its logs."
)

# Discord's own names, which its client shows translated: marked here and looked up with the "permission" context.
_PERMISSION_NAMES = {
    "manage_guild": pgettext_noop("permission", "Manage Server"),
    "manage_events": pgettext_noop("permission", "Manage Events"),
    "manage_channels": pgettext_noop("permission", "Manage Channels"),
    "manage_threads": pgettext_noop("permission", "Manage Threads"),
    "create_private_threads": pgettext_noop("permission", "Create Private Threads"),
    "send_messages": pgettext_noop("permission", "Send Messages"),
    "send_messages_in_threads": pgettext_noop("permission", "Send Messages in Threads"),
    "embed_links": pgettext_noop("permission", "Embed Links"),
    "attach_files": pgettext_noop("permission", "Attach Files"),
    "view_channel": pgettext_noop("permission", "View Channel"),
    "read_message_history": pgettext_noop("permission", "Read Message History"),
    "mention_everyone": pgettext_noop("permission", "Mention @everyone, @here, and All Roles"),
    "manage_roles": pgettext_noop("permission", "Manage Roles"),
    "connect": pgettext_noop("permission", "Connect"),
    "move_members": pgettext_noop("permission", "Move Members"),
}


class KindredError(Exception):
    """A problem the member can fix; ``message`` is shown to them as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def within(value: int, low: int, high: int, refusal: str) -> int:
    """``value`` when it lies in ``low..high``; otherwise a :class:`KindredError` saying ``refusal``."""
    if not low <= value <= high:
        raise KindredError(refusal)
    return value


def permission_names(perms: list[str]) -> str:
    """Discord's own names for permissions (as its client shows them in the current locale), joined for a sentence."""
    return ", ".join(
        pgettext("permission", _PERMISSION_NAMES[p]) if p in _PERMISSION_NAMES else p.replace("_", " ").title()
        for p in perms
    )


def storage_problem(error: BaseException) -> str | None:
    """The member-facing text for a database (SQLite or PostgreSQL) that is busy, unreachable or out of space."""
    kind = storage_kind(error)
    if kind == "busy":
        return _(STORAGE_BUSY)
    if kind == "full":
        return _(STORAGE_FULL)
    return None
