"""The crisis audit as moderators read it (``/crisis audit``), and the mod-log lines of crisis events.

Only what the audit table holds: who did what, about whom, when, and a level or category. Never message
text: none is stored. The audit is for moderators, in an ephemeral reply; mod-log lines of alerts never
name the member an alert is about (the mod-log may have more readers than the crisis team).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bot.clock import discord_ts
from bot.store.crisis import AuditEntry
from bot.text import fit_lines

__all__ = ["PAGE_SIZE", "AuditPage", "audit_line", "render_audit", "term_change_line"]

PAGE_SIZE = 10


@dataclass(frozen=True, slots=True)
class AuditPage:
    """One page of entries, newest first, and what it was filtered by."""

    entries: list[AuditEntry]
    total: int
    page: int
    days: int
    member_id: int | None

    @property
    def pages(self) -> int:
        """How many pages the filter has (at least one)."""
        return max(1, math.ceil(self.total / PAGE_SIZE))


def _who(user_id: int | None) -> str:
    return f"<@{user_id}>" if user_id is not None else "Kindred"


def audit_line(entry: AuditEntry) -> str:
    """One entry in plain words, with a Discord timestamp each reader sees in their own time zone."""
    when = discord_ts(entry.at, "f")
    alert = f"alert #{entry.alert_id}" if entry.alert_id is not None else "an alert"
    about = f" about <@{entry.subject_user_id}>" if entry.subject_user_id is not None else ""
    match entry.action:
        case "alert":
            text = f"{alert}{about} posted for a detection ({entry.detail or 'level unknown'})"
        case "consent":
            text = f"{alert}: {_who(entry.subject_user_id)} asked to talk to someone"
        case "repost":
            text = f"{alert}{about} posted again, unclaimed (re-post {entry.detail or '?'})"
        case "claim":
            text = f"{alert}{about} claimed by {_who(entry.actor_user_id)}"
        case "term-add":
            text = f"{_who(entry.actor_user_id)} added or changed an extra crisis term ({entry.detail})"
        case "term-remove":
            text = f"{_who(entry.actor_user_id)} removed an extra crisis term"
        case _:
            text = f"{entry.action} by {_who(entry.actor_user_id)}{about}"
    return f"{when} · {text}"


def render_audit(page: AuditPage) -> str:
    """The ephemeral reply: a heading with the filter, the page's entries, and how to see more."""
    scope = f" involving <@{page.member_id}>" if page.member_id is not None else ""
    heading = f"**Crisis audit{scope}, last {page.days} day{'s' if page.days != 1 else ''}**"
    if not page.entries:
        if page.total:
            return f"{heading}\nThere are only {page.pages} page(s) for this filter."
        return f"{heading}\nNothing recorded in this period."
    footer = f"Page {page.page} of {page.pages} ({page.total} entries, newest first)."
    if page.page < page.pages:
        footer += f" Next: `/crisis audit` with `page:{page.page + 1}`."
    footer += " Message text is never stored, so it never appears here."
    body = fit_lines([audit_line(e) for e in page.entries], limit=2000 - len(heading) - len(footer) - 4)
    return f"{heading}\n{body}\n-# {footer}"


def term_change_line(moderator_id: int, verb: str, term: str, detail: str = "") -> str:
    """The mod-log line for a change to the server's extra crisis terms."""
    extra = f" ({detail})" if detail else ""
    return f"<@{moderator_id}> {verb} the extra crisis term **{term}**{extra}."
