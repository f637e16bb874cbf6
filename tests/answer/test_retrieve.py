"""Retrieval policy (qa.answer.retrieve): what may count as an answer at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa import QAEngine, Tokenizer
from qa.answer.retrieve import (
    CHAR_CREDIT,
    COMPLAINT_CREDIT,
    THESAURUS_CREDIT,
    Shape,
    borrowed,
    fills_role,
    holds_a_question_word,
    index_text_folded,
    is_fragment,
    loose_share,
    paraphrased,
    quotes_heading,
    speaks_of_period,
    word_credit,
)
from qa.language import LanguageSettings, Query
from qa.models import Passage

TASKS = """机关党支部2018年工作任务清单
一
突出从严治党，加强党的政治建设
1、按照公司党委部署和要求，认真组织好党员干部政治理论学习和党性党纪党规教育，落实学习研讨、征求意见、谈心谈话，全年不少于12次。
全年
党支部书记
2、严格执行党章，坚决维护民主集中制原则，规范议事规则，落实“三重一大”决策制度。
全年
党支部委员
"""


def test_a_bare_label_is_a_fragment_a_row_or_a_sentence_is_not() -> None:
    assert is_fragment("全年") and is_fragment("党支部书记") and is_fragment(" 党支部委员 ")
    assert not is_fragment("党员人数：87名") and not is_fragment("发展党员3名")
    assert not is_fragment("严格执行党章，坚决维护民主集中制原则。")


def test_a_table_cell_never_answers_alone(segmenter: Tokenizer, tmp_path: Path) -> None:
    (tmp_path / "tasks.txt").write_text(TASKS, encoding="utf-8")
    engine = QAEngine.from_directory(tmp_path, segmenter=segmenter)
    answer = engine.ask("机关党支部书记叫什么名字")
    assert not answer.found  # the owner cell 「党支部书记」 names a post, not a person
    answer = engine.ask("政治理论学习全年不少于几次")
    assert answer.found and "不少于12次" in answer.hits[0].passage.text


GOV = """2025年某省政府工作报告
一、2024年工作回顾
生态环境持续改善，全省空气质量优良天数达到329天，河湖水质稳中向好，群众获得感明显增强。
二、2025年主要任务
持续深入推进污染防治攻坚，力争空气质量优良天数达到338天以上，巩固提升河湖水质。
"""


def test_a_figure_question_is_answered_by_what_was_done_not_the_target(
        segmenter: Tokenizer, tmp_path: Path) -> None:
    (tmp_path / "gov.txt").write_text(GOV, encoding="utf-8")
    engine = QAEngine.from_directory(tmp_path, segmenter=segmenter)
    assert "329天" in engine.ask("空气优良天数有多少天").hits[0].passage.text
    assert "338天" in engine.ask("今年计划空气优良天数力争多少天").hits[0].passage.text


def _province(name: str, done: str, target: str) -> str:
    return f"""2025年{name}政府工作报告
