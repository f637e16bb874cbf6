"""Bot settings read from the environment (and ``.env``), validated once at start-up."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")  # what Telegram accepts as a webhook secret
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
    webhook_secret: str = field(default="", repr=False)  # empty = a random one kept in the DB
    # Weekly gaps digest to every admin (bot/digest.py): ISO weekday (1 = Monday), hour, zone.
    digest_weekday: int = 1
    digest_hour: int = 9
    digest_tz: str = "Asia/Shanghai"

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
        secret = env.get("QA_WEBHOOK_SECRET", "").strip()
        if secret and not _SECRET.fullmatch(secret):
            raise ConfigError("QA_WEBHOOK_SECRET 只能包含 1–256 个字母、数字、下划线或连字符")
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
            webhook_secret=secret,
            **_digest(env),
        )


def _digest(env: Mapping[str, str]) -> dict[str, Any]:
    """Read QA_DIGEST_WEEKDAY (1–7, 1 = Monday), QA_DIGEST_HOUR (0–23) and QA_DIGEST_TZ."""
    weekday, hour = _int(env, "QA_DIGEST_WEEKDAY", 1), _int(env, "QA_DIGEST_HOUR", 9)
    tz = env.get("QA_DIGEST_TZ", "").strip() or "Asia/Shanghai"
    if not 1 <= weekday <= 7:
        raise ConfigError(f"QA_DIGEST_WEEKDAY 应为 1–7（1 为周一），实际为：{weekday}")
    if not 0 <= hour <= 23:
        raise ConfigError(f"QA_DIGEST_HOUR 应为 0–23，实际为：{hour}")
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"QA_DIGEST_TZ 不是有效的时区：{tz!r}（例如 Asia/Shanghai）") from None
    return {"digest_weekday": weekday, "digest_hour": hour, "digest_tz": tz}


def load_env(dotenv_path: Path | None = None) -> dict[str, str]:
    """Merge ``.env`` (if present) under the process environment, which wins."""
    path = dotenv_path or Path(".env")
    merged = {k: v for k, v in dotenv_values(path).items() if v is not None}
    merged.update(os.environ)
    return merged


class RedactFilter(logging.Filter):
    """Mask the bot token (and other secrets, e.g. the webhook's) in every log record."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        self.secrets: dict[str, str] = {}
        self.add(secret, "[TOKEN]")

    def add(self, secret: str, mask: str = "[SECRET]") -> None:
        """Mask one more secret from now on (e.g. the webhook secret, known after start-up)."""
        if secret:
            self.secrets[secret] = mask

    def _mask(self, text: str) -> str:
        for secret, mask in self.secrets.items():
            text = text.replace(secret, mask)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record with the secrets masked; never drops it."""
        if not self.secrets:
            return True
        message = record.getMessage()
        masked = self._mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._mask(record.exc_text)
        return True
