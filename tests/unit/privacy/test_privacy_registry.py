"""The privacy registry covers every table that holds a member id, so no feature can forget a member's data."""

from __future__ import annotations

from bot.db import Database
from bot.privacy import registered_tables
from bot.privacy_ops import is_member_column


async def test_every_member_id_column_is_covered_by_the_registry(db: Database) -> None:
    registry = {entry.table: entry for entry in registered_tables()}
    uncovered = []
    for table, columns in (await db.table_columns()).items():
        for column in columns:
            if is_member_column(column):
                entry = registry.get(table)
                if entry is None or column not in (*entry.user_columns, *entry.referenced_columns):
                    uncovered.append(f"{table}.{column}")
    assert not uncovered, (
        f"these member-id columns are not in bot/privacy.py's registry: {uncovered}. "
        "Add a PrivateTable(...) for the table to PRIVATE_TABLES there "
        "(a column holding someone else's id in the owner's confidential data goes in referenced_columns)."
    )


async def test_every_registry_entry_matches_the_schema(db: Database) -> None:
    schema = await db.table_columns()
    for entry in registered_tables():
        assert entry.table in schema, f"registered table {entry.table!r} doesn't exist"
        for column in (*entry.user_columns, *entry.referenced_columns):
            assert column in schema[entry.table], f"{entry.table}.{column} is registered but doesn't exist"
            assert is_member_column(column), f"{entry.table}.{column} breaks the user_id/*_user_id naming rule"
        if entry.guild_column is not None:
            assert entry.guild_column in schema[entry.table]
        assert entry.what.strip() and entry.who_sees.strip(), f"{entry.table} needs plain words for /privacy show"


async def test_guild_filters_are_valid_sql_with_one_parameter(db: Database) -> None:
    for entry in registered_tables():
        if entry.guild_filter is not None:
            assert entry.guild_filter.count("?") == 1
            await db.fetchall(f'SELECT 1 FROM "{entry.table}" WHERE {entry.guild_filter} LIMIT 1', (1,))
