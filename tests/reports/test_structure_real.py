"""Structure of real reports: unnumbered and run-in heads, lists, footnotes, kinds by meaning."""

from __future__ import annotations

import pytest

from qa import parse_report
from qa.language import read_lines
from qa.models import Report
from qa.reports.outline import report_outline
from qa.reports.sectionkind import (
    cues,
    heading_kind,
    lead_kind,
    parse_cues,
    states_shortcomings,
)
from qa.reports.structure import split_items

BODY = "加强统筹协调，完善工作机制，推动各项任务落地见效，取得了明显成效，群众满意度持续提升。"


def outline(text: str) -> list[tuple[int, str, str]]:
    return [(h.level, h.text, h.kind) for h in report_outline("r", text)]


def by_text(report: Report, fragment: str) -> tuple[tuple[str, ...], str, str]:
    passage = next(p for p in report.passages if fragment in p.text)
    return passage.section_path, passage.kind, passage.text


GOV = f"""2025年某省政府工作报告
各位代表：
现在，我代表省人民政府，向大会报告工作，请予审议。{BODY}
一、2024年工作回顾
过去一年，我们坚持稳中求进，{BODY}
经济运行稳中向好。{BODY}
创新动能持续增强。{BODY}
（一）聚力稳增长，稳的基础更加坚实。{BODY}
城乡差距持续缩小。{BODY}
区域协调发展深入推进。{BODY}
我们也清醒认识到，发展中还存在不少困难和问题，主要是：一是有效需求不足；二是创新能力不强。
二、2025年重点工作
（一）大力提振消费。{BODY}
扩大商品消费。{BODY}
释放服务消费潜力。{BODY}
三、全面加强政府自身建设
各位代表，{BODY}
"""


def test_runin_heads_are_headings_kept_with_their_body() -> None:
    heads = outline(GOV)
    assert (2, "经济运行稳中向好", "highlights") in heads  # summary bullets under the review
    assert (3, "城乡差距持续缩小", "work") in heads  # an achievement, not a problem
    assert (3, "释放服务消费潜力", "plans") in heads
    path, _, text = by_text(parse_report("r", GOV), "释放服务消费潜力")
    assert path[-1] == "释放服务消费潜力" and text.startswith("释放服务消费潜力。") and BODY in text


def test_a_short_first_sentence_alone_is_prose_not_a_head() -> None:
    heads = [text for _, text, _ in outline(GOV)]
    assert not any(text.startswith(("过去一年", "各位代表")) for text in heads)


def test_kinds_by_meaning_and_by_the_course_of_the_report() -> None:
    kinds = {text: kind for _, text, kind in outline(GOV)}
    assert kinds["一、2024年工作回顾"] == "work"
    assert kinds["二、2025年重点工作"] == "plans"
    assert kinds["三、全面加强政府自身建设"] == "plans"  # after the plans began


def test_problems_lead_in_paragraph_is_problems_under_the_review() -> None:
    report = parse_report("r", GOV)
    path, kind, _ = by_text(report, "清醒认识到")
    assert kind == "problems" and path == ("一、2024年工作回顾",)
    assert by_text(report, "有效需求不足")[1] == "problems"


BRANCH = f"""机关党支部2021年工作总结
今年，在公司党委领导下，党支部认真学习贯彻全会精神，{BODY}
一、抓好学习教育
党支部严格按照公司党委的部署和要求，{BODY}
二、密切联系服务职工
党支部积极构建党建工作服务体系，{BODY}
回顾今年工作，党支部取得了一定的成绩，但还存在部分党员作风不够扎实的问题。
明年，党支部将按照公司党委要求，进一步加强党员教育。
一是深入学习贯彻全会精神。{BODY}
二是落实党员发展计划。{BODY}
"""


