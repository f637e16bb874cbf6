"""/settings: a chat's reports, answer length and vote buttons, edited in place by its admins."""

from __future__ import annotations

import logging
from dataclasses import replace

from telegram import Chat, Message, Update
from telegram.constants import ChatMemberStatus
from telegram.error import BadRequest, TelegramError

from qa import Answer
from qa_bot.admin.render import choices, only_searching, render_settings, settings_keyboard
from qa_bot.ask.routing import Request
from qa_bot.context import BotContext
from qa_bot.runtime.send import with_retries

from .prefs import ChatPrefs, ask_in_chat, load_prefs, save_prefs

logger = logging.getLogger(__name__)
CHANGE_REFUSED = "只有群管理员可以修改本群设置。"
SAVED = "已保存。"
_ADMIN_STATUSES = (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)


async def may_configure(context: BotContext, chat: Chat, user_id: int) -> bool:
    """Tell whether a user may change a chat's settings: its own private chat, a group's
    Telegram administrators (asked with getChatMember), and the bot's admins anywhere."""
    if user_id in context.settings.admin_ids or chat.type == Chat.PRIVATE:
        return True
    try:
        member = await with_retries(lambda: context.bot.get_chat_member(chat.id, user_id))
    except TelegramError:
        logger.warning("getChatMember failed for chat %s", chat.id, exc_info=True)
        return False  # unknown means no: settings change only for a confirmed admin
    return member.status in _ADMIN_STATUSES


async def chat_answer(context: BotContext, chat: Chat, request: Request,
                      earlier: str | None = None) -> tuple[Answer, ChatPrefs]:
    """Ask the core within this chat's settings (after ``earlier``, the question a follow-up
    refers to); return the answer and the settings used."""
    prefs = await load_prefs(context.bot_data, context.store, chat.id)
    group = chat.type != Chat.PRIVATE
    answer = ask_in_chat(context.engine, request, prefs,
                         lambda label: only_searching(prefs, label, group), earlier)
    return answer, prefs


async def settings_command(update: Update, context: BotContext) -> None:
    """Show this chat's settings; with buttons for those who may change them."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    prefs = await load_prefs(context.bot_data, context.store, message.chat_id)
    can_edit = await may_configure(context, message.chat, user.id)
    reports = context.engine.reports
    text = render_settings(prefs, reports, can_edit, message.chat.type != Chat.PRIVATE)
    markup = settings_keyboard(prefs, reports) if can_edit else None
    await with_retries(lambda: message.reply_text(text, reply_markup=markup), once=True)


def toggled(prefs: ChatPrefs, data: str, units: list[str], years: list[str]) -> ChatPrefs | None:
    """Return the settings after one button press (cs:…), None for unknown data."""
    parts = data.split(":")
    kind, index = parts[1] if len(parts) > 1 else "", parts[2] if len(parts) > 2 else ""
    if kind == "a":
        return replace(prefs, units=(), years=())
    if kind == "l":
        return replace(prefs, brief=not prefs.brief)
    if kind == "v":
        return replace(prefs, votes=not prefs.votes)
    options = {"u": units, "y": years}.get(kind)
    if options is None or not index.isdigit() or int(index) >= len(options):
        return None
    value = options[int(index)]
    current = prefs.units if kind == "u" else prefs.years
    chosen = tuple(v for v in current if v != value) if value in current else (*current, value)
    return replace(prefs, units=chosen) if kind == "u" else replace(prefs, years=chosen)


async def on_settings_button(update: Update, context: BotContext) -> None:
    """Apply a settings button (admins only) and edit the settings message in place."""
    query = update.callback_query
    if query is None or not isinstance(query.message, Message):
        return
    message = query.message
    if not await may_configure(context, message.chat, query.from_user.id):
        await with_retries(lambda: query.answer(CHANGE_REFUSED, show_alert=True))
        return
    prefs = await load_prefs(context.bot_data, context.store, message.chat_id)
    units, years = choices(context.engine.reports)
    new = toggled(prefs, query.data or "", units, years)
    if new is None:
        await with_retries(lambda: query.answer("按钮已失效，请重新发送 /settings。"))
        return
    await save_prefs(context.bot_data, context.store, message.chat_id, new)
    reports = context.engine.reports
    text = render_settings(new, reports, True, message.chat.type != Chat.PRIVATE)
    try:
        await with_retries(lambda: message.edit_text(
            text, reply_markup=settings_keyboard(new, reports)))
    except BadRequest as exc:
        if "not modified" not in str(exc):
            raise
    await with_retries(lambda: query.answer(SAVED))
