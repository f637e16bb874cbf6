"""Issue 19 items 2 and 3: units, names and years learned from the library scope questions.

A newcomer's 第三党支部 and 第五党支部 reports join the seeds (hand-placed, no manifest entry):
their units come from their titles, 「三支部」/「3支部」 name the same unit, and a question
about one never quotes the other or the seeds' 县直机关工委.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from qa import QAEngine, Tokenizer
from qa.language import (
    aliases_of,
    closing_date,
    covered_year,
    load_language,
    numeral_forms,
    unit_from_document,
)
from qa.language.scope import _ids_named, _narrowed, find_scope
from qa.language.unitnames import unit_of
from qa.language.wordlists import read_lines
from qa.library.preview import derive_unit
from qa.models import Report
from tests.conftest import SEEDS

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus" / "corpus"
THIRD = """第三党支部2024年党建工作总结
2024年，第三党支部在机关党委的领导下，围绕中心工作抓党建，各项工作有序推进。
一、主要工作情况
（一）加强组织建设。严格按照发展党员工作细则，全年发展党员3名，转为正式党员2名，确定入党积极分子4名。
（二）抓实理论学习。全年组织集中学习12次，开展主题党日活动10次。
二、存在问题
一是部分党员学习主动性不强。二是活动形式比较单一。
三、下一步工作计划
一是开展“书记讲党课”活动，每季度至少一次。二是建立党员积分管理台账。
第三党支部
2024年12月20日
"""
FIFTH = """第五党支部2024年工作总结
一年来，第五党支部坚持以党建引领业务发展，支部战斗堡垒作用进一步增强。
一、主要工作
（一）组织建设。全年发展党员1名，按期转正1名。
（二）志愿服务。组织党员志愿者开展社区服务活动6次，服务群众300余人次。
二、存在的不足
一是支部活动与业务结合不够紧密。
三、2025年工作计划
一是推进“党建+业务”融合项目，年内打造两个品牌。二是开展党员志愿服务月活动。
中共第五党支部
二〇二四年十二月
"""


@pytest.fixture(scope="module")
def branch_engine(tmp_path_factory: pytest.TempPathFactory, segmenter: Tokenizer) -> QAEngine:
    folder = tmp_path_factory.mktemp("branches")
    for path in [*SEEDS.glob("*.txt"), SEEDS / "reports.toml"]:
        shutil.copy(path, folder / path.name)
    (folder / "900_third.txt").write_text(THIRD, encoding="utf-8")
    (folder / "901_fifth.txt").write_bytes(FIFTH.encode("gbk"))
    return QAEngine.from_directory(folder, segmenter=segmenter)


@pytest.mark.parametrize("question", ["第三党支部发展了几个党员", "3支部发展了几个党员",
                                      "三支部今年发展了多少名党员", "第3支部发展党员多少"])
def test_a_new_branch_named_any_way_answers_from_its_own_report(
        branch_engine: QAEngine, question: str) -> None:
    answer = branch_engine.ask(question)
    assert answer.found, question
    assert {h.passage.report_id for h in answer.hits} == {"900_third"}, question
    assert "发展党员3名" in answer.quotes[0].text
    assert answer.scope == "第三党支部"


def test_a_plan_question_quotes_only_that_branch(branch_engine: QAEngine) -> None:
    answer = branch_engine.ask("第五党支部有啥计划")
    assert answer.found and answer.quotes
    assert {q.hit.passage.report_id for q in answer.quotes} == {"901_fifth"}
    assert "党建+业务" in answer.quotes[0].text


def test_an_unknown_branch_is_not_answered_from_others(branch_engine: QAEngine) -> None:
    answer = branch_engine.ask("第七党支部发展了几个党员")
    assert not answer.found and "没有第七党支部的报告" in answer.notice
    for question in ("各支部开展了哪些活动", "一支部一品牌怎么创建的", "两个支部发展了几个党员"):
        assert not branch_engine.understand(question).scope.named, question


def test_a_name_that_fits_two_units_is_asked_back(segmenter: Tokenizer, tmp_path: Path) -> None:
    for name, company in (("a", "宜东分公司"), ("b", "宜西分公司")):
        text = THIRD.replace("第三党支部", f"{company}第三党支部")
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    engine = QAEngine.from_directory(tmp_path, segmenter=segmenter)
    answer = engine.ask("三支部发展了几个党员")
    assert not answer.found
    assert "「三支部」可能指：" in answer.notice and "宜东分公司第三党支部" in answer.notice
    assert "宜西分公司第三党支部" in answer.notice
    answer = engine.ask("宜东分公司第三党支部发展了几个党员")
    assert answer.found and {h.passage.report_id for h in answer.hits} == {"a"}


def test_aliases_of_units() -> None:
    assert aliases_of("第三党支部") >= {"第三党支部", "三支部", "第三支部", "3支部", "第3支部"}
    assert aliases_of("上港集团宜东分公司机关党支部") >= {"宜东分公司机关党支部", "宜东支部"}
    assert aliases_of("上海市人民政府") >= {"上海市", "上海", "上海市政府"}
    assert aliases_of("县直机关工委") >= {"县直工委"}
    assert "支部" not in aliases_of("第三党支部") and "政府" not in aliases_of("广西人民政府")
    assert numeral_forms("第12支部") == {"第12支部", "第十二支部"}
    assert aliases_of("中共南开大学委员会") >= {"南开大学党委", "南开党委", "南开"}
    assert aliases_of("协和医院") >= {"协和"} and "大学" not in aliases_of("人民大学")


def test_a_name_of_one_organisation_and_its_committee_scopes_to_both(
        segmenter: Tokenizer, tmp_path: Path) -> None:
    for name, unit in (("a", "南开大学"), ("b", "中共南开大学委员会")):
        text = THIRD.replace("第三党支部", unit)
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    engine = QAEngine.from_directory(tmp_path, segmenter=segmenter)
    scope, _ = find_scope("南开发展了几个党员", engine.reports, load_language(), "figure")
    assert not scope.ask and set(scope.report_ids) == {"a", "b"}


def test_a_report_with_no_unit_is_reached_by_the_name_in_its_title(
        segmenter: Tokenizer, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(THIRD.replace("第三党支部", "南开大学"), encoding="utf-8")
    # A news report of another body's visit: its title names 南开大学, its unit is unknown.
    (tmp_path / "b.txt").write_text(
        "中央第十巡视组向南开大学党委反馈巡视情况\n9月3日，巡视组反馈了巡视情况，提出整改意见。\n",
        encoding="utf-8")
    engine = QAEngine.from_directory(tmp_path, segmenter=segmenter)
    assert not engine.report("b").unit
    scope, _ = find_scope("巡视组给南开反馈了什么", engine.reports, load_language(), "general")
    assert set(scope.report_ids) == {"a", "b"}


def test_units_txt_keeps_only_what_no_rule_derives() -> None:
    for line in read_lines("units.txt"):
        unit, _, words = line.partition(":")
        if unit.strip() != "!":
            derived = aliases_of(unit.strip())
            assert not [w for w in words.split() if w in derived], line
    assert load_language().unit_aliases  # the extras still load


def test_unit_and_dates_read_from_the_document() -> None:
    opening = ("政府工作报告\n——2026年1月26日在广东省第十四届\n人民代表大会第五次会议上\n"
               "广东省省长 孟凡利\n各位代表：")
    assert unit_from_document("政府工作报告", opening) == "广东省人民政府"
    congress = ("2026年政府工作报告\n——2026年1月28日在云南省第十四届人民代表大会第四次会议上\n"
                "省长　王予波")
    assert unit_from_document("2026年政府工作报告", congress) == "云南省人民政府"
    assert unit_from_document("2021年度工作总结", THIRD) == "第三党支部"
    assert unit_from_document("工作总结", FIFTH) == "第五党支部"
    assert derive_unit("2025年安徽省政府工作报告") == ""  # a government: read from the text
    assert derive_unit("2021年度工作总结") == ""
    assert derive_unit("2020年度机关党支部工作总结") == "机关党支部"
    assert closing_date(["正文……", "第三党支部", "2009.6.3"]) == ("2009", 6)
    assert closing_date(["正文……", "二〇二四年一月"]) == ("2024", 1)


def test_the_year_a_report_covers() -> None:
    review = ("2026年政府工作报告\n——2026年1月26日在某省第十四届人民代表大会上\n"
              "一、2025年工作回顾\n2025年，全省……")
    assert covered_year("2026", review) == "2025"
    assert covered_year("2024", THIRD) == "2024"  # a summary reviews the year it is written in
    summary = "2024年工作总结\n今年全年发展党员3名，比2023年多1名。\n支部\n2024年12月20日"
    assert covered_year("2024", summary) == "2024"


def test_a_question_about_last_year_finds_the_report_that_reviews_it(
        segmenter: Tokenizer, tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    for name in ("gov2025-shanghai.docx", "gov2026-shanghai.txt", "gov2026-jiangsu.txt"):
        code = subprocess.run(
            [sys.executable, "-c", "import sys; from qa.cli import main; sys.exit(main())",
             "add", "--yes", "--reports", str(folder), str(CORPUS / name)],
            capture_output=True, cwd=ROOT, env={"PYTHONPATH": f"{ROOT / 'src'}"}, check=False)
        assert code.returncode == 0, code.stderr.decode()
    engine = QAEngine.from_directory(folder, segmenter=segmenter)
    by_file = {r.title: r.report_id for r in engine.reports}
    assert set(by_file) == {"2025年上海市政府工作报告", "2026年上海市政府工作报告",
                            "2026年江苏省政府工作报告"}
    language = load_language()
    scope, _ = find_scope("上海2024年地区生产总值", engine.reports, language, "figure")
    assert scope.report_ids == (by_file["2025年上海市政府工作报告"],)
    scope, _ = find_scope("上海市2025年地区生产总值", engine.reports, language, "figure")
    assert set(scope.report_ids) == {by_file["2025年上海市政府工作报告"],
                                     by_file["2026年上海市政府工作报告"]}
    # A year naming the report ("25年那份报告") is the report's own year, not the one reviewed.
    for named in ("上海25年那份报告里地区生产总值", "2025年上海市政府工作报告里地区生产总值"):
        scope, _ = find_scope(named, engine.reports, language, "figure")
        assert scope.report_ids == (by_file["2025年上海市政府工作报告"],), named
    answer = engine.ask("2025年江苏地区生产总值是多少")
    assert answer.found and "没有2025年" not in answer.notice
    # 今年 / 去年 name no year: of each unit's reports, the latest speaks of them.
    for relative in ("上海去年地区生产总值", "上海今年经济增长目标"):
        scope, _ = find_scope(relative, engine.reports, language, "figure")
        assert scope.report_ids == (by_file["2026年上海市政府工作报告"],), relative
    assert {h.passage.report_id for h in answer.hits} == {by_file["2026年江苏省政府工作报告"]}


def test_report_command_lists_a_unit_by_any_learned_name(branch_engine: QAEngine) -> None:
    from qa_bot.library.handlers import unit_reports

    aliases = branch_engine.language.unit_aliases
    for ref in ("第三党支部", "3支部", "三支部"):
        assert [r.report_id for r in unit_reports(branch_engine.reports, ref, aliases)] == [
            "900_third"], ref
    assert unit_reports(branch_engine.reports, "第九支部", aliases) == []


def test_every_government_report_of_the_corpus_names_its_province_and_years() -> None:
    from qa.cli.library import preview_text, read_preview

    seen: dict[str, set[str]] = {}
    for path in sorted(CORPUS.glob("gov*")):
        preview = read_preview(path)
        year = path.stem[3:7]
        assert preview.unit.endswith("人民政府") and len(preview.unit) > 4, path.name
        assert preview.year == year and preview.covers == str(int(year) - 1), path.name
        assert "政府工作报告" in preview.title and preview.title != "下载", path.name
        seen.setdefault(path.stem.split("-")[1], set()).add(preview.unit)
        assert f"年份：{year}（回顾 {int(year) - 1} 年）" in preview_text(preview)
    assert len(seen) == 24 and all(len(units) == 1 for units in seen.values())
    assert len({next(iter(u)) for u in seen.values()}) == 24  # 24 provinces, 24 units


def test_a_province_the_library_lacks_is_answered_no_such_report(
        segmenter: Tokenizer, tmp_path: Path) -> None:
    report = ("2026年江苏省政府工作报告\n——2026年1月27日在江苏省第十四届人民代表大会上\n"
              "一、2025年工作回顾\n全省地区生产总值增长5%左右。\n二、2026年工作安排\n"
              "地区生产总值增长5%左右，城镇新增就业120万人以上。\n")
    (tmp_path / "js.txt").write_text(report, encoding="utf-8")
    engine = QAEngine.from_directory(tmp_path, segmenter=segmenter)
    answer = engine.ask("浙江2026年城镇新增就业目标多少万人")
    assert not answer.found and "没有浙江" in answer.notice
    answer = engine.ask("江苏2026年城镇新增就业目标多少万人")
    assert answer.found and "120万人" in answer.quotes[0].text


def test_provinces_txt_names_every_provincial_division() -> None:
    lines = read_lines("provinces.txt")
    assert len(lines) == 34
    assert all(full.strip().startswith(short) for short, _, full in
               (line.partition(":") for line in lines))


def test_what_is_left_of_a_units_name_is_not_a_topic(segmenter: Tokenizer, tmp_path: Path) -> None:
    text = THIRD.replace("第三党支部", "宜东分公司第三党支部")
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    engine = QAEngine.from_directory(tmp_path, segmenter=segmenter)
    query = engine.understand("宜东那个三支部存在哪些不足")  # 三支部 names it, 宜东 is its rest
    assert query.scope.report_ids == ("a",) and "宜东" not in query.terms


def test_a_word_naming_whose_unit_it_is_is_not_a_topic(segmenter: Tokenizer,
                                                        tmp_path: Path) -> None:
    (tmp_path / "summary.txt").write_text("""机关党支部2018年度工作总结
