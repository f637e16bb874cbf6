"""Build the PTB Application: defaults, lifecycle hooks and every handler, in one place."""

from __future__ import annotations

from typing import Any, cast

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import FloodLimit, ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    BaseRateLimiter,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from qa import COMMANDS, QAEngine
from qa.store import Store

from . import callbacks, handlers
from .config import Settings
from .context import ENGINE, GUARD, SETTINGS, STORE, BotContext
from .guard import FloodGuard
from .ordering import MAX_CONCURRENT_UPDATES, PerChatUpdateProcessor
from .request import AiohttpRequest

BotApp = Application[Any, BotContext, Any, Any, Any, Any]
CONNECTION_POOL_SIZE = 8
# Everything the handlers below serve; other update kinds are never fetched.
ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "inline_query"]

# Every command in the registry is served by one handler; a test checks this covers COMMANDS.
COMMAND_HANDLERS = {
    "start": handlers.start,
    "help": handlers.help_command,
    "ask": handlers.question_command,
    "problems": handlers.question_command,
    "plans": handlers.question_command,
    "highlights": handlers.question_command,
    "reports": handlers.reports_command,
    "report": handlers.report_command,
}


async def post_init(application: BotApp) -> None:
    """Open the store and publish the command menu (Chinese descriptions) to Telegram."""
    await application.bot_data[STORE].open()
    await application.bot.set_my_commands(
        [BotCommand(c.name, c.description) for c in COMMANDS]
    )


async def post_shutdown(application: BotApp) -> None:
    """Close the store."""
    await application.bot_data[STORE].close()


async def enforce_allowlist(update: object, context: BotContext) -> None:
    """Stop handling updates from chats (or inline users) outside QA_ALLOWED_CHATS."""
    allowed = context.settings.allowed_chats
    if not allowed or not isinstance(update, Update):
        return
    chat = update.effective_chat
    place = chat.id if chat is not None else (
        update.effective_user.id if update.effective_user else None)
    if place not in allowed:
        raise ApplicationHandlerStop


def build_application(settings: Settings, engine: QAEngine, store: Store,
                      polling: bool = True) -> BotApp:
    """Wire settings, engine and store into a ready-to-run Application.

    ``polling=False`` builds a worker without an Updater: bot/workers.py feeds its queue.
    """
    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .defaults(Defaults(
            parse_mode=ParseMode.HTML,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
            # A question deleted before its answer arrives must not turn the answer into a 400.
            allow_sending_without_reply=True,
        ))
        .context_types(ContextTypes(context=BotContext))
        # Overlap updates of different chats while they wait on HTTP and SQLite; each chat's
        # own updates still run one at a time, in order (edits, 更多 pages, votes).
        .concurrent_updates(PerChatUpdateProcessor(MAX_CONCURRENT_UPDATES))
        # A lean aiohttp request class instead of PTB's httpx one (see bot/request.py); a
        # small pool, since loopback or one Telegram host never needs PTB's default of 256.
        .request(AiohttpRequest(CONNECTION_POOL_SIZE, proxy=settings.proxy))
        .get_updates_request(AiohttpRequest(1, proxy=settings.proxy))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    if settings.base_url:
        builder = builder.base_url(settings.base_url)
    if settings.base_file_url:
        builder = builder.base_file_url(settings.base_file_url)
    if not polling:
        builder = builder.updater(None)
    if settings.rate_limit:
        # max_retries: the limiter itself waits out RetryAfter before handlers see it.
        # Telegram's ≈ 30 messages/s is per bot: worker processes split it between them.
        # The cast only fixes the generic parameter (per-call rate_limit_args, never used here).
        limiter = cast("BaseRateLimiter[None]", AIORateLimiter(
            overall_max_rate=FloodLimit.MESSAGES_PER_SECOND / settings.workers, max_retries=2))
        builder = builder.rate_limiter(limiter)
    application: BotApp = builder.build()
    application.bot_data.update({
        ENGINE: engine, STORE: store, SETTINGS: settings,
        GUARD: FloodGuard(settings.flood_per_minute, 60.0, exempt=settings.admin_ids),
    })
    add_handlers(application)
    return application


def add_handlers(application: BotApp) -> None:
    """Register every handler; the comments explain why the order matters."""
    # Group -1 runs first for every update: drop chats outside the allowlist before any reply.
    application.add_handler(TypeHandler(Update, enforce_allowlist), group=-1)
    # Commands before plain text, so "/ask …" is never also treated as a private question.
    # CommandHandler accepts /cmd@this_bot and ignores /cmd@other_bot in groups.
    for name, callback in COMMAND_HANDLERS.items():
        # Only new messages: an edited "/ask …" goes to edited_question below.
        application.add_handler(
            CommandHandler(name, callback, filters=filters.UpdateType.MESSAGE))
    # Edits are routed before new text: an edited question edits its answer, never re-sends.
    application.add_handler(MessageHandler(
        filters.UpdateType.EDITED_MESSAGE & filters.TEXT, handlers.edited_question))
    application.add_handler(MessageHandler(
        filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND,
        handlers.private_text))
    # A command no handler above took: in a private chat say so (in groups it may be another
    # bot's command, so stay quiet).
    application.add_handler(MessageHandler(
        filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE & filters.COMMAND,
        handlers.unknown_command))
    # Group text: the handler answers only @mentions and replies to the bot, ignores chatter.
    application.add_handler(MessageHandler(
        filters.UpdateType.MESSAGE & filters.ChatType.GROUPS & filters.TEXT & ~filters.COMMAND,
        handlers.group_text))
    application.add_handler(CallbackQueryHandler(callbacks.on_button))
    application.add_handler(InlineQueryHandler(callbacks.inline_query))
    application.add_error_handler(handlers.error_handler)
