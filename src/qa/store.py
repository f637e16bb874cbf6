"""Async SQLite store for the query log, feedback votes, chat settings and answer links.

One file in WAL mode; the schema version lives in ``PRAGMA user_version`` and every entry of
``MIGRATIONS`` moves it forward by one, so an old database is upgraded in place on ``open``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import aiosqlite

from qa.errors import QAError

FeedbackOutcome = Literal["new", "changed", "same"]

# Forward-only: never edit a released entry, append a new one.
MIGRATIONS: tuple[str, ...] = (
    # 1: query log, one vote per user per query, per-chat settings
    """
    CREATE TABLE queries (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        created_at  TEXT    NOT NULL,
        chat_id     INTEGER NOT NULL,
        chat_type   TEXT    NOT NULL,
        user_id     INTEGER,
        command     TEXT    NOT NULL,
        question    TEXT    NOT NULL,
        intent      TEXT    NOT NULL,
        found       INTEGER NOT NULL,
        passage_ids TEXT    NOT NULL,
        latency_ms  REAL    NOT NULL
    );
    CREATE INDEX queries_chat ON queries(chat_id, created_at);
    CREATE TABLE feedback (
        query_id    INTEGER NOT NULL REFERENCES queries(id) ON DELETE CASCADE,
        user_id     INTEGER NOT NULL,
        vote        INTEGER NOT NULL CHECK (vote IN (-1, 1)),
        created_at  TEXT    NOT NULL,
        updated_at  TEXT    NOT NULL,
        PRIMARY KEY (query_id, user_id)
    );
    CREATE TABLE chat_settings (
        chat_id     INTEGER NOT NULL,
        key         TEXT    NOT NULL,
        value       TEXT    NOT NULL,
        updated_at  TEXT    NOT NULL,
        PRIMARY KEY (chat_id, key)
    );
    """,
    # 2: which bot message answers which question, so an edited question can edit its answer
    """
    CREATE TABLE answer_links (
        chat_id             INTEGER NOT NULL,
        question_message_id INTEGER NOT NULL,
        answer_message_id   INTEGER NOT NULL,
        query_id            INTEGER NOT NULL REFERENCES queries(id) ON DELETE CASCADE,
        PRIMARY KEY (chat_id, question_message_id)
    );
    """,
)


class StoreError(QAError):
    """The store is closed or a record it needs does not exist."""


class UnknownQueryError(StoreError):
    """A query id that is not in the log (e.g. a button from another database)."""


@dataclass(frozen=True, slots=True)
class QueryRecord:
    """One logged question and how it was answered."""

    query_id: int
    created_at: datetime
    chat_id: int
    chat_type: str
    user_id: int | None
    command: str
    question: str
    intent: str
    found: bool
    passage_ids: tuple[str, ...]
    latency_ms: float


@dataclass(frozen=True, slots=True)
class AnswerLink:
    """The bot message that answers a user's question message."""

    chat_id: int
    question_message_id: int
    answer_message_id: int
    query_id: int


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class Store:
    """Async access to the bot's SQLite database; call ``open`` before use, ``close`` after."""

    def __init__(self, path: Path | str) -> None:
        # ":memory:" stays a string: it names no file and needs no parent directory.
        self.path: Path | str = path if str(path) == ":memory:" else Path(path)
        self._db: aiosqlite.Connection | None = None

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
        # Autocommit: every write is one statement, so each commits by itself in one round
        # trip to aiosqlite's thread instead of two (execute, then commit); migrations
        # bring their own BEGIN/COMMIT.
        self._db = await aiosqlite.connect(str(self.path), isolation_level=None)
        try:
            await self._db.execute("PRAGMA journal_mode=WAL")
            await self._db.execute("PRAGMA foreign_keys=ON")
            # NORMAL is durable across application crashes in WAL mode, much faster than FULL.
            await self._db.execute("PRAGMA synchronous=NORMAL")
            await self.migrate()
        except BaseException:
            # aiosqlite's thread is not a daemon: left open, it keeps the process from exiting.
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
        async with self.db.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def _write(self, sql: str, params: Sequence[object]) -> int | None:
        """Run one write statement, committed on return; return the cursor's lastrowid."""
        cursor = await self.db.execute(sql, params)
        # Opened by open(), the connection autocommits; one handed in by an older caller
        # may not, and its write must still be durable.
        if self.db.in_transaction:
            await self.db.commit()
        return cursor.lastrowid

    async def close(self) -> None:
        """Close the connection; safe to call twice."""
        if self._db is not None:
            await self._db.close()
            self._db = None

    async def log_query(
        self,
        *,
        chat_id: int,
        chat_type: str,
        user_id: int | None,
        command: str,
        question: str,
        intent: str,
        found: bool,
        passage_ids: Sequence[str],
        latency_ms: float,
    ) -> int:
        """Record one answered question and return its id."""
        query_id = await self._write(
            "INSERT INTO queries (created_at, chat_id, chat_type, user_id, command, question,"
            " intent, found, passage_ids, latency_ms) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (_now(), chat_id, chat_type, user_id, command, question, intent, int(found),
             json.dumps(list(passage_ids), ensure_ascii=False), latency_ms),
        )
        assert query_id is not None  # always set after an INSERT into a rowid table
        return query_id

    async def get_query(self, query_id: int) -> QueryRecord | None:
        """Return the logged query or None."""
        async with self.db.execute(
            "SELECT id, created_at, chat_id, chat_type, user_id, command, question, intent,"
            " found, passage_ids, latency_ms FROM queries WHERE id = ?",
            (query_id,),
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return None
        return QueryRecord(
            query_id=row[0], created_at=datetime.fromisoformat(row[1]), chat_id=row[2],
            chat_type=row[3], user_id=row[4], command=row[5], question=row[6], intent=row[7],
            found=bool(row[8]), passage_ids=tuple(json.loads(row[9])), latency_ms=row[10],
        )

    async def count_queries(self) -> int:
        """Return how many queries are logged."""
        async with self.db.execute("SELECT COUNT(*) FROM queries") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def record_feedback(self, query_id: int, user_id: int, vote: int) -> FeedbackOutcome:
        """Store a +1/-1 vote; a second vote by the same user replaces the first."""
        if vote not in (-1, 1):
            raise ValueError(f"vote must be -1 or 1, got {vote!r}")
        if await self.get_query(query_id) is None:
            raise UnknownQueryError(f"没有编号为 {query_id} 的提问记录")
        async with self.db.execute(
            "SELECT vote FROM feedback WHERE query_id = ? AND user_id = ?", (query_id, user_id)
        ) as cursor:
            row = await cursor.fetchone()
        now = _now()
        await self._write(
            "INSERT INTO feedback (query_id, user_id, vote, created_at, updated_at)"
            " VALUES (?,?,?,?,?) ON CONFLICT (query_id, user_id)"
            " DO UPDATE SET vote = excluded.vote, updated_at = excluded.updated_at",
            (query_id, user_id, vote, now, now),
        )
        if row is None:
            return "new"
        return "same" if row[0] == vote else "changed"

    async def get_vote(self, query_id: int, user_id: int) -> int | None:
        """Return a user's vote on a query, or None."""
        async with self.db.execute(
            "SELECT vote FROM feedback WHERE query_id = ? AND user_id = ?", (query_id, user_id)
        ) as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else None

    async def feedback_counts(self, query_id: int) -> tuple[int, int]:
        """Return (thumbs up, thumbs down) for a query."""
        async with self.db.execute(
            "SELECT COALESCE(SUM(vote = 1), 0), COALESCE(SUM(vote = -1), 0)"
            " FROM feedback WHERE query_id = ?",
            (query_id,),
        ) as cursor:
            row = await cursor.fetchone()
        return (int(row[0]), int(row[1])) if row else (0, 0)

    async def set_chat_setting(self, chat_id: int, key: str, value: str) -> None:
        """Set one per-chat setting."""
        await self._write(
            "INSERT INTO chat_settings (chat_id, key, value, updated_at) VALUES (?,?,?,?)"
            " ON CONFLICT (chat_id, key) DO UPDATE SET value = excluded.value,"
            " updated_at = excluded.updated_at",
            (chat_id, key, value, _now()),
        )

    async def get_chat_setting(self, chat_id: int, key: str, default: str = "") -> str:
        """Return one per-chat setting or ``default``."""
        async with self.db.execute(
            "SELECT value FROM chat_settings WHERE chat_id = ? AND key = ?", (chat_id, key)
        ) as cursor:
            row = await cursor.fetchone()
        return str(row[0]) if row else default

    async def link_answer(
        self, chat_id: int, question_message_id: int, answer_message_id: int, query_id: int
    ) -> None:
        """Remember which bot message answers a question message (latest wins)."""
        await self._write(
            "INSERT OR REPLACE INTO answer_links"
            " (chat_id, question_message_id, answer_message_id, query_id) VALUES (?,?,?,?)",
            (chat_id, question_message_id, answer_message_id, query_id),
        )

    async def find_answer(self, chat_id: int, question_message_id: int) -> AnswerLink | None:
        """Return the answer linked to a question message, or None."""
        async with self.db.execute(
            "SELECT answer_message_id, query_id FROM answer_links"
            " WHERE chat_id = ? AND question_message_id = ?",
            (chat_id, question_message_id),
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return None
        return AnswerLink(chat_id, question_message_id, int(row[0]), int(row[1]))
