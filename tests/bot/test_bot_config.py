"""Settings, start-up failures (missing or bad token), token redaction, the command registry."""

from __future__ import annotations

import asyncio
import logging
import socket
import sys
from pathlib import Path

import pytest

from qa_bot.__main__ import main
from qa_bot.app import COMMAND_HANDLERS
from qa_bot.commands import COMMANDS
from qa_bot.config import ConfigError, RedactFilter, Settings, load_env
from qa_bot.render import render_help
from tests.fakebot import FakeTelegram
from tests.fakebot.runner import qa_bot_env, start_qa_bot

ROOT = Path(__file__).resolve().parents[2]


def test_defaults_and_parsing() -> None:
    settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": "1:abc", "QA_ADMIN_IDS": "1, 2，3",
                                  "QA_ALLOWED_CHATS": "-100", "PORT": "8080",
                                  "QA_RATE_LIMIT": "off", "log_level": "x"})
    assert settings.reports_dir == Path("seeds") and settings.db_path == Path("data/qa.sqlite3")
    assert settings.admin_ids == {1, 2, 3} and settings.allowed_chats == {-100}
    assert settings.port == 8080 and settings.rate_limit is False
    assert "1:abc" not in repr(settings)


def test_proxy_comes_from_telegram_proxy_then_https_proxy() -> None:
    base = {"TELEGRAM_BOT_TOKEN": "1:a", "HTTPS_PROXY": "http://10.0.0.1:3128"}
    assert Settings.from_env(base).proxy == "http://10.0.0.1:3128"
    both = {**base, "TELEGRAM_PROXY": "http://127.0.0.1:7890"}
    assert Settings.from_env(both).proxy == "http://127.0.0.1:7890"
    assert Settings.from_env({"TELEGRAM_BOT_TOKEN": "1:a"}).proxy == ""


