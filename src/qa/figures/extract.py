"""Read the figures of a report: every count with its measure word, metric phrase and sentence.

One extractor serves the figures table, comparisons, export and the bench. What counts as a figure:

* a number (Arabic, or a Chinese numeral under the rules below) directly followed by a measure word
  (名 人 人次 次 个 项 条 件 家 场 场次 期 批 篇 册 支 种 户 位 %), optionally with 万 and 余/多;
* a redaction marker (``**``, ``x``, ``X``, ``×``) in that place: recorded as redacted, value None.

What does not: years and dates (年/月/日 are no measure words), ordinals (第九套, 第一批; a number
after 第 or before 届), named methods and slogans (“1234”工作思路, “3456”工作法, 四个意识: digits
without a measure word, or anything inside quotes or 《》), the report talking about itself
(以下3个方面), and a measure word that opens a compound noun (一支部一品牌, 3项目).
Chinese numerals are mostly slogans in these reports (两个维护, 四种形态, 一岗双责), so one counts
only after a counting verb (开展十二次, 组建两支) or when it holds 十/百/千 (二十名).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from sys import intern

from qa.language import MEASURES, parse_chinese_number, split_sentences
from qa.models import Passage, Report

from .fixedphrase import is_set_phrase, plain_number
from .metricnames import canonical_metric

_NUMERALS = "零一二两三四五六七八九十百千"
# The number opens with one character class, so re scans for it in C instead of trying the
# alternatives at every position (≈ 2× faster); what follows the first character depends on
# its kind: digits (and a decimal part), Chinese numerals, redaction marks (** ＊＊ xX×).
_FIGURE = re.compile(
    rf"(?P<num>[\d{_NUMERALS}*＊xX×](?:(?<=\d)\d*(?:\.\d+)?|(?<=[{_NUMERALS}])[{_NUMERALS}]*"
    r"|(?<=\*)\**|(?<=＊)＊*|(?<=[xX×])[xX×]?))"
    r"(?P<wan>万亿|亿|万)?(?P<approx>余|多)?(?P<wan2>万亿|亿|万)?"
    rf"(?P<measure>{MEASURES})(?P<post>以上)?"
)
# What any figure holds: the last character of its number, then the measure word. Most passages
# hold none; this finds that without splitting them into sentences.
_FIGURE_END = re.compile(
    rf"[\d{_NUMERALS}*＊xX×](?:万亿|亿|万)?(?:余|多)?(?:万亿|亿|万)?(?:{MEASURES})"
)
_SCALE = {"万": 1e4, "亿": 1e8, "万亿": 1e12}
# A measure word that is really the first character of a noun: 一支部一品牌, 3项目, 5条例.
_COMPOUNDS = tuple(
    """支部 项目 条例 条件 家庭 家属 场所 场地 期间 名单 名称
    人员 人民 次序 种类 批准 批示 篇章 户籍 位置
    天然 天津 天府 元旦 元素 所属 所有 所在 座谈 台账 台阶 处理 处置 间隔 套餐 份额""".split()
)
# One alternation, tried at the measure word, in place of a startswith per compound (≈ 20 % of a
# whole-library extraction, the first /compare's wait).
_COMPOUND = re.compile("|".join(map(re.escape, _COMPOUNDS)))
_COUNT_VERBS = tuple(
    """开展 举办 召开 组织 完成 发展 组建 成立 慰问
    培训 建立 创建 共 计 达 了 过""".split()
)
_SELF_REFERENCE = ("以下", "如下", "下列", "上述")
_APPROX_BEFORE = (("超过", "超过"), ("逾", "超过"), ("近", "近"), ("约", "约"))
_NOT_APPROX = ("最近", "附近", "节约", "制约", "预约", "签约", "邀约")
_CLAUSE_END = "，,、；;：:。！？!?（）()\n"
_CLAUSE_MARK = re.compile(f"[{re.escape(_CLAUSE_END)}]")
# Greedy: the match ends just after the last clause mark before endpos.
_UP_TO_LAST_MARK = re.compile(f".*[{re.escape(_CLAUSE_END)}]", re.DOTALL)
_LEADING = re.compile(
    r"^(?:[一二三四五六七八九十]+是|\d+[.、．]|（[一二三四五六七八九十]+）|今年以来|今年|全年|年内|"
    r"一年来|上半年|下半年|其中|先后|现已|已经|已|共计|累计|合计|总计|同时|此外|另外)"
)
# A bare preposition left before the number says nothing: 对**人实施党纪处分.
_BARE = ("对", "向", "为", "给", "从", "在", "经", "共", "并", "还", "每")
_TRAILING = re.compile(
    r"(?:达到|达|为|均|共计|累计|合计|总计|(?<!公)共|分别|了|从|超过|逾|近|约|大约"
    r"|控制在|保持在|稳定在|低于|高于)$"
)
_QUALIFIER = re.compile(r"^(?:左右|以上|以下|以内|上下)")
# 等 closing an enumeration (扶贫帮困、政策讲解等志愿服务活动), not 一等奖 or 等级.
_ENUM_END = re.compile(r"(?<![一二三四五六七八九十平同相均])等(?![奖级次])")
# Where a long phrase may be cut: after a preposition or conjunction.
_CUT_AFTER = "为对向给把将在与和及"
MAX_AFTER = 16
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
MAX_PHRASE = 20


@dataclass(frozen=True, slots=True)
class Figure:
    """One count read from a report, with where it stands and what it counts."""

    report_id: str
    passage_id: str
    section: str  # display path of the passage's section
    unit: str
    year: str
    metric: str  # normalised phrase: synonyms folded (data/metrics.txt)
    metric_raw: str  # the phrase as read around the number
    value: float | None  # None when redacted
    measure: str  # measure word: 名 人 人次 次 个 … %
    approx: str  # "余" "多" "近" "约" "超过" or ""
    redacted: bool
    sentence: str  # the exact sentence holding the figure
    text: str = ""  # the figure as written, e.g. "500余人次"

    @property
    def display_value(self) -> str:
        """Return the value as users read it: "20", "300余", "近50", "**" when redacted."""
        if self.value is None:
            return "**"
        number = plain_number(self.value)
        if self.approx in ("余", "多"):
            return number + self.approx
        return f"{self.approx}{number}"


@dataclass(frozen=True, slots=True)
class _Match:
    start: int
    end: int
    value: float | None
    measure: str
    approx: str
    text: str


def extract_figures(report: Report) -> tuple[Figure, ...]:
    """Return every figure in a report's passages, in document order (pure)."""
    return tuple(f for p in report.passages for f in passage_figures(p, report.unit or report.title,
                                                                      report.year))


