"""Inline keyboards and their callback data, kept short: Telegram allows 64 bytes per button.

Their data is encoded by ``qa_bot.buttons`` (prefixes m, p, f, s); the query id is the row
id in the store's query log, so buttons survive restarts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from qa import Report

from .buttons import encode
from .render import Page, clip, section_label

_PATTERN = re.compile(r"^(?P<kind>[mpfs]):(?P<ref>[^:]{1,48}):(?P<arg>-?\d{1,6})$")


@dataclass(frozen=True, slots=True)
class CallbackData:
    """A parsed button press."""

    kind: str
    ref: str
    arg: int

    @property
    def query_id(self) -> int:
        """Return ref as a query id (for m/p/f buttons)."""
        return int(self.ref)

    def encode(self) -> str:
        """Return the wire form, checked against Telegram's 64-byte limit."""
        return encode(self.kind, self.ref, self.arg)


def parse_callback(data: str | None) -> CallbackData | None:
    """Parse callback data; None for anything this bot version did not produce."""
    match = _PATTERN.match(data or "")
    if match is None:
        return None
    kind, ref = match["kind"], match["ref"]
    if kind in "mpf" and not ref.isdigit():
        return None
    return CallbackData(kind, ref, int(match["arg"]))


def _button(text: str, kind: str, ref: str | int, arg: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=CallbackData(kind, str(ref), arg).encode())


def answer_keyboard(query_id: int, page: Page, votes: bool = True) -> InlineKeyboardMarkup:
    """Return 原文 buttons for the page's items, paging buttons and (unless off) 👍/👎."""
    rows = []
    if page.items:
        rows.append([_button(f"原文 {i + 1}", "p", query_id, i) for i in page.items])
    nav = []
    if page.number > 0:
        nav.append(_button("◀ 上一页", "m", query_id, page.number - 1))
    if page.number + 1 < page.total:
        nav.append(_button(f"更多 ▶ ({page.number + 2}/{page.total})", "m", query_id,
                           page.number + 1))
    if nav:
        rows.append(nav)
    if votes:  # a chat may hide them (/settings)
        rows.append([_button("👍 有用", "f", query_id, 1),
                     _button("👎 没用", "f", query_id, -1)])
    return InlineKeyboardMarkup(rows)


def report_ref(report: Report) -> str:
    """Return a prefix of the report id that fits in callback data."""
    return report.report_id[:40]


def outline_keyboard(report: Report) -> InlineKeyboardMarkup:
    """Return one button per section of a report, two per row."""
    buttons = [
        _button(clip(f"{s.index + 1}. {section_label(s)}", 28), "s", report_ref(report), s.index)
        for s in report.sections
    ][:60]  # Telegram rejects keyboards with more than 100 buttons
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])