@pytest.mark.parametrize("env, fragment", [
    ({}, "@BotFather"),
    ({"TELEGRAM_BOT_TOKEN": "1:a", "QA_ADMIN_IDS": "alice"}, "QA_ADMIN_IDS"),
    ({"TELEGRAM_BOT_TOKEN": "1:a", "PORT": "http"}, "PORT"),
    ({"TELEGRAM_BOT_TOKEN": "1:a", "LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
    ({"TELEGRAM_BOT_TOKEN": "1:a", "TELEGRAM_PROXY": "socks5://127.0.0.1:1080"}, "SOCKS"),
])
def test_bad_settings_raise_one_chinese_line(env: dict[str, str], fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment) as info:
        Settings.from_env(env)
    assert "\n" not in str(info.value)


def test_dotenv_is_read_and_environment_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                             ) -> None:
    (tmp_path / ".env").write_text("TELEGRAM_BOT_TOKEN=from-file\nQA_DB_PATH=x.db\n")
    monkeypatch.setenv("QA_DB_PATH", "env.db")
    env = load_env(tmp_path / ".env")
    assert env["TELEGRAM_BOT_TOKEN"] == "from-file" and env["QA_DB_PATH"] == "env.db"


def test_missing_token_exits_2_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main({}) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "@BotFather" in err and "qa ask" in err


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("problem", ["database", "network"])
def test_start_up_problems_are_one_chinese_line(problem: str, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a-file").write_text("x")
    env = {"TELEGRAM_BOT_TOKEN": "1:abc", "QA_REPORTS_DIR": str(ROOT / "seeds"),
           "TELEGRAM_BASE_URL": f"http://127.0.0.1:{_closed_port()}/bot",
           "QA_DB_PATH": str(tmp_path / ("a-file/qa.sqlite3" if problem == "database"
                                          else "qa.sqlite3"))}
    code = main(env)
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    if problem == "database":
        assert code == 2 and "无法打开数据库" in err and "QA_DB_PATH" in err
    else:
        assert code == 1 and "无法连接 Telegram" in err and "TELEGRAM_PROXY" in err


async def test_bad_token_exits_2_without_traceback(fake_tg: FakeTelegram, tmp_path: Path) -> None:
    env = qa_bot_env(fake_tg.base_url, tmp_path / "qa.sqlite3",
                     TELEGRAM_BOT_TOKEN="987:wrong-token")
    proc = await start_qa_bot(env, tmp_path)
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    text = (out + err).decode()
    assert proc.returncode == 2, text
    assert "401" in text and "@BotFather" in text
    assert "Traceback" not in text and "wrong-token" not in text


def test_redact_filter_masks_the_token_in_messages_and_tracebacks() -> None:
    token = "123:SECRET"
    try:
        raise ValueError(f"POST https://api.telegram.org/bot{token}/getMe failed")
    except ValueError:
        record = logging.LogRecord("httpx", logging.ERROR, __file__, 1, "url %s", (
            f"https://api.telegram.org/bot{token}/getUpdates",), sys.exc_info())
    assert RedactFilter(token).filter(record)
    formatted = logging.Formatter().format(record)
    assert token not in formatted and "[TOKEN]" in formatted


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
def test_every_command_has_a_handler_and_a_help_line(command: object) -> None:
    name = command.name  # type: ignore[attr-defined]
    assert name in COMMAND_HANDLERS
    assert any(line.startswith(f"/{name}") for line in render_help("djqa_bot").splitlines())


def test_no_handler_without_a_registry_entry() -> None:
    assert set(COMMAND_HANDLERS) == {c.name for c in COMMANDS}


async def test_qa_bot_process_answers_and_never_logs_the_token(fake_tg: FakeTelegram,
                                                               tmp_path: Path) -> None:
    from tests.fakebot import TOKEN, private_chat, user

    env = qa_bot_env(fake_tg.base_url, tmp_path / "qa.sqlite3", LOG_LEVEL="DEBUG")
    proc = await start_qa_bot(env, tmp_path)
    mark = fake_tg.mark()
    await fake_tg.wait_for(mark, "setMyCommands", timeout=30)
    person = user(7007)
    fake_tg.send_text(private_chat(person), person, "发展党员")
    (call,) = await fake_tg.wait_for(mark, "sendMessage", timeout=10)
    proc.send_signal(2)  # SIGINT, as Ctrl-C
    out, err = await asyncio.wait_for(proc.communicate(), 30)
    text = (out + err).decode()
    assert proc.returncode == 0, text
    assert "<blockquote>" in call.params["text"]
    assert TOKEN not in text and TOKEN.split(":")[1] not in text
    assert "Building prefix dict" not in text


def test_digest_schedule_settings() -> None:
    base = {"TELEGRAM_BOT_TOKEN": "1:x"}
    default = Settings.from_env(base)
    assert (default.digest_weekday, default.digest_hour, default.digest_tz) == (
        1, 9, "Asia/Shanghai")
    custom = Settings.from_env(base | {"QA_DIGEST_WEEKDAY": "5", "QA_DIGEST_HOUR": "17",
                                       "QA_DIGEST_TZ": "Europe/Berlin"})
    assert (custom.digest_weekday, custom.digest_hour, custom.digest_tz) == (
        5, 17, "Europe/Berlin")
    for bad in ({"QA_DIGEST_WEEKDAY": "8"}, {"QA_DIGEST_HOUR": "24"},
                {"QA_DIGEST_TZ": "Mars/Olympus"}):
        with pytest.raises(ConfigError, match="QA_DIGEST"):
            Settings.from_env(base | bad)


def test_admin_commands_are_marked_in_the_registry() -> None:
    assert {c.name for c in COMMANDS if c.admin} == {"stats", "gaps", "add", "remove", "reload",
                                                        "log"}


def test_every_telegram_client_shares_one_tls_context() -> None:
    """httpx loads the CA certificates per client (≈60 ms each) unless given a context."""
    from qa_bot.app import make_request

    first, second = make_request(1, None), make_request(8, None, pool_timeout=5.0)
    assert first._client_kwargs["verify"] is second._client_kwargs["verify"]