def test_plan_list_after_a_lead_in_is_not_filed_under_the_last_section() -> None:
    heads = outline(BRANCH)
    assert (1, "一是深入学习贯彻全会精神", "plans") in heads
    assert (1, "二是落实党员发展计划", "plans") in heads
    path, kind, _ = by_text(parse_report("r", BRANCH), "落实党员发展计划")
    assert path == ("二是落实党员发展计划",) and kind == "plans"


def test_a_review_paragraphs_concession_is_problems() -> None:
    report = parse_report("r", BRANCH)
    assert by_text(report, "回顾今年工作")[1] == "work"
    _, kind, text = by_text(report, "作风不够扎实")
    assert kind == "problems" and text.startswith("但还存在")


SHORTCOMINGS = ("当前，全省正处于转型发展的关键时期。新兴产业尚未形成有效支撑，"
                "部分企业生产经营困难，国有企业核心竞争力还不强，部分市县财政收支矛盾突出，民生领域还有不少短板，"
                "一些干部担当作为不够。")


@pytest.mark.parametrize(("paragraph", "states"), [
    (SHORTCOMINGS, True),
    # Tasks acting on shortcomings are plans or work, not problems.
    ("补齐民生短板，化解财政困难，破解发展难题，弥补产业薄弱环节，解决群众急难愁盼问题。", False),
    # One shortcoming in a paragraph of work is a concession at most.
    (BODY + "但基础还不牢固。" + BODY, False),
    ("产业尚未形成支撑，竞争力还不强。", False),  # too short to be a paragraph of them
])
def test_a_paragraph_made_of_shortcomings_is_told_by_its_clauses(
        paragraph: str, states: bool) -> None:
    assert states_shortcomings(paragraph) is states


def test_a_review_paragraph_of_shortcomings_is_problems_without_a_cue() -> None:
    text = f"2025年某省政府工作报告\n一、2024年工作回顾\n{BODY}\n{SHORTCOMINGS}\n{BODY}\n"
    report = parse_report("r", text)
    assert by_text(report, "尚未形成有效支撑")[1] == "problems"
    assert [p.kind for p in report.passages if p.text == BODY] == ["work", "work"]


def test_a_cued_paragraph_of_shortcomings_speaks_for_the_whole_review() -> None:
    # 河南 2026: the lead-in is itself a paragraph of shortcomings, after a run-in （五）.
    text = (f"2026年某省政府工作报告\n一、2025年工作回顾\n（一）稳增长。{BODY}\n"
            f"（二）抓作风。{BODY}\n我们也清醒认识到，{SHORTCOMINGS}\n二、2026年工作安排\n{BODY}\n")
    path, kind, _ = by_text(parse_report("r", text), "尚未形成有效支撑")
    assert (path, kind) == (("一、2025年工作回顾",), "problems")


def test_a_task_noun_ending_a_review_sub_head_names_work_done() -> None:
    # 天津 2025: run-in sub-heads (「着力办好民生实事。20项民心工程全面完成。……」).
    text = (f"2025年某市政府工作报告\n一、2024年工作回顾\n（一）民生服务保障水平持续改善\n"
            f"着力优化教育医疗供给。{BODY}\n着力办好民生实事。20项民心工程全面完成。{BODY}\n"
            f"二、2025年工作安排\n（一）办好民生实事\n{BODY}\n")
    kinds = {h.text: h.kind for h in report_outline("r", text)}
    assert kinds["着力办好民生实事"] == "work"
    assert kinds["（一）办好民生实事"] == "plans"


def test_label_colon_paragraph_after_the_sections_is_a_problems_heading() -> None:
    text = f"报告\n{BODY}\n一、抓学习\n{BODY}\n不足之处：一是研究不够；二是方法传统。\n"
    assert (1, "不足之处", "problems") in outline(text)
    assert by_text(parse_report("r", text), "方法传统")[1] == "problems"


ARTICLE = f"""十年综述
编者按：为迎接大会胜利召开，本网推出系列报道，{BODY}
记者 张三
党建领航 照亮前行方向
2019年1月17日，冬日里的校园迎来阵阵暖流。
{BODY}
2019年1月17日，总书记视察学校
{BODY}
思政铸魂 凝聚奋斗力量
{BODY}
"""


