"""Faults leave a clear state (issue 21): a full disk during a confirm, a read-only reports
folder, a bad reports.toml, a DEL typed into a correction, 原文 of a removed report.

Real file systems, not mocks: a small tmpfs filled to the last byte and a read-only bind
mount (both need root, as in the CI container; without it a read-only folder is made with
chmod, and the full-disk test is skipped).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import subprocess
import tomllib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from qa import QAEngine, Tokenizer
from qa_bot.__main__ import load_engine
from qa_bot.app import BotApp
from qa_bot.ask.callbacks import REPORT_GONE
from qa_bot.ask.handlers import APOLOGY
from qa_bot.library import confirming
from qa_bot.store import pending as waiting_uploads
from qa_bot.store.db import Store
from qa_bot.store.pending import PendingRow
from tests.bot.test_bot_uploads import ROWS, _buttons, _message, _press, _say, _upload
from tests.conftest import SEEDS
from tests.conftest_bot import logged_query
from tests.fakebot import BOT_USER, FakeTelegram, private_chat, user
from tests.fakebot.runner import make_settings, qa_bot_env, running_bot, start_qa_bot
from tests.uploads import make_docx

ADMIN = user(7401, "李书记")
STAFF = user(7402, "王干事")


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True, check=False).returncode == 0


@contextlib.contextmanager
def small_fs(path: Path, size: str) -> Iterator[None]:
    """Mount a tmpfs of ``size`` at path (root only), unmounted after."""
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or not _mount("-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)):
        pytest.skip("mounting a small file system needs root")
    try:
        yield
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Make a folder read-only for this process: a read-only bind mount as root, else chmod."""
    mounted = os.geteuid() == 0 and _mount("--bind", str(path), str(path))
    if mounted and not _mount("-o", "remount,bind,ro", str(path)):
        subprocess.run(["umount", "-l", str(path)], check=False)
        mounted = False
    if not mounted:
        for folder in [path, *[p for p in path.rglob("*") if p.is_dir()]]:
            folder.chmod(0o555)
    try:
        probe = path / ".probe"
        with contextlib.suppress(OSError):
            probe.write_text("x")
            probe.unlink()
            pytest.skip("cannot make a folder read-only here")
        yield
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(path)], check=False)
        else:
            for folder in [path, *[p for p in path.rglob("*") if p.is_dir()]]:
                folder.chmod(0o755)


def fill(path: Path) -> None:
    """Write into path's file system until it is full."""
    with contextlib.suppress(OSError), (path / "filler").open("wb") as out:
        while True:
            out.write(b"\0" * 65536)
            out.flush()


