"""What the query log holds: an answered question (QueryEntry), its stored row, its link."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True, slots=True)
class QueryEntry:
    """What is logged about one answered question."""

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
class QueryRecord(QueryEntry):
    """One logged question as stored: the entry, its id and time, the message with its buttons."""

    query_id: int
    created_at: datetime
    answer_message_id: int | None = None


@dataclass(frozen=True, slots=True)
class AnswerLink:
    """The bot message that answers a user's question message."""

    chat_id: int
    question_message_id: int
    answer_message_id: int
    query_id: int


def now_iso() -> str:
    """Return the current UTC time as the log writes it."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def new_query_id() -> int:
    """Return a random query id: known before the answer is sent, never reused after a reset."""
    return secrets.randbits(48) or 1


def insert_query(query_id: int, entry: QueryEntry, answer_message_id: int | None,
                 question_message_id: int | None, update_id: int | None
                 ) -> tuple[str, tuple[object, ...]]:
    """Return the SQL and parameters that log one answered question."""
    # IGNORE: a retried write (the same query id) is harmless; REPLACE would cascade.
    return (
        "INSERT OR IGNORE INTO queries (id, created_at, chat_id, chat_type, user_id, command,"
        " question, intent, found, passage_ids, latency_ms, answer_message_id,"
        " question_message_id, update_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (query_id, now_iso(), entry.chat_id, entry.chat_type, entry.user_id, entry.command,
         entry.question, entry.intent, int(entry.found),
         json.dumps(list(entry.passage_ids), ensure_ascii=False), entry.latency_ms,
         answer_message_id, question_message_id, update_id))