def test_unnumbered_headings_of_a_document_without_numbers() -> None:
    heads = [text for _, text, _ in outline(ARTICLE)]
    assert heads == ["党建领航 照亮前行方向", "思政铸魂 凝聚奋斗力量"]  # no caption, no byline


def test_appendix_and_its_title_are_top_level() -> None:
    text = f"报告\n{BODY}\n一、工作回顾\n{BODY}\n附件1\n2026年十件民生实事\n一、提高低保标准。\n"
    heads = outline(text)
    assert (1, "附件1", "other") in heads
    assert (1, "2026年十件民生实事", "plans") in heads


def test_a_party_lecture_files_its_headings_as_other() -> None:
    text = f"机关党支部主题教育党课\n同志们：\n{BODY}\n一、强化政治意识\n{BODY}\n"
    assert outline(text) == [(1, "一、强化政治意识", "other")]


def test_footnotes_are_attached_to_their_passage() -> None:
    notes = "①“两山”：绿水青山就是金山银山。\n［1］引自年度统计公报。\n"
    text = f"报告\n一、工作\n推进“两山”转化①，{BODY}\n{notes}"
    report = parse_report("r", text)
    assert len(report.passages) == 1
    assert "绿水青山" in report.passages[0].text and "统计公报" in report.passages[0].text


def test_a_circled_number_without_a_reference_is_a_list_item() -> None:
    text = f"报告\n一、工作\n{BODY}\n①加强学习。\n②改进作风。\n"
    assert len(parse_report("r", text).passages) == 3


@pytest.mark.parametrize(
    ("paragraph", "items"),
    [
        ("要做到：第一，加强学习；第二，强化纪律。", ["第一，加强学习；", "第二，强化纪律。"]),
        ("首先，要提高认识。其次，要落实责任。最后，要加强监督。", ["首先，要提高认识。",
                                                                   "其次，要落实责任。",
                                                                   "最后，要加强监督。"]),
        ("会议要求：一要统一思想，二要压实责任。", ["一要统一思想，", "二要压实责任。"]),
        ("主要是：（1）学习不够；（2）作风不实。", ["（1）学习不够；", "（2）作风不实。"]),
        ("落实第一议题制度，把握三要素。", []),  # set phrases, no list
        ("首先要提高认识。", []),  # one marker is prose
    ],
)
def test_enumeration_families(paragraph: str, items: list[str]) -> None:
    assert split_items(paragraph)[1] == items


def test_items_nested_in_items() -> None:
    text = f"报告\n一、工作\n{BODY}\n一是加强学习，{BODY}主要是：（1）学原文；（2）悟原理。\n"
    report = parse_report("r", text)
    nested = [p for p in report.passages if p.text.startswith("（2）")]
    assert nested and nested[0].section_path[-2].startswith("一是加强学习")


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("三、存在的问题和不足", "problems"),
        ("（二）城乡差距进一步缩小", None),
        ("（三）着力解决群众急难愁盼问题", None),
        ("二、2025年工作思路和重点任务", "plans"),
        ("三、2026年工作安排", "plans"),
        ("一、2024年工作回顾", "work"),
        ("一、坚持以习近平新时代中国特色社会主义思想为指导", None),  # 特色 is no highlight
        ("二、亮点工作开展情况", "highlights"),
        ("四、原因分析", "causes"),
    ],
)
def test_heading_kind_reads_the_whole_heading(title: str, kind: str | None) -> None:
    assert heading_kind(title) == kind


def test_lead_kind_reads_only_the_opening() -> None:
    assert lead_kind("下一步，我们将继续加强学习。") == "plans"
    assert lead_kind("2020年，党支部将继续落实要求。") == "plans"
    assert lead_kind("各位代表，在看到成绩的同时，我们也清醒认识到困难和挑战。") == "problems"
    assert lead_kind("党支部组织学习十次，" + "认真落实各项要求，" * 3 + "下一步将继续。") is None


