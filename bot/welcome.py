"""The private welcome DM a new member gets when their server turned it on (``/config welcome``).

Brief and warm: how to start (a check-in, interests, a buddy, this week's rooms), what stays private, and
where crisis contacts are. It names no one else and is never posted anywhere public: a member whose DMs
are closed simply gets nothing (some people don't want their arrival in a recovery server noticed).
"""

from __future__ import annotations

__all__ = ["welcome_text"]


def welcome_text(server_name: str) -> str:
    """The welcome DM for someone who just joined ``server_name`` (markdown already escaped by the caller)."""
    return (
        f"Welcome to **{server_name}**. We're glad you're here.\n\n"
        "A few easy ways to start, whenever you like:\n"
        "• `/checkin today`: thirty seconds to notice how you are. Only you see it.\n"
        "• `/interests add`: follow what you enjoy, to hear about rooms and meet people.\n"
        "• `/buddy join`: be paired with a peer who shares your interests and time zone.\n"
        "• `/room list`: this week's voice rooms; drop in or just listen.\n\n"
        "Your check-ins, recovery date and preferences are private unless you choose to share them; "
        "`/privacy show` explains what is kept. If things get hard, `/resources show` lists people you can "
        "reach any time."
    )
