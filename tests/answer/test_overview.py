"""Section overviews (qa.answer.compose.report_overview): what a 「下步计划」 list shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa import QAEngine, Tokenizer
from qa.engine import MAX_SECTION_REPORTS
from qa.language.shapes import asked_ordinal
from qa.models import Hit, Passage, Quote

BODY = "加强统筹协调，完善工作机制，推动各项任务落地见效，取得了明显成效，群众满意度持续提升。"
BRANCH = f"""第五党支部2021年度工作总结
一、加强理论学习
{BODY}
二、坚持服务职工
{BODY}
明年，党支部将按照公司党委要求，进一步加强党员教育，激励党员干部牢记使命。
一是深入学习贯彻党的十九届六中全会精神。{BODY}
二是深入推进支部书记工作室建设。{BODY}
"""


def test_a_plan_list_after_the_lead_in_is_listed_item_by_item(
        segmenter: Tokenizer, tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text(BRANCH, encoding="utf-8")
    engine = QAEngine.from_directory(tmp_path, segmenter=segmenter)
    answer = engine.ask("明年打算干哪几件事")
    quote = answer.quotes[0]
    assert quote.items == ("一是深入学习贯彻党的十九届六中全会精神",
                           "二是深入推进支部书记工作室建设")
    assert answer.hits[0].passage.text.startswith("一是")
    assert quote.items_under == ("二、坚持服务职工",)


def test_items_that_are_the_top_level_have_no_heading_above_them() -> None:
    def passage(path: tuple[str, ...]) -> Passage:
        return Passage("p", "r", "r", path, "plans", "一是深入学习。", "一是深入学习")

    top = Quote(Hit(passage(("一是深入学习",)), 0.0, ()), "一是深入学习", (), ("一是深入学习",))
    nested = Quote(Hit(passage(("四、计划", "一是深入学习")), 0.0, ()), "", (), ("一是深入学习",))
    assert top.items_under == () and nested.items_under == ("四、计划",)


HALF_YEAR = f"""第五党支部2021年上半年工作总结
一、加强理论学习
{BODY}
二、坚持服务职工
{BODY}
下半年，党支部将结合主题教育，进一步加强党员干部的学习教育。
一是认真抓好党建活动载体。{BODY}
二是认真抓好党员队伍建设。{BODY}
"""


def test_a_half_year_plan_is_the_list_its_lead_in_announces(
        segmenter: Tokenizer, tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text(BRANCH.replace("2021年度", "2020年度"), encoding="utf-8")
    (tmp_path / "h.txt").write_text(HALF_YEAR, encoding="utf-8")
    engine = QAEngine.from_directory(tmp_path, segmenter=segmenter)
    answer = engine.ask("21年下半年支部准备咋干")
    # The first half's summary plans the second: not 2020's plans for the whole of 2021.
    assert {q.passage.report_id for q in answer.quotes} == {"h"}
    assert answer.quotes[0].items == ("一是认真抓好党建活动载体", "二是认真抓好党员队伍建设")
    assert answer.hits[0].passage.text.startswith("一是")


GOVERNMENT = f"""2025年某省政府工作报告
一、2024年工作回顾
{BODY}
二、全面加强政府自身建设
面对艰巨繁重的改革发展任务，需要我们大力推动政府职能转变，努力建设人民满意的法治政府。
一是坚持政治引领，永葆对党忠诚的政治品格。{BODY}
二是坚持人民至上，深入践行为民宗旨。{BODY}
三是坚持依法行政，努力建设法治政府。{BODY}
"""


def test_a_question_for_a_lists_items_is_answered_by_the_items_its_opening_leads(
        segmenter: Tokenizer, tmp_path: Path) -> None:
    (tmp_path / "g.txt").write_text(GOVERNMENT, encoding="utf-8")
    engine = QAEngine.from_directory(tmp_path, segmenter=segmenter)
    listed = engine.ask("政府自身建设提了哪几个坚持")
    assert listed.quotes[0].items == ("一是坚持政治引领，永葆对党忠诚的政治品格",
                                      "二是坚持人民至上，深入践行为民宗旨",
                                      "三是坚持依法行政，努力建设法治政府")
    assert [h.passage.text[:2] for h in listed.hits] == ["一是", "二是", "三是"]
    # Not asked for a list: the opening paragraph itself answers.
    assert engine.ask("政府职能转变").hits[0].passage.text.startswith("面对")


PLANS = f"""某局2023年党建工作总结
一、主要工作
1、深入学习宣传贯彻党的二十大精神
{BODY}
2、着力锻造坚强有力基层党组织
精心做好发展党员工作，新发展党员87名。{BODY}
3、扎实推进党建与业务深度融合
{BODY}
二、2024年工作计划
一是狠抓党的政治建设。{BODY}
二是狠抓组织功能建设。{BODY}
三是狠抓实干担当作为。{BODY}
"""


def test_a_question_counting_a_lists_items_gets_the_list_its_best_item_is_in(
        segmenter: Tokenizer, tmp_path: Path) -> None:
    (tmp_path / "p.txt").write_text(PLANS, encoding="utf-8")
    engine = QAEngine.from_directory(tmp_path, segmenter=segmenter)
    plans = engine.ask("2024年的打算 几个狠抓分别抓啥").quotes[0]
    assert plans.items == ("一是狠抓党的政治建设", "二是狠抓组织功能建设", "三是狠抓实干担当作为")
    work = engine.ask("发展了87名党员那家去年主要干了哪几件事").quotes[0]
    assert work.items == ("1、深入学习宣传贯彻党的二十大精神", "2、着力锻造坚强有力基层党组织",
                          "3、扎实推进党建与业务深度融合")
    # Not counting a list: the item itself answers.
    assert engine.ask("新发展党员多少名").hits[0].passage.text.startswith("精心做好")


def _problems(unit: str, count: int) -> str:
    items = "\n".join(f"（{n}）第{n}个问题还需改进\n{BODY}" for n in "一二三四五"[:count])
    return f"{unit}2023年党建工作总结\n一、主要工作\n{BODY}\n二、存在问题\n{items}\n"


def test_which_report_lists_the_most_items_of_a_section_is_counted(
        segmenter: Tokenizer, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(_problems("第一党支部", 2), encoding="utf-8")
    (tmp_path / "b.txt").write_text(_problems("第二党支部", 4), encoding="utf-8")
    engine = QAEngine.from_directory(tmp_path, segmenter=segmenter)
    most = engine.ask("谁家自己列的问题最多")
    assert most.found and most.intent == "problems"
    assert most.lead.index("第二党支部") < most.lead.index("第一党支部")
    assert "4 条" in most.lead and "2 条" in most.lead
    assert len(most.quotes[0].items) == 4 and most.hits[0].passage.report_id == "b"
    assert engine.ask("哪家列的问题最少").hits[0].passage.report_id == "a"


def test_the_most_items_of_many_reports_names_the_first_twenty_from_stored_counts(
        segmenter: Tokenizer, tmp_path: Path) -> None:
    # At 10⁶ passages every report's section was read (41 s) and all 3.4×10⁴ were named.
    folder = tmp_path / "reports"
    folder.mkdir()
    for n in range(1, 26):
        unit = f"第{n}党支部"
        (folder / f"b{n:02d}.txt").write_text(_problems(unit, 1 + n % 5), encoding="utf-8")
    cache = tmp_path / "parsed.reports"
    QAEngine.from_directory(folder, segmenter=segmenter, parsed_cache=cache)
    engine = QAEngine.from_directory(folder, segmenter=segmenter, parsed_cache=cache)
    most = engine.ask("谁家自己列的问题最多")
    assert most.lead.count(" 条") == MAX_SECTION_REPORTS
    assert most.lead.startswith("各报告「存在问题」列出的条数（共 25 份报告有此部分，"
                                "这里列出条数最多的 20 份）：")
    # Five reports each of 5, 4, 3, 2 and 1 items: the ones of 1 item are left out.
    assert most.lead.index("第4党支部（") < most.lead.index("第3党支部（")
    assert "第5党支部（" not in most.lead
    assert len(most.quotes[0].items) == 5 and most.hits[0].passage.report_id == "b04"
    fewest = engine.ask("哪家列的问题最少")
    assert "第5党支部（" in fewest.lead and "第4党支部（" not in fewest.lead
    assert "这里列出条数最少的 20 份）：" in fewest.lead


LESSON = f"""主题教育党课 当好“三个表率”
一、机关建设必须强化政治意识
{BODY}作表率是每个党员的责任。
二、强化政治意识要当好“三个表率”
我们要坚持以党的政治建设为统领，在学习贯彻上作表率。
（一）强化理论武装，不断提升政治素养
{BODY}
（二）增强“四个意识”，做到“两个维护”
{BODY}
（三）强化责任担当，狠抓工作落实
{BODY}
"""


@pytest.mark.parametrize(("text", "place", "noun"), [
    ("那次党课,第一个表率是什么", 1, "表率"),
    ("第二条措施是啥", 2, "措施"),
    ("第3项任务", 3, "任务"),
    ("第一议题制度怎么落实", 0, ""),  # a name, not a place in a list
])
def test_the_place_a_question_picks_an_item_by(text: str, place: int, noun: str) -> None:
    assert asked_ordinal(text) == (place, noun)


def test_an_item_asked_by_its_place_is_that_item_of_the_list_naming_it(
        segmenter: Tokenizer, tmp_path: Path) -> None:
    (tmp_path / "l.txt").write_text(LESSON, encoding="utf-8")
    engine = QAEngine.from_directory(tmp_path, segmenter=segmenter)
    first = engine.ask("党课里第一个表率是啥")
    assert first.quotes[0].items == ("（一）强化理论武装，不断提升政治素养",)
    assert engine.ask("党课里第三个表率是啥").hits[0].passage.section_path[-1].startswith("（三）")
    # A list with fewer items: no such place, the question is answered as usual.
    assert not engine.ask("党课里第五个表率是啥").quotes[0].items


def test_the_half_year_and_the_units_kind_only_choose_the_report(
        segmenter: Tokenizer, tmp_path: Path) -> None:
    # A real 上半年 summary: its plans for the second half are a list after a lead-in.
    corpus = Path(__file__).resolve().parents[2] / "corpus" / "corpus"
    for name in ("dj-yidong-h1-2023.txt", "dj-yidong-2023.txt"):
        (tmp_path / name).write_bytes((corpus / name).read_bytes())
    (tmp_path / "reports.toml").write_text(
        '[reports.dj-yidong-h1-2023]\ntitle = "2023年上半年工作总结"\n'
        'unit = "上港集团宜东分公司机关党支部"\nyear = "2023"\n\n'
        '[reports.dj-yidong-2023]\ntitle = "2023年工作总结"\n'
        'unit = "上港集团宜东分公司机关党支部"\nyear = "2023"\n', encoding="utf-8")
    engine = QAEngine.from_directory(tmp_path, segmenter=segmenter)
    answer = engine.ask("23年下半年支部准备咋干")
    texts = [h.passage.text for h in answer.hits]
    assert answer.found and len(texts) >= 4  # the whole list, not the lead-in alone
    assert any("认真抓好党建活动载体" in t for t in texts)
    assert any("认真抓好党员队伍建设" in t for t in texts)


GOV = f"""2026年某省政府工作报告
一、2025年工作回顾
{BODY}
二、“十五五”时期主要目标任务
一是持续用力打造创新高地，推动高质量发展实现新突破。{BODY}
二是坚持扩大内需战略基点，推动建强内需市场实现新突破。{BODY}
三、2026年重点工作
（一）全力推动经济稳定增长
{BODY}
（二）加快建设现代化产业体系
{BODY}
"""


def test_a_year_asked_lists_the_plans_of_that_year_not_the_five_year_period(
        segmenter: Tokenizer, tmp_path: Path) -> None:
    (tmp_path / "gov.txt").write_text(GOV, encoding="utf-8")
    engine = QAEngine.from_directory(tmp_path, segmenter=segmenter)
    for question in ("2026年重点抓哪几项工作", "今年重点抓哪几项工作"):
        items = engine.ask(question).quotes[0].items
        assert items and all("新突破" not in item for item in items), question
    # Without a year, both plans sections are listed.
    assert any("新突破" in item for item in engine.ask("下一步重点抓哪几项工作").quotes[0].items)


def test_the_most_items_within_a_year_ranks_that_years_reports(seeds_engine: QAEngine) -> None:
    # The year alone scoped the question, and 「没找到…想问…的什么」 asked back.
    most = seeds_engine.ask("2023年谁家列的问题最多")
    assert most.found and most.intent == "problems"
    assert most.lead.startswith("各报告「存在问题」列出的条数：")
    named = [r.report_id for r in seeds_engine.reports if r.report_id[:3] in most.lead]
    assert named and all(seeds_engine.understand("2023年").scope.report_ids.count(r)
                         for r in named)
    assert "004" not in most.lead  # a report of another year
