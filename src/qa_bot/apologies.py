"""What a user is told when handling their update failed unexpectedly: words that fit it.

An upload, an admin command or a library button that fails gets a line that says what failed
and what to do, never the generic apology meant for a question.
"""

from __future__ import annotations

from telegram import Update

from qa_bot.commands import COMMANDS

APOLOGY = "抱歉，处理您的请求时出错了，请稍后再试。"
UPLOAD_FAILED = "这个文件处理失败（内部错误，已记录），没有收录任何内容；请检查文件后重新发送。"
ADMIN_FAILED = "这条管理命令执行失败（内部错误，已记录）；请稍后重试，或请维护人员查看日志。"
LIBRARY_BUTTON_FAILED = "操作失败（内部错误，已记录）；请刷新 /reports 查看报告目录当前状态后重试。"
_ADMIN_COMMANDS = frozenset(c.name for c in COMMANDS if c.admin)


def apology_for(update: Update) -> str:
    """Return the line for an update whose handling raised: by what it was."""
    query = update.callback_query
    if query is not None:
        return LIBRARY_BUTTON_FAILED if (query.data or "")[:2] in ("L:", "R:") else APOLOGY
    message = update.effective_message
    if message is None:
        return APOLOGY
    if message.document is not None:
        return UPLOAD_FAILED
    word = (message.text or "").split(maxsplit=1)[0] if message.text else ""
    if word.startswith("/") and word[1:].split("@")[0] in _ADMIN_COMMANDS:
        return UPLOAD_FAILED if word.startswith("/add") else ADMIN_FAILED
    return APOLOGY
