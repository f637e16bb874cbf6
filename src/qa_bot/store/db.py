"""Async SQLite store: query log, votes, answer links, the update inbox and kept secrets.

One file in WAL mode; the schema version lives in ``PRAGMA user_version`` and every entry of
``MIGRATIONS`` (qa/schema.py) moves it forward by one, so an old database is upgraded in
place on ``open``. Writes share one connection, so multi-statement transactions hold a lock
that single-statement writes also take: no write ever lands inside another's transaction.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import aiosqlite

from qa.errors import QAError

from .records import AnswerLink, QueryEntry, QueryRecord, insert_query, new_query_id, now_iso
from .schema import MIGRATIONS

FeedbackOutcome = Literal["new", "changed", "same"]
# How long a finished inbox row is kept: Telegram redelivers only unconfirmed updates, so a
# day covers any restart; older rows only grow the file.
INBOX_KEEP = timedelta(days=1)
# A quarantined update (its handling killed the process twice) stays listed for the admins.
QUARANTINE_KEEP = timedelta(days=30)

__all__ = ["MIGRATIONS", "AnswerLink", "QueryEntry", "QueryRecord", "Store", "StoreError",
           "UnknownQueryError", "new_query_id"]


class StoreError(QAError):
    """The store is closed or a record it needs does not exist."""


class UnknownQueryError(StoreError):
    """A query id that is not in the log (e.g. a button from another database)."""


class Store:
    """Async access to the bot's SQLite database; call ``open`` before use, ``close`` after."""

    def __init__(self, path: Path | str, busy_timeout: float = 2.0) -> None:
        # ":memory:" stays a string: it names no file and needs no parent directory.
        self.path: Path | str = path if str(path) == ":memory:" else Path(path)
        self.busy_timeout = busy_timeout
        self._db: aiosqlite.Connection | None = None
        self._write_lock = asyncio.Lock()

    @property
    def db(self) -> aiosqlite.Connection:
        """Return the open connection or raise StoreError."""
        if self._db is None:
            raise StoreError("数据库尚未打开")
        return self._db

    async def open(self) -> None:
        """Open (creating if needed) the database and apply pending migrations."""
        if isinstance(self.path, Path):
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # Autocommit: a single write commits by itself in one round trip; transactions
        # bring their own BEGIN/COMMIT. The connection is kept before it is awaited, so a
        # close() racing this open (a stop signal) still ends its thread.
        self._db = aiosqlite.connect(str(self.path), isolation_level=None,
                                     timeout=self.busy_timeout)
        try:
            await self._db
            await self._db.execute("PRAGMA journal_mode=WAL")
            await self._db.execute("PRAGMA foreign_keys=ON")
            # NORMAL: in WAL mode a commit survives a crash of the process (kill -9, OOM);
            # only the inbox write, which Telegram's receipt depends on, also waits for the
            # disk (receive_updates), so a power cut costs at most a repeated answer.
            await self._db.execute("PRAGMA synchronous=NORMAL")
            await self.migrate()
        except BaseException:
            await self.close()
            raise

    async def migrate(self, target: int | None = None) -> int:
        """Apply migrations up to ``target`` (default: all) and return the schema version."""
        target = len(MIGRATIONS) if target is None else target
        version = await self.schema_version()
        for number in range(version, target):
            try:
                await self.db.executescript(
                    f"BEGIN;\n{MIGRATIONS[number]}\nPRAGMA user_version = {number + 1};\nCOMMIT;"
                )
            except sqlite3.Error:
                # A failed script leaves its transaction open, holding the write lock.
                if self.db.in_transaction:
                    await self.db.execute("ROLLBACK")
                raise
        return await self.schema_version()

    async def schema_version(self) -> int:
        """Return ``PRAGMA user_version``."""
        return int(await self._scalar("PRAGMA user_version", ()) or 0)

    async def close(self) -> None:
        """Close the connection and end its thread; safe to call twice or mid-open."""
        db, self._db = self._db, None
        if db is None:
            return
        try:
            await db.close()
        finally:
            # aiosqlite's thread is not a daemon: if the connection never finished opening,
            # close() above did nothing, and only stop() keeps it from blocking the exit.
            db.stop()

    async def _scalar(self, sql: str, params: Sequence[object]) -> Any:
        async with self.db.execute(sql, params) as cursor:
            row = await cursor.fetchone()
        return row[0] if row else None

    async def _write(self, sql: str, params: Sequence[object]) -> int | None:
        """Run one write statement, committed on return; return the cursor's lastrowid."""
        async with self._write_lock:
            cursor = await self.db.execute(sql, params)
            # An older caller's connection may not autocommit; its write must still land.
            if self.db.in_transaction:
                await self.db.commit()
            return cursor.lastrowid

    @asynccontextmanager
    async def _transaction(self, durable: bool = False) -> AsyncIterator[aiosqlite.Connection]:
        """Run several statements as one transaction (committed, or rolled back on error).

        ``durable=True`` commits with ``synchronous=FULL``: on disk before this returns.
        """
        async with self._write_lock:
            db = self.db
            if durable:
                await db.execute("PRAGMA synchronous=FULL")
            try:
                await db.execute("BEGIN IMMEDIATE")
                try:
                    yield db
                except BaseException:
                    if db.in_transaction:
                        await db.rollback()
                    raise
                await db.execute("COMMIT")
            finally:
                if durable:
                    await db.execute("PRAGMA synchronous=NORMAL")

    # -- query log -----------------------------------------------------------------------

    async def log_query(self, *, chat_id: int, chat_type: str, user_id: int | None,
                        command: str, question: str, intent: str, found: bool,
                        passage_ids: Sequence[str], latency_ms: float) -> int:
        """Record one answered question and return its id."""
        entry = QueryEntry(chat_id, chat_type, user_id, command, question, intent, found,
                           tuple(passage_ids), latency_ms)
        query_id = new_query_id()
        await self._write(*insert_query(query_id, entry, None, None, None))
        return query_id

    async def log_answer(self, query_id: int, entry: QueryEntry, question_message_id: int,
                         answer_message_id: int, update_id: int | None = None) -> None:
        """Log an answer that was sent, link it to its question, mark its update done."""
        # One statement: the schema's trigger writes the link and the inbox mark with it.
        await self._write(*insert_query(query_id, entry, answer_message_id,
                                         question_message_id, update_id))

    async def get_query(self, query_id: int) -> QueryRecord | None:
        """Return the logged query or None."""
        async with self.db.execute(
            "SELECT id, created_at, chat_id, chat_type, user_id, command, question, intent,"
            " found, passage_ids, latency_ms, answer_message_id FROM queries WHERE id = ?",
            (query_id,),
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return None
        return QueryRecord(
            query_id=row[0], created_at=datetime.fromisoformat(row[1]), chat_id=row[2],
            chat_type=row[3], user_id=row[4], command=row[5], question=row[6], intent=row[7],
            found=bool(row[8]), passage_ids=tuple(json.loads(row[9])), latency_ms=row[10],
            answer_message_id=row[11],
        )

    async def count_queries(self) -> int:
        """Return how many queries are logged."""
        return int(await self._scalar("SELECT COUNT(*) FROM queries", ()) or 0)

    async def record_feedback(self, query_id: int, user_id: int, vote: int) -> FeedbackOutcome:
        """Store a +1/-1 vote; a second vote by the same user replaces the first."""
        if vote not in (-1, 1):
            raise ValueError(f"vote must be -1 or 1, got {vote!r}")
        if await self.get_query(query_id) is None:
            raise UnknownQueryError(f"没有编号为 {query_id} 的提问记录")
        previous = await self.get_vote(query_id, user_id)
        now = now_iso()
        await self._write(
            "INSERT INTO feedback (query_id, user_id, vote, created_at, updated_at)"
            " VALUES (?,?,?,?,?) ON CONFLICT (query_id, user_id)"
            " DO UPDATE SET vote = excluded.vote, updated_at = excluded.updated_at",
            (query_id, user_id, vote, now, now),
        )
        if previous is None:
            return "new"
        return "same" if previous == vote else "changed"

    async def get_vote(self, query_id: int, user_id: int) -> int | None:
        """Return a user's vote on a query, or None."""
        value = await self._scalar(
            "SELECT vote FROM feedback WHERE query_id = ? AND user_id = ?", (query_id, user_id))
        return None if value is None else int(value)

    async def feedback_counts(self, query_id: int) -> tuple[int, int]:
        """Return (thumbs up, thumbs down) for a query."""
        async with self.db.execute(
            "SELECT COALESCE(SUM(vote = 1), 0), COALESCE(SUM(vote = -1), 0)"
            " FROM feedback WHERE query_id = ?", (query_id,),
        ) as cursor:
            row = await cursor.fetchone()
        return (int(row[0]), int(row[1])) if row else (0, 0)

    async def set_chat_setting(self, chat_id: int, key: str, value: str) -> None:
        """Set one per-chat setting."""
        await self._write(
            "INSERT INTO chat_settings (chat_id, key, value, updated_at) VALUES (?,?,?,?)"
            " ON CONFLICT (chat_id, key) DO UPDATE SET value = excluded.value,"
            " updated_at = excluded.updated_at", (chat_id, key, value, now_iso()))

    async def get_chat_setting(self, chat_id: int, key: str, default: str = "") -> str:
        """Return one per-chat setting or ``default``."""
        value = await self._scalar(
            "SELECT value FROM chat_settings WHERE chat_id = ? AND key = ?", (chat_id, key))
        return default if value is None else str(value)

    async def mark_gap_handled(self, topic: str, user_id: int | None, handled_at: str) -> None:
        """Mark a topic of unanswered questions handled as of ``handled_at`` (qa.insight)."""
        await self._write(
            "INSERT INTO gap_handled (topic, handled_at, user_id) VALUES (?,?,?)"
            " ON CONFLICT (topic) DO UPDATE SET handled_at = excluded.handled_at,"
            " user_id = excluded.user_id", (topic, handled_at, user_id))

    async def chat_settings(self, chat_id: int) -> dict[str, str]:
        """Return every per-chat setting of a chat as a dict."""
        async with self.db.execute(
            "SELECT key, value FROM chat_settings WHERE chat_id = ?", (chat_id,)) as cursor:
            return {str(k): str(v) for k, v in await cursor.fetchall()}

    async def link_answer(self, chat_id: int, question_message_id: int,
                          answer_message_id: int, query_id: int) -> None:
        """Remember which bot message answers a question message (latest wins)."""
        await self._write(
            "INSERT OR REPLACE INTO answer_links"
            " (chat_id, question_message_id, answer_message_id, query_id) VALUES (?,?,?,?)",
            (chat_id, question_message_id, answer_message_id, query_id))

    async def find_answer(self, chat_id: int, question_message_id: int) -> AnswerLink | None:
        """Return the answer linked to a question message, or None."""
        async with self.db.execute(
            "SELECT answer_message_id, query_id FROM answer_links"
            " WHERE chat_id = ? AND question_message_id = ?", (chat_id, question_message_id),
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return None
        return AnswerLink(chat_id, question_message_id, int(row[0]), int(row[1]))

    # -- update inbox and secrets --------------------------------------------------------

    async def receive_updates(self, updates: Sequence[tuple[int, str]]) -> list[int]:
        """Persist (update_id, JSON) pairs; return the ids not seen before, in order."""
        ids = [update_id for update_id, _ in updates]
        async with self._transaction(durable=True) as db:
            marks = ",".join("?" * len(ids))
            async with db.execute(
                f"SELECT update_id FROM inbox WHERE update_id IN ({marks})", ids) as cursor:
                seen = {int(row[0]) for row in await cursor.fetchall()}
            now = now_iso()
            fresh = [(i, payload, now) for i, payload in updates if i not in seen]
            await db.executemany(
                "INSERT OR IGNORE INTO inbox (update_id, payload, received_at) VALUES (?,?,?)",
                fresh)
        return [i for i, _, _ in fresh]

    async def mark_done(self, update_id: int) -> None:
        """Mark an update handled, so a restart does not handle it again."""
        await self._write("UPDATE inbox SET done_at = ? WHERE update_id = ? AND done_at IS NULL",
                          (now_iso(), update_id))

    async def pending_updates(self) -> list[str]:
        """Return the JSON of every unfinished update, oldest first; drop old finished rows."""
        return [payload for payload, _ in await self.unfinished_updates()]

    async def unfinished_updates(self) -> list[tuple[str, int]]:
        """Return (JSON, handling attempts) of every unfinished update, oldest first; drop old
        finished rows (quarantined ones are kept longer, for the admins)."""
        now = datetime.now(UTC)
        cutoff = (now - INBOX_KEEP).isoformat(timespec="milliseconds")
        kept = (now - QUARANTINE_KEEP).isoformat(timespec="milliseconds")
        await self._write("DELETE FROM inbox WHERE done_at IS NOT NULL AND done_at < ?"
                          " AND (quarantined_at IS NULL OR quarantined_at < ?)", (cutoff, kept))
        async with self.db.execute(
            "SELECT payload, attempts FROM inbox WHERE done_at IS NULL ORDER BY seq") as cursor:
            return [(str(row[0]), int(row[1])) for row in await cursor.fetchall()]

    async def begin_attempt(self, update_id: int) -> None:
        """Count one more start of an update's handling (before its handlers run)."""
        await self._write("UPDATE inbox SET attempts = attempts + 1"
                          " WHERE update_id = ? AND done_at IS NULL", (update_id,))

    async def forget_attempts(self) -> None:
        """Reset the start counts of unfinished updates (after a clean stop)."""
        await self._write("UPDATE inbox SET attempts = 0 WHERE done_at IS NULL AND attempts > 0",
                          ())

    async def quarantine(self, max_attempts: int) -> list[str]:
        """Set aside the unfinished updates started ``max_attempts`` times; return their JSON."""
        async with self._transaction() as db:
            async with db.execute(
                "SELECT update_id, payload FROM inbox WHERE done_at IS NULL AND attempts >= ?"
                " ORDER BY seq", (max_attempts,)) as cursor:
                rows = [(int(r[0]), str(r[1])) for r in await cursor.fetchall()]
            now = now_iso()
            await db.executemany(
                "UPDATE inbox SET done_at = ?, quarantined_at = ? WHERE update_id = ?",
                [(now, now, update_id) for update_id, _ in rows])
        return [payload for _, payload in rows]

    async def quarantined(self, since: datetime) -> list[tuple[str, str]]:
        """Return (quarantined_at, JSON) of the updates set aside since then, newest first."""
        async with self.db.execute(
            "SELECT quarantined_at, payload FROM inbox WHERE quarantined_at >= ?"
            " ORDER BY quarantined_at DESC",
            (since.astimezone(UTC).isoformat(timespec="milliseconds"),)) as cursor:
            return [(str(r[0]), str(r[1])) for r in await cursor.fetchall()]

    async def secret(self, name: str) -> str:
        """Return a named random secret, generated and kept on first use."""
        await self._write("INSERT OR IGNORE INTO secrets (name, value, created_at)"
                          " VALUES (?,?,?)", (name, secrets.token_urlsafe(32), now_iso()))
        return str(await self._scalar("SELECT value FROM secrets WHERE name = ?", (name,)))