一、2024年工作回顾
克服极端天气影响，全年粮食产量达到{done}，连续多年稳定增长，农业基础更加牢固。
城乡居民收入稳步增长，新增就业岗位持续扩大，社会保障体系不断完善。
科技创新能力显著增强，高新技术企业数量增长较快，创新生态日益优化。
二、2025年主要任务
稳定粮食产量，力争粮食产量{target}。
深入推进生态文明建设，持续改善空气和水环境质量，守护绿水青山。
"""


@pytest.fixture
def two_provinces(segmenter: Tokenizer, tmp_path: Path) -> QAEngine:
    """Two province reports, each with the grain it produced and the grain it plans."""
    (tmp_path / "henan.txt").write_text(_province("河南省", "1344亿斤", "1350亿斤以上"),
                                        encoding="utf-8")
    (tmp_path / "shandong.txt").write_text(_province("山东省", "1142亿斤", "1150亿斤以上"),
                                           encoding="utf-8")
    return QAEngine.from_directory(tmp_path, segmenter=segmenter)


def test_each_unit_in_a_comparison_is_answered_by_what_it_did_not_its_target(
        two_provinces: QAEngine) -> None:
    answer = two_provinces.ask("河南、山东粮食产量比一比")
    # The plan's sentence says 粮食产量 twice and is the better keyword match in each report.
    assert {h.passage.report_id: "达到" in h.passage.text for h in answer.hits[:2]} == {
        "henan": True, "shandong": True}


def test_a_target_asked_is_answered_by_the_plan_and_an_amount_by_the_review(
        segmenter: Tokenizer, tmp_path: Path) -> None:
    (tmp_path / "henan.txt").write_text(_province("河南省", "1344亿斤", "1350亿斤以上"),
                                        encoding="utf-8")
    engine = QAEngine.from_directory(tmp_path, segmenter=segmenter)
    assert "1350亿斤" in engine.ask("河南粮食产量目标是多少").hits[0].passage.text
    assert "1350亿斤" in engine.ask("粮食产量预期多少").hits[0].passage.text
    assert "1344亿斤" in engine.ask("河南粮食产量是多少").hits[0].passage.text


def test_a_target_asked_without_how_many_is_answered_by_the_plan(
        segmenter: Tokenizer, tmp_path: Path) -> None:
    (tmp_path / "gov.txt").write_text("""2025年某省政府工作报告
一、2024年工作回顾
全年粮食产量达到1344亿斤，粮食产量连续多年稳定增长，粮食产量再创新高。
科技创新能力显著增强，高新技术企业数量增长较快，创新生态日益优化。
二、2025年主要任务
今年主要预期目标是：粮食产量1350亿斤以上，城镇新增就业110万人。
深入推进生态文明建设，持续改善空气和水环境质量，守护绿水青山。
""", encoding="utf-8")
    engine = QAEngine.from_directory(tmp_path, segmenter=segmenter)
    assert "1350亿斤" in engine.ask("粮食产量的目标").hits[0].passage.text


def test_who_is_ahead_between_two_named_units_answers_each_with_its_figure(
        two_provinces: QAEngine) -> None:
    answer = two_provinces.ask("河南和山东谁的粮食产量多")
    assert answer.intent == "figure"
    assert {h.passage.report_id: "达到" in h.passage.text for h in answer.hits[:2]} == {
        "henan": True, "shandong": True}


@pytest.mark.parametrize(("word", "in_reports", "text", "credit"), [
    ("改完", False, "查摆问题67个，已整改48条", CHAR_CREDIT * 1 / 2),  # 改 of 整改
    ("查出来", False, "查摆问题67个，已整改48条", 0.0),  # one character of three: too little
    ("上报", False, "按时报送网评471条", CHAR_CREDIT * 1 / 2),
    ("上报", True, "按时报送网评471条", 0.0),  # a report word must be there itself
    ("比特币", False, "开展主题党日活动", 0.0),
])
def test_a_word_the_reports_never_use_is_held_by_its_characters(
        word: str, in_reports: bool, text: str, credit: float) -> None:
    query = Query(word, word, "general", terms=(word,))
    assert word_credit(word, query, set(), in_reports, text) == pytest.approx(credit)


@pytest.mark.parametrize(("word", "text", "share"), [
    ("粮食产量", "农业生产形势喜人。粮食总产781.8亿斤", 0.75),  # 粮食·产 in 「粮食总产」
    ("发展党员", "严格程序发展新党员87名", 1.0),  # split by one character
    ("粮食产量", "粮食安全责任重大，产量稳定", 0.5),  # 产 beyond the short span
    ("粮食产量", "", 0.0),
])
def test_loose_share_counts_a_compounds_characters_in_order_in_a_short_span(
        word: str, text: str, share: float) -> None:
    assert loose_share(word, text) == pytest.approx(share)


# Words the library uses, as its index's document frequency answers.
_LIBRARY = {"公差", "追责", "差距", "情况", "一股", "一股绳", "新情况", "乡村",
            "乡村振兴"}.__contains__


def test_two_words_each_reached_through_a_library_neighbour_hold_the_question() -> None:
    # 「出差补贴造假的有人被追究吗」 against 「精准追责问责虚报公差费」: no question word is in the
    # text, but two reach it, each through a neighbour the library uses (出差 → 公差, 追究 →
    # 追责): a paraphrase, as strong as one thesaurus match, which lowers the coverage bar.
    # One neighbour alone is not; and neighbours never stand for the question's own words.
    neighbours = {"出差": ("公差", "差距"), "追究": ("追责", "研究"), "补贴": ("补齐",)}
    query = Query("出差补贴造假的有人被追究吗", "出差补贴造假的有人被追究吗", "general",
                  terms=("出差", "补贴", "造假", "追究"), neighbours=neighbours)
    text = "精准追责问责虚报公差费"
    assert paraphrased(query, ("公差", "追责"), text, _LIBRARY)
    assert not paraphrased(query, ("公差",), text, _LIBRARY)
    # Meeting in one sentence, they hold the question; in two, neither holds it.
    assert holds_a_question_word(query, ("公差", "追责"), text, _LIBRARY)
    assert not holds_a_question_word(query, ("公差", "追责"), "精准追责。虚报公差费", _LIBRARY)
    assert not holds_a_question_word(query, ("公差",), text, _LIBRARY)


def test_a_neighbour_holding_the_character_inside_another_word_is_no_evidence() -> None:
    assert borrowed("股", "一股绳", _LIBRARY) and borrowed("情", "新情况", _LIBRARY)
    assert borrowed("村", "乡村振兴", _LIBRARY) and not borrowed("村", "乡村", _LIBRARY)
    assert not borrowed("差", "公差", _LIBRARY)


def test_a_report_compound_is_held_by_its_abridged_form() -> None:
    query = Query("粮食产量", "粮食产量", "figure", terms=("粮食", "产量", "粮食产量"))
    text = "农业生产形势喜人。粮食总产781.8亿斤，创历史最高水平。"
    assert word_credit("粮食产量", query, {"粮食"}, True, text) == pytest.approx(0.8 * 0.75)
    # Only a part and no abridged form: the part's share, as before.
    assert word_credit("粮食产量", query, {"粮食"}, True, "粮食安全") == pytest.approx(0.8 * 2 / 4)


def _employment(name: str, urban: str, migrant: str) -> str:
    return f"""2025年{name}政府工作报告
