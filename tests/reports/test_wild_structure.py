"""Structure rules learned from real reports outside the development corpus (2026 provincial
政府工作报告 as published on the web, 2025 reports as .docx)."""

from __future__ import annotations

from qa import parse_report
from qa.reports.outline import report_outline
from qa.reports.structure import item_label

BODY = "加强统筹协调，完善工作机制，推动各项任务落地见效，取得了明显成效，群众满意度持续提升。"


def outline(text: str) -> list[tuple[int, str, str]]:
    return [(h.level, h.text, h.kind) for h in report_outline("r", text)]


def test_a_numbered_item_is_labelled_by_its_words_not_by_its_number_or_a_decimal() -> None:
    # 江西 2026 名词注释 「7.“三大高地”“五大战略”：…」 was headed 「7」; 内蒙古 2026 民生实事
    # 「10.发放城镇住房保障家庭租赁补贴1.6万户，…」 was cut at the decimal point.
    assert item_label("7.“三大高地”“五大战略”：革命老区高质量发展高地、内陆地区改革开放高地、"
                      "国家生态文明建设高地，区域协调发展战略。") == "7.“三大高地”“五大战略”"
    long_item = ("10.发放城镇住房保障家庭租赁补贴1.6万户，加装、更新住宅电梯500部以上，"
                 "实施物业服务质量提升行动，改造城镇老旧小区和城中村一千余个。")
    assert item_label(long_item) == "10.发放城镇住房保障家庭租赁补贴1.6万户"


def test_a_long_一是_line_among_stand_alone_一是_heads_is_a_head_too() -> None:
    # 甘肃 2025 (.docx): 「三、2025年重点工作」 heads its parts with bare 「一是…」 lines; the
    # 27-character 「四是…」 was taken for a list item and its body filed under 「三是…」.
    heads = [
        "一是聚焦全方位扩大内需，着力提消费促投资",
        "二是大力推进新型工业化，加快构建现代化产业体系",
        "三是完善大保护大治理格局，坚决筑牢国家西部生态安全屏障",
    ]
    text = "2025年某省政府工作报告\n三、2025年重点工作\n" + "".join(f"{h}\n{BODY}\n" for h in heads)
    assert [h for _, h, _ in outline(text)] == ["三、2025年重点工作", *heads]


def test_unnumbered_parts_above_the_numbered_sections_head_the_review_and_the_plans() -> None:
    # 内蒙古 2026: the review and the year's targets stand under two unnumbered part lines
    # before 「一、」; the review was swallowed by its 「——这五年…」 run-ins and every plan
    # section after them was filed as work.
    text = (
        "2026年某自治区政府工作报告\n各位代表：\n"
        f"现在，我代表自治区人民政府向大会报告工作，请予审议。{BODY}\n"
        "“十四五”时期发展成就和2025年工作回顾\n"
        f"“十四五”时期发展历程极不平凡。{BODY}\n"
        f"——这五年综合经济实力大幅提升。{BODY}\n"
        f"——这五年民生福祉不断增进。{BODY}\n"
        "“十五五”时期主要目标和2026年重点工作\n"
        f"今年经济社会发展的主要预期目标是：地区生产总值增长5%左右。{BODY}\n"
        "一、把铸牢中华民族共同体意识作为各项工作的主线\n"
        f"{BODY}\n"
        "二、全力抓好七项重点工作\n"
        f"{BODY}\n"
    )
    assert outline(text) == [
        (1, "“十四五”时期发展成就和2025年工作回顾", "work"),
        (2, "——这五年综合经济实力大幅提升", "highlights"),
        (2, "——这五年民生福祉不断增进", "highlights"),
        (1, "“十五五”时期主要目标和2026年重点工作", "plans"),
        (1, "一、把铸牢中华民族共同体意识作为各项工作的主线", "plans"),
        (1, "二、全力抓好七项重点工作", "plans"),
    ]


def test_a_summarys_heading_naming_its_own_years_key_work_is_work_not_plans() -> None:
    # 「机关党支部2018年度工作总结」 opens with 「一、2018年党支部重点工作」: what was done that
    # year; read as plans, 「qa plans」 answered with the whole year's work.
    summary = (f"机关党支部2018年度工作总结\n在公司党委领导下，{BODY}\n"
               f"一、2018年党支部重点工作\n{BODY}\n二、工作中存在的不足\n{BODY}\n"
               f"三、2019年重点工作\n{BODY}\n")
    assert [kind for _, _, kind in outline(summary)] == ["work", "problems", "plans"]
    government = (f"2025年某省政府工作报告\n各位代表：\n{BODY}\n一、2024年工作回顾\n{BODY}\n"
                  f"二、2025年重点工作\n{BODY}\n")
    assert [kind for _, _, kind in outline(government)] == ["work", "plans"]


