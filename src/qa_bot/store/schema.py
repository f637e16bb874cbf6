"""The store's schema as forward-only migrations: entry N moves ``PRAGMA user_version`` to N+1."""

from __future__ import annotations

# Forward-only: never edit a released entry, append a new one.
MIGRATIONS: tuple[str, ...] = (
    # 1: query log, one vote per user per query, per-chat settings
    """
    CREATE TABLE queries (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        created_at  TEXT    NOT NULL,
        chat_id     INTEGER NOT NULL,
        chat_type   TEXT    NOT NULL,
        user_id     INTEGER,
        command     TEXT    NOT NULL,
        question    TEXT    NOT NULL,
        intent      TEXT    NOT NULL,
        found       INTEGER NOT NULL,
        passage_ids TEXT    NOT NULL,
        latency_ms  REAL    NOT NULL
    );
    CREATE INDEX queries_chat ON queries(chat_id, created_at);
    CREATE TABLE feedback (
        query_id    INTEGER NOT NULL REFERENCES queries(id) ON DELETE CASCADE,
        user_id     INTEGER NOT NULL,
        vote        INTEGER NOT NULL CHECK (vote IN (-1, 1)),
        created_at  TEXT    NOT NULL,
        updated_at  TEXT    NOT NULL,
        PRIMARY KEY (query_id, user_id)
    );
    CREATE TABLE chat_settings (
        chat_id     INTEGER NOT NULL,
        key         TEXT    NOT NULL,
        value       TEXT    NOT NULL,
        updated_at  TEXT    NOT NULL,
        PRIMARY KEY (chat_id, key)
    );
    """,
    # 2: which bot message answers which question, so an edited question can edit its answer
    """
    CREATE TABLE answer_links (
        chat_id             INTEGER NOT NULL,
        question_message_id INTEGER NOT NULL,
        answer_message_id   INTEGER NOT NULL,
        query_id            INTEGER NOT NULL REFERENCES queries(id) ON DELETE CASCADE,
        PRIMARY KEY (chat_id, question_message_id)
    );
    """,
    # 3: the durable update inbox; the answer message a query's buttons sit under (a press is
    # honoured only there); secrets generated once and kept (the webhook secret)
    """
    CREATE TABLE inbox (
        seq         INTEGER PRIMARY KEY AUTOINCREMENT,
        update_id   INTEGER NOT NULL UNIQUE,
        payload     TEXT    NOT NULL,
        received_at TEXT    NOT NULL,
        done_at     TEXT
    );
    CREATE INDEX inbox_pending ON inbox(seq) WHERE done_at IS NULL;
    ALTER TABLE queries ADD COLUMN answer_message_id INTEGER;
    ALTER TABLE queries ADD COLUMN question_message_id INTEGER;
    ALTER TABLE queries ADD COLUMN update_id INTEGER;
    -- Logging a sent answer is one INSERT: the link and the inbox mark come with it,
    -- atomically, in one round trip (the shorter that is, the rarer a duplicate after a crash).
    CREATE TRIGGER queries_answered AFTER INSERT ON queries
    WHEN NEW.answer_message_id IS NOT NULL AND NEW.question_message_id IS NOT NULL
    BEGIN
        INSERT OR REPLACE INTO answer_links
            (chat_id, question_message_id, answer_message_id, query_id)
            VALUES (NEW.chat_id, NEW.question_message_id, NEW.answer_message_id, NEW.id);
        UPDATE inbox SET done_at = NEW.created_at
            WHERE update_id = NEW.update_id AND done_at IS NULL;
    END;
    CREATE TABLE secrets (
        name        TEXT PRIMARY KEY,
        value       TEXT NOT NULL,
        created_at  TEXT NOT NULL
    );
    """,
    # 4: what each chat's user asked last (and which answer message it got), so a follow-up
    # ("那002呢", a reply to an answer) is read against it, after a restart too
    """
    CREATE TABLE conversations (
        chat_id           INTEGER NOT NULL,
        answer_message_id INTEGER NOT NULL,
        user_id           INTEGER,
        question          TEXT    NOT NULL,
        asked_at          REAL    NOT NULL,
        PRIMARY KEY (chat_id, answer_message_id)
    );
    CREATE INDEX conversations_user ON conversations(chat_id, user_id, asked_at);
    """,
    # 5: topics of unanswered questions an admin marked 已处理 (/gaps).
    # A topic is hidden until a question on it arrives after handled_at.
    """
    CREATE TABLE gap_handled (
        topic       TEXT    PRIMARY KEY,
        handled_at  TEXT    NOT NULL,
        user_id     INTEGER
    );
    CREATE INDEX queries_created ON queries(created_at);
    """,
    # 6: group titles, so /stats and /gaps name a group instead of showing its id.
    # Private chats keep no name: who asked what stays out of the admins' lists.
    """
    CREATE TABLE chat_titles (
        chat_id     INTEGER PRIMARY KEY,
        title       TEXT    NOT NULL,
        updated_at  TEXT    NOT NULL
    );
    """,
    # 7: upload previews waiting for 确认收录 (the file and its corrected title/unit/year), so a
    # restart keeps them and their buttons still work.
    """
    CREATE TABLE pending_uploads (
        token       TEXT    PRIMARY KEY,
        chat_id     INTEGER NOT NULL,
        message_id  INTEGER NOT NULL,
        user_id     INTEGER NOT NULL,
        added_by    TEXT    NOT NULL,
        file_name   TEXT    NOT NULL,
        data        BLOB    NOT NULL,
        title       TEXT    NOT NULL,
        unit        TEXT    NOT NULL,
        year        TEXT    NOT NULL,
        replace_id  TEXT    NOT NULL DEFAULT '',
        created_at  TEXT    NOT NULL
    );
    """,
    # 8: poison updates and confirms that must survive a crash (issue 21). An inbox row counts
    # the times its handling started; one started twice and never finished is quarantined
    # (skipped, the sender told, listed in /stats). A waiting upload records the moment
    # 确认收录 was pressed (and the choice), so a restart finishes or reports that confirm,
    # and how many times that was tried (a confirm that kills the bot is not retried forever).
    """
    ALTER TABLE inbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE inbox ADD COLUMN quarantined_at TEXT;
    CREATE INDEX inbox_quarantined ON inbox(quarantined_at) WHERE quarantined_at IS NOT NULL;
    ALTER TABLE pending_uploads ADD COLUMN confirmed_at TEXT;
    ALTER TABLE pending_uploads ADD COLUMN confirm_attempts INTEGER NOT NULL DEFAULT 0;
    """,
)