一、2024年工作回顾
民生保障不断增强。新增城镇就业{urban}，农村劳动力转移就业{migrant}，社会保障体系不断完善。
科技创新能力显著增强，高新技术企业数量增长较快，创新生态日益优化。
"""


def test_a_bar_keeps_the_units_whose_count_of_the_subject_clears_it(
        segmenter: Tokenizer, tmp_path: Path) -> None:
    for name, urban, migrant in [("甲省", "143万人", "50万人"), ("乙省", "120万人", "30万人"),
                                 ("丙省", "79.8万人", "1695万人")]:
        (tmp_path / f"{name}.txt").write_text(_employment(name, urban, migrant), encoding="utf-8")
    engine = QAEngine.from_directory(tmp_path, segmenter=segmenter)
    answer = engine.ask("哪些省城镇新增就业超过100万人")
    # 丙省's 1695万人 is another count (转移就业): it does not clear the bar for 城镇新增就业.
    assert answer.lead.startswith("甲省") and "乙省" in answer.lead and "丙省" not in answer.lead
    assert "50万人" not in answer.lead


def test_a_complaint_the_reports_never_word_is_held_by_a_problems_passage() -> None:
    query = Query("进来得太少", "进来得太少", "general", terms=("得太少",), deficiency=True,
                  complaint=("得太少",))
    text = "党员发展数量偏多"  # shares no character with 得太少
    assert word_credit("得太少", query, set(), False, text, states_shortcoming=True) \
        == pytest.approx(COMPLAINT_CREDIT)
    assert word_credit("得太少", query, set(), False, text) == 0.0  # a work passage: not held
    # A complaint word the reports use is matched like any word.
    assert word_credit("得太少", query, set(), True, text, states_shortcoming=True) == 0.0


_BRANCH = """第九党支部2023年工作总结
一、工作开展情况
支部党员积极参加志愿服务，党员教育扎实开展，党员队伍作风进一步转变。
二、存在的问题
党员队伍新鲜血液补充不多，发展数量偏少，支部活动形式较为单一。
三、下一步打算
加强党员教育，丰富支部活动形式。
"""


@pytest.mark.parametrize("complaints", [True, False])
def test_a_question_that_complains_is_answered_by_the_problem(
        segmenter: Tokenizer, tmp_path: Path, complaints: bool) -> None:
    (tmp_path / "branch.txt").write_text(_BRANCH, encoding="utf-8")
    settings = LanguageSettings().switched("complaints", complaints)
    engine = QAEngine.from_directory(tmp_path, segmenter=segmenter, settings=settings)
    answer = engine.ask("支部里新党员进来得太少了吧")
    # 偏少 is the report's word for 得太少: without the complaint held, too little of the
    # question is in any passage to answer it.
    assert answer.found is complaints
    if complaints:
        assert "偏少" in answer.hits[0].passage.text


def test_quotation_marks_inside_a_phrase_do_not_break_it() -> None:
    text = "二是健全以破“五唯”为导向的评价制度。"
    passage = Passage("r#1", "r", "r", ("二、整改",), "work", text)
    assert "破五唯" in index_text_folded(passage, str)


def test_library_neighbours_alone_never_make_an_answer() -> None:
    # 股票 and 行情 are words the reports never use; a passage reached only through their
    # shared-character neighbours (一股绳, 新情况: each holds the character in passing) holds
    # none of the question.
    query = Query("股票行情", "股票行情", "general", terms=("股票", "行情"),
                  neighbours={"股票": ("一股绳",), "行情": ("新情况",)})
    said = "拧成一股绳，适应新情况"  # one sentence, yet each holds its character in passing
    assert not holds_a_question_word(query, ["一股绳", "新情况"], said, _LIBRARY)
    assert not paraphrased(query, ["一股绳", "新情况"], said, _LIBRARY)
    assert holds_a_question_word(query, ["一股绳"], "股票行情平稳")


def test_a_question_the_reports_cannot_answer_is_not_answered_by_neighbours(
        seeds_engine: QAEngine) -> None:
    assert seeds_engine.settings.neighbours
    assert not seeds_engine.ask("股票行情").found


def test_a_year_finds_the_later_report_that_tells_of_that_years_event(
        seeds_engine: QAEngine) -> None:
    # Only 004 reviews 2022, but 000 (a 2023 report) tells of the 2022年度 述职评议.
    question = "2022年度基层党支部书记抓党建述职评议会是哪家开的"
    assert seeds_engine.understand(question).scope.report_ids == ("004_1c5fd297e8b8e854",)
    answer = seeds_engine.ask(question)
    assert answer.found and answer.hits[0].passage.report_id.startswith("000")
    assert "2022年度基层党支部书记" in answer.hits[0].passage.text


_CITY = """2026年某市政府工作报告
一、2025年工作回顾
民心工程见行见效。出台促进高质量充分就业等政策措施，发放就业创业补贴13亿元，新增就业32.7万人。
二、2026年重点工作
今年经济社会发展主要预期目标是：地区生产总值增长4.5%；城镇新增就业28万人；居民消费价格涨幅2%左右。
"""


def test_a_question_about_last_year_is_answered_by_what_was_done_not_the_target(
        segmenter: Tokenizer, tmp_path: Path) -> None:
    (tmp_path / "city.txt").write_text(_CITY, encoding="utf-8")
    engine = QAEngine.from_directory(tmp_path, segmenter=segmenter)
    query = engine.understand("去年城镇新增就业多少人")
    assert query.looks_back and "去年" not in query.terms
    assert "32.7万人" in engine.ask("去年城镇新增就业多少人").hits[0].passage.text
    # 「去年的计划」 asks for a plan: plans are not pushed back then.
    assert engine.understand("去年的计划是什么").planned


def test_a_text_fills_a_post_when_it_says_who_holds_it() -> None:
    assert fills_role("成立党委书记任组长、校长任副组长的巡视整改工作领导小组", "组长")
    assert fills_role("领导小组组长由校长担任", "组长")
    assert not fills_role("强化党建工作领导小组作用，明确领导小组办公室分工", "组长")
    assert not fills_role("党委书记任组长", "")


@pytest.mark.parametrize(("said", "path", "quoted"), [
    ("2023年党建工作主要任务里面，执纪问责那块具体咋说的", ("二、2023年党建工作主要任务",), True),
    ("执纪问责那块具体咋说的", ("二、2023年党建工作主要任务",), False),
    ("下步打算有哪些", ("四、下步打算",), False),  # too short to name one section
    ("强化执纪监督怎么做", ("四、下步打算", "（三）强化执纪监督"), True),
    ("第三部分强化执纪监督那块说了啥", ("（三）强化执纪监督工作",), False),
    ("强化执纪监督工作那块说了啥", ("（三）强化执纪监督工作",), True),
])
def test_a_question_quoting_a_heading_names_its_section(
        said: str, path: tuple[str, ...], quoted: bool) -> None:
    assert quotes_heading(said, path) is quoted


def test_a_year_asked_is_answered_by_that_years_target_not_the_five_year_plans(
        segmenter: Tokenizer, tmp_path: Path) -> None:
    (tmp_path / "gov.txt").write_text("""2026年某省政府工作报告