def passage_figures(passage: Passage, unit: str = "", year: str = "") -> Iterator[Figure]:
    """Yield the figures of one passage, sentence by sentence (qa.compose.split_sentences)."""
    if not _FIGURE_END.search(passage.text):
        # Most passages hold no figure; any match of _FIGURE ends in one of _FIGURE_END (neither
        # looks outside its own match), so a passage skipped here holds none.
        return
    for sentence in split_sentences(passage.text):
        matches = list(find_figures(sentence))
        previous: tuple[int, str] | None = None  # (end, metric_raw) of the last figure
        for i, m in enumerate(matches):
            next_start = matches[i + 1].start if i + 1 < len(matches) else len(sentence)
            raw = metric_phrase(sentence, m, previous, next_start)
            previous = (m.end, raw)
            # Interned: a library's table holds 5×10⁵ figures at 10⁶ passages, and a section's
            # path, built anew on each read, repeats across its passages and across reports.
            yield Figure(
                passage.report_id, passage.passage_id, intern(passage.section), unit, year,
                canonical_metric(raw), raw, m.value, intern(m.measure), intern(m.approx),
                m.value is None, sentence, m.text,
            )


def find_figures(sentence: str, names: bool = False) -> Iterator[_Match]:
    """Yield the counts in one sentence, skipping years, ordinals, slogans and quoted names.

    With ``names`` the numbers inside names and slogans count too (“六个一”, 两支队伍): a
    question may ask for them ("几个一活动"), though they are no statistics for the table.
    """
    for m in _FIGURE.finditer(sentence):
        num, start = m.group("num"), m.start()
        before = sentence[:start]
        if _skip(sentence, m, before, names):
            continue
        value = _value(num)
        scale = m.group("wan") or m.group("wan2")
        if value is not None and scale:
            value = round(value * _SCALE[scale], 6)  # 118.3万 is 1183000, not 1183000.0000000002
        measure = "%" if m.group("measure") == "％" else m.group("measure")
        approx = m.group("approx") or ("超过" if m.group("post") else _approx_before(before))
        yield _Match(start, m.end(), value, measure, approx, m.group(0))


