"""SHARD_COUNT and SHARD_IDS: which shards a process runs, validated up front, and the servers it then owns."""

from __future__ import annotations

import pytest

from bot.client import KindredBot
from bot.db import Database
from bot.settings import Settings, SettingsError, load_settings
from bot.shards import Ownership, shard_of

TOKEN = "A" * 24 + "." + "B" * 6 + "." + "C" * 27


def _load(**env: str) -> Settings:
    return load_settings({"DISCORD_TOKEN": TOKEN, **env})


def test_unset_means_one_process_running_every_shard() -> None:
    settings = _load()
    assert settings.shard_count is None and settings.shard_ids is None
    ownership = Ownership.from_settings(settings)
    assert ownership.identity == "single" and not ownership.partial
    assert ownership.owns(1234 << 22) and ownership.owns(None)


def test_shard_ids_are_read_sorted_and_choose_the_owned_servers() -> None:
    settings = _load(SHARD_COUNT="4", SHARD_IDS=" 2, 0 ")
    assert settings.shard_count == 4 and settings.shard_ids == (0, 2)
    ownership = Ownership.from_settings(settings)
    assert ownership.identity == "shards 0,2 of 4"
    assert [ownership.owns(n << 22) for n in range(5)] == [True, False, True, False, True]
    assert ownership.owns(None)  # DMs and work for no server belong to every process


def test_shard_count_alone_runs_every_shard_here() -> None:
    ownership = Ownership.from_settings(_load(SHARD_COUNT="3"))
    assert not ownership.partial and ownership.identity == "single"
    assert all(ownership.owns(n << 22) for n in range(3))


def test_all_shards_listed_is_the_same_as_owning_everything() -> None:
    ownership = Ownership.from_settings(_load(SHARD_COUNT="2", SHARD_IDS="1,0"))
    assert not ownership.partial and ownership.filter_params() is None


def test_identity_is_stable_whatever_the_order_given() -> None:
    assert Ownership(4, (3, 1)).identity == Ownership(4, (1, 3)).identity == "shards 1,3 of 4"
    assert Ownership(4, (3, 1)) == Ownership(4, (1, 3))


@pytest.mark.parametrize(
    ("env", "fragment"),
    [
        ({"SHARD_COUNT": "0"}, "SHARD_COUNT: '0' is not a number of shards"),
        ({"SHARD_COUNT": "two"}, "SHARD_COUNT: 'two' is not"),
        ({"SHARD_IDS": "0"}, "SHARD_IDS: needs SHARD_COUNT"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "2"}, "SHARD_IDS: shard 2 doesn't exist"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "0,,1"}, "SHARD_IDS: '0,,1' is not a comma-separated list"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "-1"}, "SHARD_IDS: '-1' is not"),
        ({"SHARD_COUNT": "4", "SHARD_IDS": "1,1"}, "SHARD_IDS: '1,1' names a shard twice"),
    ],
)
def test_bad_shard_settings_get_one_line_naming_the_setting(env: dict[str, str], fragment: str) -> None:
    with pytest.raises(SettingsError) as info:
        _load(**env)
    assert str(info.value).startswith(fragment)
    assert "\n" not in str(info.value)


def test_shard_of_is_discords_rule() -> None:
    guild_id = 81384788765712384  # a real-looking snowflake
    assert shard_of(guild_id, 1) == 0
    assert shard_of(guild_id, 7) == (guild_id >> 22) % 7
    with pytest.raises(ValueError):
        shard_of(guild_id, 0)


def test_ownership_refuses_shards_that_do_not_exist() -> None:
    with pytest.raises(ValueError):
        Ownership(2, (2,))
    with pytest.raises(ValueError):
        Ownership(None, (0,))
    with pytest.raises(ValueError):
        Ownership(2, ())


async def test_the_bot_runs_the_chosen_shards_and_knows_what_it_owns(db: Database) -> None:
    settings = Settings(discord_token=TOKEN, shard_count=4, shard_ids=(1, 3))
    bot = KindredBot(settings, db, timer_poll_seconds=None, extensions=[])
    try:
        assert bot.shard_count == 4 and bot.shard_ids == [1, 3]
        assert bot.ownership.identity == "shards 1,3 of 4"
    finally:
        await bot.http.close()  # never logged in: only the HTTP session to close
