"""A province no government report is about (qa.language.unitnames.absent_place), with the
library's governments worked out once per reports tuple."""

from __future__ import annotations

from qa.language.unitnames import _provinces, absent_place
from qa.models import Report
from qa.reports.ingest import ReportMeta, parse_report

TEXT = "一、主要工作\n全年经济平稳运行。\n"


def _government(report_id: str, unit: str) -> Report:
    return parse_report(report_id, f"{unit}政府工作报告\n" + TEXT,
                        ReportMeta(title=f"{unit}政府工作报告", unit=unit))


def test_a_province_without_a_government_report_is_named_absent() -> None:
    jiangsu = (_government("001", "江苏省人民政府"),)
    assert absent_place("浙江去年GDP多少", jiangsu) == "浙江"
    assert absent_place("浙江去年GDP多少", jiangsu) == "浙江"  # the cached governments again
    assert absent_place("江苏去年GDP多少", jiangsu) == ""
    both = (*jiangsu, _government("002", "浙江省人民政府"))
    assert absent_place("浙江去年GDP多少", both) == ""  # another library: its own governments
    party = (parse_report("003", "某党支部工作总结\n" + TEXT, ReportMeta(unit="某党支部")),)
    assert absent_place("浙江去年GDP多少", party) == ""  # no government at all: nothing to say


def test_a_question_is_tested_by_a_provinces_first_character_first() -> None:
    jiangsu = (_government("001", "江苏省人民政府"),)
    for name in _provinces():
        # Every name, alone and inside a question, is found as the loop over names finds it.
        for text in (name, f"请问{name}去年GDP多少", f"{name[1:]}的GDP"):
            plain = next((n for n in _provinces() if n in text), "")
            expected = "" if not plain or plain.startswith("江苏") else plain
            assert absent_place(text, jiangsu) == expected, text
    assert absent_place("主题党日活动开展情况", jiangsu) == ""