一、2025年工作回顾
全年地区生产总值增长5.2%，粮食产量再创新高，城乡居民收入稳步增长。
二、“十五五”时期的主要目标和重点任务
“十五五”时期经济社会发展的主要目标是：地区生产总值年均增长5%左右，科技自立自强水平大幅提高。
三、2026年工作安排
2026年是“十五五”开局之年。今年经济社会发展的主要预期目标是：地区生产总值增长4.5%—5%。
""", encoding="utf-8")
    engine = QAEngine.from_directory(tmp_path, segmenter=segmenter)
    answer = engine.ask("2026年经济社会发展主要目标定的多少")
    assert "4.5%—5%" in answer.hits[0].passage.text
    # Without a year asked, the period's target is not set aside.
    assert "年均增长5%" in engine.ask("十五五时期主要目标是啥").hits[0].passage.text


RECORD = """2022年度民主评议党小组组织生活记录
会议主题：1.学习全国“两会”精神 2.2022年度民主评议，开展批评和自我批评。
一、政治理论学习方面还缺乏自觉性，学习的内容还不够深入，更多是碎片化学习。
二、2022年度民主评议，开展批评和自我批评，党员逐一发言。
三、组织开展民主评议党员，按照规定程序，征询党员意见。
"""


def test_the_words_setting_the_scene_weigh_less_than_what_is_asked(
        segmenter: Tokenizer, tmp_path: Path) -> None:
    (tmp_path / "record.txt").write_text(RECORD, encoding="utf-8")
    engine = QAEngine.from_directory(tmp_path, segmenter=segmenter)
    answer = engine.ask("民主评议的时候有人说自己学习碎片化吗")
    assert "碎片化学习" in answer.hits[0].passage.text


def test_this_years_target_is_not_the_five_year_plans(segmenter: Tokenizer,
                                                       tmp_path: Path) -> None:
    (tmp_path / "gov.txt").write_text("""2026年某省政府工作报告
