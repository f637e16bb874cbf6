"""Store: migrations, query log, one changeable vote per user, chat settings, answer links."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import aiosqlite
import pytest

from qa_bot.store.db import MIGRATIONS, Store, UnknownQueryError


async def _log(store: Store, question: str = "发展了多少党员") -> int:
    return await store.log_query(
        chat_id=-100, chat_type="group", user_id=7, command="ask", question=question,
        intent="figure", found=True, passage_ids=["000_abc#1", "001_def#2"], latency_ms=3.5,
    )


async def test_open_creates_file_in_wal_mode_at_latest_version(tmp_path: Path) -> None:
    store = Store(tmp_path / "sub" / "qa.sqlite3")
    await store.open()
    try:
        assert await store.schema_version() == len(MIGRATIONS)
        async with store.db.execute("PRAGMA journal_mode") as cur:
            assert (await cur.fetchone()) == ("wal",)
    finally:
        await store.close()
    assert (tmp_path / "sub" / "qa.sqlite3").exists()


async def test_log_query_round_trips(tmp_path: Path) -> None:
    store = Store(tmp_path / "qa.sqlite3")
    await store.open()
    query_id = await _log(store)
    record = await store.get_query(query_id)
    await store.close()
    assert record is not None
    assert record.question == "发展了多少党员"
    assert record.passage_ids == ("000_abc#1", "001_def#2")
    assert record.found is True and record.chat_type == "group" and record.user_id == 7
    assert record.latency_ms == 3.5


async def test_get_unknown_query_is_none(tmp_path: Path) -> None:
    store = Store(tmp_path / "qa.sqlite3")
    await store.open()
    assert await store.get_query(999) is None
    await store.close()


async def test_vote_is_one_per_user_and_changeable(tmp_path: Path) -> None:
    store = Store(tmp_path / "qa.sqlite3")
    await store.open()
    qid = await _log(store)
    assert await store.record_feedback(qid, 1, 1) == "new"
    assert await store.record_feedback(qid, 1, 1) == "same"
    assert await store.record_feedback(qid, 1, -1) == "changed"
    assert await store.record_feedback(qid, 2, 1) == "new"
    assert await store.feedback_counts(qid) == (1, 1)
    assert await store.get_vote(qid, 1) == -1
    await store.close()


async def test_vote_on_unknown_query_or_bad_value_raises(tmp_path: Path) -> None:
    store = Store(tmp_path / "qa.sqlite3")
    await store.open()
    with pytest.raises(UnknownQueryError):
        await store.record_feedback(42, 1, 1)
    qid = await _log(store)
    with pytest.raises(ValueError):
        await store.record_feedback(qid, 1, 0)
    await store.close()


async def test_chat_settings_and_answer_links(tmp_path: Path) -> None:
    store = Store(tmp_path / "qa.sqlite3")
    await store.open()
    assert await store.get_chat_setting(5, "top_k", "3") == "3"
    await store.set_chat_setting(5, "top_k", "5")
    await store.set_chat_setting(5, "top_k", "4")
    assert await store.get_chat_setting(5, "top_k") == "4"
    qid = await _log(store)
    await store.link_answer(5, 10, 11, qid)
    link = await store.find_answer(5, 10)
    assert link is not None and link.answer_message_id == 11 and link.query_id == qid
    assert await store.find_answer(5, 12) is None
    await store.close()


async def test_old_database_is_migrated_forward_keeping_rows(tmp_path: Path) -> None:
    path = tmp_path / "qa.sqlite3"
    old = Store(path)
    old._db = await aiosqlite.connect(str(path))  # a v1 database as an older release left it
    assert await old.migrate(target=1) == 1
    await old.db.execute(
        "INSERT INTO queries (id, created_at, chat_id, chat_type, user_id, command, question,"
        " intent, found, passage_ids, latency_ms) VALUES (7, '2024-01-01T00:00:00+00:00', -100,"
        " 'group', 7, 'ask', '发展党员', 'figure', 1, '[]', 1.0)")
    await old.db.commit()
    qid = 7
    await old.close()

    store = Store(path)
    await store.open()
    assert await store.schema_version() == len(MIGRATIONS)
    assert (await store.get_query(qid)) is not None
    await store.link_answer(1, 2, 3, qid)
    await store.close()


async def test_a_failed_migration_rolls_back_and_releases_the_lock(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "qa.sqlite3"
    store = Store(path)
    await store.open()
    qid = await _log(store)
    broken = "CREATE TABLE extra (x INTEGER);\nINSERT INTO no_such_table VALUES (1);"
    monkeypatch.setattr("qa_bot.store.db.MIGRATIONS", (*MIGRATIONS, broken))
    with pytest.raises(sqlite3.OperationalError):
        await store.migrate()
    monkeypatch.undo()
    assert not store.db.in_transaction
    assert await store.schema_version() == len(MIGRATIONS)  # the broken step left no trace
    other = Store(path)  # another process can still write at once
    await other.open()
    other_qid = await _log(other)
    assert other_qid != qid and (await store.get_query(qid)) is not None
    await other.close()
    await store.close()


async def test_restart_keeps_the_log(tmp_path: Path) -> None:
    path = tmp_path / "qa.sqlite3"
    first = Store(path)
    await first.open()
    qid = await _log(first)
    await first.record_feedback(qid, 1, 1)
    await first.close()
    second = Store(path)
    await second.open()
    assert await second.count_queries() == 1
    assert await second.get_vote(qid, 1) == 1
    await second.close()


async def test_closed_store_raises_clear_error(tmp_path: Path) -> None:
    store = Store(tmp_path / "qa.sqlite3")
    with pytest.raises(Exception, match="尚未打开"):
        await store.count_queries()
    await store.close()  # closing twice is harmless
