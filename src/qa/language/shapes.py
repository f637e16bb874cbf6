"""The shape of a question: what it counts, measures, asks a list or a person for, and when.

Read from the question's text alone, by Chinese grammar (measure words after 多少/几, the
cleft 是谁…的, a bar after 超过, an ordinal 第一个): no report and no word list is needed, so
``Query`` reads them as properties and ``understand`` as it builds one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .text import parse_chinese_number

# The measure words a count is written with, longest first where one begins another (人次, 人):
# what the figure reader (qa.figures) reads after a number and what a question may ask for.
MEASURES = (
    "个百分点|人次|场次|名|人|位|次|个|项|条|件|家|场|期|批|篇|册|支|种|户|张|届|%|％"
    # Units of general reports (政府工作报告, 支部总结): money, length, area, weight, power, time.
    "|千瓦时|千瓦|兆瓦|公里|千米|平方公里|平方米|立方米|公顷|亩|吨|公斤|斤|元|美元|学时|课时|小时|天"
    "|所|座|套|台|辆"
    "|处|间|栋|艘|架|床|份"
)
# 「多少辆」「几个百分点」; 回 is the spoken 次, 类 a kind, 万元 money counted in ten thousands.
_UNIT_ASKED = re.compile(rf"(?:多少|几)(万元|回|类|{MEASURES})")
# "哪些省份 / 哪几个支部 / 各省 / 哪家": a question about several units, one line per report.
# ("各支部书记" is every branch's secretary, not a comparison: 各 only before a place.)
WHICH_UNITS = re.compile(
    r"哪[个些几一]?个?(?:省份?|城市|市|自治区|地区|县|单位|部门|党支部|支部|党委|党组|工委|机关)"
    r"|各(?:省份?|市|自治区|地区)|哪家|哪几家"
    r"|哪[些几一]?年份?")  # 「哪几年被评过先进」: one line per report, each with its year
_RATE_ASKED = re.compile(r"[率度比例]\S{0,3}(?:多少|多高|多大|几成)|占比|百分之|百分比")
# Counting a list's items ("有几条", "哪几大块", "几个…分别") asks for the list itself.
# 「哪几」 is read as 「哪些」: 「哪些件事」 counts the list, 「哪些内容」 does not.
_ITEMS_COUNTED = re.compile(r"哪些[件个条项点块]|几(?:条|大块|大项|项|点|件|个)")
_ITEMS_ASKED = re.compile(r"几(?:条|大块|大项|项|点|件|大)|哪几|哪些[个条项点件块]|几个.*分别")
# 「去年」「上一年」: the question asks what was done, which a plan (this year's target) is not.
_PAST = re.compile(r"去年|前年|上一?年|过去一年|过去的一年")
# 「2025年报告里…」: the year dates the report, not the event asked about.
_REPORT_DATED = re.compile(r"\d{2,4}年度?的?(?:[\u4e00-\u9fff]{0,4}(?:报告|总结))")
# 「谁当组长」「组长是谁」「由谁担任组长」: the post asked about.
_ROLE_AFTER = re.compile(r"谁(?:来当|当|任|担任)([\u4e00-\u9fff]{2,4}?)(?:呢|啊|吗|$|[？?，,。])")
# The post word right before 是谁 ending the question (not 「是谁拉起来的」) or 由谁担任.
_ROLE_BEFORE = re.compile(r"([\u4e00-\u9fff]{2})(?:是谁(?=$|[？?，,。呢啊吗])|由谁担任)")
# 「是谁拉起来的」「谁办的」: who did a thing (the cleft 是谁…的 around an action), not who holds
# a post (谁当, 谁任, 谁是, 谁负责).
_DOER_ASKED = re.compile(r"谁(?!当|任|是|担任|负责|分管|来当)[\u4e00-\u9fff]{1,4}的")


def items_counted(text: str) -> bool:
    """Tell whether a question counts a list's items ("哪几件事", "几个狠抓分别")."""
    return _ITEMS_COUNTED.search(text.replace(" ", "")) is not None


def items_asked(text: str) -> bool:
    """Tell whether a question asks for a list's items ("提了哪几个坚持", "分哪几条")."""
    return _ITEMS_ASKED.search(text.replace(" ", "")) is not None


def looks_back(text: str) -> bool:
    """Tell whether a question asks about last year (「去年」): what was done, not planned."""
    return _PAST.search(text) is not None


