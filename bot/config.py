"""Bot settings read from the environment (and ``.env``), validated once at start-up."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import dotenv_values

# More bot processes than cores only adds switching; 8 covers any machine this bot needs.
MAX_WORKERS = 8
TOKEN_HELP = (
    "未设置 TELEGRAM_BOT_TOKEN：请在 Telegram 中向 @BotFather 申请机器人令牌，"
    "写入环境变量或 .env 文件（参见 .env.example）；不联网也可用 `qa ask 问题` 在命令行提问。"
)


class ConfigError(Exception):
    """A setting is missing or malformed; the message is one Chinese line for the operator."""


def _ids(env: Mapping[str, str], name: str) -> frozenset[int]:
    raw = env.get(name, "").replace("，", ",")
    try:
        return frozenset(int(part) for part in raw.split(",") if part.strip())
    except ValueError:
        raise ConfigError(f"{name} 应为逗号分隔的数字 ID，实际为：{raw!r}") from None


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} 应为整数，实际为：{raw!r}") from None


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    return raw not in ("0", "false", "no", "off")


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the bot needs to start; build with ``Settings.from_env``."""

    token: str = field(repr=False)  # never printed: it grants full control of the bot
    reports_dir: Path = Path("seeds")
    db_path: Path = Path("data/qa.sqlite3")
    base_url: str = ""
    base_file_url: str = ""
    proxy: str = ""
    admin_ids: frozenset[int] = frozenset()
    allowed_chats: frozenset[int] = frozenset()
    webhook_url: str = ""
    webhook_listen: str = "0.0.0.0"
    port: int = 8443
    log_level: str = "INFO"
    top_k: int = 5
    rate_limit: bool = True
    flood_per_minute: int = 20
    workers: int = 1  # bot processes behind one poller (bot/workers.py); 1 = one process

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        """Build settings from an environment mapping; raise ConfigError with a Chinese line."""
        token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
        if not token:
            raise ConfigError(TOKEN_HELP)
        level = env.get("LOG_LEVEL", "INFO").strip().upper() or "INFO"
        if not isinstance(logging.getLevelName(level), int):
            raise ConfigError(f"LOG_LEVEL 无效：{level!r}（可用 DEBUG/INFO/WARNING/ERROR）")
        proxy = (env.get("TELEGRAM_PROXY", "").strip() or env.get("HTTPS_PROXY", "").strip()
                 or env.get("https_proxy", "").strip())
        if proxy and not proxy.startswith(("http://", "https://")):
            raise ConfigError(
                f"代理地址无效：{proxy!r}（仅支持 http:// 或 https:// 代理，不支持 SOCKS）")
        workers = _int(env, "QA_WORKERS", 1)
        if not 1 <= workers <= MAX_WORKERS:
            raise ConfigError(f"QA_WORKERS 应为 1 到 {MAX_WORKERS} 之间的整数，当前为 {workers}")
        if workers > 1 and env.get("QA_WEBHOOK_URL", "").strip():
            raise ConfigError("QA_WORKERS 大于 1 时只能用轮询模式，请去掉 QA_WEBHOOK_URL")
        if workers > 1 and not hasattr(os, "fork"):
            raise ConfigError("QA_WORKERS 大于 1 需要支持 fork 的系统（Linux/macOS）")
        return cls(
            token=token,
            reports_dir=Path(env.get("QA_REPORTS_DIR", "").strip() or "seeds"),
            db_path=Path(env.get("QA_DB_PATH", "").strip() or "data/qa.sqlite3"),
            base_url=env.get("TELEGRAM_BASE_URL", "").strip(),
            base_file_url=env.get("TELEGRAM_BASE_FILE_URL", "").strip(),
            proxy=proxy,
            admin_ids=_ids(env, "QA_ADMIN_IDS"),
            allowed_chats=_ids(env, "QA_ALLOWED_CHATS"),
            webhook_url=env.get("QA_WEBHOOK_URL", "").strip(),
            webhook_listen=env.get("QA_WEBHOOK_LISTEN", "").strip() or "0.0.0.0",
            port=_int(env, "PORT", 8443),
            log_level=level,
            top_k=_int(env, "QA_TOP_K", 5),
            rate_limit=_flag(env, "QA_RATE_LIMIT", True),
            flood_per_minute=_int(env, "QA_FLOOD_PER_MINUTE", 20),
            workers=workers,
        )


def load_env(dotenv_path: Path | None = None) -> dict[str, str]:
    """Merge ``.env`` (if present) under the process environment, which wins."""
    path = dotenv_path or Path(".env")
    merged = {k: v for k, v in dotenv_values(path).items() if v is not None}
    merged.update(os.environ)
    return merged


class RedactFilter(logging.Filter):
    """Replace the bot token in every log record, including its traceback text."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        self.secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record with the token masked; never drops it."""
        if not self.secret:
            return True
        message = record.getMessage()
        if self.secret in message:
            record.msg, record.args = message.replace(self.secret, "[TOKEN]"), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and self.secret in record.exc_text:
            record.exc_text = record.exc_text.replace(self.secret, "[TOKEN]")
        return True
