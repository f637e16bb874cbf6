"""Does a quote state what the question asks? A count in the asked measure word, or a name.

Counts come from the one extractor, ``qa.figures`` (with names and slogans included: a question
may ask "几个一活动" for “六个一”).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from qa.figures import find_figures

# Measure words that answer one another ("几个" is answered by "3家", "四张" or "2名").
FITS: dict[str, frozenset[str]] = {
    "名": frozenset("名人位"),
    "人": frozenset("名人位"),
    "位": frozenset("名人位"),
    "次": frozenset({"次", "回", "场次", "场", "期", "轮"}),
    "回": frozenset({"次", "回", "场次", "场"}),  # 「讲了几回党课」: 回 is the spoken 次
    "场": frozenset({"次", "场次", "场"}),
    "场次": frozenset({"次", "场次", "场"}),
    "个": frozenset("个家支项张所条件种类本部户届名人位"),
    "家": frozenset("个家所户"),
    "项": frozenset("个项件条"),
    "件": frozenset("个项件条"),
    "条": frozenset("个项件条"),  # 「多少条措施」 is answered by 「18项具体落实举措」
    "元": frozenset({"元", "万元"}),
    "%": frozenset({"%", "个百分点"}),
}
# Counts whose "one" is an article, not an answer ("一批党建品牌", "一个"); a digit is a count
# (「线上召开党员大会1次」).
_ARTICLE = frozenset({"个", "次", "批"})
# A person the report does not name: "*同志", "X同志", "某某".
HIDDEN_NAME = re.compile(r"(?:[*＊xX×]{1,3}|某{1,2})(?:同志|书记|局长|主任|部长|领导)|某某")
# Who a sentence can name when a question asks "是谁": a person (named or not) or a post.
PERSON = re.compile(r"同志|书记|局长|主任|部长|处长|科长|主席|组长|负责人|班子成员|党组成员|委员")
NEAR_CHARS = 6


def fits(measure: str, unit: str) -> bool:
    """Tell whether a count's measure word answers the asked one (any, when none was asked)."""
    return not unit or measure in FITS.get(unit, frozenset({unit}))


# 「研发投入强度从2.77%提高到3.3%」: the count after 从 is where a change started, not the state.
_CHANGED_TO = re.compile(
    r"(?:左右)?(?:提高|提升|增加|增长|上升|扩大|下降|降低|减少|缩小|压减)?(?:到|至)")


def stated_counts(sentence: str) -> list[tuple[int, str, str]]:
    """Return (position, count as written, measure word) of the counts a sentence states."""
    return [
        (m.start, m.text, m.measure)
        for m in find_figures(sentence, names=True)
        if m.value is not None
        and not (m.value == 1 and m.measure in _ARTICLE and not m.text[:1].isdigit())
        and not _is_starting_point(sentence, m.start, m.start + len(m.text))
    ]


def _is_starting_point(sentence: str, start: int, end: int) -> bool:
    """Tell whether a count is the start of a change (「从2.77%提高到3.3%」)."""
    return sentence[start - 1 : start] == "从" and _CHANGED_TO.match(sentence, end) is not None


def has_fitting_count(sentence: str, unit: str) -> bool:
    """Tell whether a sentence states a count in the measure word asked for."""
    if any(fits(measure, unit) for _, _, measure in stated_counts(sentence)):
        return True
    # A percentage or a quoted number ("3456"工作法) answers "多少" / "几几几几" without a unit.
    return not unit and re.search(r"\d+(?:\.\d+)?\s*[%％]|“\d{3,}”", sentence) is not None


def has_redacted_count(sentence: str, unit: str) -> bool:
    """Tell whether a sentence hides the count asked for ("开展了x次集中学习培训")."""
    return any(m.value is None and fits(m.measure, unit) for m in find_figures(sentence))


def fitting_counts(sentence: str, unit: str, terms: Sequence[str] = ()) -> list[str]:
    """Return the counts answering the asked measure word, those right after a question word
    first and alone when there are any ("全年发展党员20人" rather than "参训300余名").

    Of those, the counts in the clause of the question's most specific word come first:
    「地区生产总值增长5.2%左右，一般公共预算收入增长3.1%」 answers 地区生产总值增长 with 5.2%,
    though 增长 comes before both.
    """
    counts = [(at, text) for at, text, measure in stated_counts(sentence) if fits(measure, unit)]
    near = [(at, text) for at, text in counts if _follows_term(sentence, at, terms)]
    for term in sorted((t for t in terms if t in sentence), key=len, reverse=True)[:1]:
        own = [text for at, text in near or counts if term in _clause_before(sentence, at)]
        if own:
            return own
    return [text for _, text in near or counts]


_CLAUSE_BREAK = re.compile(r"[，,、；;。！!？?]")


def _clause_before(sentence: str, at: int) -> str:
    """Return the clause a count at ``at`` closes: back to the last comma or stop."""
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(sentence, 0, at)]
    return sentence[breaks[-1] if breaks else 0 : at]


def counts_after_terms(sentence: str, unit: str, terms: Sequence[str]) -> list[str]:
    """Return only the counts right after an asked word ("发展1名" for 发展), maybe none."""
    counts = stated_counts(sentence)
    return [text for at, text, measure in counts
            if fits(measure, unit) and _follows_term(sentence, at, terms)]


def _follows_term(sentence: str, at: int, terms: Sequence[str]) -> bool:
    folded = unicodedata.normalize("NFKC", sentence).lower()
    if len(folded) != len(sentence):
        folded = sentence
    for term in terms:
        start = folded.find(term)
        while start >= 0:
            if 0 <= at - (start + len(term)) <= NEAR_CHARS:
                return True
            start = folded.find(term, start + 1)
    return False


def has_hidden_name(sentence: str) -> bool:
    """Tell whether a sentence mentions a person whose name the report hides."""
    return HIDDEN_NAME.search(sentence) is not None


def names_someone(sentence: str) -> bool:
    """Tell whether a sentence says who: a person (named or hidden) or a post holder."""
    return PERSON.search(sentence) is not None or has_hidden_name(sentence)
