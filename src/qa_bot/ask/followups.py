"""Which earlier question a message follows up: a reply to an answer, or the same user's last.

Reads are best effort: a failing database costs the follow-up its context, never the answer.
"""

from __future__ import annotations

import logging
import sqlite3
from functools import partial

from telegram import Message

from qa import Answer
from qa_bot.context import BotContext
from qa_bot.store import conversations
from qa_bot.store.db import StoreError

logger = logging.getLogger(__name__)


async def earlier_question(message: Message, context: BotContext,
                           edited_answer: int | None = None) -> str | None:
    """Return the question this message follows up, or None for a fresh question.

    For an edited message (``edited_answer``: the answer it got), what it followed when it
    was first asked: a reply still follows the answer it replies to, a plain follow-up the
    user's question before it, never the edited question itself.
    """
    user_id = message.from_user.id if message.from_user else None
    reply = message.reply_to_message
    sender = reply.from_user if reply is not None else None
    try:
        if reply is not None and sender is not None and sender.id == context.bot.id:
            return await conversations.answered_by(context.store, message.chat_id,
                                                   reply.message_id)
        if edited_answer is not None:
            return await conversations.question_before(context.store, message.chat_id,
                                                       user_id, edited_answer)
        return await conversations.last_question(context.store, message.chat_id, user_id)
    except (StoreError, sqlite3.Error, ValueError) as exc:
        logger.warning("follow-up context unavailable: %s", exc)
        return None


async def revise_question(context: BotContext, message: Message, answer: Answer, text: str,
                          answer_message_id: int) -> None:
    """Record that an answer now answers the edited question (queued if the database fails)."""
    if answer.smalltalk:
        return
    write = partial(conversations.revise, context.store, message.chat_id, answer_message_id,
                    answer.follows or text)
    await context.journal.record(write)


async def remember_question(context: BotContext, message: Message, answer: Answer,
                            text: str, answer_message_id: int) -> None:
    """Keep what this answer was about, so the next follow-up reads against it (queued)."""
    if answer.smalltalk:
        return
    user_id = message.from_user.id if message.from_user else None
    write = partial(conversations.remember, context.store, message.chat_id, user_id,
                    answer_message_id, answer.follows or text)
    await context.journal.record(write)


async def earlier_for_page(message: Message, question: str, context: BotContext) -> str | None:
    """Return the question an answer followed up, so paging it re-asks it the same way."""
    try:
        about = await conversations.answered_by(context.store, message.chat_id,
                                                message.message_id)
    except (StoreError, sqlite3.Error, ValueError) as exc:
        logger.warning("follow-up context unavailable: %s", exc)
        return None
    return about if about and about != question else None
