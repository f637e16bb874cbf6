"""Questions typed the way staff type them: normalisation, weights, scope, figures, follow-ups."""

from __future__ import annotations

import pytest

from qa import QAEngine
from qa.language.normalize import normalize_question
from qa.language.shapes import (
    asked_bar,
    asked_unit,
    asks_who_is_ahead,
    counted_noun,
    is_amount_noun,
    measured_attribute,
)
from qa.language.tokenizer import Tokenizer
from qa.language.understand import (
    Query,
    _leftover_of_unit,
    asked_form,
    description_of_unit,
    detect_intent,
    expansions_for,
    future_kind,
    points_at_unit,
    problem_told,
    with_abbreviations,
)
from qa.language.weights import (
    FILLER_WEIGHT,
    FUNCTION_FACTOR,
    GRAMMAR_TAGS,
    REPORT_FLOOR,
    specificity,
    tag_factor,
)
from qa.language.wordlists import load_language


def fold(text: str) -> str:
    return Tokenizer(lexicon=(), stopwords=()).normalize(text)


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("@dj_helper_bot 网评报送了多少条", "网评报送了多少条"),  # a mention of any bot
        ("网评报送了多少条😅✨🏔️", "网评报送了多少条"),  # emoji, joiners, selectors
        ("网评报送了多少条？？？！！", "网评报送了多少条"),  # repeated / full-width marks
        ("網評報送了多少條", "网评报送了多少条"),  # traditional characters
        ("麻烦问下，网评报送了多少条啊", "网评报送了多少条"),  # polite words and particles
        ("帮我查查网评报送了多少条呗 thx", "网评报送了多少条"),  # English filler
        ("主题活动搞了多少回", "主题活动开展了多少次"),  # colloquial verbs and measure words
        ("找党员唠唠嗑", "找党员唠嗑"),  # reduplicated verbs
        ("next step 党建", "下一步 党建"),
        ("基层支部战斗力弱不弱", "基层支部战斗力弱"),  # an A-not-A question asks about A
        ("整改到不到位", "整改到位"),
    ],
)
def test_normalisation_rules(raw: str, text: str) -> None:
    assert normalize_question(raw, fold).text == text


@pytest.mark.parametrize(
    ("raw", "kind"), [("谢谢", "thanks"), ("你好！", "greeting"), ("好的，谢谢👍", "thanks")]
)
def test_greetings_and_thanks_are_small_talk(seeds_engine: QAEngine, raw: str, kind: str) -> None:
    answer = seeds_engine.ask(raw)
    assert answer.smalltalk == kind and not answer.found and answer.notice
    assert not answer.suggestions and not answer.hits


def test_filler_weighs_less_than_any_report_word(seeds_engine: QAEngine) -> None:
    weigh = seeds_engine.background.weight
    fillers = seeds_engine.background.fillers
    grammar = {w for w in seeds_engine.index.vocabulary
               if seeds_engine.background.frequency(w)[1] in GRAMMAR_TAGS}
    assert "这个" in grammar  # a pronoun: weighed as general Chinese weighs it (below)
    lightest_report_word = min(weigh(w) for w in seeds_engine.index.vocabulary
                               if w not in fillers and w not in grammar)
    assert lightest_report_word >= REPORT_FLOOR
    assert all(weigh(f) == FILLER_WEIGHT < lightest_report_word for f in ("麻烦", "请问", "谢谢"))


def test_ordinary_words_weigh_little_and_rare_content_words_a_lot(seeds_engine: QAEngine) -> None:
    weigh = seeds_engine.background.weight
    for ordinary in ("东西", "哪里", "怎么回事"):
        for rare in ("公积金", "国足", "比特币"):
            assert weigh(ordinary) < weigh(rare), (ordinary, rare)
    assert specificity(10**6, 6 * 10**7) < specificity(10, 6 * 10**7)
    assert tag_factor("uj") < tag_factor("v") < tag_factor("n")


