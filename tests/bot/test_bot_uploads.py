"""Issue 10 through the fake Bot API: upload, preview, correct, confirm, ask, remove, refuse."""

from __future__ import annotations

import asyncio
import shutil
import tomllib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from qa import QAEngine, Tokenizer
from qa_bot.app import BotApp
from qa_bot.library.handlers import library_state
from qa_bot.library.render import ADMINS_ONLY
from tests.conftest import SEEDS
from tests.fakebot import Call, FakeTelegram, group_chat, private_chat, user
from tests.fakebot.runner import make_settings, running_bot
from tests.uploads import make_docx, make_pdf

ADMIN = user(7001, "李书记")
STAFF = user(7002, "王干事")
QUESTION = "红色观影活动开展了几次"
ROWS = [
    ("Title", None, "第三党支部2024年党建工作总结"),
    ("Normal", None, "2024年，第三党支部在机关党委领导下扎实开展工作。"),
    ("Heading 1", 0, "主要工作情况"),
    ("Heading 2", 1, "抓好理论学习"),
    ("Normal", None, "全年组织集中学习12次，组织党员开展红色观影活动7次。"),
    ("Heading 2", 1, "加强组织建设"),
    ("Normal", None, "发展党员2名。"),
    ("Heading 1", 0, "存在问题"),
    ("Normal", None, "一是学习不够深入。二是活动形式单一。"),
    ("Heading 1", 0, "下一步工作计划"),
    ("Normal", None, "持续开展读书班。"),
]


@pytest.fixture
def library_dir(tmp_path: Path) -> Path:
    """Return a writable copy of the seed reports (the bot changes this folder)."""
    folder = tmp_path / "reports"
    folder.mkdir()
    for path in [*SEEDS.glob("*.txt"), SEEDS / "reports.toml"]:
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture
async def library_bot(fake_tg: FakeTelegram, library_dir: Path, segmenter: Tokenizer,
                      tmp_path: Path) -> AsyncIterator[BotApp]:
    """Run the bot over the copy, with ADMIN in QA_ADMIN_IDS and file downloads served."""
    engine = QAEngine.from_directory(library_dir, segmenter=segmenter)
    settings = make_settings(fake_tg, tmp_path / "qa.sqlite3", reports_dir=library_dir,
                             admin_ids=frozenset({ADMIN["id"]}),
                             base_file_url=f"http://127.0.0.1:{fake_tg.port}/file/bot")
    async with running_bot(settings, engine) as app:
        yield app


def _buttons(call: Call) -> dict[str, str]:
    rows = call.params["reply_markup"]["inline_keyboard"]
    return {b["text"]: b["callback_data"] for row in rows for b in row}


def _message(fake: FakeTelegram, call: Call) -> dict[str, Any]:
    return fake.messages[(int(call.params["chat_id"]), call.result["message_id"])]


async def _say(fake: FakeTelegram, person: dict[str, Any], text: str,
               reply_to: dict[str, Any] | None = None) -> Call:
    mark = fake.mark()
    fake.send_text(private_chat(person), person, text, reply_to)
    (call,) = await fake.wait_for(mark, "sendMessage", timeout=20)
    return call


async def _compare(fake: FakeTelegram) -> Call:
    mark = fake.mark()
    fake.send_text(private_chat(STAFF), STAFF, "/compare 发展党员")
    (call,) = await fake.wait_for(mark, "sendPhoto", timeout=30)
    return call


async def _upload(fake: FakeTelegram, person: dict[str, Any], name: str, data: bytes,
                  **kwargs: Any) -> Call:
    mark = fake.mark()
    fake.send_document(private_chat(person), person, name, data, **kwargs)
    sent = await fake.wait_for(mark, "sendMessage", timeout=20)
    while sent[-1].params["text"].startswith("⏳"):  # a scan shows its OCR progress first
        sent = await fake.wait_for(mark, "sendMessage", count=len(sent) + 1, timeout=60)
    return sent[-1]


async def _press(fake: FakeTelegram, message: dict[str, Any], data: str,
                 person: dict[str, Any], edits: int) -> list[Call]:
    mark = fake.mark()
    fake.press(message, data, person)
    return await fake.wait_for(mark, "editMessageText", count=edits, timeout=30)


