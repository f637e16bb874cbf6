"""Which phrases of a long list occur in a short text, without testing every phrase.

Every question is tested against the reviewed lists (≈ 200 intent phrases, 180 fillers, 100
rewrites): a Python loop of ``phrase in text`` over each list cost more than the rest of
understanding a question. A phrase can only occur where its first character does, so the
phrases are bucketed by first character once per list, and a ten-character question looks at
the few phrases its own characters start. Results are exactly the loops' results.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

# Lists indexed (by identity): the reviewed lists are few and live as long as the process.
MAX_LISTS = 64


class Phrases:
    """A list of phrases bucketed by first character; hashed by identity (cheap to cache on)."""

    __slots__ = ("phrases", "members", "_by_first", "_empty")

    def __init__(self, phrases: Sequence[str]) -> None:
        self.phrases = tuple(phrases)
        self.members = frozenset(self.phrases)  # ``word in phrases`` without a scan
        by_first: dict[str, list[int]] = {}
        for i, phrase in enumerate(self.phrases):
            if phrase:
                by_first.setdefault(phrase[0], []).append(i)
        self._by_first = {c: tuple(ids) for c, ids in by_first.items()}
        # An empty phrase is in every text (as ``"" in text`` says).
        self._empty = next((i for i, p in enumerate(self.phrases) if not p), -1)

    def found(self, text: str) -> list[int]:
        """Return the numbers of the phrases that occur in text, in list order."""
        by_first, phrases = self._by_first, self.phrases
        # Each phrase sits in one bucket, and each character of the text is visited once:
        # no number comes twice (but the empty phrases below may).
        ids = [i for c in set(text) for i in by_first.get(c, ()) if phrases[i] in text]
        if self._empty >= 0:
            ids.extend(i for i, p in enumerate(phrases) if not p)
            return sorted(set(ids))
        ids.sort()
        return ids

    def any_in(self, text: str) -> bool:
        """Tell whether any phrase occurs in text: ``any(p in text for p in phrases)``."""
        if self._empty >= 0:
            return True
        by_first, phrases = self._by_first, self.phrases
        return any(phrases[i] in text for c in set(text) for i in by_first.get(c, ()))

    def first_in(self, text: str, start: int = 0) -> int:
        """Return the first phrase number ≥ start that occurs in text, else -1."""
        return next((i for i in self.found(text) if i >= start), -1)


_indexed: dict[tuple[int, str], tuple[object, Phrases]] = {}


def _cached(owner: object, view: str, build: Callable[[], Sequence[str]]) -> Phrases:
    """Return the bucketed phrases of one view of a list, built once per list object."""
    key = (id(owner), view)
    held = _indexed.get(key)
    if held is not None and held[0] is owner:
        return held[1]
    if len(_indexed) >= MAX_LISTS:
        _indexed.clear()  # lists made per call (tests): start again rather than grow
    built = Phrases(build())
    # The list itself is kept, so its id cannot be reused by another list while cached.
    _indexed[key] = (owner, built)
    return built


def phrases_of(phrases: tuple[str, ...]) -> Phrases:
    """Return a tuple of phrases bucketed, built once per tuple."""
    return _cached(phrases, "phrases", lambda: phrases)


def olds_of(pairs: tuple[tuple[str, str], ...]) -> Phrases:
    """Return the words that (old, new) rewrite pairs replace, bucketed once per tuple."""
    return _cached(pairs, "olds", lambda: [old for old, _ in pairs])


def all_phrases_of(groups: tuple[tuple[str, tuple[str, ...]], ...]) -> Phrases:
    """Return every phrase of named groups (intents), in order, bucketed once per tuple."""
    return _cached(groups, "all", lambda: [p for _, phrases in groups for p in phrases])


def first_group(groups: tuple[tuple[str, tuple[str, ...]], ...], text: str) -> str | None:
    """Return the name of the first group with a phrase in text, else None: what
    ``next((n for n, ps in groups if any(p in text for p in ps)), None)`` returns."""
    found = all_phrases_of(groups).found(text)
    if not found:
        return None
    at = found[0]  # phrases are laid out group after group: the first found is the first group's
    for name, phrases in groups:
        if at < len(phrases):
            return name
        at -= len(phrases)
    return None  # unreachable: every phrase number falls in a group