def test_a_pronoun_weighs_little_though_the_reports_use_it(seeds_engine: QAEngine) -> None:
    # 这个, 自己 (jieba: r) carry no topic though the reports use them; 哪份 (mq, a pronoun
    # with its classifier) weighs as a function word however rare; 全年 (m) still says which
    # part of a report is meant.
    weigh, used = seeds_engine.background.weight, seeds_engine.background.doc_freq
    assert used("这个") and used("自己") and used("全年")
    assert all(weigh(w) < REPORT_FLOOR / 2 for w in ("这个", "那些", "自己"))
    assert weigh("哪份") <= FUNCTION_FACTOR < REPORT_FLOOR <= weigh("全年")
    assert tag_factor("mq") == FUNCTION_FACTOR and tag_factor("nr") == 1.0


def test_a_filler_no_longer_sinks_a_good_question(seeds_engine: QAEngine) -> None:
    plain = seeds_engine.ask("请问今年发展了多少党员")
    padded = seeds_engine.ask("麻烦问下今年发展了多少党员")
    assert plain.found and padded.found and plain.hits[0] == padded.hits[0]


@pytest.mark.parametrize(
    "question", ["党员公积金缴纳了多少", "国足比赛组织党员看了几场", "周末去哪爬山比较好啊"]
)
def test_an_unknown_content_word_makes_not_found(seeds_engine: QAEngine, question: str) -> None:
    assert not seeds_engine.ask(question).found


@pytest.mark.parametrize(
    ("question", "report"),
    [
        ("002开展了哪些主题活动", "002"),  # report id
        ("党组组织党员去过保密教育基地吗", "002"),  # unit
        ("22年党委总结里怎么严明纪律", "004"),  # short year + unit
        ("2022年度报告的警示教育", "004"),  # full year
    ],
)
def test_scope_restricts_to_the_named_reports(
    seeds_engine: QAEngine, question: str, report: str
) -> None:
    answer = seeds_engine.ask(question)
    assert answer.found and {h.passage.report_id[:3] for h in answer.hits} == {report}


def test_a_silent_named_report_says_so(seeds_engine: QAEngine) -> None:
    answer = seeds_engine.ask("党组那份总结里，今年吸收了几个新同志入党")
    title = "《党组2023年党建工作总结及下一步工作计划》"
    assert not answer.found and f"{title}中没有提到" in answer.notice


def test_a_year_no_report_covers_is_not_found(seeds_engine: QAEngine) -> None:
    answer = seeds_engine.ask("2020年县直机关工委换届了几个支部")
    assert not answer.found and "2020年" in answer.notice


def test_which_unit_lines_are_sorted_with_the_extreme_first(seeds_engine: QAEngine) -> None:
    answer = seeds_engine.ask("哪个单位发展党员最多")
    assert answer.found and answer.lead.startswith("县直机关工委（003，2023年）最多：87名")
    assert answer.lead.index("87名") < answer.lead.index("20人") < answer.lead.index("10名")


def test_a_redacted_figure_is_answered_as_no_figure(seeds_engine: QAEngine) -> None:
    answer = seeds_engine.ask("对各支部书记开展了多少次集中学习培训")
    assert not answer.found and "没有给出具体数字" in answer.notice
    assert answer.quotes and "x次" in answer.quotes[0].passage.text


def test_a_who_question_about_a_matter_that_names_nobody_is_not_answered(
        seeds_engine: QAEngine) -> None:
    # The reports tell of a speech contest but never who won: the honest answer says so.
    answer = seeds_engine.ask("青年干部演讲比赛谁得了第一名，是谁")
    assert answer.intent == "name" and not answer.found
    assert "没有写是谁" in answer.notice and answer.quotes


def test_who_a_sentence_names() -> None:
    from qa.answer.asked import names_someone

    assert names_someone("市直机关工委书记*同志对经验做法给予肯定")
    assert names_someone("由党组书记带头讲专题党课")
    assert not names_someone("以青年干部为重点开展主题演讲比赛，提交作品30篇")


def test_a_figure_question_leads_with_the_figure(seeds_engine: QAEngine) -> None:
    answer = seeds_engine.ask("网评报送了多少条")
    assert answer.found and "471条" in answer.lead and "（000，2023年）" in answer.lead


