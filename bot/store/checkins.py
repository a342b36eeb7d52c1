"""Repository for check-ins, reminder settings and the recovery date.

All three tables are private to the member and listed in :mod:`bot.privacy`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from bot.checkins import (
    ALL_WEEKDAYS,
    CheckinDraft,
    CheckinEntry,
    RecoveryRecord,
    ReminderPlan,
    weekdays_from_text,
    weekdays_to_text,
)
from bot.clock import from_db, to_db
from bot.db import Row
from bot.store.repo import Repo, written
from bot.store.rows import columns, from_row

__all__ = ["CheckinRepo", "RecoveryState", "ReminderSettings"]

_PAIRS_PER_QUERY = 500


_CHECKIN_COLUMNS = "id, user_id, guild_id, created_at, local_date, mood, craving, note, triggers"


@dataclass(frozen=True, slots=True)
class ReminderSettings:
    """A member's reminder row."""

    user_id: int
    guild_id: int | None
    local_time: time
    timezone: str
    weekdays: frozenset[int] = ALL_WEEKDAYS
    enabled: bool = True
    paused_until: date | None = None
    weekly: bool = False

    def plan(self) -> ReminderPlan:
        """The schedule the pure logic computes occurrences from."""
        return ReminderPlan(self.local_time, ZoneInfo(self.timezone), self.weekdays, self.paused_until)


@dataclass(frozen=True, slots=True)
class RecoveryState:
    """The stored recovery record plus the celebration choice."""

    record: RecoveryRecord
    celebrate: bool
    celebrate_guild_id: int | None


_REMINDER_COLUMNS = columns(ReminderSettings)
# The recovery record's own columns, then the celebration choice stored beside it.
_RECOVERY_COLUMNS = f"{columns(RecoveryRecord)}, {columns(RecoveryState, leave_out=('record',))}"


def _reminder(row: Row) -> ReminderSettings:
    return from_row(ReminderSettings, row, weekdays=weekdays_from_text(row["weekdays"]))


def _entry(r: Row) -> CheckinEntry:
    return from_row(CheckinEntry, r, triggers=tuple(t for t in str(r["triggers"]).split(",") if t))