一、2018年党支部重点工作
1、强化管理。认真落实《宜东分公司党员积分考核办法》，做好党员积分制考核工作，促进党员发挥作用。
2、加强学习。组织党员干部参加中心组学习和内部培训，提高理论水平和业务能力。
二、工作中存在的不足
1、个别党员的党性意识不强，在发挥先锋模范作用方面与要求存在差距。
2、机关在服务基层和当好参谋方面还有待进一步作出努力。
""", encoding="utf-8")
    engine = QAEngine.from_directory(tmp_path, segmenter=segmenter)
    query = engine.understand("2018年宜东机关党支部有啥不足")
    assert query.scope.units == ("机关党支部",) and "宜东" not in query.terms
    assert engine.ask("2018年宜东机关党支部有啥不足").quotes[0].hit.passage.kind == "problems"


def test_a_report_is_named_by_a_distinctive_piece_of_its_title(segmenter: Tokenizer,
                                                                tmp_path: Path) -> None:
    body = "同志们，今天我围绕这个题目给大家上一次党课，谈三点认识。一是坚定理想信念。"
    titles = {"a": "四季度党课：坚持全面从严治党",
              "b": "述往思来，感悟中国制度的强劲生命力（一季度党课）",
              "c": "理论学习心得体会", "d": "理论学习心得体会", "e": "理论学习心得体会"}
    for name, title in titles.items():
        (tmp_path / f"{name}.txt").write_text(f"{title}\n{body}\n", encoding="utf-8")
    engine = QAEngine.from_directory(tmp_path, segmenter=segmenter)
    assert engine.understand("四季度党课讲的啥").scope.report_ids == ("a",)
    assert engine.understand("一季度党课讲的啥").scope.report_ids == ("b",)
    # A piece three reports share names none of them.
    assert not engine.understand("理论学习心得体会里讲了啥").scope.report_ids


def test_a_report_named_and_asked_what_it_says_is_listed_part_by_part(
        segmenter: Tokenizer, tmp_path: Path) -> None:
    (tmp_path / "lesson.txt").write_text("""四季度党课：坚持全面从严治党
