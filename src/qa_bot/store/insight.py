"""Usage insight over the query log: daily counts, found rate, votes, busiest chats, gaps.

Reads the store's tables (read-only, except marking a gap topic handled). A *gap* is a recent
question that was not answered or got a 👎; gaps are grouped by *topic*, the set of the
question's longest terms as the engine understands them (``topic_key``), so paraphrases of
one question ("党费怎么交" / "党费如何缴纳") share a group when they normalise to the same words.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from qa.language import drop_subterms

from .db import Store

# Question → its topic words (``lambda q: engine.understand(q).terms`` in the front ends).
TermsOf = Callable[[str], Sequence[str]]
TOP_N = 5
GAP_WINDOW = timedelta(days=30)
TOPIC_SEP = "、"
_VOTED_DOWN = "EXISTS (SELECT 1 FROM feedback f WHERE f.query_id = q.id AND f.vote = -1)"


@dataclass(frozen=True, slots=True)
class DayCount:
    """Questions asked on one local day, and how many of them were answered."""

    day: date
    questions: int
    found: int


@dataclass(frozen=True, slots=True)
class ChatCount:
    """Questions asked in one chat."""

    chat_id: int
    chat_type: str
    questions: int
    title: str = ""  # a group's title when known


@dataclass(frozen=True, slots=True)
class Stats:
    """Usage over the last ``days`` local days (today included)."""

    days: int
    per_day: tuple[DayCount, ...]  # every day of the window, oldest first, zeros included
    total: int
    found: int
    up: int
    down: int
    chats: tuple[ChatCount, ...]
    top_questions: tuple[tuple[str, int], ...]
    gap_topics: tuple[tuple[str, int], ...]

    @property
    def found_rate(self) -> float:
        """Return the share of questions answered (0 when there were none)."""
        return self.found / self.total if self.total else 0.0


@dataclass(frozen=True, slots=True)
class Gap:
    """Unanswered or 👎 questions on one topic: how many, from which chats, the latest when."""

    topic: str
    count: int
    chats: tuple[int, ...]
    questions: tuple[str, ...]  # distinct wordings, most recent first
    last_at: datetime
    titles: tuple[str, ...] = ()  # each chat's title ("" unknown), as ``chats``


def topic_key(question: str, terms: Sequence[str]) -> str:
    """Return a question's topic: its longest terms, sorted; the question itself if none."""
    words = sorted(drop_subterms([t for t in terms if t.strip()]))
    return TOPIC_SEP.join(words) if words else question.strip()


def window_start(days: int, now: datetime, tz: tzinfo) -> datetime:
    """Return the UTC start of the first local day of a ``days``-day window ending today."""
    local = now.astimezone(tz)
    first = datetime.combine(local.date() - timedelta(days=days - 1), datetime.min.time(), tz)
    return first.astimezone(UTC)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


async def _rows(store: Store, sql: str, params: Sequence[object]) -> list[tuple[Any, ...]]:
    async with store.db.execute(sql, params) as cursor:
        return [tuple(row) for row in await cursor.fetchall()]


async def usage_stats(store: Store, terms_of: TermsOf, days: int, now: datetime,
                      tz: tzinfo) -> Stats:
    """Return usage over the last ``days`` local days in time zone ``tz``."""
    start = window_start(days, now, tz)
    since = _iso(start)
    offset = now.astimezone(tz).utcoffset() or timedelta(0)
    shift = f"{int(offset.total_seconds() // 60):+d} minutes"
    counted = {str(d): (int(n), int(f)) for d, n, f in await _rows(
        store, "SELECT date(created_at, ?), COUNT(*), SUM(found) FROM queries"
        " WHERE created_at >= ? GROUP BY 1", (shift, since))}
    first = start.astimezone(tz).date()
    per_day = tuple(
        DayCount(day, *counted.get(day.isoformat(), (0, 0)))
        for day in (first + timedelta(days=i) for i in range(days)))
    ((up, down),) = await _rows(
        store, "SELECT COALESCE(SUM(f.vote = 1), 0), COALESCE(SUM(f.vote = -1), 0)"
        " FROM feedback f JOIN queries q ON q.id = f.query_id WHERE q.created_at >= ?", (since,))
    chats = await _rows(
        store, "SELECT q.chat_id, q.chat_type, COUNT(*), COALESCE(MAX(t.title), '')"
        " FROM queries q LEFT JOIN chat_titles t ON t.chat_id = q.chat_id"
        " WHERE q.created_at >= ? GROUP BY q.chat_id ORDER BY 3 DESC, q.chat_id LIMIT ?",
        (since, TOP_N))
    top = await _rows(
        store, "SELECT question, COUNT(*) FROM queries WHERE created_at >= ?"
        " GROUP BY question ORDER BY 2 DESC, MAX(created_at) DESC LIMIT ?", (since, TOP_N))
    unanswered = await _rows(
        store, "SELECT question, chat_id, created_at FROM queries WHERE created_at >= ?"
        " AND found = 0 ORDER BY created_at DESC", (since,))
    gap_rows = [(str(q), int(c), str(t)) for q, c, t in unanswered]
    groups = group_gaps(gap_rows, topics_of([q for q, _, _ in gap_rows], terms_of))
    return Stats(
        days=days, per_day=per_day, total=sum(d.questions for d in per_day),
        found=sum(d.found for d in per_day), up=int(up), down=int(down),
        chats=tuple(ChatCount(int(c), str(t), int(n), str(title)) for c, t, n, title in chats),
        top_questions=tuple((str(q), int(n)) for q, n in top),
        gap_topics=tuple((g.topic, g.count) for g in groups[:TOP_N]))


