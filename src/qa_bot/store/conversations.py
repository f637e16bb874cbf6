"""The questions a conversation is about: what each user asked last, and what each answer answered.

A follow-up ("那002呢", "具体怎么做的", a reply to an answer) is read against it. Kept in the
store (migration 4), so a restart keeps the thread.
"""

from __future__ import annotations

import time

from .db import Store

# A plain follow-up counts within this many seconds of the user's last question.
FOLLOW_UP_SECONDS = 600.0


async def remember(store: Store, chat_id: int, user_id: int | None, answer_message_id: int,
                   question: str, now: float | None = None) -> None:
    """Record the question an answer message answered (what later follow-ups refer to)."""
    await store.db.execute(
        "INSERT OR REPLACE INTO conversations"
        " (chat_id, answer_message_id, user_id, question, asked_at) VALUES (?,?,?,?,?)",
        (chat_id, answer_message_id, user_id, question, time.time() if now is None else now),
    )
    if store.db.in_transaction:
        await store.db.commit()


async def answered_by(store: Store, chat_id: int, answer_message_id: int) -> str | None:
    """Return the question an answer message answered (for a reply to it), None if unknown."""
    async with store.db.execute(
        "SELECT question FROM conversations WHERE chat_id = ? AND answer_message_id = ?",
        (chat_id, answer_message_id),
    ) as cursor:
        row = await cursor.fetchone()
    return str(row[0]) if row else None


async def last_question(store: Store, chat_id: int, user_id: int | None,
                        within: float = FOLLOW_UP_SECONDS, now: float | None = None) -> str | None:
    """Return the user's last question in this chat if asked within ``within`` seconds."""
    if user_id is None:
        return None
    cutoff = (time.time() if now is None else now) - within
    async with store.db.execute(
        "SELECT question FROM conversations WHERE chat_id = ? AND user_id = ? AND asked_at >= ?"
        " ORDER BY asked_at DESC LIMIT 1",
        (chat_id, user_id, cutoff),
    ) as cursor:
        row = await cursor.fetchone()
    return str(row[0]) if row else None


async def question_before(store: Store, chat_id: int, user_id: int | None,
                          answer_message_id: int,
                          within: float = FOLLOW_UP_SECONDS) -> str | None:
    """Return the question the user asked last before the one an answer answered (for edits).

    An edited follow-up is read against the conversation as it stood when it was first asked,
    not against itself; None when there was no question within ``within`` seconds before it.
    """
    if user_id is None:
        return None
    async with store.db.execute(
        "SELECT b.question FROM conversations a JOIN conversations b"
        " ON b.chat_id = a.chat_id AND b.user_id = a.user_id"
        " AND b.asked_at < a.asked_at AND b.asked_at >= a.asked_at - ?"
        " WHERE a.chat_id = ? AND a.answer_message_id = ? AND a.user_id = ?"
        " ORDER BY b.asked_at DESC LIMIT 1",
        (within, chat_id, answer_message_id, user_id),
    ) as cursor:
        row = await cursor.fetchone()
    return str(row[0]) if row else None


async def revise(store: Store, chat_id: int, answer_message_id: int, question: str) -> None:
    """Change what an answer message answered (its question was edited); keep when it was asked."""
    await store.db.execute(
        "UPDATE conversations SET question = ? WHERE chat_id = ? AND answer_message_id = ?",
        (question, chat_id, answer_message_id),
    )
    if store.db.in_transaction:
        await store.db.commit()
