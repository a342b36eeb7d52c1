"""Problems a member can fix, and the words that explain them: no Discord import.

Core modules raise :class:`KindredError` with a message written for the member; the Discord layer
(:mod:`bot.errors`) shows that message privately. Keeping these here lets plain logic refuse bad input
without depending on discord.py.
"""

from __future__ import annotations

from bot.db.errors import storage_kind

__all__ = [
    "STORAGE_BUSY",
    "STORAGE_FULL",
    "KindredError",
    "permission_names",
    "storage_problem",
    "within",
]

STORAGE_BUSY = "I couldn't save that just now: my database is busy. Nothing was changed. Please try again in a minute."
STORAGE_FULL = (
    "I can't save anything right now: the bot's storage is full. Nothing was changed. "
    "Please try again later; whoever runs the bot has been told in its logs."
)

_PERMISSION_NAMES = {
    "manage_guild": "Manage Server",
    "manage_events": "Manage Events",
    "manage_channels": "Manage Channels",
    "manage_threads": "Manage Threads",
    "create_private_threads": "Create Private Threads",
    "send_messages": "Send Messages",
    "send_messages_in_threads": "Send Messages in Threads",
    "embed_links": "Embed Links",
    "attach_files": "Attach Files",
    "view_channel": "View Channel",
    "read_message_history": "Read Message History",
    "mention_everyone": "Mention @everyone, @here, and All Roles",
    "manage_roles": "Manage Roles",
    "connect": "Connect",
    "move_members": "Move Members",
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
    """Discord's own names for permissions, joined for a sentence."""
    return ", ".join(_PERMISSION_NAMES.get(p, p.replace("_", " ").title()) for p in perms)


def storage_problem(error: BaseException) -> str | None:
    """The member-facing text for a database (SQLite or PostgreSQL) that is busy, unreachable or out of space."""
    kind = storage_kind(error)
    if kind == "busy":
        return STORAGE_BUSY
    if kind == "full":
        return STORAGE_FULL
    return None
