"""kill -9 at 21 instants of a 确认收录: after the restart the report is stored (✅) or the admin
is told it was not; never a silent loss, never an 「⏳」 left, never stored twice (issue 21).

Each try runs the real bot (tests/faultbot.py) with a deterministic kill instant: at the
press itself (before it is recorded), before each of the file-system changes of storing and
indexing the report, or right after the ✅ edit. The next try's bot is the restart of this
one, so every restart also finishes (or explains) the confirm its predecessor was killed in.
"""

from __future__ import annotations

import asyncio
import signal
import tomllib
from pathlib import Path
from typing import Any

from tests.conftest import SEEDS
from tests.fakebot import FakeTelegram, private_chat, user
from tests.fakebot.runner import qa_bot_env, start_qa_bot
from tests.uploads import make_docx

ADMIN = user(7301, "李书记")
CHAT = private_chat(ADMIN)
# Before the n-th file-system change after the press (0 = at the press); None = after ✅.
# A confirm makes about 33 changes: the report's three files, then the index segment.
KILL_AT: list[int | None] = [*range(12), 12, 14, 17, 20, 24, 28, 31, 33, None]


def _rows(i: int) -> list[tuple[str, int | None, str]]:
    return [("Title", None, f"第{i + 1}党支部2024年党建工作总结"),
            ("Normal", None, f"2024年，第{i + 1}党支部扎实开展工作，组织集中学习{i + 3}次。"),
            ("Heading 1", 0, "主要工作情况"), ("Normal", None, "发展党员2名。"),
            ("Heading 1", 0, "存在问题"), ("Normal", None, "一是学习不够深入。"),
            ("Heading 1", 0, "下一步工作计划"), ("Normal", None, "持续开展读书班。")]


def _titles(folder: Path) -> list[str]:
    manifest = tomllib.loads((folder / "reports.toml").read_text("utf-8"))["reports"]
    return [str(manifest.get(p.stem, {}).get("title", "")) for p in folder.glob("*.txt")]


def _text(fake: FakeTelegram, message_id: int) -> str:
    return str(fake.messages[(CHAT["id"], message_id)]["text"])


async def _until(condition: Any, timeout: float) -> bool:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


def _settled(text: str) -> bool:
    return not text.startswith(("📥", "⏳"))


def _buttons(call: Any) -> dict[str, str]:
    markup = call.params.get("reply_markup") or {}
    return {b["text"]: b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row}


async def _press_confirm(fake: FakeTelegram, i: int) -> int:
    """Upload try i's file, wait for its preview, press 确认收录; return the preview's id.

    The preview is the message with the confirm button, not merely the first one sent after
    the upload: on a loaded machine the restarted bot's word about the confirm it was killed
    in may still arrive after the upload.
    """
    mark = fake.mark()
    fake.send_document(CHAT, ADMIN, f"try{i}.docx", make_docx(_rows(i)))

    def preview() -> Any:
        return next((c for c in fake.since(mark, "sendMessage") if "✅ 确认收录" in _buttons(c)),
                    None)

    assert await _until(lambda: preview() is not None, 60), [
        (c.method, c.params.get("text", "")[:40]) for c in fake.since(mark)]
    call = preview()
    buttons = _buttons(call)
    message_id = int(call.result["message_id"])
    fake.press(fake.messages[(CHAT["id"], message_id)], buttons["✅ 确认收录"], ADMIN)
    return message_id


async def test_kill_at_any_instant_of_a_confirm(fake_tg: FakeTelegram, tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    for path in [*SEEDS.glob("*.txt"), SEEDS / "reports.toml"]:
        (folder / path.name).write_bytes(path.read_bytes())
    base = qa_bot_env(fake_tg.base_url, tmp_path / "qa.sqlite3", QA_RATE_LIMIT="off",
                      LOG_LEVEL="WARNING", QA_ADMIN_IDS=str(ADMIN["id"]),
                      QA_REPORTS_DIR=str(folder),
                      TELEGRAM_BASE_FILE_URL=f"http://127.0.0.1:{fake_tg.port}/file/bot")
    previews: list[int] = []
    killed = 0
    for i, point in enumerate([*KILL_AT, "last"]):
        env = dict(base, QA_TEST_KILL_FILE=f"try{i}.docx",
                   QA_TEST_KILL_AFTER_WRITES=str(10_000 if point in (None, "last") else point))
        mark = fake_tg.mark()
        proc = await start_qa_bot(env, tmp_path, pipe=point == "last", module="tests.faultbot")
        await fake_tg.wait_for(mark, "setMyCommands", timeout=60)
        if previews:  # the restart finishes or explains the confirm it was killed in
            assert await _until(lambda: _settled(_text(fake_tg, previews[-1])), 60), (
                i, _text(fake_tg, previews[-1]))
        if point == "last":
            break
        previews.append(await _press_confirm(fake_tg, i))
        await _until(lambda p=proc: p.returncode is not None
                     or _text(fake_tg, previews[-1]).startswith("✅"), 60)
        if proc.returncode is None:
            proc.kill()  # after ✅ (or a point past the last change): kill it now
        killed += await proc.wait() == -signal.SIGKILL
    proc.send_signal(signal.SIGTERM)
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 0, (out + err).decode()

    titles = _titles(folder)
    outcomes = []
    for i, message_id in enumerate(previews):
        text, title = _text(fake_tg, message_id), f"第{i + 1}党支部2024年党建工作总结"
        stored = titles.count(title)
        assert stored <= 1, (i, "stored twice")
        if text.startswith("✅ 已收录"):
            assert stored == 1, (i, text)  # ✅ means answerable after the restart
        else:  # told why; and "not stored" must be true
            assert "收录失败" in text or "收录未完成" in text, (i, text)
            assert "没有收录" not in text or stored == 0, (i, text)
        outcomes.append(text[:4])
    print(f"\n{killed} kills in {len(previews)} confirms; outcomes {outcomes}")
    assert killed >= 20
    assert "Traceback" not in err.decode()