async def test_admin_uploads_corrects_confirms_asks_and_removes(
        fake_tg: FakeTelegram, library_bot: BotApp, library_dir: Path) -> None:
    before = await _say(fake_tg, ADMIN, QUESTION)
    assert "第三党支部" not in before.params["text"]
    assert "第三党支部" not in (await _compare(fake_tg)).params["caption"]  # table now built

    preview = await _upload(fake_tg, ADMIN, "第三党支部.docx", make_docx(ROWS))
    text = preview.params["text"]
    assert "收录预览" in text and "《第三党支部2024年党建工作总结》" in text
    assert "单位：第三党支部" in text and "年份：2024" in text
    # Word's automatic numbering became the outline, with section kinds.
    assert "一、主要工作情况 [工作]" in text and "（一）抓好理论学习 [工作]" in text
    assert "二、存在问题 [问题]" in text and "三、下一步工作计划 [计划]" in text
    buttons = _buttons(preview)
    assert set(buttons) == {"✅ 确认收录", "取消"}
    assert all(len(d.encode()) <= 64 for d in buttons.values())

    # A reply to the preview corrects it in place (no new message, no question answered).
    shown = _message(fake_tg, preview)
    mark = fake_tg.mark()
    fake_tg.send_text(private_chat(ADMIN), ADMIN, "标题：第三党支部2024年度党建工作总结", shown)
    (edit,) = await fake_tg.wait_for(mark, "editMessageText", timeout=20)
    assert edit.params["message_id"] == shown["message_id"]
    assert "《第三党支部2024年度党建工作总结》" in edit.params["text"]
    assert fake_tg.since(mark, "sendMessage") == []

    edits = await _press(fake_tg, shown, buttons["✅ 确认收录"], ADMIN, edits=2)
    assert "已收录" in edits[-1].params["text"], edits[-1].params["text"]
    (stored,) = [p for p in library_dir.glob("*.txt") if p.stem.startswith("005")]
    assert (library_dir / "originals" / f"{stored.stem}.docx").is_file()
    manifest = tomllib.loads((library_dir / "reports.toml").read_text("utf-8"))
    entry = manifest["reports"][stored.stem]
    assert entry["title"] == "第三党支部2024年度党建工作总结"
    assert entry["added_by"] == "李书记 (7001)"

    # Answered from the new report in the same session, without a restart.
    after = await _say(fake_tg, STAFF, QUESTION)
    assert "第三党支部2024年度党建工作总结" in after.params["text"]
    assert "<b>7次</b>" in after.params["text"] or "7次" in after.params["text"]
    # The figures table was rebuilt for the new engine: the new report's 2名 is compared.
    assert "第三党支部（005，2024年） <b>2名</b>" in (await _compare(fake_tg)).params["caption"]
    listing = await _say(fake_tg, STAFF, "/reports 2024")
    assert "005" in listing.params["text"] and "李书记 (7001)" in listing.params["text"]
    assert "000" not in listing.params["text"]  # the seeds are 2023

    confirm = await _say(fake_tg, ADMIN, "/remove 005")
    assert "确定删除" in confirm.params["text"]
    edits = await _press(fake_tg, _message(fake_tg, confirm), _buttons(confirm)["确认删除"],
                         ADMIN, edits=1)
    assert "已删除" in edits[0].params["text"]
    gone = await _say(fake_tg, STAFF, QUESTION)
    assert "第三党支部" not in gone.params["text"]
    removed = sorted(p.name for p in (library_dir / "removed").iterdir())
    assert any(n.startswith(stored.stem) and n.endswith(".txt") for n in removed)
    assert any(n.startswith(stored.stem) and n.endswith(".docx") for n in removed)
    assert not stored.exists() and _rejected(fake_tg) == []


