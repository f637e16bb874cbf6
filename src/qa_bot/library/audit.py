"""``/log``: the reports folder's audit log in the chat (admins only, issue 19).

Every add, replace and remove, from the chat or from ``qa add``/``qa remove``, is one line of
``audit.jsonl`` (qa/auditlog.py); this shows the newest ones with author and sha256.
"""

from __future__ import annotations

import asyncio

from telegram import Update

from qa.errors import QAError
from qa.library import AuditRecord
from qa_bot.context import BotContext
from qa_bot.library.handlers import admin_message, library, reply
from qa_bot.render import clip_html_lines, esc

DEFAULT_LINES = 10
MAX_LINES = 50


async def log_command(update: Update, context: BotContext) -> None:
    """Show the newest audit records (``/log 20`` for more), admins only."""
    message = await admin_message(update, context)
    if message is None:
        return
    arg = " ".join(context.args or []).strip()
    count = min(int(arg), MAX_LINES) if arg.isdigit() and int(arg) > 0 else DEFAULT_LINES
    try:
        records = await asyncio.to_thread(library(context).log)
    except (OSError, QAError) as exc:
        await reply(message, f"⚠️ 无法读取审计记录：{esc(str(exc))}")
        return
    await reply(message, render_log(records[-count:], len(records)))


def render_log(records: tuple[AuditRecord, ...], total: int) -> str:
    """Render the newest records, newest first, each with who, when, file and sha256."""
    if not records:
        return "还没有收录、替换或删除的记录。"
    lines = [f"<b>审计记录</b>（最近 {len(records)} 条，共 {total} 条）"]
    for r in reversed(records):
        what = f"<code>{esc(r.report_id)}</code>" + (f"《{esc(r.title)}》" if r.title else "")
        extra = f"（替换 <code>{esc(r.replaced)}</code>）" if r.replaced else ""
        lines.append(f"{esc(r.at)} <b>{r.action_name}</b> {what}{extra}\n"
                     f"　文件：{esc(r.file_name or '—')}　操作人：{esc(r.by or '—')}\n"
                     f"　sha256：<code>{esc(r.sha256 or '—')}</code>")
    return clip_html_lines(lines)
