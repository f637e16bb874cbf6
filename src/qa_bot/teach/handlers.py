"""A bot that teaches: /start deep links, /help with a worked example, command menus per scope."""

from __future__ import annotations

import logging
import re
from typing import Any

from telegram import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    Update,
)
from telegram.error import BadRequest
from telegram.ext import Application

from qa import UnknownReportError
from qa_bot import render
from qa_bot.ask.handlers import answer_request
from qa_bot.ask.routing import QUESTION_COMMANDS, Request
from qa_bot.commands import COMMANDS, Command
from qa_bot.config import Settings
from qa_bot.context import SETTINGS, BotContext
from qa_bot.keyboards import outline_keyboard
from qa_bot.runtime.send import with_retries

from .render import ASK_PROMPT, EXAMPLE_QUESTION, render_start_greeting, render_teaching_help

logger = logging.getLogger(__name__)
# t.me/<bot>?start=<payload>: a section list, a report outline, or the "ask here" prompt.
_REPORT_LINK = re.compile(r"^report_([A-Za-z0-9]{1,40})$")
GROUP_HIDDEN = frozenset({"start"})  # in a group, /start means nothing to the others there


def menu(commands: tuple[Command, ...] = COMMANDS, *, admin: bool = False,
         group: bool = False) -> list[BotCommand]:
    """Return the command menu for one scope, from the registry."""
    return [BotCommand(c.name, c.description) for c in commands
            if (admin or not c.admin) and not (group and c.name in GROUP_HIDDEN)]


async def set_menus(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Publish menus: private chats, groups, and each bot admin's private chat (with /stats)."""
    bot = application.bot
    settings: Settings = application.bot_data[SETTINGS]
    private, group, full = menu(), menu(group=True), menu(admin=True)
    await with_retries(lambda: bot.set_my_commands(private))  # clients that match no scope
    await with_retries(lambda: bot.set_my_commands(private, BotCommandScopeAllPrivateChats()))
    await with_retries(lambda: bot.set_my_commands(group, BotCommandScopeAllGroupChats()))
    for admin_id in sorted(settings.admin_ids):
        scope = BotCommandScopeChat(admin_id)
        try:
            await with_retries(lambda s=scope: bot.set_my_commands(full, s))  # type: ignore[misc]
        except BadRequest as exc:  # an admin who never opened the bot: "chat not found"
            logger.warning("No admin menu for %s: %s", admin_id, exc)


async def start(update: Update, context: BotContext) -> None:
    """Greet and teach, or open the view a deep link names (start=problems, start=report_000)."""
    message = update.effective_message
    if message is None:
        return
    payload = (context.args or [""])[0]
    if payload in QUESTION_COMMANDS and payload != "ask":
        await answer_request(update, message, context, Request(payload, ""))
        return
    if payload == "ask":
        await with_retries(lambda: message.reply_text(ASK_PROMPT), once=True)
        return
    link = _REPORT_LINK.match(payload)
    if link is not None:
        try:
            report = context.engine.report(link[1])
        except UnknownReportError as exc:
            error = render.render_error(str(exc))
            await with_retries(lambda: message.reply_text(error), once=True)
            return
        await with_retries(lambda: message.reply_text(
            render.render_outline(report), reply_markup=outline_keyboard(report)), once=True)
        return
    name = update.effective_user.first_name if update.effective_user else ""
    text = render_start_greeting(name) + "\n\n" + _help_text(context, update)
    await with_retries(lambda: message.reply_text(text), once=True)


def _help_text(context: BotContext, update: Update) -> str:
    # Admin commands are listed only to an admin in a private chat, as the menus do.
    user, chat = update.effective_user, update.effective_chat
    admin = (user is not None and user.id in context.settings.admin_ids
             and chat is not None and chat.type == "private")
    return render_teaching_help(context.username, context.engine.ask(EXAMPLE_QUESTION), admin)


async def help_command(update: Update, context: BotContext) -> None:
    """Show the commands, one worked example and what the bot cannot do."""
    message = update.effective_message
    if message is not None:
        text = _help_text(context, update)
        await with_retries(lambda: message.reply_text(text), once=True)
