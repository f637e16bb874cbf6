"""Build the PTB Application: defaults, lifecycle hooks and every handler, in one place."""

from __future__ import annotations

import ssl
from functools import cache
from typing import Any

import httpx
from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import HTTPXRequest

from qa import QAEngine
from qa_bot import buttons
from qa_bot.admin import digest
from qa_bot.admin import handlers as admin
from qa_bot.ask import callbacks, handlers
from qa_bot.ask.routing import QUESTION_COMMANDS
from qa_bot.chatprefs import handlers as settings_bot
from qa_bot.figures import handlers as figures_bot
from qa_bot.library import audit as audit_bot
from qa_bot.library import confirming, uploads
from qa_bot.library import handlers as admin_files
from qa_bot.runtime import degraded, quarantine
from qa_bot.runtime.flooded import FloodedChats
from qa_bot.runtime.guard import FloodGuard
from qa_bot.runtime.inbox import Inbox, InboxBot
from qa_bot.runtime.journal import Journal
from qa_bot.runtime.ordering import MAX_CONCURRENT_UPDATES, PerChatUpdateProcessor
from qa_bot.runtime.outage import PollingOutage
from qa_bot.runtime.pacing import ChatPace, PacedRateLimiter
from qa_bot.store.db import Store
from qa_bot.teach import handlers as teach

from .config import Settings
from .context import (
    ENGINE,
    FLOODED,
    GUARD,
    INBOX,
    JOURNAL,
    OUTAGE,
    PAGES,
    SETTINGS,
    STORE,
    BotContext,
    ShownPages,
)

BotApp = Application[Any, BotContext, Any, Any, Any, Any]
# One Telegram host: a small pool, but never smaller than the updates handled at once.
CONNECTION_POOL_SIZE = MAX_CONCURRENT_UPDATES
DEFAULT_BASE_URL = "https://api.telegram.org/bot"
NOTICES = "startup_notices"  # bot_data: start-up tasks telling senders and admins (issue 21)
STARTUP_PROBLEMS = "startup_problems"  # bot_data: what was wrong at start (bot/degraded.py)
DEFAULT_BASE_FILE_URL = "https://api.telegram.org/file/bot"
# Everything the handlers below serve; other update kinds are never fetched.
ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "inline_query"]

# Every command in the registry is served by one handler; a test checks this covers COMMANDS.
COMMAND_HANDLERS = {
    "start": teach.start,  # deep links: start=problems, start=report_000
    "help": teach.help_command,
    **{name: handlers.question_command for name in QUESTION_COMMANDS},
    # Issue 12: admin insight and per-chat settings (bot/admin.py, bot/settings_bot.py).
    "stats": admin.stats_command,
    "gaps": admin.gaps_command,
    "settings": settings_bot.settings_command,
}

# --- Reports library (issue 10) and figures (issue 11): bot/admin_files.py, bot/uploads.py,
# bot/figures_bot.py (/reports and /report with year and unit filters and audit columns).
COMMAND_HANDLERS.update({
    "reports": admin_files.reports_command,
    "report": admin_files.report_command,
    "add": uploads.add_command,
    "remove": admin_files.remove_command,
    "reload": admin_files.reload_command,
    "log": audit_bot.log_command,  # issue 19
    "compare": figures_bot.compare_command,
    "figures": figures_bot.figures_command,
    "export": figures_bot.export_command,
})


async def post_init(application: BotApp) -> None:
    """Open the store, queue unfinished updates first, publish the command menu."""
    await application.bot_data[STORE].open()
    # Closed by post_shutdown, which PTB runs whatever fails from here on.
    inbox: Inbox = application.bot_data[INBOX]
    # Previews that waited for 确认 come back before any update can press their buttons.
    await uploads.restore_pending(application.bot_data, application.bot_data[STORE])
    for update in await inbox.recover(application.bot):
        application.update_queue.put_nowait(update)
    # Issue 21: updates that crashed the bot twice are skipped; their senders are told.
    processor = application.update_processor
    if isinstance(processor, PerChatUpdateProcessor):
        processor.expect_suspects()
    # Issue 21: what is wrong with the reports folder, told to the admins once (bot/degraded.py);
    # confirms a crash cut off, finished (bot/confirming.py).
    application.bot_data[NOTICES] = [task for task in (
        quarantine.start_telling(application.bot, inbox.quarantined),
        confirming.start_finishing(application),
        degraded.start_telling(application.bot, application.bot_data[SETTINGS].admin_ids,
                               application.bot_data.get(STARTUP_PROBLEMS, ())),
    ) if task is not None]
    # Menus per scope (private, groups, admins' private chats) and the weekly digest job.
    await teach.set_menus(application)
    digest.schedule_digest(application)