一、2025年工作回顾
全年地区生产总值增长5.2%，粮食产量再创新高，城乡居民收入稳步增长。
二、“十五五”时期的主要目标和重点任务
“十五五”时期经济增长目标是：经济增长年均5%左右。
三、2026年工作安排
综合考虑国内外形势和各方面因素，今年经济社会发展的主要预期目标是：经济增长4.5%—5%，城镇新增就业50万人。
""", encoding="utf-8")
    engine = QAEngine.from_directory(tmp_path, segmenter=segmenter)
    assert "4.5%—5%" in engine.ask("今年经济增长目标是多少").hits[0].passage.text



def test_a_passage_about_five_years_is_not_about_the_one_year_asked(
        segmenter: Tokenizer, tmp_path: Path) -> None:
    period = "这五年，城乡居民收入稳步提高，年均增长6.5%，城乡居民收入差距持续缩小。"
    year = "过去一年，城乡居民收入增长5.5%，消费市场回暖。"
    (tmp_path / "gov.txt").write_text("2026年某省政府工作报告\n一、工作回顾\n" + period + "\n"
                                      + year + "\n", encoding="utf-8")
    engine = QAEngine.from_directory(tmp_path, segmenter=segmenter)
    years = Shape.of(engine.understand("去年居民收入增长了多少"), True).years
    assert speaks_of_period(period, years) and not speaks_of_period(year, years)
    assert speaks_of_period("“十四五”以来，经济实力持续增强。", ("2026",))
    assert not speaks_of_period(period, Shape.of(engine.understand("居民收入增长了多少"),
                                                 True).years)  # no year asked


def test_a_number_asked_is_held_only_with_the_measure_it_is_asked_in(
        segmenter: Tokenizer, tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text("""县直机关工委2023年党建工作总结
