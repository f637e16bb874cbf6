"""Units read from titles of real documents outside the development corpus."""

from __future__ import annotations

from qa.language.docmeta import document_unit, strip_years, unit_from_titles


def test_a_government_title_with_its_year_after_the_place_names_the_place() -> None:
    # 陕西 2026 (shaanxi.gov.cn) titles its report 「陕西省2026年政府工作报告」.
    opening = "陕西省2026年政府工作报告\n——2026年1月26日在陕西省第十四届人民代表大会第五次会议上"
    assert document_unit("陕西省2026年政府工作报告", opening) == "陕西省人民政府"


def test_a_half_year_written_without_年_leaves_no_度_behind() -> None:
    # 「党支部2019上半年度工作总结」 was read as the unit 「党支部度」.
    assert strip_years("党支部2019上半年度") == "党支部"
    assert strip_years("机关党支部2020年上半年度") == "机关党支部"
    assert unit_from_titles("机关党支部2019上半年度工作总结") == "机关党支部"
