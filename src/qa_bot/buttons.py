"""The one callback-data codec: every button's data is ``prefix:part:part``, ≤ 64 bytes.

Each prefix is registered here with the handler family that answers it, so a new button
cannot collide with an old one and ``app.build_application`` routes by the same table.
Buttons of answers carry a query-log row id, so they survive restarts (``keyboards``).
"""

from __future__ import annotations

from telegram.constants import InlineKeyboardButtonLimit

MAX_DATA_BYTES = int(InlineKeyboardButtonLimit.MAX_CALLBACK_DATA)  # 64
SEP = ":"

# prefix → what it does (the handler families below route by these)
PREFIXES: dict[str, str] = {
    "m": "answer page (更多 / 上一页): m:<query_id>:<page>",
    "p": "原文 of an answer item: p:<query_id>:<item>",
    "f": "feedback vote: f:<query_id>:<+1|-1>",
    "s": "outline section: s:<report_ref>:<index>",
    "L": "upload preview: L:<token>:<ok|no|rp|nw>",
    "R": "removal confirmation: R:<token>:<ok|no>",
    "C": "compare a metric: C:<metric>",
    "G": "figures page: G:<report_ref>:<page>",
    "gp": "gaps page: gp:<page>",
    "gh": "gap handled: gh:<topic_hash>:<page>",
    "dg": "weekly digest switch: dg:<0|1>",
    "cs": "chat settings toggle: cs:<a|l|v|u|y>[:<index>]",
}
ANSWER = ("m", "p", "f", "s")
LIBRARY = ("L", "R")
FIGURES = ("C", "G")
GAPS = ("gp", "gh", "dg")
SETTINGS = ("cs",)


def encode(prefix: str, *parts: str | int) -> str:
    """Return a button's data; raise ValueError for an unknown prefix or over 64 bytes."""
    if prefix not in PREFIXES:
        raise ValueError(f"unregistered callback prefix: {prefix!r}")
    data = SEP.join((prefix, *map(str, parts)))
    if not fits(data):
        raise ValueError(f"callback_data too long: {data!r}")
    return data


def fits(data: str) -> bool:
    """Return whether data is within Telegram's 64-byte callback limit."""
    return len(data.encode()) <= MAX_DATA_BYTES


def decode(data: str | None) -> tuple[str, list[str]] | None:
    """Return (prefix, parts) of a registered button's data, None for anything else."""
    prefix, *parts = (data or "").split(SEP)
    return (prefix, parts) if prefix in PREFIXES and fits(data or "") else None


def pattern(prefixes: tuple[str, ...]) -> str:
    """Return the CallbackQueryHandler pattern that matches these prefixes."""
    return "^(?:" + "|".join(prefixes) + ")" + SEP
