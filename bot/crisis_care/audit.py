"""The crisis audit as moderators read it (``/crisis audit``), and the mod-log lines of crisis events.

Only what the audit table holds: who did what, about whom, when, and a level or category. Never message
text: none is stored. The audit is for moderators, in an ephemeral reply in their language; mod-log lines
(English, like every mod-log note) never name the member an alert is about (the mod-log may have more
readers than the crisis team).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bot.clock import discord_ts
from bot.crisis import Category, Level
from bot.crisis_care.text import category_label, level_label
from bot.i18n import _, ngettext
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


def _detail_words(detail: str) -> str:
    """A stored detail ("high", "self_harm/high") in plain words of the current locale; as stored if unknown."""
    try:
        if "/" in detail:
            category, level = detail.split("/", 1)
            return f"{category_label(Category(category))}, {level_label(Level.parse(level))}"
        return level_label(Level.parse(detail))
    except ValueError:
        return detail


def audit_line(entry: AuditEntry) -> str:
    """One entry in plain words (the current locale), with a Discord timestamp each reader sees in their own time zone."""
    when = discord_ts(entry.at, "f")
    alert = _("alert #{number}").format(number=entry.alert_id) if entry.alert_id is not None else _("an alert")
    about = f"<@{entry.subject_user_id}>" if entry.subject_user_id is not None else None
    actor = _who(entry.actor_user_id)
    match entry.action:
        case "alert":
            detail = _detail_words(entry.detail) if entry.detail else _("level unknown")
            text = (
                _("{alert} about {member} posted for a detection ({detail})")
                if about
                else _("{alert} posted for a detection ({detail})")
            ).format(alert=alert, member=about, detail=detail)
        case "consent":
            text = _("{alert}: {member} asked to talk to someone").format(
                alert=alert, member=_who(entry.subject_user_id)
            )
        case "repost":
            number = entry.detail or "?"
            text = (
                _("{alert} about {member} posted again, unclaimed (re-post {number})")
                if about
                else _("{alert} posted again, unclaimed (re-post {number})")
            ).format(alert=alert, member=about, number=number)
        case "claim":
            text = (
                _("{alert} about {member} claimed by {helper}") if about else _("{alert} claimed by {helper}")
            ).format(alert=alert, member=about, helper=actor)
        case "term-add":
            text = _("{moderator} added or changed an extra crisis term ({detail})").format(
                moderator=actor, detail=_detail_words(entry.detail)
            )
        case "term-remove":
            text = _("{moderator} removed an extra crisis term").format(moderator=actor)
        case _:
            text = f"{entry.action} · {actor}" + (f" · {about}" if about else "")
    return f"{when} · {text}"


def render_audit(page: AuditPage) -> str:
    """The ephemeral reply, in the current locale: a heading with the filter, the page's entries, how to see more."""
    if page.member_id is not None:
        heading = ngettext(
            "**Crisis audit involving {member}, last {days} day**",
            "**Crisis audit involving {member}, last {days} days**",
            page.days,
        ).format(member=f"<@{page.member_id}>", days=page.days)
    else:
        heading = ngettext("**Crisis audit, last {days} day**", "**Crisis audit, last {days} days**", page.days).format(
            days=page.days
        )
    if not page.entries:
        if page.total:
            there = ngettext(
                "There is only {pages} page for this filter.",
                "There are only {pages} pages for this filter.",
                page.pages,
            ).format(pages=page.pages)
            return f"{heading}\n{there}"
        return f"{heading}\n" + _("Nothing recorded in this period.")
    footer = ngettext(
        "Page {page} of {pages} ({total} entry, newest first).",
        "Page {page} of {pages} ({total} entries, newest first).",
        page.total,
    ).format(page=page.page, pages=page.pages, total=page.total)
    if page.page < page.pages:
        footer += " " + _("Next: `/crisis audit` with `page:{next}`.").format(next=page.page + 1)
    footer += " " + _("Message text is never stored, so it never appears here.")
    body = fit_lines([audit_line(e) for e in page.entries], limit=2000 - len(heading) - len(footer) - 4)
    return f"{heading}\n{body}\n-# {footer}"


def term_change_line(moderator_id: int, verb: str, term: str, detail: str = "") -> str:
    """The mod-log line for a change to the server's extra crisis terms."""
    extra = f" ({detail})" if detail else ""
    return f"<@{moderator_id}> {verb} the extra crisis term **{term}**{extra}."
