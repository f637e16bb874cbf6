"""The reviewed word lists in ``qa/data`` parsed into frozen values: language is data, not code."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from qa.data import data_path


def read_lines(name: str) -> list[str]:
    """Return the non-blank, non-comment lines of a data file, stripped."""
    text = data_path(name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def longest_first(words: Iterable[str]) -> tuple[str, ...]:
    """Return distinct words, longest first, so a phrase wins over the words inside it."""
    return tuple(sorted(dict.fromkeys(words), key=lambda w: (-len(w), w)))


def _keyed(name: str) -> dict[str, tuple[str, ...]]:
    """Parse `key: word word …` lines, keeping their order."""
    out: dict[str, tuple[str, ...]] = {}
    for line in read_lines(name):
        key, _, rest = line.partition(":")
        out[key.strip()] = out.get(key.strip(), ()) + tuple(rest.split())
    return out


@dataclass(frozen=True, slots=True)
class Thesaurus:
    """Query-side expansions: a word also searches these (colloquial → official, and groups)."""

    expansions: dict[str, tuple[str, ...]]

    def expand(self, word: str) -> tuple[str, ...]:
        """Return the words a question word also searches for."""
        return self.expansions.get(word, ())

    @property
    def phrases(self) -> tuple[str, ...]:
        """Return every left-hand phrase (jieba must keep them whole)."""
        return tuple(self.expansions)


def parse_thesaurus(lines: Iterable[str]) -> Thesaurus:
    """Parse `a b => x y` (one way) and `a b c` (every word finds the others) lines."""
    table: dict[str, list[str]] = {}

    def add(source: str, targets: Iterable[str]) -> None:
        row = table.setdefault(source, [])
        row.extend(t for t in targets if t != source and t not in row)

    for line in lines:
        if "=>" in line:
            left, _, right = line.partition("=>")
            for word in left.split():
                add(word, right.split())
        else:
            group = line.split()
            for word in group:
                add(word, group)
    return Thesaurus({k: tuple(v) for k, v in table.items() if v})


@dataclass(frozen=True, slots=True)
class Language:
    """Every reviewed list the question pipeline reads."""

    fillers: tuple[str, ...]
    rewrites: tuple[tuple[str, str], ...]
    intents: tuple[tuple[str, tuple[str, ...]], ...]
    topic_words: frozenset[str]
    which_phrases: tuple[str, ...]
    unit_aliases: tuple[tuple[str, str], ...]  # (alias, unit), longest alias first
    unit_blockers: tuple[str, ...]
    smalltalk: tuple[tuple[str, tuple[str, ...]], ...]
    thesaurus: Thesaurus
    more_phrases: frozenset[str]  # a follow-up that asks to expand the previous answer
    deficiency_phrases: tuple[str, ...]  # a shortcoming described: boosts problems passages
    # A meeting record's fields and the questions asking for them (地点: 在哪开 …).
    record_fields: tuple[tuple[str, tuple[str, ...]], ...] = ()


def _rewrites() -> tuple[tuple[str, str], ...]:
    pairs = []
    for line in read_lines("rewrites.txt"):
        left, _, right = line.partition("=>")
        pairs.append((left.strip().lower(), right.strip()))
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def _units() -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    aliases: list[tuple[str, str]] = []
    blockers: tuple[str, ...] = ()
    for unit, words in _keyed("units.txt").items():
        if unit == "!":
            blockers = longest_first(words)
            continue
        aliases.extend((alias, unit) for alias in (unit, *words))
    return tuple(sorted(set(aliases), key=lambda p: (-len(p[0]), p[0]))), blockers


@cache
def load_language() -> Language:
    """Read and parse every list in ``qa/data`` once."""
    intents = _keyed("intents.txt")
    topic = intents.pop("topic", ())
    which = intents.pop("which", ())
    deficiency = intents.pop("deficiency", ())
    aliases, blockers = _units()
    return Language(
        fillers=longest_first(read_lines("fillers.txt")),
        rewrites=_rewrites(),
        intents=tuple((k, longest_first(v)) for k, v in intents.items()),
        topic_words=frozenset(topic),
        which_phrases=longest_first(which),
        unit_aliases=aliases,
        unit_blockers=blockers,
        smalltalk=tuple((k, longest_first(v)) for k, v in _keyed("smalltalk.txt").items()),
        thesaurus=parse_thesaurus([*read_lines("synonyms.txt"), *_thesaurus_lines()]),
        more_phrases=frozenset(_keyed("followups.txt").get("more", ())),
        deficiency_phrases=longest_first(deficiency),
        record_fields=tuple((k, longest_first(v))
                            for k, v in _keyed("record_fields.txt").items()),
    )


def _thesaurus_lines() -> list[str]:
    try:
        return read_lines("thesaurus.txt")
    except FileNotFoundError:
        return []