def test_follow_up_with_another_report_re_asks_the_question(seeds_engine: QAEngine) -> None:
    answer = seeds_engine.ask("那003呢", context="今年发展了多少党员")
    assert answer.found and answer.hits[0].passage.report_id.startswith("003")
    assert answer.follows == "今年发展了多少党员"
    assert not seeds_engine.ask("党费收缴", context="今年发展了多少党员").follows
    # Its own words, however common (活动, 经济增长), make a new question, not a follow-up.
    assert not seeds_engine.ask("003开展了哪些活动", context="今年发展了多少党员").follows
    assert seeds_engine.ask("那003的情况呢", context="今年发展了多少党员").follows
    assert "87名" in answer.quotes[0].text


def test_follow_up_asking_for_more_expands_whole_passages(seeds_engine: QAEngine) -> None:
    first = seeds_engine.ask("双报到报到率是多少")
    more = seeds_engine.ask("具体怎么做的", context="双报到报到率是多少")
    assert more.found and more.quotes[0].text.rstrip("…") in more.quotes[0].passage.text
    assert sum(len(q.text) for q in more.quotes) > sum(len(q.text) for q in first.quotes)


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("示范点翻来覆去就那几个老面孔，新的没培养起来", "general"),  # 那几个 points, asks nothing
        ("这几年党员教育有啥变化", "general"),
        ("这几年发展了多少党员", "figure"),
        ("支部开了几次党员大会", "figure"),
    ],
)
def test_a_few_pointed_at_asks_no_number(question: str, intent: str) -> None:
    assert detect_intent(question) == intent


def test_intent_words_never_become_the_topic(seeds_engine: QAEngine) -> None:
    for question in ("接下来打算咋整", "为啥会出现这些短板啊", "今后一段时间准备重点抓哪几件事"):
        answer = seeds_engine.ask(question)
        assert answer.found and answer.quotes[0].items, question
        assert len(answer.quotes) >= 2, question  # an overview of every report with the kind


def test_a_question_about_several_units_lists_them_whatever_their_kind(
        seeds_engine: QAEngine) -> None:
    for question in ("哪些省份高速公路里程过了一万公里", "各省民生实事办了几件",
                     "哪几个支部开展了主题党日", "机关党支部哪几年被评过先进党支部"):
        assert seeds_engine.understand(question).which, question
    assert not seeds_engine.understand("对各支部书记开展了多少次集中学习培训").which


def test_several_units_counted_by_家_do_not_make_家_the_asked_measure() -> None:
    assert asked_unit("写了发展党员数的几家里面，哪家发展得最少", which=True) == ""
    assert asked_unit("几家单位发展了党员", which=False) == "家"
    assert asked_unit("哪几家培训了多少人次", which=True) == "人次"
    assert asked_unit("纪念章发了几个人") == "人"  # 个 is the classifier of 人
    assert asked_unit("有几个党支部") == "个"


def test_the_fewest_of_several_units_is_the_smallest_count(seeds_engine: QAEngine) -> None:
    answer = seeds_engine.ask("写了发展党员数的几家里面，哪家发展得最少")
    assert answer.found and "10名" in answer.lead.split("；")[0]


def test_the_attribute_a_size_question_measures(segmenter: Tokenizer) -> None:
    assert measured_attribute("机关党员活动室面积有多大", segmenter.tokens) == "面积"
    assert measured_attribute("新建的展厅有多大", segmenter.tokens) == "展厅"
    assert measured_attribute("发展党员人数有多大", segmenter.tokens) == ""  # an amount noun
    assert measured_attribute("发展了多少党员", segmenter.tokens) == ""


def test_a_size_no_passage_states_is_a_near_miss(seeds_engine: QAEngine) -> None:
    answer = seeds_engine.ask("党员活动室面积有多大")
    assert not answer.found and "面积" not in answer.lead


@pytest.mark.parametrize(("question", "intent"), [
    ("后面怎么巩固巡视整改成果", "plans"),
    ("下一步整改工作怎么推进", "plans"),
    ("巡视反馈的问题整改到位了吗", "rectification"),
    ("整改落实情况怎么样", "rectification"),
])
def test_a_rectification_question_about_what_comes_next_asks_for_plans(
        question: str, intent: str) -> None:
    assert future_kind(question, detect_intent(question)) == intent


