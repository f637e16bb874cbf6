"""Issue 19 through the fake Bot API: a duplicate upload is refused, /log shows the audit."""

from __future__ import annotations

from pathlib import Path

from qa.documents import convert_file
from qa.library import Library, file_digest
from qa_bot.app import BotApp
from qa_bot.library.render import ADMINS_ONLY
from tests.bot.test_bot_uploads import (  # the same fixtures and helpers as the issue 10 tests
    ADMIN,
    ROWS,
    STAFF,
    _buttons,
    _message,
    _press,
    _say,
    _upload,
    library_bot,
    library_dir,
)
from tests.fakebot import FakeTelegram
from tests.uploads import make_docx

__all__ = ["library_bot", "library_dir"]  # fixtures used by name


async def test_a_duplicate_upload_is_refused_and_log_lists_every_change(
        fake_tg: FakeTelegram, library_bot: BotApp, library_dir: Path) -> None:
    data = make_docx(ROWS)
    preview = await _upload(fake_tg, ADMIN, "第三党支部.docx", data)
    await _press(fake_tg, _message(fake_tg, preview), _buttons(preview)["✅ 确认收录"], ADMIN, 2)
    [added] = [e for e in Library(library_dir).entries() if e.file_name == "第三党支部.docx"]

    # The same bytes again, under another name: refused before any preview, naming the copy.
    again = await _upload(fake_tg, ADMIN, "第三党支部（再发一次）.docx", data)
    text = again.params["text"]
    assert "无法收录" in text and "内容相同" in text and added.report_id[:3] in text
    assert "reply_markup" not in again.params
    # The same text saved as a GBK .txt file (as Word's 另存为 writes it): refused too.
    body = convert_file(data, "第三党支部.docx").text.replace("\n", "\r\n").encode("gbk")
    again = await _upload(fake_tg, ADMIN, "第三党支部.txt", body)
    assert "内容相同" in again.params["text"]
    assert len(Library(library_dir).entries()) == 6

    # A revised report of the same unit and year: 替换 only when pressed; 另存 says so.
    revised = make_docx([*ROWS, ("Normal", None, "补充：全年开展志愿服务5次。")])
    ask = await _upload(fake_tg, ADMIN, "第三党支部（修订）.docx", revised)
    [asked] = await _press(fake_tg, _message(fake_tg, ask), _buttons(ask)["✅ 确认收录"], ADMIN, 1)
    shown = _message(fake_tg, ask)
    choices = _buttons(asked)
    assert set(choices) == {"替换原报告", "另存为新报告", "取消"}
    edits = await _press(fake_tg, shown, choices["另存为新报告"], ADMIN, 2)
    done = edits[-1].params["text"]
    assert "另行收录，没有替换" in done and added.report_id[:3] in done
    assert len(Library(library_dir).entries()) == 7

    log = await _say(fake_tg, ADMIN, "/log")
    text = log.params["text"]
    assert "审计记录" in text and "收录" in text and added.report_id in text
    assert f"李书记 ({ADMIN['id']})" in text and file_digest(data) in text

    # /remove then /log again: the removal is listed first (newest first).
    ask = await _say(fake_tg, ADMIN, f"/remove {added.report_id[:3]}")
    await _press(fake_tg, _message(fake_tg, ask), _buttons(ask)["确认删除"], ADMIN, 1)
    text = (await _say(fake_tg, ADMIN, "/log 5")).params["text"]
    assert text.index("删除") < text.index("收录")
    assert text.count(file_digest(data)) == 2 and file_digest(revised) in text

    assert (await _say(fake_tg, STAFF, "/log")).params["text"] == ADMINS_ONLY
