"""The checks Telegram's Bot API applies before accepting a message; each returns an error or None.

Error strings follow the real API's wording closely enough to be recognisable in a failure.
"""

from __future__ import annotations

import html
import re
from typing import Any

MAX_TEXT_UNITS = 4096
MAX_CALLBACK_BYTES = 64
MAX_INLINE_RESULTS = 50
MAX_BUTTONS = 100
MAX_CALLBACK_ANSWER_CHARS = 200
# sendPhoto: "at most 10 MB in size; width and height must not exceed 10000 in total; width and
# height ratio must be at most 20" (Bot API).
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PHOTO_SIDES = 10_000
MAX_PHOTO_RATIO = 20

# Tags Telegram's HTML parse mode understands, with the attributes each may carry.
ALLOWED_TAGS: dict[str, set[str]] = {
    "b": set(), "strong": set(), "i": set(), "em": set(), "u": set(), "ins": set(),
    "s": set(), "strike": set(), "del": set(), "tg-spoiler": set(), "span": {"class"},
    "a": {"href"}, "code": {"class"}, "pre": set(), "tg-emoji": {"emoji-id"},
    "blockquote": {"expandable"},
}
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:=\"[^\"]*\"|='[^']*')?)*)\s*>")
_ATTR = re.compile(r"([a-zA-Z-]+)(?:=(?:\"[^\"]*\"|'[^']*'))?")
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#\d{1,7}|#x[0-9a-fA-F]{1,6});")


def utf16_len(text: str) -> int:
    """Return the length in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def parse_html(text: str) -> tuple[str | None, str]:
    """Parse Telegram HTML; return (error or None, the plain text the user would see)."""
    plain: list[str] = []
    stack: list[str] = []
    pos = 0
    while pos < len(text):
        ch = text[pos]
        if ch == "<":
            match = _TAG.match(text, pos)
            if match is None:
                return f"can't parse entities: Unsupported start tag at byte offset {pos}", ""
            closing, name, attrs = match[1], match[2].lower(), match[3]
            if name not in ALLOWED_TAGS:
                return f'can\'t parse entities: Unsupported start tag "{name}"', ""
            if closing:
                if not stack or stack[-1] != name:
                    return f'can\'t parse entities: Unmatched end tag "{name}"', ""
                stack.pop()
            else:
                bad = {a for a in _ATTR.findall(attrs)} - ALLOWED_TAGS[name]
                if bad:
                    return f"can't parse entities: unsupported attribute {sorted(bad)}", ""
                if name == "blockquote" and "blockquote" in stack:
                    return "can't parse entities: nested blockquote", ""
                stack.append(name)
            pos = match.end()
        elif ch == "&":
            match = _ENTITY.match(text, pos)
            if match is None:
                return f"can't parse entities: unescaped & at byte offset {pos}", ""
            plain.append(html.unescape(match[0]))
            pos = match.end()
        else:
            plain.append(ch)
            pos += 1
    if stack:
        return f"can't parse entities: Can't find end tag corresponding to tag {stack[-1]}", ""
    return None, "".join(plain)


def check_text(text: Any, parse_mode: Any) -> str | None:
    """Check a message text the way sendMessage/editMessageText do."""
    if not isinstance(text, str):
        return "message text is empty"
    plain = text
    if parse_mode == "HTML":
        error, plain = parse_html(text)
        if error:
            return error
    if not plain.strip():
        return "message text is empty"
    if utf16_len(plain) > MAX_TEXT_UNITS:
        return "message is too long"
    return None


def check_markup(markup: Any) -> str | None:
    """Check an inline keyboard: callback_data length, button count."""
    if markup is None:
        return None
    if not isinstance(markup, dict) or not isinstance(markup.get("inline_keyboard"), list):
        return "can't parse reply keyboard markup JSON object"
    buttons = [b for row in markup["inline_keyboard"] for b in row]
    if len(buttons) > MAX_BUTTONS:
        return "BUTTONS_TOO_MUCH"
    for button in buttons:
        if not button.get("text"):
            return "BUTTON_TEXT_EMPTY"
        data = button.get("callback_data")
        if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_BYTES:
            return "BUTTON_DATA_INVALID"
    return None


def check_inline_results(results: Any) -> str | None:
    """Check answerInlineQuery results: count, ids, article contents."""
    if not isinstance(results, list):
        return "RESULTS_INVALID"
    if len(results) > MAX_INLINE_RESULTS:
        return "RESULTS_TOO_MUCH"
    ids = [r.get("id") for r in results]
    if len(set(ids)) != len(ids) or any(not i or len(str(i).encode()) > 64 for i in ids):
        return "RESULT_ID_INVALID"
    for result in results:
        if result.get("type") == "article" and not result.get("title"):
            return "RESULT_TITLE_EMPTY"
        content = result.get("input_message_content") or {}
        error = check_text(content.get("message_text"), content.get("parse_mode"))
        if error:
            return f"MESSAGE_TEXT_INVALID: {error}"
        error = check_markup(result.get("reply_markup"))
        if error:
            return error
    return None


def check_photo(png: bytes) -> str | None:
    """Return why Telegram would refuse a PNG as a photo (size, dimensions), or None."""
    if len(png) > MAX_PHOTO_BYTES:
        return "Request Entity Too Large"
    if len(png) < 24 or png[12:16] != b"IHDR":
        return "IMAGE_PROCESS_FAILED"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    if not width or not height or width + height > MAX_PHOTO_SIDES \
            or max(width, height) > MAX_PHOTO_RATIO * min(width, height):
        return "PHOTO_INVALID_DIMENSIONS"
    return None