class CheckinRepo(Repo):
    """Check-ins, reminder settings and recovery dates."""

    # -- check-ins --------------------------------------------------------------------------
    async def record_checkin(
        self, guild_id: int | None, user_id: int, draft: CheckinDraft, *, now: datetime, local_date: date
    ) -> int:
        """Store a check-in and return its id."""
        return await self._db.insert(
            "INSERT INTO checkins (guild_id, user_id, created_at, local_date, mood, craving, note, triggers) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                guild_id,
                user_id,
                to_db(now),
                local_date.isoformat(),
                draft.mood,
                draft.craving,
                draft.note,
                ",".join(draft.triggers),
            ),
        )

    async def update_checkin(self, checkin_id: int, user_id: int, draft: CheckinDraft) -> bool:
        """Replace the answers of the member's own check-in (the "more detail" modal)."""
        changed = await self._db.execute(
            "UPDATE checkins SET mood = ?, craving = ?, note = ?, triggers = ? WHERE id = ? AND user_id = ?",
            (draft.mood, draft.craving, draft.note, ",".join(draft.triggers), checkin_id, user_id),
        )
        return changed == 1

    async def get_checkin(self, checkin_id: int, user_id: int) -> CheckinEntry | None:
        """One of the member's check-ins (``None`` if it isn't theirs or doesn't exist)."""
        row = await self._db.fetchone(
            f"SELECT {_CHECKIN_COLUMNS} FROM checkins WHERE id = ? AND user_id = ?", (checkin_id, user_id)
        )
        return None if row is None else _entry(row)

    async def mark_shared(self, checkin_id: int, mode: str) -> None:
        """Remember how a check-in was shared."""
        await self._db.execute("UPDATE checkins SET shared = ? WHERE id = ?", (mode, checkin_id))

    async def entries_since(self, user_id: int, since: date) -> list[CheckinEntry]:
        """The member's check-ins on local dates from ``since``, oldest first."""
        rows = await self._db.fetchall(
            f"SELECT {_CHECKIN_COLUMNS} FROM checkins WHERE user_id = ? AND local_date >= ? "
            "ORDER BY local_date, created_at, id",
            (user_id, since.isoformat()),
        )
        return [_entry(r) for r in rows]

    async def checkin_days(self, user_id: int, since: date) -> set[date]:
        """Local dates with at least one check-in, from ``since`` (for streaks)."""
        rows = await self._db.fetchall(
            "SELECT DISTINCT local_date FROM checkins WHERE user_id = ? AND local_date >= ?",
            (user_id, since.isoformat()),
        )
        return {date.fromisoformat(r[0]) for r in rows}

    async def checked_in_on(self, user_id: int, local_date: date) -> bool:
        """Whether the member checked in on that local date."""
        return await self._db.exists(
            "SELECT 1 FROM checkins WHERE user_id = ? AND local_date = ? LIMIT 1", (user_id, local_date.isoformat())
        )

    async def checked_in_many(self, pairs: Iterable[tuple[int, date]]) -> set[int]:
        """Of many (member, local date) pairs, the members who checked in on their date. One query."""
        wanted = [(user_id, day.isoformat()) for user_id, day in pairs]
        found: set[int] = set()
        # A few hundred pairs a statement keeps well inside both backends' limits on parameters.
        for start in range(0, len(wanted), _PAIRS_PER_QUERY):
            chunk = wanted[start : start + _PAIRS_PER_QUERY]
            # Only "(?, ?)" marks are joined, never values; the casts tell PostgreSQL the parameters' types.
            rows_sql = ", ".join(["(CAST(? AS BIGINT), CAST(? AS TEXT))"] * len(chunk))
            rows = await self._db.fetchall(
                f"WITH wanted (user_id, local_date) AS (VALUES {rows_sql}) "
                "SELECT DISTINCT c.user_id FROM wanted AS w JOIN checkins AS c "
                "ON c.user_id = w.user_id AND c.local_date = w.local_date",
                [value for pair in chunk for value in pair],
            )
            found.update(r[0] for r in rows)
        return found

    # -- reminders --------------------------------------------------------------------------
    async def get_reminder(self, user_id: int) -> ReminderSettings | None:
        """The member's reminder settings, if they ever set any."""
        row = await self._db.fetchone(
            f"SELECT {_REMINDER_COLUMNS} FROM checkin_reminders WHERE user_id = ?", (user_id,)
        )
        return None if row is None else _reminder(row)

    async def _written_reminder(self, user_id: int) -> ReminderSettings:
        """The reminder row an upsert just wrote."""
        return written(await self.get_reminder(user_id), f"check-in reminder of {user_id}")

    async def note_reminder_dm(self, user_id: int, message_id: int, due_at: datetime) -> None:
        """Remember the reminder DM just delivered and the occurrence it was for."""
        await self._db.execute(
            "UPDATE checkin_reminders SET last_dm_id = ?, last_dm_due = ? WHERE user_id = ?",
            (message_id, to_db(due_at), user_id),
        )

    async def last_reminder_dm(self, user_id: int) -> tuple[int, datetime] | None:
        """The last reminder DM on record: its message id and the occurrence it was for."""
        row = await self._db.fetchone(
            "SELECT last_dm_id, last_dm_due FROM checkin_reminders WHERE user_id = ? AND last_dm_id IS NOT NULL",
            (user_id,),
        )
        return None if row is None else (int(row[0]), from_db(row[1]))

    async def reminders_in_use(self) -> list[ReminderSettings]:
        """Every member whose daily reminder or weekly reflection is on (the facts reminder chains follow)."""
        rows = await self._db.fetchall(
            f"SELECT {_REMINDER_COLUMNS} FROM checkin_reminders WHERE enabled = 1 OR weekly = 1 ORDER BY user_id"
        )
        return [_reminder(r) for r in rows]

    async def recovery_user_ids(self) -> list[int]:
        """Every member with a recovery date (each has a milestone chain)."""
        rows = await self._db.fetchall("SELECT user_id FROM recovery_dates ORDER BY user_id")
        return [r["user_id"] for r in rows]

    async def set_reminder(
        self,
        user_id: int,
        guild_id: int | None,
        local_time: time,
        timezone: str,
        weekdays: frozenset[int],
        *,
        now: datetime,
    ) -> ReminderSettings:
        """Turn the daily reminder on with these settings (clearing any pause)."""
        await self._db.execute(
            "INSERT INTO checkin_reminders (user_id, guild_id, local_time, timezone, weekdays, enabled, "
            "paused_until, updated_at) VALUES (?, ?, ?, ?, ?, 1, NULL, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET guild_id = excluded.guild_id, local_time = excluded.local_time, "
            "timezone = excluded.timezone, weekdays = excluded.weekdays, enabled = 1, paused_until = NULL, "
            "updated_at = excluded.updated_at",
            (user_id, guild_id, local_time.strftime("%H:%M"), timezone, weekdays_to_text(weekdays), to_db(now)),
        )
        return await self._written_reminder(user_id)

    async def disable_reminder(self, user_id: int, *, now: datetime) -> bool:
        """Turn the daily reminder off (the time is kept for the weekly reflection)."""
        changed = await self._db.execute(
            "UPDATE checkin_reminders SET enabled = 0, updated_at = ? WHERE user_id = ? AND enabled = 1",
            (to_db(now), user_id),
        )
        return changed == 1

    async def set_paused_until(self, user_id: int, until: date | None, *, now: datetime) -> bool:
        """Skip reminders on local days before ``until``."""
        changed = await self._db.execute(
            "UPDATE checkin_reminders SET paused_until = ?, updated_at = ? WHERE user_id = ?",
            (until.isoformat() if until else None, to_db(now), user_id),
        )
        return changed == 1

    async def set_weekly(
        self, user_id: int, guild_id: int | None, on: bool, *, default_time: time, timezone: str, now: datetime
    ) -> ReminderSettings:
        """Opt in or out of the weekly reflection; creates a (disabled) reminder row if needed."""
        await self._db.execute(
            "INSERT INTO checkin_reminders (user_id, guild_id, local_time, timezone, enabled, weekly, updated_at) "
            "VALUES (?, ?, ?, ?, 0, ?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET weekly = excluded.weekly, updated_at = excluded.updated_at",
            (user_id, guild_id, default_time.strftime("%H:%M"), timezone, int(on), to_db(now)),
        )
        return await self._written_reminder(user_id)

    # -- recovery date ----------------------------------------------------------------------
    async def get_recovery(self, user_id: int) -> RecoveryState | None:
        """The member's recovery record, if they set one."""
        row = await self._db.fetchone(f"SELECT {_RECOVERY_COLUMNS} FROM recovery_dates WHERE user_id = ?", (user_id,))
        return None if row is None else from_row(RecoveryState, row, record=from_row(RecoveryRecord, row))

    async def save_recovery(self, user_id: int, record: RecoveryRecord, *, now: datetime) -> None:
        """Store the record (celebration choice untouched)."""
        await self._db.execute(
            "INSERT INTO recovery_dates (user_id, journey_start, stretch_start, prior_days, updated_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET journey_start = excluded.journey_start, "
            "stretch_start = excluded.stretch_start, prior_days = excluded.prior_days, "
            "updated_at = excluded.updated_at",
            (
                user_id,
                record.journey_start.isoformat(),
                record.stretch_start.isoformat(),
                record.prior_days,
                to_db(now),
            ),
        )

    async def set_celebrate(self, user_id: int, on: bool, guild_id: int | None, *, now: datetime) -> bool:
        """Turn milestone celebrations on (in ``guild_id``'s share channel) or off; False without a record."""
        changed = await self._db.execute(
            "UPDATE recovery_dates SET celebrate = ?, celebrate_guild_id = ?, updated_at = ? WHERE user_id = ?",
            (int(on), guild_id if on else None, to_db(now), user_id),
        )
        return changed == 1