一、主要工作
组织老党员参加党务知识竞赛，评出优秀奖50名，党员参与踊跃。
“七一”前夕，慰问困难党员，发放“光荣在党50年”纪念章10人。
""", encoding="utf-8")
    engine = QAEngine.from_directory(tmp_path, segmenter=segmenter)
    assert "纪念章" in engine.ask("党龄50年的老党员有多少").hits[0].passage.text
    # A month is a date, however written: 3 of 「3月」 is not held to 「3月」.
    query = engine.understand("23年3月那次会在哪开的")
    assert word_credit("3", query, {"3"}, True, "会议时间：2023-03-10") == 1.0


def test_a_latin_abbreviation_is_the_official_word_it_stands_for(segmenter: Tokenizer,
                                                                 tmp_path: Path) -> None:
    (tmp_path / "gov.txt").write_text("""2026年某省政府工作报告
一、2025年工作回顾
四大主导产业占GDP比重较2020年提高约14个百分点，旅游业提质升级，新增5A级景区2个。
二、2026年主要工作
今年经济社会发展的主要预期目标是：地区生产总值增长6%左右，固定资产投资增长7%左右。
""", encoding="utf-8")
    engine = QAEngine.from_directory(tmp_path, segmenter=segmenter)
    query = engine.understand("今年gdp目标")
    assert query.term_weights()["地区生产总值"] == 1.0
    assert word_credit("gdp", query, {"地区生产总值"}) == 1.0
    # A colloquial word's official counterpart is near it, not it.
    colloquial = engine.understand("学习走马观花")
    assert "走过场" in colloquial.expansions["走马观花"]
    assert word_credit("走马观花", colloquial, {"走过场"}) == THESAURUS_CREDIT


def test_a_question_about_what_was_done_is_not_answered_by_a_plan(segmenter: Tokenizer,
                                                                  tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text("""机关党委2023年党建工作报告
一、履职情况
组织党员到社区报到开展志愿服务活动12次，为群众办实事30余件。
二、下一步工作思路
创新活动载体，组织党员深化社区报到服务活动，丰富主题党日活动形式，增强活动实效。
""", encoding="utf-8")
    engine = QAEngine.from_directory(tmp_path, segmenter=segmenter)
    assert engine.ask("今年搞了哪些活动").hits[0].passage.kind == "work"
    assert engine.ask("下一步打算搞哪些活动").hits[0].passage.kind == "plans"
