"""The private welcome DM a new member gets when their server turned it on (``/config welcome``).

Brief and warm: how to start (a check-in, interests, a buddy, this week's rooms), what stays private, and
where crisis contacts are. It names no one else and is never posted anywhere public: a member whose DMs
are closed simply gets nothing (some people don't want their arrival in a recovery server noticed).
"""

from __future__ import annotations

from bot.i18n import _

__all__ = ["welcome_text"]


def welcome_text(server_name: str) -> str:
    """The welcome DM for someone who just joined ``server_name`` (markdown already escaped by the caller),
    in the current locale: a newcomer has no language on record yet, so the caller sets the server's."""
    return "\n".join(
        (
            _("Welcome to **{server}**. We're glad you're here.").format(server=server_name),
            "",
            _("A few easy ways to start, whenever you like:"),
            "• " + _("`/checkin today`: thirty seconds to notice how you are. Only you see it."),
            "• " + _("`/interests add`: follow what you enjoy, to hear about rooms and meet people."),
            "• " + _("`/buddy join`: be paired with a peer who shares your interests and time zone."),
            "• " + _("`/room list`: this week's voice rooms; drop in or just listen."),
            "",
            _(
                "Your check-ins, recovery date and preferences are private unless you choose to share them; "
                "`/privacy show` explains what is kept. If things get hard, `/resources show` lists people you "
                "can reach any time."
            ),
        )
    )