@pytest.mark.parametrize(("text", "told"), [
    # The clause that asks (a time to come, a section named) is not the problem.
    ("党建活动创新不够,下一步有没有针对性的措施", ("活动", "创新", "不够")),
    ("党员学习是急用才学,2024年计划里有没有对症下药的措施", ("党员", "学习")),
    # One clause, or no clause that asks: the problem is not told apart.
    ("下一步针对理论学习不够有什么措施", ()),
    ("党建活动创新不够,理论学习不深", ()),
])
def test_a_plan_question_tells_its_problem_apart_from_its_ask(
        text: str, told: tuple[str, ...]) -> None:
    terms = ("党员", "学习", "活动", "创新", "不够", "针对性", "措施", "对症下药", "理论")
    assert problem_told(text, terms, "plans", load_language()) == told


@pytest.mark.parametrize(("question", "dropped"), [
    ("rank一下 哪个单位培训党员的人次最多", "rank"),
    ("pk一下哪家发展党员多", "pk"),
    ("对比一下各单位发展党员", "对比"),
])
def test_the_verb_before_yixia_is_the_request_not_the_topic(
        seeds_engine: QAEngine, question: str, dropped: str) -> None:
    terms = seeds_engine.understand(question).terms
    assert dropped not in terms and "党员" in terms


@pytest.mark.parametrize(("question", "intent"), [
    ("南开整改给每项任务建了多少条支撑措施", "figure"),  # 整改 is the topic of a count
    ("整改领导小组组长是谁", "name"),
    ("整改到位了吗", "rectification"),  # asks about the 整改 itself
    ("问题整改了多少个", "rectification"),  # a longer phrase names the kind
    ("问题产生的原因是什么", "causes"),
])
def test_a_bare_kind_word_in_a_count_or_who_question_is_its_topic(
        question: str, intent: str) -> None:
    language = load_language()
    assert asked_form(question, detect_intent(question, language), language) == intent


@pytest.mark.parametrize(("text", "amount", "unit", "subject"), [
    ("哪些省城镇新增就业超过100万人", 1_000_000, "人", "城镇新增就业"),
    ("哪些省份高速公路里程过了一万公里", 10_000, "公里", "高速公路里程"),
    ("哪些单位发展党员50名以上", 50, "名", "发展党员"),
    ("哪些省份的地区生产总值增速超过5%", 5, "%", "地区生产总值增速"),
    ("哪些省粮食产量增长3个百分点以上", 3, "个百分点", "粮食产量增长"),
    ("哪些单位发展党员最多", None, "", ""),
])
def test_a_which_question_sets_a_bar_for_the_counts(
        text: str, amount: float | None, unit: str, subject: str) -> None:
    bar = asked_bar(text)
    if amount is None:
        assert bar is None
    else:
        assert bar is not None and (bar.amount, bar.unit, bar.subject) == (amount, unit, subject)


@pytest.mark.parametrize(("text", "described"), [
    ("搞七个铁腕整治那家 问题的根源", "搞七个铁腕整治"),
    ("搞齐鲁粮仓那个省，城镇新增就业多少人", "搞齐鲁粮仓"),
    ("评五星支部那个县直机关工委", "评五星支部"),
    ("建了543条支撑措施那个大学的整改组长是谁", "建了543条支撑措施"),
    ("写字楼里抱团搞的那个联合体 谁家弄的", ""),  # 那个 points at a thing, not a unit
    ("这个问题怎么整改", ""),
    ("那个新发展了87名党员的单位，存在什么问题", "新发展了87名党员"),
    ("那个问题的根源是啥", ""),
    ("搞四化四抓四强的单位有啥问题", "搞四化四抓四强"),  # a relative clause opening it
    ("评五星支部的部门发展了多少党员", "评五星支部"),
    ("党员的问题有哪些", ""),  # 的 before no unit
])
def test_a_unit_pointed_at_after_its_description(text: str, described: str) -> None:
    assert points_at_unit(text) == bool(described)
    assert description_of_unit(text) == described


def test_a_word_jieba_glued_reaches_the_report_word_inside_it(seeds_engine: QAEngine) -> None:
    # 学张桂梅 is 学 + a name jieba glued into one unknown word: the reports' 张桂梅 stands in.
    known = {"张桂梅": 1, "学习": 9}.get
    found = expansions_for(["学张桂梅"], load_language(), lambda w: known(w) or 0)
    assert found == {"学张桂梅": ("张桂梅",)}
    answer = seeds_engine.ask("学张桂梅的是哪家")
    assert answer.found and answer.hits[0].passage.report_id.startswith("001")
    assert "张桂梅" in answer.quotes[0].text


