"""Issue 19 item 5 through the fake Bot API: a .doc, the same bytes as .wps, a scanned PDF and a
.docx whose figures sit in a table are each previewed, confirmed and answered from at once."""

from __future__ import annotations

import io
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import docx
import pytest

from qa import QAEngine, Tokenizer
from qa_bot.app import BotApp
from tests.conftest import SEEDS
from tests.fakebot import Call, FakeTelegram, private_chat, user
from tests.fakebot.runner import make_settings, running_bot
from tests.scans import make_scanned_pdf

ADMIN = user(7101, "赵书记")
STAFF = user(7102, "钱干事")
DOC = (Path(__file__).parents[1] / "fixtures" / "report.doc").read_bytes()
SCAN = [
    ["南湖社区党支部2024年党建工作总结", "一、主要工作情况", "（一）推进红色网格",
     "全年开展红色网格入户走访活动15次，解决群众急难愁盼问题42件。"],
    ["二、存在的问题", "一是网格员队伍不够稳定。", "三、下一步工作计划", "继续完善红色网格机制。"],
]


@pytest.fixture
async def bot(fake_tg: FakeTelegram, segmenter: Tokenizer, tmp_path: Path
              ) -> AsyncIterator[BotApp]:
    """Run the bot over a writable copy of the seeds, ADMIN allowed to add reports."""
    folder = tmp_path / "reports"
    folder.mkdir()
    for path in [*SEEDS.glob("*.txt"), SEEDS / "reports.toml"]:
        shutil.copy(path, folder / path.name)
    settings = make_settings(fake_tg, tmp_path / "qa.sqlite3", reports_dir=folder,
                             admin_ids=frozenset({ADMIN["id"]}),
                             base_file_url=f"http://127.0.0.1:{fake_tg.port}/file/bot")
    engine = QAEngine.from_directory(folder, segmenter=segmenter)
    async with running_bot(settings, engine) as app:
        yield app


def _buttons(call: Call) -> dict[str, str]:
    rows = call.params["reply_markup"]["inline_keyboard"]
    return {b["text"]: b["callback_data"] for row in rows for b in row}


async def _say(fake: FakeTelegram, person: dict[str, Any], text: str) -> str:
    mark = fake.mark()
    fake.send_text(private_chat(person), person, text)
    (call,) = await fake.wait_for(mark, "sendMessage", timeout=30)
    return str(call.params["text"])


async def _preview(fake: FakeTelegram, name: str, data: bytes) -> Call:
    mark = fake.mark()
    fake.send_document(private_chat(ADMIN), ADMIN, name, data)
    sent = await fake.wait_for(mark, "sendMessage", timeout=120)
    while "收录预览" not in sent[-1].params["text"]:  # a scan shows its progress first
        sent = await fake.wait_for(mark, "sendMessage", count=len(sent) + 1, timeout=120)
    return sent[-1]


async def _confirm(fake: FakeTelegram, preview: Call) -> str:
    shown = fake.messages[(int(preview.params["chat_id"]), preview.result["message_id"])]
    mark = fake.mark()
    fake.press(shown, _buttons(preview)["✅ 确认收录"], ADMIN)
    edits = await fake.wait_for(mark, "editMessageText", count=2, timeout=60)
    return str(edits[-1].params["text"])


async def _add(fake: FakeTelegram, name: str, data: bytes, title: str) -> str:
    preview = await _preview(fake, name, data)
    assert f"《{title}》" in preview.params["text"], preview.params["text"]
    done = await _confirm(fake, preview)
    assert "已收录" in done, done
    return str(preview.params["text"])


@pytest.mark.parametrize("name", ["城东街道第二党支部总结.doc", "城东街道第二党支部总结.wps"])
async def test_a_doc_or_wps_upload_is_answered_from(
        fake_tg: FakeTelegram, bot: BotApp, name: str) -> None:
    shown = await _add(fake_tg, name, DOC, "城东街道第二党支部2024年党建工作总结")
    assert "二、存在的问题 [问题]" in shown and "三、2025年工作计划 [计划]" in shown
    answer = await _say(fake_tg, STAFF, "走访困难群众多少户")
    assert "城东街道第二党支部2024年党建工作总结" in answer and "85户" in answer, answer


async def test_a_scanned_pdf_shows_progress_others_are_answered_and_it_is_answered_from(
        fake_tg: FakeTelegram, bot: BotApp) -> None:
    mark = fake_tg.mark()
    fake_tg.send_document(private_chat(ADMIN), ADMIN, "南湖社区扫描件.pdf", make_scanned_pdf(SCAN))
    (progress,) = await fake_tg.wait_for(mark, "sendMessage", timeout=60)
    assert "正在识别扫描件" in progress.params["text"]
    # While the scan is read in a worker thread, another user's question is answered.
    other = await _say(fake_tg, STAFF, "报送网评多少条")
    assert "471条" in other, other
    preview = await _preview_after(fake_tg, mark)
    edits = [c.params["text"] for c in fake_tg.since(mark, "editMessageText")]
    assert edits and "识别完成，共 2 页" in edits[-1]
    assert "《南湖社区党支部2024年党建工作总结》" in preview.params["text"]
    assert "已收录" in await _confirm(fake_tg, preview)
    answer = await _say(fake_tg, STAFF, "红色网格入户走访活动开展了几次")
    assert "南湖社区党支部2024年党建工作总结" in answer and "15次" in answer, answer


async def _preview_after(fake: FakeTelegram, mark: int) -> Call:
    count = 1
    while True:
        sent = await fake.wait_for(mark, "sendMessage", count=count, timeout=120)
        found = [c for c in sent if "收录预览" in c.params["text"]]
        if found:
            return found[0]
        count = len(sent) + 1


def _table_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("第四党支部2024年党建工作总结")
    document.add_paragraph("一、主要工作完成情况", style="Heading 1")
    document.add_paragraph("全年各项工作稳步推进，主要指标如下。")
    rows = [["指标", "2023年", "2024年"], ["发展党员", "6名", "9名"],
            ["开展邻里互助", "20次", "31次"]]
    table = document.add_table(rows=len(rows), cols=3)
    for row, cells in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.add_paragraph("存在的问题", style="Heading 1")
    document.add_paragraph("一是邻里互助覆盖面不够广。")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


async def test_a_docx_whose_figures_sit_in_a_table_is_answered_from(
        fake_tg: FakeTelegram, bot: BotApp) -> None:
    await _add(fake_tg, "第四党支部.docx", _table_docx(), "第四党支部2024年党建工作总结")
    answer = await _say(fake_tg, STAFF, "邻里互助开展了多少次")
    assert "第四党支部（005" in answer and "<b>31次</b>" in answer, answer
    mark = fake_tg.mark()
    fake_tg.send_text(private_chat(STAFF), STAFF, "/compare 发展党员")
    (chart,) = await fake_tg.wait_for(mark, "sendPhoto", timeout=60)
    # The table's figures are compared with the other reports' (which year's column is shown
    # is the figures-by-year work of issue 19 item 8).
    caption = chart.params["caption"]
    assert "第四党支部（005，2024年）" in caption and "发展党员2023年：6名" in caption, caption
