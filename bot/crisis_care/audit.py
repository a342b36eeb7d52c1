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
from bot.i18n import N_, _, ngettext
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


# What each action reads as: (about a member, about nobody recorded). {actor} did it; {detail} is the level,
# the term's category and level, or the re-post's number.
_ACTIONS: dict[str, tuple[str, str]] = {
    "alert": (
        N_("{alert} about {member} posted for a detection ({detail})"),
        N_("{alert} posted for a detection ({detail})"),
    ),
    "consent": (N_("{alert}: {member} asked to talk to someone"), N_("{alert}: someone asked to talk to someone")),
    "repost": (
        N_("{alert} about {member} posted again, unclaimed (re-post {detail})"),
        N_("{alert} posted again, unclaimed (re-post {detail})"),
    ),
    "claim": (N_("{alert} about {member} claimed by {actor}"), N_("{alert} claimed by {actor}")),
    "term-add": (N_("{actor} added or changed an extra crisis term ({detail})"),) * 2,
    "term-remove": (N_("{actor} removed an extra crisis term"),) * 2,
}


def audit_line(entry: AuditEntry) -> str:
    """One entry in plain words (the current locale), with a Discord timestamp each reader sees in their own time zone."""
    when = discord_ts(entry.at, "f")
    alert = _("alert #{number}").format(number=entry.alert_id) if entry.alert_id is not None else _("an alert")
    actor = _who(entry.actor_user_id)
    member = f"<@{entry.subject_user_id}>" if entry.subject_user_id is not None else None
    templates = _ACTIONS.get(entry.action)
    if templates is None:  # an action this version doesn't know: shown as stored
        return f"{when} · {entry.action} · {actor}" + (f" · {member}" if member else "")
    template = _(templates[0] if member is not None else templates[1])
    detail = _detail_words(entry.detail) if entry.detail else "?"
    return f"{when} · " + template.format(alert=alert, member=member, actor=actor, detail=detail)


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
