"""Issue 11 through the fake Bot API: /compare with a chart, metric buttons, /figures, /export."""

from __future__ import annotations

import asyncio
import csv
import io
import re
import shutil
import sys
import threading
import zipfile
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from qa import (
    Figure,
    FigureTable,
    QAEngine,
    Report,
    ReportInfo,
    extract_figures,
    figures_store,
    open_engine,
)
from qa.figures import figures_csv_parts, store
from qa.figures.chart import MAX_BARS
from qa_bot.app import BotApp
from qa_bot.figures import handlers
from qa_bot.figures.render import MAX_CAPTION_UNITS, render_caption, render_comparison
from qa_bot.library.handlers import FIGTABLE
from tests.conftest import ROOT, SEEDS
from tests.fakebot import Call, FakeTelegram, private_chat, user
from tests.fakebot.runner import make_settings, running_bot
from tests.fakebot.validate import check_photo

ANN = user(8001, "小周")
CHAT = private_chat(ANN)


def generate(folder: Path, passages: int) -> int:
    """Write the index bench's generated reports (bench/bench_index.py) into folder."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from bench_index import generate as write
    finally:
        sys.path.remove(str(ROOT / "bench"))
    return int(write(folder, passages))


def _buttons(call: Call) -> dict[str, str]:
    rows = call.params["reply_markup"]["inline_keyboard"]
    return {b["text"]: b["callback_data"] for row in rows for b in row}


async def _send(fake: FakeTelegram, text: str, *methods: str, count: int = 1) -> list[Call]:
    mark = fake.mark()
    fake.send_text(CHAT, ANN, text)
    return await fake.wait_for(mark, *methods, count=count, timeout=30)


def _plain(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


async def test_compare_sends_sorted_cited_lines_and_a_chart(
        fake_tg: FakeTelegram, bot_app: BotApp, seeds_engine: QAEngine) -> None:
    mark = fake_tg.mark()
    (photo,) = await _send(fake_tg, "/compare 发展党员", "sendPhoto")
    assert fake_tg.sent_file(photo, "photo").startswith(b"\x89PNG")
    caption = photo.params["caption"]
    texts = [caption]
    if "原句与出处见下一条消息" in caption:  # too long for a caption: the table follows
        (rest,) = await fake_tg.wait_for(mark, "sendMessage", timeout=30)
        texts.append(rest.params["text"])
    table = _plain(texts[-1])
    comparison = FigureTable.from_reports(seeds_engine.reports).compare("发展党员")
    values = [row.figure.value for row in comparison.valued if row.figure]
    assert len(values) >= 2 and values == sorted(values, reverse=True)
    ranked = re.findall(r"^(\d+)\. .*?（(\d{3})", table, flags=re.M)
    assert [int(rank) for rank, _ in ranked] == list(range(1, len(values) + 1))
    assert [short for _, short in ranked] == [
        row.report.report_id[:3] for row in comparison.valued]
    for row in comparison.valued:  # each line cites its sentence and report
        assert row.figure is not None
        assert row.figure.sentence[:30] in table and f"《{row.report.title}》" in table
    if comparison.missing:
        assert "未提及" in table
    assert len(caption) <= MAX_CAPTION_UNITS
    assert fake_tg.rejected == []


async def test_compare_alone_offers_metric_buttons(fake_tg: FakeTelegram, bot_app: BotApp
                                                   ) -> None:
    (listing,) = await _send(fake_tg, "/compare", "sendMessage")
    buttons = _buttons(listing)
    assert "发展党员" in buttons and all(len(d.encode()) <= 64 for d in buttons.values())
    mark = fake_tg.mark()
    message = fake_tg.messages[(CHAT["id"], listing.result["message_id"])]
    fake_tg.press(message, buttons["发展党员"], ANN)
    (photo,) = await fake_tg.wait_for(mark, "sendPhoto", timeout=30)
    assert "发展党员" in photo.params["caption"]


async def test_figures_pages_in_place(fake_tg: FakeTelegram, bot_app: BotApp,
                                      seeds_engine: QAEngine) -> None:
    (first,) = await _send(fake_tg, "/figures 000", "sendMessage")
    report = seeds_engine.report("000")
    count = len(FigureTable.from_reports([report]).figures)
    assert f"共 {count} 个" in first.params["text"] and "<b>" in first.params["text"]
    buttons = _buttons(first)
    assert all(len(d.encode()) <= 64 for d in buttons.values())
    (more,) = [d for t, d in buttons.items() if t.startswith("下一页")]
    mark = fake_tg.mark()
    message: dict[str, Any] = fake_tg.messages[(CHAT["id"], first.result["message_id"])]
    fake_tg.press(message, more, ANN)
    (edit,) = await fake_tg.wait_for(mark, "editMessageText", timeout=30)
    assert edit.params["message_id"] == message["message_id"] and "第 2/" in edit.params["text"]
    assert fake_tg.rejected == []
    # One report's figures are read from it alone: the library's table (109 s at 10⁶
    # passages) is not built for them.
    assert FIGTABLE not in bot_app.bot_data


async def test_export_sends_a_csv_of_every_figure(fake_tg: FakeTelegram, bot_app: BotApp,
                                                  seeds_engine: QAEngine) -> None:
    (sent,) = await _send(fake_tg, "/export", "sendDocument")
    assert sent.params["document"]["filename"].endswith(".csv")
    data = fake_tg.sent_file(sent, "document")
    assert data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    table = FigureTable.from_reports(seeds_engine.reports)
    assert len(rows) == len(table.figures)
    assert [(r["报告编号"], r["原句"], r["段落编号"]) for r in rows] == [
        (f.report_id, f.sentence, f.passage_id) for f in table.figures]
    assert any(r["指标"] == "发展党员" and r["数值"] for r in rows)
    assert all(r["数值"] == "" for r in rows if r["数字已隐去"] == "是")


async def test_requests_during_a_build_wait_for_that_build(
        fake_tg: FakeTelegram, bot_app: BotApp, monkeypatch: pytest.MonkeyPatch) -> None:
    builds: list[int] = []
    release = threading.Event()
    real = FigureTable.from_reports

    def held_build(reports: Iterable[Any], store: Path | None = None) -> FigureTable:
        builds.append(1)  # in the build's thread
        release.wait(30)
        return real(reports, store)

    entered: list[int] = []
    real_table = handlers.figure_table

    async def counted(context: Any, message: Any = None) -> FigureTable:
        entered.append(1)
        return await real_table(context, message)

    monkeypatch.setattr(FigureTable, "from_reports", held_build)
    monkeypatch.setattr(handlers, "figure_table", counted)
    bob = user(8002, "小李")
    mark = fake_tg.mark()
    fake_tg.send_text(CHAT, ANN, "/export")
    await _until(lambda: builds == [1])
    fake_tg.send_text(private_chat(bob), bob, "/compare")
    await _until(lambda: len(entered) == 2)  # the second request is waiting too
    release.set()
    sent = await fake_tg.wait_for(mark, "sendDocument", "sendMessage", count=2, timeout=30)
    assert {c.method for c in sent} == {"sendDocument", "sendMessage"}
    assert builds == [1]  # one build served both (each request built its own before)


async def test_a_new_table_reads_the_figures_the_last_one_kept(
        fake_tg: FakeTelegram, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "reports"
    shutil.copytree(SEEDS, folder)
    engine = open_engine(folder)
    settings = make_settings(fake_tg, tmp_path / "qa.sqlite3", reports_dir=folder)
    async with running_bot(settings, engine) as app:
        (first,) = await _send(fake_tg, "/compare 发展党员", "sendPhoto")
        kept = store.read_store(figures_store(folder))
        assert set(kept) == {r.key for r in engine.reports}
        extracted: list[Report] = []

        def counted(report: Report) -> tuple[Figure, ...]:
            extracted.append(report)
            return extract_figures(report)

        monkeypatch.setattr("qa.figures.store.extract_figures", counted)
        app.bot_data.pop(FIGTABLE)  # as a changed library drops it: the next one is built anew
        (again,) = await _send(fake_tg, "/compare 发展党员", "sendPhoto")
    assert extracted == [] and again.params["caption"] == first.params["caption"]


async def test_a_long_build_is_announced_before_the_answer(
        fake_tg: FakeTelegram, bot_app: BotApp, monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    real = FigureTable.from_reports

    def held_build(reports: Iterable[Any], store: Path | None = None) -> FigureTable:
        release.wait(30)
        return real(reports, store)

    monkeypatch.setattr(FigureTable, "from_reports", held_build)
    monkeypatch.setattr(handlers, "NOTICE_AFTER", 0.0)
    mark = fake_tg.mark()
    fake_tg.send_text(CHAT, ANN, "/compare 发展党员")
    (notice,) = await fake_tg.wait_for(mark, "sendMessage", timeout=30)
    assert "正在汇总全部 5 份报告的数字" in notice.params["text"]
    release.set()
    (answer,) = await fake_tg.wait_for(mark, "sendPhoto", timeout=30)
    assert "发展党员" in answer.params["caption"]
    # A table already made is not announced.
    (again,) = await _send(fake_tg, "/compare 发展党员", "sendPhoto", "sendMessage")
    assert again.method == "sendPhoto"


async def test_an_unused_table_is_let_go_and_read_back(
        fake_tg: FakeTelegram, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "reports"
    shutil.copytree(SEEDS, folder)
    settings = make_settings(fake_tg, tmp_path / "qa.sqlite3", reports_dir=folder)
    monkeypatch.setattr(handlers, "TABLE_IDLE", timedelta(milliseconds=50))
    async with running_bot(settings, open_engine(folder)) as app:
        (first,) = await _send(fake_tg, "/compare 发展党员", "sendPhoto")
        await _until(lambda: FIGTABLE not in app.bot_data)  # nobody asked for 50 ms
        extracted: list[Report] = []

        def counted(report: Report) -> tuple[Figure, ...]:
            extracted.append(report)
            return extract_figures(report)

        monkeypatch.setattr("qa.figures.store.extract_figures", counted)
        monkeypatch.setattr(handlers, "TABLE_IDLE", timedelta(hours=1))
        (again,) = await _send(fake_tg, "/compare 发展党员", "sendPhoto")
        assert FIGTABLE in app.bot_data  # used again: kept again
    assert extracted == [] and again.params["caption"] == first.params["caption"]


async def test_a_comparison_across_a_large_library_is_a_photo_telegram_takes(
        fake_tg: FakeTelegram, tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    generate(folder, 6000)  # the index bench's reports: ≈ 200 branches, most with 发展党员
    engine = open_engine(folder)
    valued = FigureTable.from_reports(engine.reports).compare("发展党员").valued
    assert len(valued) > 100 > MAX_BARS  # 100 bars would be over 10,000 pixels
    settings = make_settings(fake_tg, tmp_path / "qa.sqlite3", reports_dir=folder)
    async with running_bot(settings, engine):
        (photo,) = await _send(fake_tg, "/compare 发展党员", "sendPhoto")
    # The fake refuses what Telegram refuses (10 MB, width + height ≤ 10,000, ratio ≤ 20); a
    # bar a report made the chart of 3,351 reports 177,600 pixels tall.
    assert not fake_tg.rejected and check_photo(fake_tg.photos[-1]) is None
    assert f"{len(valued)} 份报告有数字" in photo.params["caption"]


async def test_a_failed_build_is_built_again(
        fake_tg: FakeTelegram, bot_app: BotApp, monkeypatch: pytest.MonkeyPatch) -> None:
    real = FigureTable.from_reports
    calls: list[int] = []

    def failing_once(reports: Iterable[Any], store: Path | None = None) -> FigureTable:
        calls.append(1)
        if len(calls) == 1:
            raise MemoryError("the first build ran out of memory")
        return real(reports, store)

    monkeypatch.setattr(FigureTable, "from_reports", failing_once)
    (apology,) = await _send(fake_tg, "/export", "sendMessage")
    assert "Traceback" not in apology.params["text"]
    (sent,) = await _send(fake_tg, "/export", "sendDocument")
    assert sent.params["document"]["filename"].endswith(".csv") and calls == [1, 1]


async def test_an_export_over_telegrams_limit_is_zipped_or_explained(
        fake_tg: FakeTelegram, bot_app: BotApp, seeds_engine: QAEngine,
        monkeypatch: pytest.MonkeyPatch) -> None:
    table = FigureTable.from_reports(seeds_engine.reports)
    whole, name = handlers.export_file(table)
    assert name == handlers.EXPORT_NAME  # the seeds' table is far below 50 MB
    # A library whose table is over the limit, as the seeds' is over a limit just below it.
    monkeypatch.setattr(handlers, "MAX_UPLOAD_BYTES", len(whole) - 1)
    (sent,) = await _send(fake_tg, "/export", "sendDocument")
    assert sent.params["document"]["filename"] == "报告数字表.zip"
    assert "已压缩为 ZIP" in sent.params["caption"]
    with zipfile.ZipFile(io.BytesIO(fake_tg.sent_file(sent, "document"))) as archive:
        assert archive.namelist() == [handlers.EXPORT_NAME]
        assert archive.read(handlers.EXPORT_NAME) == whole
    monkeypatch.setattr(handlers, "MAX_UPLOAD_BYTES", 100)  # over it even zipped
    (told,) = await _send(fake_tg, "/export", "sendMessage")
    text = told.params["text"]
    assert "超过 Telegram 的 50 MB" in text and f"共 {len(table.figures)} 个数字" in text


def test_an_export_past_the_limit_streams_its_parts_into_the_zip(
        seeds_engine: QAEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    table = FigureTable.from_reports(seeds_engine.reports)
    whole, _ = handlers.export_file(table)
    # Parts of three rows, a limit a few parts in: the ZIP gets what was held, then the rest.
    monkeypatch.setattr(handlers, "figures_csv_parts", lambda f: figures_csv_parts(f, rows=3))
    monkeypatch.setattr(handlers, "MAX_UPLOAD_BYTES", 2000)
    packed, name = handlers.export_file(table)
    assert name == "报告数字表.zip" and len(whole) > 10 * 2000
    with zipfile.ZipFile(io.BytesIO(packed)) as archive:
        assert archive.read(handlers.EXPORT_NAME) == whole


async def _until(done: Any, timeout: float = 30.0) -> None:
    async with asyncio.timeout(timeout):
        while not done():
            await asyncio.sleep(0.01)


def _figure(report: str, value: float, sentence: str) -> Figure:
    return Figure(report, f"{report}-p0", "一、工作", "某单位", "2023", "发展党员", "发展党员",
                  value, "名", "", False, sentence)


def test_a_long_table_leaves_the_caption_short() -> None:
    reports = [ReportInfo(f"{i:03d}_x", f"第{i}党支部2023年党建工作总结", f"第{i}党支部", "2023")
               for i in range(12)]
    figures = [_figure(r.report_id, i + 1, "发展党员" * 40) for i, r in enumerate(reports)]
    comparison = FigureTable(figures, reports).compare("发展党员")
    caption, whole = render_caption(comparison)
    assert not whole and len(caption) <= MAX_CAPTION_UNITS and "下一条消息" in caption
    assert "12. " in _plain(caption) or "……（另有" in caption
    assert len(render_comparison(comparison)) <= 4096