async def test_same_unit_and_year_asks_to_replace(
        fake_tg: FakeTelegram, library_bot: BotApp, library_dir: Path) -> None:
    text = "机关党委2023年党建工作报告\n一、主要工作\n开展廉政夜校活动5次。\n"
    preview = await _upload(fake_tg, ADMIN, "机关党委.txt", text.encode("gbk"))
    shown = _message(fake_tg, preview)
    (ask,) = await _press(fake_tg, shown, _buttons(preview)["✅ 确认收录"], ADMIN, edits=1)
    assert "已有同单位同年份的报告" in ask.params["text"] and "001" in ask.params["text"]
    edits = await _press(fake_tg, shown, _buttons(ask)["替换原报告"], ADMIN, edits=2)
    assert "已替换" in edits[-1].params["text"]
    assert not list(library_dir.glob("001_*.txt"))
    answer = await _say(fake_tg, STAFF, "廉政夜校")
    assert "机关党委2023年党建工作报告" in answer.params["text"]


async def test_non_admin_upload_is_refused_without_download(
        fake_tg: FakeTelegram, library_bot: BotApp) -> None:
    call = await _upload(fake_tg, STAFF, "第三党支部.docx", make_docx(ROWS))
    assert call.params["text"] == ADMINS_ONLY and "\n" not in ADMINS_ONLY
    assert not any(c.method == "getFile" for c in fake_tg.calls)


async def test_group_upload_needs_a_mention_or_add(
        fake_tg: FakeTelegram, library_bot: BotApp) -> None:
    group = group_chat(-100777)
    mark = fake_tg.mark()
    plain = fake_tg.send_document(group, ADMIN, "第三党支部.docx", make_docx(ROWS))
    fake_tg.send_document(group, ADMIN, "第三党支部.docx", make_docx(ROWS),
                          caption="@djqa_bot 请收录我们支部的总结")
    (preview,) = await fake_tg.wait_for(mark, "sendMessage", timeout=20)
    assert "收录预览" in preview.params["text"]
    mark = fake_tg.mark()
    fake_tg.send_text(group, ADMIN, "/add@djqa_bot", reply_to=plain)
    (again,) = await fake_tg.wait_for(mark, "sendMessage", timeout=20)
    assert "收录预览" in again.params["text"]
    assert len([c for c in fake_tg.calls if c.method == "getFile"]) == 2


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
BAD_FILES = [
    ("总结.doc", OLE, "损坏"),
    ("总结.wps", OLE, "损坏"),
    ("扫描.pdf", make_pdf([[], []]), "扫描件"),
    ("照片.jpg", b"\xff\xd8\xff\xe0" + b"\x01" * 100, "图片"),
    ("统计.xlsx", b"PK\x03\x04", "表格"),
    ("统计.xls", OLE, "表格"),
    ("空.txt", b"  \n", "空"),
    ("乱码.txt", bytes(range(256)) * 4, "不是文本文件"),
    ("演示.pptx", b"PK\x03\x04junk", "不支持 .pptx"),
]


async def test_each_bad_file_gets_its_one_line_reason(
        fake_tg: FakeTelegram, library_bot: BotApp, library_dir: Path) -> None:
    before = sorted(p.name for p in library_dir.rglob("*"))
    for name, data, words in BAD_FILES:
        call = await _upload(fake_tg, ADMIN, name, data)
        text = call.params["text"]
        assert text.startswith(f"⚠️ 无法收录《{name}》") and words in text, (name, text)
        assert "\n" not in text and "reply_markup" not in call.params
    downloads = len([c for c in fake_tg.calls if c.method == "getFile"])
    call = await _upload(fake_tg, ADMIN, "大.pdf", b"%PDF", file_size=11 * 1024 * 1024)
    assert "10 MB" in call.params["text"] and "\n" not in call.params["text"]
    assert len([c for c in fake_tg.calls if c.method == "getFile"]) == downloads  # not fetched
    assert sorted(p.name for p in library_dir.rglob("*")) == before
    assert _rejected(fake_tg) == []


async def test_last_report_cannot_be_removed_and_others_cannot_press(
        fake_tg: FakeTelegram, library_bot: BotApp, library_dir: Path) -> None:
    confirm = await _say(fake_tg, ADMIN, "/remove 000")
    mark = fake_tg.mark()
    fake_tg.press(_message(fake_tg, confirm), _buttons(confirm)["确认删除"], STAFF)
    (answer,) = await fake_tg.wait_for(mark, "answerCallbackQuery")
    assert "只有" in answer.params["text"]
    refused = await _say(fake_tg, STAFF, "/remove 000")
    assert refused.params["text"] == ADMINS_ONLY
    for number in ("000", "001", "002", "003", "004"):
        confirm = await _say(fake_tg, ADMIN, f"/remove {number}")
        (done,) = await _press(fake_tg, _message(fake_tg, confirm),
                               _buttons(confirm)["确认删除"], ADMIN, edits=1)
    assert "最后一份报告" in done.params["text"]
    assert [p.name[:3] for p in library_dir.glob("*.txt")] == ["004"]
    assert len(library_bot.bot_data["engine"].reports) == 1


