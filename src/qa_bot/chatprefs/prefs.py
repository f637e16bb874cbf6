"""Per-chat preferences (/settings): which reports a chat searches, answer length, vote buttons.

Kept in the store's ``chat_settings`` table (one row per key) and cached per process; applied
where a chat's question is asked (``ask_in_chat``) and where its answer is rendered.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, cast

from qa import Answer, QAEngine, Report
from qa_bot.ask.routing import Request, run_request
from qa_bot.store.db import Store

PREFS = "chat_prefs"  # bot_data key: dict[chat_id, ChatPrefs]
KEYS = ("units", "years", "length", "votes")


@dataclass(frozen=True, slots=True)
class ChatPrefs:
    """One chat's choices; the defaults search every report, in full, with 👍/👎."""

    units: tuple[str, ...] = ()  # empty: every unit
    years: tuple[str, ...] = ()  # empty: every year
    brief: bool = False
    votes: bool = True

    def report_ids(self, reports: Sequence[Report]) -> frozenset[str] | None:
        """Return the ids this chat searches, or None for all reports."""
        if not self.units and not self.years:
            return None
        return frozenset(r.report_id for r in reports
                         if (not self.units or r.unit in self.units)
                         and (not self.years or r.year in self.years))

    def rows(self) -> dict[str, str]:
        """Return the chat_settings rows that store these choices."""
        return {"units": json.dumps(self.units, ensure_ascii=False),
                "years": json.dumps(self.years, ensure_ascii=False),
                "length": "brief" if self.brief else "full",
                "votes": "on" if self.votes else "off"}


def _names(raw: str) -> tuple[str, ...]:
    try:
        value = json.loads(raw) if raw else []
    except ValueError:
        return ()
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def from_rows(rows: dict[str, str]) -> ChatPrefs:
    """Read choices from chat_settings rows; unknown or broken values fall back to defaults."""
    return ChatPrefs(units=_names(rows.get("units", "")), years=_names(rows.get("years", "")),
                     brief=rows.get("length") == "brief", votes=rows.get("votes") != "off")


def _cache(bot_data: dict[Any, Any]) -> dict[int, ChatPrefs]:
    return cast("dict[int, ChatPrefs]", bot_data.setdefault(PREFS, {}))


async def load_prefs(bot_data: dict[Any, Any], store: Store, chat_id: int) -> ChatPrefs:
    """Return a chat's preferences (read once per process, then from the cache)."""
    cache = _cache(bot_data)
    if chat_id not in cache:
        cache[chat_id] = from_rows(await store.chat_settings(chat_id))
    return cache[chat_id]


async def save_prefs(bot_data: dict[Any, Any], store: Store, chat_id: int,
                     prefs: ChatPrefs) -> None:
    """Store a chat's preferences, then update the cache."""
    for key, value in prefs.rows().items():
        await store.set_chat_setting(chat_id, key, value)
    _cache(bot_data)[chat_id] = prefs


def outside_reports(engine: QAEngine, text: str, allowed: frozenset[str]) -> str | None:
    """Return what a question names ("党组", "002") when none of it is among the allowed reports."""
    scope = engine.understand(text).scope if text.strip() else None
    if scope is None or not scope.named or not scope.report_ids:
        return None
    return None if allowed & set(scope.report_ids) else scope.label


def brief_answer(answer: Answer) -> Answer:
    """Keep only the fact line and the first quote (brief answers)."""
    if not answer.found or not answer.quotes:
        return answer
    first = answer.quotes[0]
    return replace(answer, quotes=(first,), hits=(first.hit,))


def ask_in_chat(engine: QAEngine, request: Request, prefs: ChatPrefs,
                refuse: Callable[[str], str], earlier: str | None = None) -> Answer:
    """Answer a request within the chat's reports, or refuse one that names only others.

    ``refuse(label)`` words the "本群只检索…" notice (the bot words it, the core never does).
    """
    allowed = prefs.report_ids(engine.reports)
    label = None if allowed is None else outside_reports(engine, request.text, allowed)
    if label is not None:
        return Answer(request.text, "general", False, (), notice=refuse(label))
    answer = run_request(engine, request, earlier, reports=allowed)
    return brief_answer(answer) if prefs.brief else answer
