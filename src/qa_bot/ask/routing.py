"""Decide what a message asks for: which request, and whether a group message is for the bot."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from telegram import Message, MessageEntity

from qa import LISTED_KINDS, Answer, QAEngine

# Commands whose argument is a question or keyword; these are logged and can be re-run.
QUESTION_COMMANDS = ("ask", *LISTED_KINDS)
_COMMAND = re.compile(r"^/(?P<name>[A-Za-z0-9_]+)(?:@(?P<bot>[A-Za-z0-9_]+))?(?:\s+|$)")


@dataclass(frozen=True, slots=True)
class Request:
    """A question for the core: ``ask`` with free text, or a section command with a keyword."""

    command: str
    text: str


def strip_mentions(text: str, username: str) -> str:
    """Remove @username (any case) from text and tidy the whitespace."""
    if username:
        text = re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE)
    return " ".join(text.split())


def parse_request(text: str, username: str) -> Request | None:
    """Turn message text into a Request; None for other commands or another bot's command."""
    text = (text or "").strip()
    match = _COMMAND.match(text)
    if match is None:
        return Request("ask", strip_mentions(text, username))
    if match["bot"] and match["bot"].lower() != username.lower():
        return None
    name = match["name"].lower()
    if name not in QUESTION_COMMANDS:
        return None
    return Request(name, strip_mentions(text[match.end():], username))


def run_request(engine: QAEngine, request: Request, earlier: str | None = None,
                reports: Collection[str] | None = None) -> Answer:
    """Ask the core: free questions go to ``ask`` (read after ``earlier``, the question they
    may follow up), section commands to ``section_answer``.

    ``reports`` (ids) limits the search to a chat's chosen reports (/settings); None = all.
    """
    if request.command == "ask":
        return engine.ask(request.text, context=earlier, reports=reports)
    return engine.section_answer(request.command, request.text, reports=reports)


def is_addressed(message: Message, bot_id: int, username: str) -> bool:
    """Tell whether a group message is for the bot: an @mention or a reply to the bot."""
    reply = message.reply_to_message
    if reply is not None and reply.from_user is not None and reply.from_user.id == bot_id:
        return True
    for entity, value in message.parse_entities(
        [MessageEntity.MENTION, MessageEntity.TEXT_MENTION]
    ).items():
        if entity.type == MessageEntity.TEXT_MENTION and entity.user and entity.user.id == bot_id:
            return True
        if entity.type == MessageEntity.MENTION and value.lower() == f"@{username.lower()}":
            return True
    return False