def test_a_unit_described_by_a_relative_clause_scopes_the_question(
        seeds_engine: QAEngine) -> None:
    answer = seeds_engine.ask("评五星支部的单位发展了多少党员")
    assert answer.found and {h.passage.report_id[:3] for h in answer.hits} == {"003"}
    assert "87名" in answer.quotes[0].text and answer.notice.startswith("按「五星支部」")


@pytest.mark.parametrize(("term", "rest", "leftover"), [
    ("宜东", "宜东 发展了几名党员", True),  # what is left around the alias 机关党支部
    ("党支部", "哪几年被评过先进党支部", False),  # a word of the question's own (先进党支部)
    ("党员", "发展了几名党员", False),  # not in the unit's name at all
])
def test_only_what_is_left_of_a_units_name_is_dropped(
        term: str, rest: str, leftover: bool) -> None:
    assert _leftover_of_unit(term, rest, ("上港集团宜东分公司机关党支部",)) is leftover


@pytest.mark.parametrize(("question", "doer"), [
    ("机关里跳舞的那支文艺队伍是谁拉起来的？", True),
    ("廉洁书画展是谁办的", True),
    ("整改领导小组谁当组长", False),  # a post, not a deed
    ("支部书记是谁", False),
    ("党课谁负责的", False),
])
def test_a_name_question_asks_who_did_a_thing_or_who_holds_a_post(
        question: str, doer: bool) -> None:
    assert Query(question, question, "name").doer_asked is doer


def test_who_did_a_thing_the_report_tells_without_a_subject_is_its_unit(
        seeds_engine: QAEngine) -> None:
    # 「组建机关系统工会舞蹈队」 has no subject: the report's own unit did it.
    answer = seeds_engine.ask("机关里跳舞的那支文艺队伍是谁拉起来的？")
    assert answer.found and answer.hits[0].passage.report_id.startswith("000")
    assert "「县直机关工委」报告里写的本单位工作" in answer.notice


@pytest.mark.parametrize(("question", "noun"), [
    ("主题教育查出来多少问题", "问题"),
    ("列了几条措施", "措施"),
    ("发展了多少名党员", "党员"),
    ("今年工作怎么样", ""),
])
def test_a_figure_question_counts_the_noun_after_its_question_word(
        question: str, noun: str) -> None:
    assert counted_noun(question) == noun


def test_a_counted_problem_is_the_topic_not_the_problems_section(
        seeds_engine: QAEngine) -> None:
    # 「多少问题」 asks a count of 问题: the sentence that counts them is quoted.
    answer = seeds_engine.ask("主题教育查出来多少问题 改完了多少")
    assert "问题" in seeds_engine.understand("主题教育查出来多少问题").terms
    assert "查摆问题67个" in answer.quotes[0].text


@pytest.mark.parametrize(("question", "dated"), [
    ("2025年报告里哪些省城镇新增就业超过100万人", True),
    ("2023年度工作总结里提了几条问题", True),
    ("2022年度基层党支部书记抓党建述职评议会是哪家开的", False),
    ("2022年发展党员多少", False),
])
def test_a_year_dates_the_report_or_the_event(question: str, dated: bool) -> None:
    assert Query(question, question, "general").report_dated is dated


def test_two_adjacent_words_also_search_their_abbreviation() -> None:
    known = {"网评", "环保"}.__contains__
    out = with_abbreviations(("上报", "网络", "评论"), "往上报的网络评论一共多少条", {},
                             lambda w: int(known(w)))
    assert out == {"网络": ("网评",), "评论": ("网评",)}
    # Not adjacent in the question, or a short form the reports never use: nothing added.
    assert with_abbreviations(("网络", "评论"), "网络上的评论", {}, lambda w: int(known(w))) == {}
    assert with_abbreviations(("党员", "干部"), "党员干部", {}, lambda w: int(known(w))) == {}


def test_an_abbreviation_finds_the_passage_that_uses_it(seeds_engine: QAEngine) -> None:
    answer = seeds_engine.ask("请问工委去年往上报的网络评论一共多少条？")
    assert answer.found and "网评471条" in answer.hits[0].passage.text