async def post_shutdown(application: BotApp) -> None:
    """Save what the journal still holds, then close the store."""
    for notice in application.bot_data.get(NOTICES, ()):
        notice.cancel()  # if Telegram was unreachable all along: the log has said it all
    application.bot_data[FLOODED].close()
    try:
        await application.bot_data[JOURNAL].close()
        # A clean stop crashed nothing: what is left unfinished (coalesced answers not yet
        # sent) must not count towards quarantine at the next start.
        await application.bot_data[INBOX].stopped_cleanly()
    finally:
        await application.bot_data[STORE].close()


async def enforce_allowlist(update: object, context: BotContext) -> None:
    """Turn away updates from chats (or inline users) outside QA_ALLOWED_CHATS."""
    allowed = context.settings.allowed_chats
    if not allowed or not isinstance(update, Update):
        return
    chat = update.effective_chat
    place = chat.id if chat is not None else (
        update.effective_user.id if update.effective_user else None)
    if place in allowed:
        return
    # A button or an inline query left unanswered shows a spinner; say why instead.
    await callbacks.refuse(update)
    raise ApplicationHandlerStop


@cache
def _tls_context() -> ssl.SSLContext:
    # httpx builds one per client by default, loading every CA certificate each time (≈60 ms);
    # the bot's clients share this one, built as httpx would build it.
    return httpx.create_ssl_context()


def make_request(pool_size: int, proxy: str | None, pool_timeout: float = 1.0) -> HTTPXRequest:
    """Return PTB's HTTPXRequest; every one shares one TLS context."""
    return HTTPXRequest(pool_size, proxy=proxy, pool_timeout=pool_timeout,
                        httpx_kwargs={"verify": _tls_context()})


def make_bot(settings: Settings, inbox: Inbox, pace: ChatPace | None = None) -> InboxBot:
    """Return the bot: PTB's HTTPXRequest, HTML defaults, the rate limiter if enabled."""
    limiter = None
    if settings.rate_limit:
        # Spacing only (max_retries=0): bot/send.py is the one place that retries. Groups are
        # paced by bot/pacing.py (which knows each group's wait), the bot-wide 30/s by PTB.
        limiter = PacedRateLimiter(pace or ChatPace())
    proxy = settings.proxy or None
    return InboxBot(
        inbox,
        token=settings.token,
        base_url=settings.base_url or DEFAULT_BASE_URL,
        base_file_url=settings.base_file_url or DEFAULT_BASE_FILE_URL,
        request=make_request(CONNECTION_POOL_SIZE, proxy, pool_timeout=5.0),
        get_updates_request=make_request(1, proxy),
        defaults=Defaults(
            parse_mode=ParseMode.HTML,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
            # A question deleted before its answer arrives must not turn the answer into a 400.
            allow_sending_without_reply=True,
        ),
        rate_limiter=limiter,
    )


