"""A fake Telegram Bot API server for end-to-end bot tests (and the benchmark)."""

from .server import BOT_USER, TOKEN, Call, FakeTelegram
from .updates import group_chat, private_chat, user

__all__ = ["BOT_USER", "TOKEN", "Call", "FakeTelegram", "group_chat", "private_chat", "user"]
