"""A fake Telegram Bot API on 127.0.0.1 that the real PTB Application talks to over HTTP.

It serves queued updates to getUpdates (long polling), records every call, keeps the messages
of each chat, and answers 400 exactly where the real API rejects a request (see validate.py).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import re
import time
from dataclasses import dataclass, field
from typing import Any

import tornado.httpserver
import tornado.netutil
import tornado.web

from .files import FileApi, FileHandler
from .updates import UpdateFactory
from .validate import check_inline_results, check_markup, check_photo, check_text

TOKEN = "123456:TEST-token-for-the-fake-server"
BOT_USER = {"id": 999000, "is_bot": True, "first_name": "党建问答", "username": "djqa_bot",
            "can_join_groups": True, "can_read_all_group_messages": False,
            "supports_inline_queries": True}
_FLOOD_COUNTED = {"sendMessage", "sendPhoto", "sendDocument", "editMessageText"}
_STRING_PARAMS = {"text", "callback_query_id", "inline_query_id", "parse_mode", "url",
                  "secret_token", "inline_message_id", "next_offset", "description", "caption"}


@dataclass
class Call:
    """One request the bot made, with the fake's verdict."""

    method: str
    params: dict[str, Any]
    status: int = 200
    error: str = ""
    at: float = field(default_factory=time.perf_counter)
    result: Any = None