def build_application(settings: Settings, engine: QAEngine, store: Store,
                      polling: bool = True) -> BotApp:
    """Wire settings, engine and store into a ready-to-run Application.

    ``polling=False`` builds it without an Updater, for webhook mode (bot/webhook.py).
    """
    journal = Journal()
    inbox = Inbox(store, journal)
    pace = ChatPace()
    flooded = FloodedChats(pace, store, journal)
    builder = (
        ApplicationBuilder()
        .bot(make_bot(settings, inbox, pace))
        .context_types(ContextTypes(context=BotContext))
        # Overlap updates of different chats while they wait on HTTP and SQLite; each chat's
        # own updates still run one at a time, in order (edits, 更多 pages, votes), and a
        # chat waiting for its turn holds no running slot (issue 21: one busy group).
        .concurrent_updates(PerChatUpdateProcessor(MAX_CONCURRENT_UPDATES, inbox,
                                                   flooded.overflow))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    if not polling:
        builder = builder.updater(None)
    application: BotApp = builder.build()
    flooded.bot = application.bot
    outage = PollingOutage()
    inbox.on_fetched.append(outage.clear)
    application.bot_data.update({
        ENGINE: engine, STORE: store, SETTINGS: settings, INBOX: inbox, JOURNAL: journal,
        PAGES: ShownPages(), OUTAGE: outage, FLOODED: flooded,
        GUARD: FloodGuard(settings.flood_per_minute, 60.0, exempt=settings.admin_ids),
    })
    add_handlers(application)
    return application


def add_handlers(application: BotApp) -> None:
    """Register every handler; the comments explain why the order matters."""
    # Group -1 runs first for every update: turn away chats outside the allowlist.
    application.add_handler(TypeHandler(Update, enforce_allowlist), group=-1)
    # Commands before plain text, so "/ask …" is never also treated as a private question.
    # CommandHandler accepts /cmd@this_bot and ignores /cmd@other_bot in groups.
    for name, callback in COMMAND_HANDLERS.items():
        # Only new messages: an edited "/ask …" goes to edited_question below.
        application.add_handler(
            CommandHandler(name, callback, filters=filters.UpdateType.MESSAGE))
    # --- Reports library and figures (issues 10, 11). Before the text, media and button
    # handlers below: a document is an upload, not "unsupported"; a reply to a pending preview
    # is a correction, not a question; L:/R:/C:/G: buttons are not the answer buttons.
    application.add_handler(MessageHandler(
        filters.UpdateType.MESSAGE & filters.Document.ALL, uploads.receive_document))
    application.add_handler(MessageHandler(
        filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND
        & uploads.PreviewReply(application.bot_data), uploads.correct_preview))
    application.add_handler(CallbackQueryHandler(uploads.on_library_button,
                                                 pattern=buttons.pattern(buttons.LIBRARY)))
    application.add_handler(CallbackQueryHandler(figures_bot.on_figures_button,
                                                 pattern=buttons.pattern(buttons.FIGURES)))
    # --- end of the reports library and figures block.
    # Edits are routed before new text: an edited question edits its answer, never re-sends.
    application.add_handler(MessageHandler(
        filters.UpdateType.EDITED_MESSAGE & filters.TEXT, handlers.edited_question))
    private = filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE
    application.add_handler(MessageHandler(
        private & filters.TEXT & ~filters.COMMAND, handlers.private_text))
    # A command no handler above took: in a private chat say so (in groups it may be another
    # bot's command, so stay quiet).
    application.add_handler(MessageHandler(private & filters.COMMAND, handlers.unknown_command))
    # Files, photos, stickers, voice … in private: a one-line notice instead of silence.
    media = (filters.Document.ALL | filters.PHOTO | filters.Sticker.ALL | filters.VOICE
             | filters.AUDIO | filters.VIDEO | filters.VIDEO_NOTE | filters.ANIMATION)
    application.add_handler(MessageHandler(private & media, handlers.unsupported_message))
    # Group text: the handler answers only @mentions and replies to the bot, ignores chatter.
    application.add_handler(MessageHandler(
        filters.UpdateType.MESSAGE & filters.ChatType.GROUPS & filters.TEXT & ~filters.COMMAND,
        handlers.group_text))
    # Issue 12: /gaps and /settings buttons, matched by prefix before the answer buttons'
    # catch-all (which calls anything it does not know "按钮已失效").
    application.add_handler(CallbackQueryHandler(admin.on_admin_button,
                                                 pattern=buttons.pattern(buttons.GAPS)))
    application.add_handler(CallbackQueryHandler(settings_bot.on_settings_button,
                                                 pattern=buttons.pattern(buttons.SETTINGS)))
    application.add_handler(CallbackQueryHandler(callbacks.on_button))
    application.add_handler(InlineQueryHandler(callbacks.inline_query))
    application.add_error_handler(handlers.error_handler)