同志们，今天我围绕“坚持全面从严治党”为题给大家上一次党课。
一、充分认识全面从严治党的重要意义
全面从严治党是新时代党的建设的鲜明主题，必须常抓不懈、久久为功。
二、坚决贯彻落实全面从严治党要求
党员干部必须加强学习、站稳立场、严格党内生活，争当自律表率。
""", encoding="utf-8")
    engine = QAEngine.from_directory(tmp_path, segmenter=segmenter)
    answer = engine.ask("四季度党课讲了哪几个方面")
    assert answer.found and answer.quotes[0].items == (
        "一、充分认识全面从严治党的重要意义", "二、坚决贯彻落实全面从严治党要求")


def _eval_questions() -> list[str]:
    questions = []
    for path in [*sorted((ROOT.parent / "shared" / "eval").glob("dev*.jsonl")),
                 ROOT / "corpus" / "questions.jsonl", *sorted((ROOT / "bench").glob("holdout*"))]:
        if path.exists():
            questions += [json.loads(line)["q"] for line in
                          path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return questions


@pytest.mark.parametrize("folder", ["seeds", "corpus"])
def test_a_scope_found_by_look_ups_is_the_scope_every_report_tested_gives(
        folder: str, segmenter: Tokenizer, seed_dir: Path) -> None:
    # The oracle: a list of reports has no look-up table, so each report is tested (15 ms a
    # question at 3.4×10⁴ reports). Every eval and held-out question, as each intent.
    engine = QAEngine.from_directory(seed_dir if folder == "seeds" else CORPUS,
                                     segmenter=segmenter)
    language = load_language()
    questions = _eval_questions()
    assert len(questions) > 500
    narrowed = 0
    for question in [*questions, "002和004在2023年发展党员", "22年那份总结", "2020年的003"]:
        for intent in ("general", "plans", "rectification"):
            looked_up = find_scope(question, engine.reports, language, intent)  # type: ignore[arg-type]
            tested = find_scope(question, list(engine.reports), language, intent)  # type: ignore[arg-type]
            assert looked_up == tested, question
            narrowed += bool(looked_up[0].report_ids)
    assert narrowed > 100


def test_the_look_ups_keep_every_report_the_tests_may_choose() -> None:
    # A report without a unit may name the unit in its title; one of the year after or before
    # may speak of the year asked; ids are found by their first digits.
    reports = (Report("001", "某单位2023年工作总结", None, (), "某单位", "2023"),
               Report("002", "2023年工作总结", None, (), "", "2023"),
               Report("003", "另一单位2022年工作总结", None, (), "另一单位", "2022"),
               Report("004", "另一单位2025年工作总结", None, (), "另一单位", "2025"))
    assert unit_of(reports[1]) == ""
    ids = [r.report_id for r in _narrowed(reports, (), ("某单位",), set(), set())]
    assert ids == ["001", "002"]
    ids = [r.report_id for r in _narrowed(reports, (), (), set(), {"2023"})]
    assert ids == ["001", "002", "003"]
    ids = [r.report_id for r in _narrowed(reports, ("003", "004"), ("另一单位",), set(), {"2021"})]
    assert ids == ["003"]
    assert _ids_named("002和00", reports) == ["002"]
