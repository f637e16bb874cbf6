"""Update factories for the fake Bot API: what users do, as Telegram would deliver it."""

from __future__ import annotations

import itertools
import re
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

_COMMAND = re.compile(r"^/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?")
_MENTION = re.compile(r"@[A-Za-z0-9_]{5,32}")
_callback_ids = itertools.count(1)


def user(user_id: int, name: str = "张三") -> dict[str, Any]:
    """Return a Telegram user object."""
    return {"id": user_id, "is_bot": False, "first_name": name, "language_code": "zh-hans"}


def private_chat(person: dict[str, Any]) -> dict[str, Any]:
    """Return the private chat with a user."""
    return {"id": person["id"], "type": "private", "first_name": person["first_name"]}


def group_chat(chat_id: int, title: str = "机关党支部工作群") -> dict[str, Any]:
    """Return a supergroup chat object."""
    return {"id": chat_id, "type": "supergroup", "title": title}


def _u16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def entities(text: str) -> list[dict[str, Any]]:
    """Return the bot_command and mention entities Telegram would attach (UTF-16 offsets)."""
    found = []
    command = _COMMAND.match(text)
    if command:
        found.append({"type": "bot_command", "offset": 0, "length": _u16(command[0])})
    for mention in _MENTION.finditer(text):
        found.append({"type": "mention", "offset": _u16(text[: mention.start()]),
                      "length": _u16(mention[0])})
    return found


class UpdateFactory:
    """Mixin for FakeTelegram: build messages, register them, queue updates."""

    chats: dict[int, dict[str, Any]]
    messages: dict[tuple[int, int], dict[str, Any]]
    open_callbacks: set[str]
    open_inline: set[str]
    push: Callable[[dict[str, Any]], int]
    next_message_id: Callable[[int], int]

    def new_message(self, chat: dict[str, Any], sender: dict[str, Any], text: str,
                    reply_to: dict[str, Any] | None = None) -> dict[str, Any]:
        """Create and remember a message in a chat (by a user or the bot)."""
        self.chats.setdefault(chat["id"], chat)
        message: dict[str, Any] = {
            "message_id": self.next_message_id(chat["id"]), "date": int(time.time()),
            "chat": chat, "from": sender, "text": text,
        }
        if ents := entities(text):
            message["entities"] = ents
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        self.messages[(chat["id"], message["message_id"])] = message
        return message

    def send_text(self, chat: dict[str, Any], sender: dict[str, Any], text: str,
                  reply_to: dict[str, Any] | None = None) -> dict[str, Any]:
        """A user sends a text message; return the message."""
        message = self.new_message(chat, sender, text, reply_to)
        self.push({"message": message})
        return message

    def send_media(self, chat: dict[str, Any], sender: dict[str, Any], kind: str
                   ) -> dict[str, Any]:
        """A user sends a file, photo, sticker or voice message (no text); return it."""
        message = self.new_message(chat, sender, "")
        del message["text"]
        message[kind] = {"document": {"file_id": "f1", "file_unique_id": "u1"},
                         "photo": [{"file_id": "p1", "file_unique_id": "u2", "width": 90,
                                    "height": 90}],
                         "sticker": {"file_id": "s1", "file_unique_id": "u3", "type": "regular",
                                     "width": 512, "height": 512, "is_animated": False,
                                     "is_video": False},
                         "voice": {"file_id": "v1", "file_unique_id": "u4", "duration": 2},
                         }[kind]
        self.push({"message": message})
        return message

    def edit_text(self, message: dict[str, Any], text: str) -> dict[str, Any]:
        """A user edits an earlier message; return the edited message."""
        edited = dict(message, text=text, edit_date=int(time.time()))
        edited.pop("entities", None)
        if ents := entities(text):
            edited["entities"] = ents
        self.messages[(message["chat"]["id"], message["message_id"])] = edited
        self.push({"edited_message": edited})
        return edited

    def press(self, message: dict[str, Any], data: str, sender: dict[str, Any]) -> str:
        """A user presses an inline button under a bot message; return the callback id."""
        callback_id = f"cb{next(_callback_ids)}"
        self.open_callbacks.add(callback_id)
        current = self.messages.get((message["chat"]["id"], message["message_id"]), message)
        self.push({"callback_query": {"id": callback_id, "from": sender, "message": current,
                                      "chat_instance": str(message["chat"]["id"]),
                                      "data": data}})
        return callback_id

    def inline(self, sender: dict[str, Any], query: str) -> str:
        """A user types ``@bot query`` somewhere; return the inline query id."""
        query_id = f"iq{next(_callback_ids)}"
        self.open_inline.add(query_id)
        self.push({"inline_query": {"id": query_id, "from": sender, "query": query,
                                    "offset": ""}})
        return query_id