def is_past_word(word: str) -> bool:
    """Tell whether a word only says when (去年, 上一年): not a topic."""
    return _PAST.fullmatch(word) is not None


def report_dated(question: str) -> bool:
    """Tell whether a question's year dates a report (「2025年报告里」), not an event."""
    return _REPORT_DATED.search(question.replace(" ", "")) is not None


def asked_role(text: str) -> str:
    """Return the post a name question asks who holds (「整改领导小组谁当组长」 → 组长)."""
    compact = text.replace(" ", "")
    found = _ROLE_AFTER.search(compact) or _ROLE_BEFORE.search(compact)
    return found.group(1) if found else ""


def doer_asked(text: str) -> bool:
    """Tell whether a name question asks who did a thing (「展览是谁办的」)."""
    return _DOER_ASKED.search(text.replace(" ", "")) is not None


# 「湖南和湖北谁的GDP增速高」「哪个发展党员更多」: who is ahead on a measure compares the units.
_WHO_IS_AHEAD = re.compile(
    r"(?:谁|哪个|哪家|哪一?方)[^，。？?,!！]{0,12}?(?:更|比较|相对)?(?:高|低|多|少|快|慢|大|小)"
    r"(?:一些|一点|些)?(?:[？?。！!]|$)")


def asks_units(text: str) -> bool:
    """Tell whether a question names several units by kind (哪些省份, 各省, 哪家, 哪几年)."""
    return WHICH_UNITS.search(text) is not None


def asks_who_is_ahead(text: str) -> bool:
    """Tell whether a question asks which is ahead on a measure (谁的增速高, 哪个更多): with
    two units named, a comparison of them."""
    return _WHO_IS_AHEAD.search(text) is not None


def is_amount_noun(word: str) -> bool:
    """Tell whether a word only says "an amount of" (人数, 产量, 比重)."""
    return _AMOUNT_NOUN.search(word) is not None


def asked_unit(text: str, which: bool = False) -> str:
    """Return the measure word a figure question asks for ("多少人次" → "人次"), or "".

    In a question about several units, "几家" counts the units, not the answer
    ("写了发展党员数的几家里面，哪家发展得最少").
    """
    compact = text.replace(" ", "")
    for match in _UNIT_ASKED.finditer(compact):
        if match.group(1) == "个" and compact.startswith("人", match.end()):
            return "人"  # 「几个人」 counts people: 个 is only the classifier
        if not (which and match.group(1) == "家"):
            return match.group(1)
    # A rate or a share is answered by a percentage ("报到率是多少", "满意度有多高").
    return "%" if _RATE_ASKED.search(compact) else ""


# What a figure question asks the size of: a word right before 有多大 / 多高 / 多长 …
# (Only a size asked: 「收入是多少」 may be answered by a count the passage words otherwise.)
_MEASURED = re.compile(r"([\u4e00-\u9fff]{2,4}?)(?:一共|总共|大概|大约)?(?:有|是|为|达到?)?"
                       r"(?:多大|多高|多长|多重|多宽|多远)")
# Nouns that only say "an amount of" (人数, 总量, 金额, 比例): any count answers them.
_AMOUNT_NOUN = re.compile(r"(?:数|量|额|值|率|速|幅|比例|比重|规模|多少)$")


def measured_attribute(text: str, tokens: Callable[[str], Sequence[str]]) -> str:
    """Return the attribute a figure question measures ("活动室面积有多大" → 面积), or "".

    Only a word naming a particular attribute counts; an amount noun (人数, 总量) is answered
    by any count in the asked measure word.
    """
    match = _MEASURED.search(text.replace(" ", ""))
    if match is None:
        return ""
    words = [w for w in tokens(match.group(1)) if len(w) >= 2]
    word = words[-1] if words else ""
    return "" if not word or _AMOUNT_NOUN.search(word) else word


# 「多少人参赛」: the people counted are those who do what follows (参赛, 获奖, 受益).
_PEOPLE_WHO = re.compile(r"(?:多少|几)[个名位]?(?:人次|人)([\u4e00-\u9fff]{2,4})")


def counted_doing(text: str, tokens: Callable[[str], Sequence[str]]) -> str:
    """Return what the people a figure question counts do ("多少人参赛" → 参赛), or ""."""
    match = _PEOPLE_WHO.search(text.replace(" ", ""))
    if match is None:
        return ""
    words = tokens(match.group(1))
    word = words[0] if words else ""
    return word if len(word) >= 2 and not _AMOUNT_NOUN.search(word) else ""


