"""What a member's data looks like in the database, for the privacy tests' "nothing left" checks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.db import Database
from bot.privacy import registered_tables
from bot.privacy_ops import is_member_column

if TYPE_CHECKING:
    from tests.double.interactions import InteractionHandle
    from tests.double.models import MemberHandle
    from tests.harness import Harness


async def rows_mentioning(db: Database, user_id: int) -> dict[str, int]:
    """Rows per ``table.column`` whose member-id columns (except declared references to others) hold ``user_id``."""
    referenced = {(e.table, c) for e in registered_tables() for c in e.referenced_columns}
    found: dict[str, int] = {}
    for table, columns in (await db.table_columns()).items():
        for column in columns:
            if is_member_column(column) and (table, column) not in referenced:
                count = await db.fetchval(f'SELECT COUNT(*) FROM "{table}" WHERE "{column}" = ?', (user_id,))
                if count:
                    found[f"{table}.{column}"] = count
    return found


async def confirm_erasure(h: Harness, member: MemberHandle, asked: InteractionHandle) -> None:
    """Press the confirm button on a ``/privacy delete`` answer and wait until the erasure says it's done."""
    click = await h.dd.click(member, asked, asked.components[0]["components"][0]["custom_id"])
    await click.response()
    message_id = int((await asked.original())["id"])
    await h.dd.world.signal.wait_for(
        lambda: "Done" in (h.dd.messages[message_id].get("content") or "") or None,
        timeout=10,
        describe=lambda: "the erasure was never confirmed",
    )