def _copy_seeds(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for path in [*SEEDS.glob("*.txt"), SEEDS / "reports.toml"]:
        shutil.copy(path, folder / path.name)
    return folder


@contextlib.asynccontextmanager
async def _bot(fake: FakeTelegram, folder: Path, tmp_path: Path, engine: QAEngine
               ) -> AsyncIterator[BotApp]:
    settings = make_settings(fake, tmp_path / "qa.sqlite3", reports_dir=folder,
                             admin_ids=frozenset({ADMIN["id"]}),
                             base_file_url=f"http://127.0.0.1:{fake.port}/file/bot")
    async with running_bot(settings, engine) as app:
        yield app


async def _until_no_pending(app: BotApp) -> bool:
    for _ in range(200):
        if not await app.bot_data["store"].db.execute_fetchall(
                "SELECT token FROM pending_uploads"):
            return True
        await asyncio.sleep(0.05)
    return False


async def _confirm(fake: FakeTelegram, name: str, rows: Any = ROWS) -> str:
    preview = await _upload(fake, ADMIN, name, make_docx(rows))
    edits = await _press(fake, _message(fake, preview), _buttons(preview)["✅ 确认收录"], ADMIN,
                         edits=2)
    return str(edits[-1].params["text"])


async def test_full_disk_during_confirm_ends_with_the_truth(
        fake_tg: FakeTelegram, tmp_path: Path) -> None:
    folder = _copy_seeds(tmp_path / "reports")
    with small_fs(folder / ".qa-cache", "32m"):
        settings = make_settings(fake_tg, tmp_path / "x", reports_dir=folder)
        engine = await asyncio.to_thread(load_engine, settings)  # the index on the small disk
        fill(folder / ".qa-cache")
        async with _bot(fake_tg, folder, tmp_path, engine) as app:
            text = await _confirm(fake_tg, "第三党支部.docx")
            # Stored (the folder is on another disk), not indexed, and the admin told both.
            assert text.startswith("✅ 已收录") and "更新索引失败" in text and "/reload" in text
            assert any(p.stem.startswith("005") for p in folder.glob("*.txt"))
            assert await _until_no_pending(app)  # the confirm is over: its row is gone
            answer = await _say(fake_tg, STAFF, "理论学习")  # still answering
            assert APOLOGY not in answer.params["text"]
            (folder / ".qa-cache" / "filler").unlink()
            reload = await _say(fake_tg, ADMIN, "/reload")
            assert "第三党支部" in reload.params["text"]


async def test_read_only_folder_reloads_and_refuses_with_reasons(
        fake_tg: FakeTelegram, tmp_path: Path, segmenter: Tokenizer) -> None:
    folder = _copy_seeds(tmp_path / "reports")
    engine = QAEngine.from_directory(folder, segmenter=segmenter)
    with read_only(folder):
        async with _bot(fake_tg, folder, tmp_path, engine):
            reload = (await _say(fake_tg, ADMIN, "/reload")).params["text"]
            assert "已重新载入" in reload and "无法写入报告目录" in reload, reload
            text = await _confirm(fake_tg, "第三党支部.docx")
            assert "收录失败" in text and "无法写入报告目录" in text and "没有收录" in text
            answer = await _say(fake_tg, STAFF, "理论学习")
            assert APOLOGY not in answer.params["text"] and "《" in answer.params["text"]
    assert not any(p.stem.startswith("005") for p in folder.glob("*.txt"))


async def test_bad_manifest_reload_names_it_and_keeps_answering(
        fake_tg: FakeTelegram, tmp_path: Path, segmenter: Tokenizer) -> None:
    folder = _copy_seeds(tmp_path / "reports")
    engine = QAEngine.from_directory(folder, segmenter=segmenter)
    async with _bot(fake_tg, folder, tmp_path, engine):
        with (folder / "reports.toml").open("a", encoding="utf-8") as out:
            out.write('\n[reports.x]\ntitle = "坏\x7f"\n')
        reload = (await _say(fake_tg, ADMIN, "/reload")).params["text"]
        assert "reports.toml" in reload and "清单格式错误" in reload and APOLOGY not in reload
        assert "共 5 份报告" in reload
        answer = await _say(fake_tg, STAFF, "理论学习")
        assert APOLOGY not in answer.params["text"]


async def test_del_in_a_correction_is_cleaned_and_stored(
        fake_tg: FakeTelegram, tmp_path: Path, segmenter: Tokenizer) -> None:
    folder = _copy_seeds(tmp_path / "reports")
    engine = QAEngine.from_directory(folder, segmenter=segmenter)
    async with _bot(fake_tg, folder, tmp_path, engine):
        preview = await _upload(fake_tg, ADMIN, "第三党支部.docx", make_docx(ROWS))
        shown = _message(fake_tg, preview)
        mark = fake_tg.mark()
        fake_tg.send_text(private_chat(ADMIN), ADMIN,
                          "标题：第三党支部\x7f年度总结\n单位：第三\u200b党支部", shown)
        (edit,) = await fake_tg.wait_for(mark, "editMessageText", timeout=20)
        assert "《第三党支部年度总结》" in edit.params["text"]
        edits = await _press(fake_tg, shown, _buttons(preview)["✅ 确认收录"], ADMIN, edits=2)
        assert edits[-1].params["text"].startswith("✅ 已收录"), edits[-1].params["text"]
    manifest = tomllib.loads((folder / "reports.toml").read_text("utf-8"))["reports"]
    (entry,) = [e for e in manifest.values() if e.get("added_by")]
    assert (entry["title"], entry["unit"]) == ("第三党支部年度总结", "第三党支部")


async def test_passage_of_a_removed_report_says_so(
        fake_tg: FakeTelegram, tmp_path: Path, segmenter: Tokenizer) -> None:
    folder = _copy_seeds(tmp_path / "reports")
    engine = QAEngine.from_directory(folder, segmenter=segmenter)
    async with _bot(fake_tg, folder, tmp_path, engine) as app:
        answer = await _say(fake_tg, STAFF, "理论学习")
        data = next(d for d in _buttons(answer).values() if d.startswith("p:"))
        record = await logged_query(app, data)
        report = record.passage_ids[int(data.split(":")[2])].split("#")[0][:3]
        confirm = await _say(fake_tg, ADMIN, f"/remove {report}")
        await _press(fake_tg, _message(fake_tg, confirm), _buttons(confirm)["确认删除"], ADMIN,
                     edits=1)
        mark = fake_tg.mark()
        fake_tg.press(_message(fake_tg, answer), data, STAFF)
        (pressed,) = await fake_tg.wait_for(mark, "answerCallbackQuery")
        assert pressed.params["text"] == REPORT_GONE


async def test_bot_starts_on_a_read_only_folder_with_a_bad_manifest(
        fake_tg: FakeTelegram, tmp_path: Path) -> None:
    folder = _copy_seeds(tmp_path / "reports")
    with (folder / "reports.toml").open("a", encoding="utf-8") as out:
        out.write('\n[reports.x]\ntitle = "坏\x7f"\n')
    env = qa_bot_env(fake_tg.base_url, tmp_path / "qa.sqlite3", QA_REPORTS_DIR=str(folder),
                     QA_ADMIN_IDS=str(ADMIN["id"]), LOG_LEVEL="WARNING")
    fake_tg.chats[ADMIN["id"]] = private_chat(ADMIN)  # the admin has opened a private chat
    with read_only(folder):
        mark = fake_tg.mark()
        proc = await start_qa_bot(env, tmp_path)
        (told,) = await fake_tg.wait_for(mark, "sendMessage", timeout=60)
        answer = await _say(fake_tg, STAFF, "理论学习")
        proc.send_signal(signal.SIGTERM)
        out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 0, (out + err).decode()
    assert int(told.params["chat_id"]) == ADMIN["id"]
    assert "报告目录无法写入" in told.params["text"] and "reports.toml" in told.params["text"]
    assert APOLOGY not in answer.params["text"] and "《" in answer.params["text"]
    assert "Traceback" not in err.decode()


async def test_a_confirm_cut_off_twice_is_given_up_and_said(
        fake_tg: FakeTelegram, tmp_path: Path, segmenter: Tokenizer) -> None:
    folder = _copy_seeds(tmp_path / "reports")
    shown = fake_tg.new_message(private_chat(ADMIN), BOT_USER, confirming.WORKING)
    store = Store(tmp_path / "qa.sqlite3")
    await store.open()
    row = PendingRow("tok1", ADMIN["id"], shown["message_id"], ADMIN["id"], "李书记 (7401)",
                     "第三党支部.docx", make_docx(ROWS), "第三党支部", "第三党支部", "2024")
    await waiting_uploads.save(store, row)
    for _ in range(confirming.MAX_ATTEMPTS):  # pressed, then cut off again after a restart
        await waiting_uploads.confirm(store, "tok1", "")
    await store.close()
    engine = QAEngine.from_directory(folder, segmenter=segmenter)
    mark = fake_tg.mark()
    async with _bot(fake_tg, folder, tmp_path, engine) as app:
        (edit,) = await fake_tg.wait_for(mark, "editMessageText", timeout=20)
        assert await _until_no_pending(app)
    assert confirming.GIVEN_UP in edit.params["text"] and "收录未完成" in edit.params["text"]
    assert not any(p.stem.startswith("005") for p in folder.glob("*.txt"))