# What a figure question counts: the noun after 多少 / 几 + measure word (「查出来多少问题」).
_COUNTED_NOUN = re.compile(r"(?:多少|几)[个条项件名次处家]?([\u4e00-\u9fff]{2})")


def counted_noun(text: str) -> str:
    """Return the noun a figure question counts ("多少问题" → 问题), or ""."""
    match = _COUNTED_NOUN.search(text.replace(" ", ""))
    return match.group(1) if match else ""


@dataclass(frozen=True, slots=True)
class Bar:
    """A threshold a question sets: 「城镇新增就业超过100万人」 is 1000000 in 人 of 城镇新增就业."""

    amount: float
    unit: str
    said: str
    subject: str = ""  # what is counted: the words right before the bar


_BAR = re.compile(
    r"(?:超过|超出|过了|突破|多于|高于|大于|不少于|不低于|达到)"
    r"(?P<n>\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+)(?P<x>万|亿)?"
    r"(?P<u>[%％]|个百分点|[\u4e00-\u9fff]{1,2}?)"
    r"(?=以上|的|$|[,，。?？!！])"
    r"|(?P<n2>\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+)(?P<x2>万|亿)?"
    r"(?P<u2>[%％]|个百分点|[\u4e00-\u9fff]{1,2}?)以上")
_MULTIPLIER = {"万": 1e4, "亿": 1e8}
MAX_SUBJECT_CHARS = 8


def amount_of(number: str, multiplier: str = "") -> float:
    """Return what a number says with its multiplier (「1.5」 万 → 15000, 「一」 万 → 10000)."""
    value = float(number) if number[0].isdigit() else float(parse_chinese_number(number))
    return value * _MULTIPLIER.get(multiplier, 1.0)


def asked_bar(text: str) -> Bar | None:
    """Return the threshold a which-question sets (「过了一万公里」), else None."""
    found = _BAR.search(text.replace(" ", ""))
    if found is None:
        return None
    number = found.group("n") or found.group("n2")
    multiplier = found.group("x") or found.group("x2") or ""
    unit = found.group("u") or found.group("u2")
    before = WHICH_UNITS.sub(" ", text.replace(" ", "")[: found.start()]).split(" ")[-1]
    subject = re.sub(r"[^\u4e00-\u9fff]", "", before)[-MAX_SUBJECT_CHARS:]
    return Bar(amount_of(number, multiplier), unit, found.group(0), subject)


# 「第一个表率是啥」: an item asked by its place in a list, and what the list's items are.
_ORDINAL = re.compile(r"第([一二三四五六七八九十两\d]+)(?:个|条|点|项|件|方面|部分)")
_ORDINAL_NOUN = re.compile(r"[\u4e00-\u9fff]{1,4}?(?=是|的|叫|指|$)")


def asked_ordinal(text: str) -> tuple[int, str]:
    """Return the place a question picks an item by and what the items are (「第一个表率是啥」
    → 1, 表率), else (0, "")."""
    compact = text.replace(" ", "")
    found = _ORDINAL.search(compact)
    if found is None:
        return 0, ""
    number = found.group(1)
    place = int(number) if number.isdigit() else parse_chinese_number(number)
    noun = _ORDINAL_NOUN.match(compact, found.end())
    return place, noun.group(0) if noun else ""


# 「讲了哪几个方面」「主要内容是啥」「说了些什么」: what a named report says, part by part.
_OUTLINE = re.compile(r"哪[几些]个?方面|哪[几些]点|哪几部分|主要内容|讲了?些?(?:啥|什么)|"
                      r"说了?些?(?:啥|什么)|讲的(?:是)?(?:啥|什么)|内容是(?:啥|什么)")


def asks_outline(text: str) -> bool:
    """Tell whether a question asks what a report says, part by part."""
    return _OUTLINE.search(text.replace(" ", "")) is not None


# 「今年搞了哪些活动」「开展了什么」: a verb made perfective by 了, then the question word.
_DONE = re.compile(r"[\u4e00-\u9fff]了(?:哪些|哪几|什么|啥|几|多少)")


def asks_done(text: str) -> bool:
    """Tell whether a question asks what was done (a verb with 了 before its question word)."""
    return _DONE.search(text.replace(" ", "")) is not None