def test_problems_after_a_short_transition_speak_for_the_whole_review() -> None:
    # 内蒙古 2026 「成绩固然可喜，问题也不容忽视。一是……」 and 河北 2026 「同时，我省经济社会发展还
    # 面临一些困难和挑战，主要是：……」 were filed as work: 「qa problems」 found none.
    text = (
        "2026年某自治区政府工作报告\n各位代表：\n"
        "一、2025年工作回顾\n"
        f"——这五年综合经济实力大幅提升。{BODY}\n"
        f"——这五年民生福祉不断增进。{BODY}\n"
        "成绩固然可喜，问题也不容忽视。一是生态环境本底仍然脆弱。二是科技创新能力不足。\n"
        "同时，我省经济社会发展还面临一些困难和挑战，主要是：产业转型任务依然紧迫。\n"
        "二、2026年重点工作\n"
        f"{BODY}\n"
    )
    report = parse_report("r", text)
    problems = [(p.section_path, p.text) for p in report.passages if p.kind == "problems"]
    assert problems == [
        (("一、2025年工作回顾",), "成绩固然可喜，问题也不容忽视。"),
        (("一、2025年工作回顾", "一是生态环境本底仍然脆弱"), "一是生态环境本底仍然脆弱。"),
        (("一、2025年工作回顾", "二是科技创新能力不足"), "二是科技创新能力不足。"),
        (("一、2025年工作回顾",),
         "同时，我省经济社会发展还面临一些困难和挑战，主要是：产业转型任务依然紧迫。"),
    ]


def test_a_saved_web_pages_menu_is_no_title() -> None:
    text = f"下载\n打印\n全屏\n2026年某省政府工作报告\n各位代表：\n一、2025年工作回顾\n{BODY}\n"
    assert parse_report("r", text).title == "2026年某省政府工作报告"


def test_a_section_opening_on_a_conceded_review_then_a_plan_lead_in_is_plans() -> None:
    # 南开 巡视整改通报 「三、持续巩固深化……」 opens 「……取得了阶段性成效。但学校党委清醒认识到，
    # ……还有相当差距。」 then 「学校党委将继续……」: the concession split must not make the
    # plan lead-in look like a third paragraph.
    text = (
        f"某大学党委关于巡视整改进展情况的通报\n一、整改工作情况\n{BODY}\n"
        "二、持续巩固深化整改成果\n"
        "经过集中整改，巡视整改工作取得了阶段性成效。但学校党委清醒认识到，整改工作是初步的，还有相当差距。\n"
        f"学校党委将继续把巡视整改工作作为一项重大政治任务，{BODY}\n"
    )
    assert outline(text)[-1] == (1, "二、持续巩固深化整改成果", "plans")


def test_a_government_reports_sections_after_its_review_year_are_plans() -> None:
    # The 2026 reports review 2025: 河北 「三、2026年主要工作」 (主要工作 reads as work),
    # 陕西 「二、“十五五”时期主要目标和重大举措」, 福建 「三、一鼓作气勇争先，全力推动“十五五”
    # 开好局」 were all filed as work, so 「qa plans」 had nothing of 福建.
    text = (f"2026年某省政府工作报告\n各位代表：\n{BODY}\n"
            f"一、一年接着一年干，新福建建设持续取得新进展\n{BODY}\n"
            f"二、“十五五”时期主要目标和重大举措\n{BODY}\n"
            f"三、2026年主要工作\n{BODY}\n")
    assert [kind for _, _, kind in outline(text)] == ["work", "plans", "plans"]
    summary = f"机关党支部2021年度工作总结\n{BODY}\n一、2021年主要工作\n{BODY}\n"
    assert [kind for _, _, kind in outline(summary)] == ["work"]


def test_a_long_title_without_a_comma_is_the_title() -> None:
    # 南开 news items: a 44–50 character first line became no title, and the report was shown
    # by its file name (a hash).
    first = ("【党史学习教育】杨庆山围绕深入学习贯彻习近平总书记“七一”重要讲话精神"
             "讲授党史学习教育专题党课")
    report = parse_report("675d880d2fb11841a19fc46820138e0f", f"{first}\n{BODY}\n")
    assert report.title == first
    sentence = ("今年以来党支部围绕中心工作，"
                "扎实推进各项任务落实落地见效并取得了一定的成绩和一些经验")
    assert parse_report("r", f"{sentence}\n{BODY}\n").title != sentence


def _passages(text: str) -> list[tuple[str, str, str]]:
    return [(p.kind, p.section_path[-1], p.text[:8]) for p in parse_report("r", text).passages]


NINGXIA = (
    "2026年某自治区政府工作报告\n"
    "一、2025年工作总结和“十四五”发展成就\n"
    f"这五年，我区经济繁荣的基础更加坚实。{BODY}\n"
    f"这五年，我区人民富裕的保障更加有力。{BODY}\n"
    f"此外，审计、统计、气象等工作取得新成效，{BODY}\n"
    "在看到成绩的同时，我们也清醒认识到，我区发展不平衡不充分问题仍然比较突出，"
    "结构调整、动能转换任务依然艰巨。\n"
    "二、“十五五”时期主要任务\n"
    f"{BODY}\n"
)


def test_a_run_in_head_heads_its_own_paragraph_only() -> None:
    # 宁夏 2026: 「此外，…」 after the last 「这五年，…」 run-in head was filed under it, and so
    # was the problems paragraph after it.
    rows = _passages(NINGXIA)
    later = [(kind, section) for kind, section, text in rows if text.startswith(("此外", "在看到"))]
    assert all(section == "一、2025年工作总结和“十四五”发展成就" for _, section in later)


def test_one_short_clause_before_a_turn_to_problems_is_a_transition_not_a_passage() -> None:
    # 「在看到成绩的同时，」 was cut off as a passage of its own, filed as highlights.
    rows = _passages(NINGXIA)
    assert not any(text.startswith("在看到") and kind != "problems" for kind, _, text in rows)
    assert ("problems", "一、2025年工作总结和“十四五”发展成就", "在看到成绩的同时") in rows