def test_shipped_section_cues_parse_and_cover_every_role() -> None:
    table = parse_cues(read_lines("section_cues.txt"))
    assert table == cues()
    kinds = {kind for kind, _ in table.heading}
    assert {"problems", "plans", "causes", "work", "highlights", "other"} <= kinds
    assert table.acting_on and table.openers and table.vocatives and table.concessions
    assert table.shortcomings
    assert table.end_plans and table.genre_other


def test_unknown_cue_role_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown role"):
        parse_cues(["heading-nonsense: 词"])


def test_a_later_year_or_plan_period_than_the_review_is_plans() -> None:
    text = (f"报告\n{BODY}\n一、“十四五”时期和2024 年工作回顾\n{BODY}\n"
            f"二、“十五五”时期工作的主要考虑\n{BODY}\n三、2025年目标任务和主要工作\n{BODY}\n")
    kinds = [kind for _, _, kind in outline(text)]
    assert kinds == ["work", "plans", "plans"]


def test_a_problem_word_in_the_opening_does_not_make_a_review_a_problems_part() -> None:
    text = f"报告\n{BODY}\n一、2024年工作回顾\n面对困难和问题交织叠加的局面，我们迎难而上，{BODY}\n"
    assert outline(text) == [(1, "一、2024年工作回顾", "work")]


PREAMBLE_TURNS = f"报告\n我们也清醒认识到，还有问题。\n明年，我们将继续。\n一是学习。{BODY}\n"


@pytest.mark.parametrize("text", [GOV, BRANCH, ARTICLE, PREAMBLE_TURNS])
def test_every_passage_of_a_kind_has_a_heading_to_show(text: str) -> None:
    report = parse_report("r", text)
    assert all(p.section_path for p in report.passages if p.kind != "preamble")


def test_every_kind_has_names_for_users() -> None:
    from typing import get_args

    from qa.library.preview import KIND_SHORT
    from qa.models import KIND_CODES, KIND_NAMES, Kind

    kinds = set(get_args(Kind))
    assert kinds == set(KIND_NAMES) == set(KIND_CODES) == set(KIND_SHORT)


def test_a_long_task_heading_that_mentions_a_problem_is_no_problems_heading() -> None:
    assert heading_kind("33、加强纪律教育，加强对苗头性、倾向性问题的督促提醒，守底线") is None
    assert heading_kind("（二）对照检查中发现的主要问题") == "problems"


def test_a_short_item_after_an_item_heading_is_its_sibling() -> None:
    from qa import parse_report

    text = ("某局2022年党建工作总结\n二、存在问题\n"
            "一是党员教育培训不够系统。局机关示范培训多，各支部自己组织的内训少，培训计划缺乏统筹。\n"
            "二是志愿服务形式单一。活动多为环境清扫，结合群众需求不够。\n")
    paths = [p.section_path for p in parse_report("r", text).passages]
    assert paths == [("二、存在问题", "一是党员教育培训不够系统"),
                     ("二、存在问题", "二是志愿服务形式单一")]


def test_a_numbered_line_too_long_for_a_heading_is_its_sections_text() -> None:
    # A task list flattened from a table: each numbered cell is a long requirement, followed
    # by its time and owner cells. The requirement is a passage's text, not a heading.
    cell = ("12、围绕活动主题，加强党员干部队伍作风建设，开展“走、转、树”活动，"
            "全年支部班子成员、部室领导走访、慰问职工不少于8人次")
    report = parse_report("r", f"机关党支部2018年工作任务清单\n{cell}\n全年\n党支部书记\n")
    path, _, text = by_text(report, "不少于8人次")
    assert text == cell
    assert len(path[-1]) <= 41 and path[-1].startswith("12、围绕活动主题")