@pytest.mark.parametrize(("question", "intent"), [
    ("河南、山东、黑龙江粮食产量比一比", "figure"),  # an amount compared: a figure per unit
    ("各单位发展党员人数对比一下", "figure"),
    ("河南、山东的乡村振兴做法比一比", "general"),
])
def test_a_comparison_of_an_amount_is_a_figure_question(
        seeds_engine: QAEngine, question: str, intent: str) -> None:
    assert seeds_engine.understand(question).intent == intent


@pytest.mark.parametrize(("question", "role"), [
    ("南开整改领导小组谁当组长", "组长"),
    ("整改领导小组组长是谁", "组长"),
    ("谁担任组长呢", "组长"),
    ("舞蹈队是谁拉起来的", ""),
])
def test_a_name_question_names_the_post_it_asks_about(question: str, role: str) -> None:
    assert Query(question, question, "name").asked_role == role


@pytest.mark.parametrize(("text", "ahead"), [
    ("湖南和湖北谁的GDP增速高", True),
    ("河南和山东哪个粮食产量更多？", True),
    ("谁的发展党员多一些", True),
    ("谁是组长", False),
    ("谁负责组织生活会", False),
])
def test_who_is_ahead_on_a_measure_is_a_comparison_shape(text: str, ahead: bool) -> None:
    assert asks_who_is_ahead(text) is ahead


@pytest.mark.parametrize(("word", "amount"), [
    ("增速", True), ("涨幅", True), ("产量", True), ("党员", False), ("速度", False),
])
def test_a_rate_of_change_is_an_amount_noun(word: str, amount: bool) -> None:
    assert is_amount_noun(word) is amount


def test_a_scene_setting_opening_is_not_what_is_asked() -> None:
    from qa.language.understand import scene_words
    terms = ["民主", "评议", "民主评议", "时候", "学习", "碎片化"]
    assert set(scene_words("民主评议的时候有人说自己学习碎片化吗", terms)) == {
        "民主", "评议", "民主评议"}
    assert "组织生活会" in scene_words("组织生活会上大家都查摆出啥问题了",
                                      ["组织生活会", "生活会", "大家", "查摆"])
    assert scene_words("在换届期间发展了多少党员", ["换届", "发展党员"]) == ("换届",)
    # 工作上 is a topic (「在工作上缺乏干劲」), and a scene with nothing after it is the topic.
    assert scene_words("工作上缺乏干劲的有哪些", ["工作", "缺乏", "干劲"]) == ()
    assert scene_words("民主评议的时候", ["民主", "评议", "民主评议"]) == ()


def test_the_words_marking_a_scene_are_not_topics(seeds_engine: QAEngine) -> None:
    query = seeds_engine.understand("民主评议的时候有人说自己学习碎片化吗")
    assert "时候" not in query.terms and "民主评议" in query.scene
    query = seeds_engine.understand("清明祭祖那阵子有没有哪家倡议文明祭扫")
    assert not {"阵子", "那阵子"} & set(query.terms) and "祭祖" in query.scene


def test_a_four_digit_year_needs_no_nian_before_a_half_year(seeds_engine: QAEngine) -> None:
    assert seeds_engine.understand("2023上半年存在哪些不足").scope.years == (2023,)
    assert seeds_engine.understand("2023年上半年存在哪些不足").scope.years == (2023,)
    assert not seeds_engine.understand("发展了20上半年").scope.years  # 20 alone is no year


def test_a_report_named_by_its_place_in_the_list(seeds_engine: QAEngine) -> None:
    ids = sorted(r.report_id for r in seeds_engine.reports)
    assert seeds_engine.understand("第五份报告说了啥问题").scope.report_ids == (ids[4],)
    assert seeds_engine.understand("第1篇总结里发展了多少党员").scope.report_ids == (ids[0],)
    assert not seeds_engine.understand("第一个表率是啥").scope.report_ids  # 个 counts items
    ninth = seeds_engine.understand("第九份报告说了啥").scope  # a library of five
    assert ninth.named and not ninth.report_ids
    assert "没有第九份的报告" in seeds_engine.ask("第九份报告说了啥问题").notice