async def test_reload_picks_up_a_dropped_file_and_report_lists_a_unit(
        fake_tg: FakeTelegram, library_bot: BotApp, library_dir: Path) -> None:
    (library_dir / "009_dropped.txt").write_text(
        "县直机关工委2024年党建工作总结\n一、主要工作\n开展书香机关读书月活动。\n", "utf-8")
    assert (await _say(fake_tg, STAFF, "/reload")).params["text"] == ADMINS_ONLY
    reloaded = await _say(fake_tg, ADMIN, "/reload")
    assert "共 6 份报告" in reloaded.params["text"] and "009" in reloaded.params["text"]
    answer = await _say(fake_tg, STAFF, "书香机关读书月")
    assert "县直机关工委2024年党建工作总结" in answer.params["text"]
    unit = await _say(fake_tg, STAFF, "/report 县直机关工委")
    assert "000" in unit.params["text"] and "003" in unit.params["text"]
    assert "001" not in unit.params["text"]
    outline = await _say(fake_tg, STAFF, "/report 000")
    assert "县直机关工委2023年党建工作总结" in outline.params["text"]


def _rejected(fake: FakeTelegram) -> list[object]:
    # The admin menu for an admin who never opened a private chat with the bot is refused by
    # Telegram ("chat not found"); the bot logs one warning for it. Anything else is a bug.
    return [c for c in fake.rejected
            if not (c.method == "setMyCommands" and c.error == "chat not found")]


async def test_a_waiting_preview_survives_a_restart(
        fake_tg: FakeTelegram, library_dir: Path, segmenter: Tokenizer, tmp_path: Path) -> None:
    engine = QAEngine.from_directory(library_dir, segmenter=segmenter)
    settings = make_settings(fake_tg, tmp_path / "qa.sqlite3", reports_dir=library_dir,
                             admin_ids=frozenset({ADMIN["id"]}),
                             base_file_url=f"http://127.0.0.1:{fake_tg.port}/file/bot")
    async with running_bot(settings, engine) as app:
        preview = await _upload(fake_tg, ADMIN, "第三党支部.docx", make_docx(ROWS))
        shown = _message(fake_tg, preview)
        mark = fake_tg.mark()
        fake_tg.send_text(private_chat(ADMIN), ADMIN, "单位：第三党支部委员会", shown)
        await fake_tg.wait_for(mark, "editMessageText", timeout=20)
        store = app.bot_data["store"]
        deadline = asyncio.get_running_loop().time() + 20
        while await _unit_kept(store) != "第三党支部委员会":  # the queued write lands
            assert asyncio.get_running_loop().time() < deadline, "correction never stored"
            await asyncio.sleep(0.05)
    # A new process: the preview's buttons and its correction are still there.
    async with running_bot(settings, QAEngine.from_directory(library_dir, segmenter=segmenter)):
        edits = await _press(fake_tg, shown, _buttons(preview)["✅ 确认收录"], ADMIN, edits=2)
        assert "已收录" in edits[-1].params["text"], edits[-1].params["text"]
    manifest = tomllib.loads((library_dir / "reports.toml").read_text("utf-8"))
    (entry,) = [e for stem, e in manifest["reports"].items() if stem.startswith("005")]
    assert entry["unit"] == "第三党支部委员会" and _rejected(fake_tg) == []
    async with running_bot(settings, QAEngine.from_directory(library_dir, segmenter=segmenter)
                           ) as again:
        assert library_state(again.bot_data).uploads == {}  # confirmed: nothing waits now


async def _unit_kept(store: Any) -> str | None:
    async with store.db.execute("SELECT unit FROM pending_uploads") as cursor:
        row = await cursor.fetchone()
    return None if row is None else str(row[0])
