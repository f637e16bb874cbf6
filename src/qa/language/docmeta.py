"""Unit and years read from the document itself: title, file name, opening and closing lines.

Real reports rarely name their unit in a tidy title. A provincial 政府工作报告 opens with a bare
「政府工作报告」 and says whose it is in the lines below (「广东省省长 孟凡利」, 「在云南省第十四届
人民代表大会…上」); a branch's summary is signed 「第三党支部」 at the end and dated 「2009.6.3」
or 「二〇二四年一月」. Two years matter: the year a report was written and the year it covers —
a 政府工作报告 delivered in January 2026 reviews 2025 and plans 2026.
"""

from __future__ import annotations

import re

_CN_DIGITS = {"〇": "0", "○": "0", "零": "0", "一": "1", "二": "2", "三": "3", "四": "4",
              "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
_CN_YEAR = re.compile(r"([〇○零一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})?月?")
_DOT_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*[.．/-]\s*(\d{1,2})(?:\s*[.．/-]\s*\d{1,2})?(?!\d)")
_YEAR_MONTH = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月")
# 「2019上半年度」「2020年上半年度」: the 度 may follow the half-year as well as the year.
_YEAR_WORD = re.compile(r"(?:19|20)\d{2}\s*(?:年度|年)*(?:(?:上半年|下半年|全年)度?)?")
_PLACE = r"([\u4e00-\u9fff]{2,10}?(?:省|市|自治区|自治州|地区|盟|县|区|旗))"
_PLACE_KIND = re.compile(r"(?:省|市|自治区|自治州|地区|盟|县|区|旗)$")
_LEADER = re.compile(_PLACE + r"(?:人民政府)?(?:省长|市长|主席|州长|县长|区长|旗长|专员)")
_CONGRESS = re.compile(r"在" + _PLACE + r"第[\u4e00-\u9fff]{1,4}届人民代表大会")
_UNIT_BEFORE_YEAR = re.compile(r"^(?:中共)?(.*?)(?:关于)?(?:19|20)\d{2}\s*年")
_UNIT_BEFORE_KIND = re.compile(r"^(?:中共)?(.*?)(?:党建|党风廉政|全面从严治党)?工作(?:总结|报告)")
# A news headline's verb after its subject: 「南开大学召开2021年度…工作会」 names 南开大学.
_MEETING_VERB = re.compile(r"(?:召开|举行|举办|印发|部署)$")
_NOT_UNIT = re.compile(r"年|^(?:政府|支部|工作|上半年|下半年|全年)$")
_TITLE = re.compile(r"(?:工作|党建)(?:总结|报告|汇报|要点|计划)$|政府工作报告$")
_GOV_TITLE = re.compile(r"^(?:(?:19|20)\d{2}\s*年度?)?\s*(.*?)(?:人民)?政府工作报告")
_ORG = re.compile(
    r"(?:中共|中国共产党)?([\u4e00-\u9fff0-9]{0,14}?"
    r"(?:党总支部|党总支|党支部|党委|党组|工委|委员会|人民政府))"
)
# The subject right after 「在…领导下，」: who the summary is about.
_LED = re.compile(r"领导下[，,]\s*([^，,。；;\n]{3,30})")
_GENERIC = {"党支部", "党总支", "党委", "党组", "工委", "委员会", "人民政府", "公司党委",
            "上级党委", "党总支部", "支部", "机关党委"}
_NOT_ORG_START = re.compile(
    r"^(?:在|由|经|按|向|对|为|被|围绕|根据|按照|全体|各|本|我|其|该|上级|所在)|中央|全国")


def closing_date(lines: list[str]) -> tuple[str, int]:
    """Return (year, month) of a date line near the end or the opening (0 month if unknown)."""
    for line in [*reversed(lines[-6:]), *lines[:12]]:
        line = line.strip().lstrip("—-－ 　")[:20]  # a date opens its line: 「2025年1月13日在…」
        # Most lines hold no date: the first two patterns need 19 or 20, the third 年.
        if "20" not in line and "19" not in line and "年" not in line:
            continue
        for pattern in (_YEAR_MONTH, _DOT_DATE):
            match = pattern.search(line)
            if match:
                return match.group(1), int(match.group(2))
        match = _CN_YEAR.search(line)
        if match:
            year = "".join(_CN_DIGITS[c] for c in match.group(1))
            month = _cn_month(match.group(2) or "")
            return year, month
    return "", 0


def _cn_month(text: str) -> int:
    values = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
    if not text:
        return 0
    if text.startswith("十"):
        return 10 + values.get(text[1:], 0)
    return values.get(text, 0)


def _government(title: str, opening: str) -> str:
    """Return "XX省人民政府" for a 政府工作报告 whose place the title or opening names."""
    match = _GOV_TITLE.match(title.strip())
    if match is None and "政府工作报告" not in opening[:300]:
        return ""
    # 「陕西省2026年政府工作报告」: the year may follow the place as well as lead the title.
    place = strip_years(match.group(1)) if match else ""
    if not place:
        found = _LEADER.search(opening) or _CONGRESS.search(opening)
        place = found.group(1) if found else ""
    elif not _PLACE_KIND.search(place):
        place = _full_place(place, opening)
    return f"{place}人民政府" if 2 <= len(place) <= 12 else ""


def _full_place(place: str, opening: str) -> str:
    """Return the full name of a place a title gives short (「2025年西藏政府工作报告」): the one
    the opening names (「在西藏自治区第十二届人民代表大会…」), so that one province's reports
    of two years share one unit whether their titles say 西藏 or 西藏自治区."""
    for pattern in (_CONGRESS, _LEADER):
        for found in pattern.finditer(opening):
            if found.group(1).startswith(place):
                return found.group(1)
    return place


def organisations(lines: list[str]) -> list[str]:
    """Return the organisation names the opening and signature lines give, in order, once."""
    found: list[str] = []
    for line in lines:
        match = _ORG.match(line.strip()[:60])  # the subject opens its line, a mention does not
        name = strip_years(match.group(1)) if match else ""
        if name not in _GENERIC and not _NOT_ORG_START.search(name) and len(name) >= 3:
            found.append(name)
    return list(dict.fromkeys(found))


def unit_from_document(title: str, text: str) -> str:
    """Return the unit a document names: a government's place, else a signed organisation."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    opening = "\n".join(lines[:20])
    government = _government(title, opening)
    if government:
        return government
    # A signature is a short line of its own at the end; the opening may name it in passing.
    signature = organisations([line for line in lines[-4:] if len(line) <= 25])
    leading = [n for n in organisations(lines[:6]) if len(n) <= 20]
    return (signature or leading or [_led_subject(opening)])[0]


def _led_subject(opening: str) -> str:
    """Return the organisation a summary's opening makes its subject after the leadership
    clause (「上半年，在公司党委领导下，机关党支部紧紧围绕……」 → 机关党支部), or ""."""
    match = _LED.search(opening[:300])
    return (organisations([match.group(1)]) or [""])[0] if match else ""


def title_line(text: str) -> str:
    """Return a short line among the first ones that reads as a report's title, or "".

    Pages saved from a website open with their menu (「下载」「打印」「全屏」…) before the title.
    """
    for line in [line.strip() for line in text.splitlines() if line.strip()][:20]:
        if 4 <= len(line) <= 40 and _TITLE.search(line) and not line.startswith(("—", "-")):
            return line
    return ""


def unit_from_titles(*titles: str) -> str:
    """Return the unit a title names before its year or "…工作总结", or "".

    Year words are not a unit (「2021年度工作总结」 names none), nor is a bare 「政府」: a
    政府工作报告's unit is its place's government, read by ``unit_from_document``.
    """
    for title in titles:
        if "政府工作报告" in title:
            continue
        for pattern in (_UNIT_BEFORE_YEAR, _UNIT_BEFORE_KIND):
            match = pattern.match(title)
            unit = _MEETING_VERB.sub("", strip_years(match.group(1))) if match else ""
            if 2 <= len(unit) <= 30 and not _NOT_UNIT.search(unit):
                return unit
    return ""


def document_unit(title: str, text: str) -> str:
    """Return a report's unit from its title, else from its opening and signature lines."""
    return unit_from_titles(title) or unit_from_document(title, text)


def strip_years(name: str) -> str:
    """Remove year words from a candidate unit ("2020年度机关党支部" → "机关党支部")."""
    return _YEAR_WORD.sub("", name).strip(" 　-_（）()")


def written_year(title: str, stem: str, text: str) -> str:
    """Return the year a report was written: title, file name, its dated lines, then text."""
    for source in (title, stem):
        match = re.search(r"(?:19|20)\d{2}", source)
        if match:
            return match.group(0)
    lines = [line for line in text.splitlines() if line.strip()]
    year, _ = closing_date(lines)
    if year:
        return year
    match = re.search(r"(?:19|20)\d{2}", text[:500])
    return match.group(0) if match else ""


def covered_year(year: str, text: str) -> str:
    """Return the year a report reviews: the year before when it opens by reviewing it
    (「2025年工作回顾」「过去的一年」) or was delivered in the first months of its year."""
    if not re.fullmatch(r"(?:19|20)\d{2}", year):
        return year
    before = str(int(year) - 1)
    opening = text[:3000]
    lines = [line for line in text.splitlines() if line.strip()]
    dated, month = closing_date(lines)
    early = dated == year and 1 <= month <= 3  # delivered at the start of its year
    named = re.search(before + r"\s*年(?:[和及与][^\n]{0,12})?工作回顾", opening)
    past = re.search(r"过去的?一年|刚刚过去的", opening)
    mention = re.search(before + r"\s*年", opening)
    reviews = bool(named) or (early and bool(past or mention)) or bool(past and mention)
    return before if early or reviews else year