def topics_of(questions: Sequence[str], terms_of: TermsOf) -> dict[str, str]:
    """Return each distinct question's topic key (understanding each wording once)."""
    return {q: topic_key(q, terms_of(q)) for q in dict.fromkeys(questions)}


def group_gaps(rows: Sequence[tuple[str, int, str]], topics: dict[str, str],
               titles: Mapping[int, str] | None = None) -> list[Gap]:
    """Group (question, chat_id, created_at) rows, newest first, by topic; biggest first."""
    grouped: dict[str, list[tuple[str, int, str]]] = {}
    for row in rows:
        grouped.setdefault(topics[row[0]], []).append(row)
    named = titles or {}
    gaps = []
    for topic, items in grouped.items():
        chats = tuple(dict.fromkeys(c for _, c, _ in items))
        gaps.append(Gap(topic, len(items), chats, tuple(dict.fromkeys(q for q, _, _ in items)),
                        max(datetime.fromisoformat(t) for _, _, t in items),
                        tuple(named.get(c, "") for c in chats)))
    return sorted(gaps, key=lambda g: (-g.count, -g.last_at.timestamp(), g.topic))


async def open_gaps(store: Store, terms_of: TermsOf, now: datetime,
                    window: timedelta = GAP_WINDOW) -> list[Gap]:
    """Return recent unanswered or 👎 questions by topic, minus topics marked handled since."""
    rows = [(str(q), int(c), str(t)) for q, c, t in await _rows(
        store, "SELECT q.question, q.chat_id, q.created_at FROM queries q WHERE"
        f" q.created_at >= ? AND (q.found = 0 OR {_VOTED_DOWN}) ORDER BY q.created_at DESC",
        (_iso(now - window),))]
    handled = {str(t): str(at) for t, at in await _rows(
        store, "SELECT topic, handled_at FROM gap_handled", ())}
    topics = topics_of([q for q, _, _ in rows], terms_of)
    # A handled topic comes back only with questions asked after it was marked.
    fresh = [r for r in rows if r[2] > handled.get(topics[r[0]], "")]
    return group_gaps(fresh, topics, await chat_titles(store))


async def chat_titles(store: Store) -> dict[int, str]:
    """Return the known group titles by chat id."""
    return {int(c): str(t) for c, t in await _rows(
        store, "SELECT chat_id, title FROM chat_titles", ())}


async def remember_chat_title(store: Store, chat_id: int, title: str, now: datetime) -> None:
    """Record a group's current title (a renamed group shows its new name)."""
    await store.db.execute(
        "INSERT INTO chat_titles (chat_id, title, updated_at) VALUES (?, ?, ?)"
        " ON CONFLICT(chat_id) DO UPDATE SET title = excluded.title,"
        " updated_at = excluded.updated_at", (chat_id, title, _iso(now)))
    if store.db.in_transaction:
        await store.db.commit()


async def mark_handled(store: Store, topic: str, user_id: int | None, now: datetime) -> None:
    """Hide a gap topic until a question on it is asked again."""
    await store.mark_gap_handled(topic, user_id, _iso(now))
