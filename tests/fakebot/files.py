"""Files in the fake Bot API: users send documents, the bot fetches them and sends photos/files.

``send_document`` queues a message carrying a document (its bytes kept by file_id); ``getFile``
and ``GET /file/bot<token>/<path>`` serve them back as Telegram does; ``sendPhoto`` and
``sendDocument`` accept multipart uploads, check the caption, and keep the bytes for the test.
"""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING, Any

import tornado.web

from .validate import check_markup, check_text, utf16_len

if TYPE_CHECKING:
    from collections.abc import Callable

MAX_CAPTION_UNITS = 1024
_MENTION = re.compile(r"@[A-Za-z0-9_]{5,32}")
_file_ids = itertools.count(1)


def caption_entities(text: str) -> list[dict[str, Any]]:
    """Return the mention entities Telegram attaches to a caption (UTF-16 offsets)."""
    return [{"type": "mention", "offset": utf16_len(text[: m.start()]), "length": utf16_len(m[0])}
            for m in _MENTION.finditer(text)]


class FileApi:
    """Mixin for FakeTelegram: documents in updates, getFile, downloads, photo/document uploads."""

    chats: dict[int, dict[str, Any]]
    messages: dict[tuple[int, int], dict[str, Any]]
    files: dict[str, tuple[str, bytes]]  # file_id → (file_path, bytes)
    push: Callable[[dict[str, Any]], int]
    new_message: Callable[..., dict[str, Any]]

    def send_document(self, chat: dict[str, Any], sender: dict[str, Any], name: str,
                      data: bytes, caption: str = "", file_size: int | None = None,
                      reply_to: dict[str, Any] | None = None) -> dict[str, Any]:
        """A user sends a file (with an optional caption); return the message.

        ``file_size`` overrides the size Telegram reports (a huge file without its bytes).
        """
        file_id = f"doc{next(_file_ids)}"
        self.files[file_id] = (f"documents/{file_id}_{len(data)}", data)
        message = self.new_message(chat, sender, "", reply_to)
        del message["text"]
        message.pop("entities", None)
        message["document"] = {"file_id": file_id, "file_unique_id": f"u{file_id}",
                               "file_name": name, "file_size": file_size or len(data)}
        if caption:
            message["caption"] = caption
            if ents := caption_entities(caption):
                message["caption_entities"] = ents
        self.push({"message": message})
        return message

    def sent_file(self, call: Any, field: str) -> bytes:
        """Return the bytes the bot uploaded in a sendPhoto/sendDocument call."""
        upload = call.params[field]
        assert isinstance(upload, dict), f"{field} was not uploaded as a file: {upload!r}"
        return bytes(upload["body"])

    def api_getFile(self, params: dict[str, Any]) -> tuple[str, Any]:
        file_id = str(params.get("file_id", ""))
        if file_id not in self.files:
            return "wrong file_id or the file is temporarily unavailable", None
        path, data = self.files[file_id]
        return "", {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_size": len(data),
                    "file_path": path}

    def _send_upload(self, params: dict[str, Any], field: str) -> tuple[str, Any]:
        chat_id = int(params.get("chat_id", 0))
        if chat_id not in self.chats:
            return "chat not found", None
        upload = params.get(field)
        if not isinstance(upload, dict) or not upload.get("body"):
            return f"there is no {field} in the request", None
        caption = params.get("caption")
        if caption is not None:
            error = check_text(caption, params.get("parse_mode"))
            if error:
                return f"caption: {error}", None
            if utf16_len(str(caption)) > MAX_CAPTION_UNITS:
                return "message caption is too long", None
        error = check_markup(params.get("reply_markup"))
        if error:
            return error, None
        from .server import BOT_USER

        message = self.new_message(self.chats[chat_id], BOT_USER, "")
        del message["text"]
        file_id = f"sent{next(_file_ids)}"
        self.files[file_id] = (f"{field}s/{file_id}", bytes(upload["body"]))
        if field == "photo":
            message["photo"] = [{"file_id": file_id, "file_unique_id": f"u{file_id}",
                                 "width": 800, "height": 600}]
        else:
            message["document"] = {"file_id": file_id, "file_unique_id": f"u{file_id}",
                                   "file_name": upload.get("filename", "")}
        if caption:
            message["caption"] = caption
        return "", message

    def api_sendDocument(self, params: dict[str, Any]) -> tuple[str, Any]:
        return self._send_upload(params, "document")


class FileHandler(tornado.web.RequestHandler):
    """``GET /file/bot<token>/<file_path>``: the download URL of getFile's file_path."""

    def initialize(self, fake: Any) -> None:
        self.fake = fake

    def get(self, token: str, path: str) -> None:
        if token not in self.fake.tokens:
            self.set_status(401)
            self.finish()
            return
        found = [data for p, data in self.fake.files.values() if p == path]
        if not found:
            self.set_status(404)
            self.finish()
            return
        self.set_header("Content-Type", "application/octet-stream")
        self.finish(found[0])
