"""qa.insight over a real store, the usage chart, and QAEngine's ``reports`` restriction."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from qa import QAEngine
from qa.engine import within
from qa_bot.store.db import Store
from qa_bot.store.insight import mark_handled, open_gaps, topic_key, usage_stats, window_start
from qa_bot.store.usagechart import render_usage_png

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_window_starts_at_local_midnight() -> None:
    now = datetime(2024, 3, 4, 1, 30, tzinfo=SHANGHAI)  # Monday 01:30 in Shanghai
    assert window_start(7, now, SHANGHAI) == datetime(2024, 2, 26, 16, 0, tzinfo=UTC)


def test_topic_key_keeps_longest_terms_sorted() -> None:
    assert topic_key("q", ["主题教育", "主题", "教育", "党员"]) == "主题教育、党员"
    assert topic_key("  你好 ", []) == "你好"


async def test_stats_gaps_and_handled(tmp_path: Path, seeds_engine: QAEngine) -> None:
    store = Store(tmp_path / "qa.sqlite3")
    await store.open()
    try:
        for i, (question, found) in enumerate([("发展党员", True), ("食堂菜单是什么", False),
                                               ("请问食堂菜单", False), ("理论学习", True)]):
            qid = await store.log_query(chat_id=-100 if i % 2 else 7, chat_type="private",
                                        user_id=7, command="ask", question=question,
                                        intent="general", found=found, passage_ids=(),
                                        latency_ms=1.0)
            if question == "理论学习":
                await store.record_feedback(qid, 7, -1)
        terms = lambda q: seeds_engine.understand(q).terms  # noqa: E731
        now = datetime.now(SHANGHAI)
        stats = await usage_stats(store, terms, 7, now, SHANGHAI)
        assert (stats.total, stats.found, stats.up, stats.down) == (4, 2, 0, 1)
        assert len(stats.per_day) == 7 and stats.per_day[-1].questions == 4
        assert stats.gap_topics == (("菜单、食堂", 2),)
        gaps = await open_gaps(store, terms, now)
        assert [(g.topic, g.count) for g in gaps] == [("菜单、食堂", 2), ("理论学习", 1)]
        await mark_handled(store, "菜单、食堂", 1, now + timedelta(seconds=1))
        assert [g.topic for g in await open_gaps(store, terms, now)] == ["理论学习"]
        png = render_usage_png(stats)
        assert png.startswith(b"\x89PNG")
        (tmp_path / "stats.png").write_bytes(png)
    finally:
        await store.close()


def test_ask_within_reports(seeds_engine: QAEngine) -> None:
    ours = {r.report_id for r in seeds_engine.reports if r.unit == "县直机关工委"}
    answer = seeds_engine.ask("发展党员", reports=ours)
    assert answer.found and {h.passage.report_id for h in answer.hits} <= ours
    assert not seeds_engine.ask("党组存在哪些问题", reports=ours).found
    listed = seeds_engine.section_answer("problems", reports=ours)
    assert {q.passage.report_id for q in listed.quotes} <= ours
    query = seeds_engine.understand("发展党员")
    assert within(query, None) is query
    assert within(query, set()).scope.report_ids == ("",)  # nothing allowed: nothing searched