class FakeTelegram(UpdateFactory, FileApi):
    """State and behaviour of the fake Bot API; start with ``await start()``."""

    def __init__(self, tokens: tuple[str, ...] = (TOKEN,)) -> None:
        self.tokens = set(tokens)
        self.calls: list[Call] = []
        self.updates: list[dict[str, Any]] = []
        self.pushed_at: dict[int, float] = {}
        self.chats: dict[int, dict[str, Any]] = {}
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.open_callbacks: set[str] = set()
        self.open_inline: set[str] = set()
        self.commands: list[dict[str, Any]] = []
        self.files: dict[str, tuple[str, bytes]] = {}
        # setMyCommands per scope: "default", "all_private_chats", "chat:<id>", …
        self.scoped_commands: dict[str, list[dict[str, Any]]] = {}
        self.chat_admins: dict[int, set[int]] = {}  # getChatMember: who administers a group
        self.photos: list[bytes] = []  # every uploaded photo, in order
        self.webhook: dict[str, Any] = {}  # setWebhook parameters; empty = polling
        self.faults: list[tuple[str, int, str, int | None]] = []
        # Telegram's per-group flood limit, off unless a test sets it: (messages, seconds).
        self.group_flood: tuple[int, float] | None = None
        self._posted: dict[int, list[float]] = {}
        self._ids = itertools.count(1)
        self._msg_ids: dict[int, itertools.count[int]] = {}
        self._changed = asyncio.Condition()
        self._server: tornado.httpserver.HTTPServer | None = None
        self.port = 0
        self._stopping = False

    @property
    def base_url(self) -> str:
        """Return the value for ApplicationBuilder.base_url."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def rejected(self) -> list[Call]:
        """Return every call the fake answered with an error."""
        return [c for c in self.calls if c.status != 200]

    async def start(self) -> None:
        """Listen on a free port of 127.0.0.1."""
        app = tornado.web.Application([(r"/bot([^/]+)/(\w+)", _Handler, {"fake": self}),
                                       (r"/file/bot([^/]+)/(.+)", FileHandler, {"fake": self})])
        sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
        self.port = sockets[0].getsockname()[1]
        self._server = tornado.httpserver.HTTPServer(app)
        self._server.add_sockets(sockets)

    async def stop(self) -> None:
        """Stop listening and drop open connections."""
        # Release a long poll the bot abandoned, so it ends cleanly before connections close.
        self._stopping = True
        await self._notify()
        await asyncio.sleep(0.01)
        if self._server is not None:
            self._server.stop()
            await self._server.close_all_connections()
            self._server = None

    # -- test API --------------------------------------------------------------------------

    def next_message_id(self, chat_id: int) -> int:
        """Return the next message id of a chat (shared by users and the bot, as in Telegram)."""
        return next(self._msg_ids.setdefault(chat_id, itertools.count(1)))

    def push(self, update: dict[str, Any]) -> int:
        """Queue an update for getUpdates and return its update_id."""
        update_id = next(self._ids)
        update["update_id"] = update_id
        self.updates.append(update)
        self.pushed_at[update_id] = time.perf_counter()
        asyncio.get_running_loop().create_task(self._notify())
        return update_id

    def inject(self, method: str, status: int, description: str, retry_after: int | None = None
               ) -> None:
        """Make the next call of ``method`` fail once with this status."""
        self.faults.append((method, status, description, retry_after))

    def mark(self) -> int:
        """Return a position in the call log, to wait for calls after it."""
        return len(self.calls)

    def since(self, mark: int, *methods: str) -> list[Call]:
        """Return the calls after mark, optionally only of the given methods."""
        return [c for c in self.calls[mark:] if not methods or c.method in methods]

    async def wait_for(self, mark: int, *methods: str, count: int = 1, timeout: float = 5.0
                       ) -> list[Call]:
        """Wait until ``count`` calls of the methods arrived after mark; return them."""
        async def ready() -> list[Call]:
            async with self._changed:
                await self._changed.wait_for(lambda: len(self.since(mark, *methods)) >= count)
            return self.since(mark, *methods)
        try:
            return await asyncio.wait_for(ready(), timeout)
        except TimeoutError:
            got = [(c.method, c.params.get("text", "")[:40]) for c in self.since(mark)]
            raise AssertionError(f"no {methods} x{count} within {timeout}s; got {got}") from None

    async def say(self, chat: dict[str, Any], sender: dict[str, Any], text: str,
                  reply_to: dict[str, Any] | None = None) -> tuple[list[Call], dict[str, Any]]:
        """A user sends a text; wait for the bot's first sendMessage after it. Return the
        sendMessage calls seen then and the message the user sent."""
        mark = self.mark()
        sent = self.send_text(chat, sender, text, reply_to)
        return await self.wait_for(mark, "sendMessage"), sent

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # -- the API ---------------------------------------------------------------------------

    async def handle(self, token: str, method: str, params: dict[str, Any]) -> tuple[int, Any]:
        """Answer one API call: (HTTP status, response JSON)."""
        if token not in self.tokens:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        call = Call(method, params)
        if method == "getUpdates" and not any(f[0] == method for f in self.faults):
            return 200, {"ok": True, "result": await self._get_updates(params)}
        for fault in self.faults:
            if fault[0] == method:
                self.faults.remove(fault)
                call.status, call.error = fault[1], fault[2]
                body: dict[str, Any] = {"ok": False, "error_code": fault[1],
                                        "description": fault[2]}
                if fault[3] is not None:
                    body["parameters"] = {"retry_after": fault[3]}
                await self._record(call)
                return fault[1], body
        flood = self._flood_wait(method, params)
        if flood is not None:
            call.status, call.error = 429, f"Too Many Requests: retry after {flood}"
            await self._record(call)
            return 429, {"ok": False, "error_code": 429, "description": call.error,
                         "parameters": {"retry_after": flood}}
        handler = getattr(self, f"api_{method}", None)
        if handler is None:
            call.status, call.error = 404, "Not Found"
        else:
            call.error, call.result = handler(params)
            call.status = 400 if call.error else 200
        await self._record(call)
        if call.status != 200:
            return call.status, {"ok": False, "error_code": call.status,
                                 "description": f"Bad Request: {call.error}"}
        return 200, {"ok": True, "result": call.result}

    def _flood_wait(self, method: str, params: dict[str, Any]) -> int | None:
        """Return retry_after if this post would exceed the group's limit (and count it if not).

        A sliding window, as Telegram describes it: no more than N messages a minute per group.
        """
        chat_id = int(params.get("chat_id") or 0)
        if self.group_flood is None or chat_id >= 0 or method not in _FLOOD_COUNTED:
            return None
        limit, period = self.group_flood
        now = time.monotonic()
        posted = [t for t in self._posted.get(chat_id, []) if t > now - period]
        if len(posted) >= limit:
            self._posted[chat_id] = posted
            return max(1, math.ceil(posted[-limit] + period - now))
        self._posted[chat_id] = [*posted, now]
        return None

    async def _record(self, call: Call) -> None:
        self.calls.append(call)
        await self._notify()

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        self.updates = [u for u in self.updates if u["update_id"] >= offset]
        # Long polling: hold the request until an update arrives, capped so shutdown is quick.
        wait = min(float(params.get("timeout") or 0), 1.0)
        if not self.updates and wait > 0:
            async with self._changed:
                try:
                    await asyncio.wait_for(self._changed.wait_for(
                        lambda: bool(self.updates) or self._stopping), wait)
                except TimeoutError:
                    pass
        return self.updates[:100]

    def api_getMe(self, params: dict[str, Any]) -> tuple[str, Any]:
        return "", BOT_USER

    def api_deleteWebhook(self, params: dict[str, Any]) -> tuple[str, Any]:
        self.webhook = {}
        return "", True

    def api_setWebhook(self, params: dict[str, Any]) -> tuple[str, Any]:
        # Telegram's rule for secret_token: 1–256 characters of A-Z a-z 0-9 _ -.
        secret = str(params.get("secret_token", ""))
        if secret and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            return "secret token contains unallowed characters", None
        self.webhook = dict(params)
        return "", True

    def api_setMyCommands(self, params: dict[str, Any]) -> tuple[str, Any]:
        commands = list(params.get("commands") or [])
        if not all(1 <= len(c["description"]) <= 256 for c in commands):
            return "BOT_COMMAND_DESCRIPTION_INVALID", None
        scope = params.get("scope") or {"type": "default"}
        key = scope["type"] + (f":{scope['chat_id']}" if "chat_id" in scope else "")
        if "chat_id" in scope and int(scope["chat_id"]) not in self.chats:
            return "chat not found", None
        self.scoped_commands[key] = commands
        if key == "default":
            self.commands = commands
        return "", True

    def api_getChatMember(self, params: dict[str, Any]) -> tuple[str, Any]:
        chat_id, user_id = int(params.get("chat_id", 0)), int(params.get("user_id", 0))
        if chat_id not in self.chats:
            return "chat not found", None
        person = {"id": user_id, "is_bot": False, "first_name": "成员"}
        if user_id not in self.chat_admins.get(chat_id, set()):
            return "", {"status": "member", "user": person}
        rights = dict.fromkeys((
            "can_be_edited", "is_anonymous", "can_manage_chat", "can_delete_messages",
            "can_manage_video_chats", "can_restrict_members", "can_promote_members",
            "can_change_info", "can_invite_users", "can_post_stories", "can_edit_stories",
            "can_delete_stories"), False)
        return "", {"status": "administrator", "user": person, **rights}

    def api_sendPhoto(self, params: dict[str, Any]) -> tuple[str, Any]:
        chat_id = int(params.get("chat_id", 0))
        if chat_id not in self.chats:
            return "chat not found", None
        photo = params.get("_files", {}).get("photo")
        if not isinstance(photo, bytes) or not photo.startswith(b"\x89PNG"):
            return "PHOTO_INVALID_DIMENSIONS", None  # this fake accepts uploaded PNGs only
        error = check_photo(photo)
        if error:
            return error, None
        caption = params.get("caption")
        if caption is not None:
            error = check_text(caption, params.get("parse_mode"))
            if error or len(str(caption)) > 1024:
                return error or "MEDIA_CAPTION_TOO_LONG", None
        self.photos.append(photo)
        message = self.new_message(self.chats[chat_id], BOT_USER, "")
        del message["text"]
        message["photo"] = [{"file_id": f"ph{len(self.photos)}", "file_unique_id":
                             f"uph{len(self.photos)}", "width": 1080, "height": 540}]
        if caption is not None:
            message["caption"] = caption
        return "", message

    def api_sendChatAction(self, params: dict[str, Any]) -> tuple[str, Any]:
        return "", True

    def api_sendMessage(self, params: dict[str, Any]) -> tuple[str, Any]:
        chat_id = int(params.get("chat_id", 0))
        if chat_id not in self.chats:
            return "chat not found", None
        error = check_text(params.get("text"), params.get("parse_mode")) or check_markup(
            params.get("reply_markup"))
        if error:
            return error, None
        reply = params.get("reply_parameters") or {}
        reply_id = reply.get("message_id", params.get("reply_to_message_id"))
        if reply_id is not None and (chat_id, int(reply_id)) not in self.messages:
            if not reply.get("allow_sending_without_reply"):
                return "message to be replied not found", None
        message = self.new_message(self.chats[chat_id], BOT_USER, params["text"])
        if reply_id is not None and (chat_id, int(reply_id)) in self.messages:
            message["reply_to_message"] = self.messages[(chat_id, int(reply_id))]
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        return "", message

    def api_editMessageText(self, params: dict[str, Any]) -> tuple[str, Any]:
        key = (int(params.get("chat_id", 0)), int(params.get("message_id", 0)))
        message = self.messages.get(key)
        if message is None:
            return "message to edit not found", None
        if message["from"]["id"] != BOT_USER["id"]:
            return "message can't be edited", None
        error = check_text(params.get("text"), params.get("parse_mode")) or check_markup(
            params.get("reply_markup"))
        if error:
            return error, None
        markup = params.get("reply_markup")
        if message["text"] == params["text"] and message.get("reply_markup") == markup:
            return ("message is not modified: specified new message content and reply markup"
                    " are exactly the same as a current content and reply markup of the message"
                    ), None
        message["text"], message["edit_date"] = params["text"], int(time.time())
        message.pop("reply_markup", None)
        if markup:
            message["reply_markup"] = markup
        return "", message

    def api_answerCallbackQuery(self, params: dict[str, Any]) -> tuple[str, Any]:
        query_id = str(params.get("callback_query_id"))
        if query_id not in self.open_callbacks:
            return "query is too old and response timeout expired or query ID is invalid", None
        if len(str(params.get("text") or "")) > 200:
            return "MESSAGE_TOO_LONG", None
        self.open_callbacks.discard(query_id)
        return "", True

    def api_answerInlineQuery(self, params: dict[str, Any]) -> tuple[str, Any]:
        query_id = str(params.get("inline_query_id"))
        button = params.get("button")
        if button is not None and not (button.get("text") and (
                button.get("start_parameter") or button.get("web_app"))):
            return "BUTTON_INVALID", None
        if query_id not in self.open_inline:
            return "query is too old and response timeout expired or query ID is invalid", None
        error = check_inline_results(params.get("results"))
        if error:
            return error, None
        self.open_inline.discard(query_id)
        return "", True


class _Handler(tornado.web.RequestHandler):
    def initialize(self, fake: FakeTelegram) -> None:
        self.fake = fake

    async def post(self, token: str, method: str) -> None:
        params: dict[str, Any] = {}
        if self.request.headers.get("Content-Type", "").startswith("application/json"):
            params = json.loads(self.request.body or b"{}")
        else:
            for key, values in self.request.body_arguments.items():
                raw = values[-1].decode()
                params[key] = raw if key in _STRING_PARAMS else _maybe_json(raw)
            for key, uploads in self.request.files.items():  # multipart: sendPhoto, sendDocument
                params[key] = {"filename": uploads[-1].filename, "body": uploads[-1].body}
            # Uploads (multipart/form-data): the field names the parameter, or attach://name.
            files = {k: v[0]["body"] for k, v in self.request.files.items()}
            for key, value in list(params.items()):
                if isinstance(value, str) and value.startswith("attach://"):
                    files[key] = files.get(value.removeprefix("attach://"))
            params["_files"] = files
        status, body = await self.fake.handle(token, method, params)
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body, ensure_ascii=False))

    get = post


def _maybe_json(raw: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return raw
