"""The query helpers :class:`bot.store.service.ServiceRepo` holds: loading an opportunity with its sign-ups
inside the caller's transaction, a member's place on the waitlist, and the row types its reads return.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.db import Tx
from bot.service import Kind, Opportunity, SignupStatus
from bot.store.rows import columns, from_row

__all__ = ["HistoryEntry", "load", "load_or_none", "waitlist_position"]

_OPP_COLUMNS = columns(Opportunity, leave_out=("duration", "volunteers", "waitlist")) + ", duration_minutes"


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One time a member served, for their eyes only."""

    opportunity_id: int
    title: str
    kind: Kind
    served_at: datetime


async def waitlist_position(tx: Tx, opp_id: int, user_id: int) -> int:
    """The member's place on the waitlist (1 is next), inside the caller's transaction."""
    value = await tx.fetchval(
        "SELECT COUNT(*) FROM service_signups WHERE opportunity_id = ? AND status = 'waitlist' "
        "AND id <= (SELECT id FROM service_signups WHERE opportunity_id = ? AND user_id = ?)",
        (opp_id, opp_id, user_id),
    )
    return int(value or 0)


async def load(tx: Tx, opp_id: int) -> Opportunity:
    """An opportunity the caller's transaction knows exists."""
    opp = await load_or_none(tx, opp_id)
    if opp is None:
        raise LookupError(f"service opportunity {opp_id} vanished mid-transaction")
    return opp


async def load_or_none(tx: Tx, opp_id: int) -> Opportunity | None:
    """An opportunity with its volunteers and waitlist, or ``None``, inside the caller's transaction."""
    row = await tx.fetchone(f"SELECT {_OPP_COLUMNS} FROM service_opportunities WHERE id = ?", (opp_id,))
    if row is None:
        return None
    signups = await tx.fetchall(
        "SELECT user_id, status FROM service_signups WHERE opportunity_id = ? ORDER BY id", (opp_id,)
    )
    return _opportunity(row, signups)


def _opportunity(row: Any, signups: list[Any]) -> Opportunity:
    def holding(status: SignupStatus) -> tuple[int, ...]:
        return tuple(s["user_id"] for s in signups if s["status"] == status.value)

    return from_row(
        Opportunity,
        row,
        duration=timedelta(minutes=row["duration_minutes"]),
        volunteers=holding(SignupStatus.VOLUNTEER),
        waitlist=holding(SignupStatus.WAITLIST),
    )