def _skip(sentence: str, m: re.Match[str], before: str, names: bool = False) -> bool:
    num, end = m.group("num"), m.end("measure")
    redacted = num[0] in "*＊xX×"
    if before.endswith(("第", "每")) or (_in_quotes(before) and not names):
        return True  # 第九套 is an ordinal, 每千人口 / 每万人 the base of a rate
    if m.group("measure") == "届" and not names:
        return True  # 六届四次全会 names a session; only a question may ask for it
    if before.endswith(_SELF_REFERENCE) and not names:
        return True
    if _COMPOUND.match(sentence, end - len(m.group("measure"))):
        return True
    if redacted:
        # x inside a word (max, wsx2023) or × between numbers (3×4) is no redaction.
        return bool(before) and (before[-1].isascii() and before[-1].isalnum())
    if num[0].isdigit():
        # 2.1.3, ranges, and codes such as S101 (a road) or G7: no counts.
        return bool(before) and (before[-1] in ".．-－—~～" or before[-1].isascii()
                                 and before[-1].isalpha())
    if not names and is_set_phrase(sentence, m.start()):
        return True
    return not (names or any(u in num for u in _CN_UNITS) or before.endswith(_COUNT_VERBS))


def _in_quotes(before: str) -> bool:
    # Inside “…” or 《…》 a number names something (“1234”工作思路, 《应知应会100题》).
    opened = max(before.rfind("“"), before.rfind("《"), before.rfind("「"))
    closed = max(before.rfind("”"), before.rfind("》"), before.rfind("」"))
    return opened > closed or before.count('"') % 2 == 1


def _approx_before(before: str) -> str:
    if before.endswith(_NOT_APPROX):
        return ""
    return next((mark for word, mark in _APPROX_BEFORE if before.endswith(word)), "")


def _value(num: str) -> float | None:
    if num[0] in "*＊xX×":
        return None
    if num[0].isdigit():
        return float(num)
    return float(parse_chinese_number(num))


def metric_phrase(
    sentence: str, m: _Match, previous: tuple[int, str] | None, next_start: int
) -> str:
    """Read the phrase a figure counts: its clause before the number plus the noun after it."""
    clause_start = clause_start_before(sentence, m.start)
    after_prev = previous is not None and previous[0] > clause_start
    pre = "" if after_prev else _clean_before(sentence[clause_start : m.start])
    if not pre and not after_prev:
        pre = _label_before_colon(sentence, clause_start, m.start)
    if previous is not None and after_prev:
        if sentence[previous[0] : m.start].endswith(("到", "至")):
            return previous[1]  # 从10个上升到20个: the same count, later
    if pre.startswith(("较", "比", "同比")) and previous is not None:
        return previous[1]  # 较上半年的15次: the earlier value of the figure before
    mark = _CLAUSE_MARK.search(sentence, m.end, next_start)
    stop = mark.start() if mark else next_start
    # 左右/以上 qualify the number, not what it counts: 增长5%左右 counts 增长.
    after = _QUALIFIER.sub("", sentence[m.end : stop]).lstrip("的")[:MAX_AFTER]
    if after.endswith(("上升到", "增加到", "提高到", "增长到", "到", "至")):
        after = ""  # 从10个上升到20个: what follows is the next figure's verb
    return pre + after or (previous[1] if previous else "")


def clause_start_before(sentence: str, end: int) -> int:
    """Return where the clause holding position end starts: just after the last clause mark
    (，；：。… or a bracket) before end, else 0."""
    last = _UP_TO_LAST_MARK.match(sentence, 0, end)
    return last.end() if last else 0


def _label_before_colon(sentence: str, clause_start: int, start: int) -> str:
    """Read 发展党员 of 「发展党员：12名」, a table row's form (qa/documents/tablerows.py)."""
    if clause_start < 2 or sentence[clause_start - 1] not in "：:":
        return ""
    if sentence[clause_start:start].strip():
        return ""
    label_start = clause_start_before(sentence, clause_start - 1)
    return _clean_before(sentence[label_start : clause_start - 1].strip())


def _clean_before(text: str) -> str:
    ends = [m.end() for m in _ENUM_END.finditer(text)]
    if ends:
        # 政策讲解等志愿服务活动 → 志愿服务活动; 退役局、文旅局等20多家基层支部 → "" (noun follows)
        text = text[ends[-1] :]
    text = _strip(_LEADING, text, 4)  # stacked openers: 一是今年先后 …
    text = _strip(_TRAILING, text, 3)
    if len(text) > MAX_PHRASE:
        tail = text[-MAX_PHRASE:]
        cut = next((i + 1 for i, c in enumerate(tail) if c in _CUT_AFTER), 0)
        text = tail[cut:] if len(tail) - cut >= 4 else tail
    return "" if text in _BARE else text


def _strip(pattern: re.Pattern[str], text: str, most: int) -> str:
    # At most `most` anchored matches, one at a time; one that removes nothing ends it, as every
    # further try would remove nothing either.
    for _ in range(most):
        shorter = pattern.sub("", text, count=1)
        if shorter == text:
            break
        text = shorter
    return text
