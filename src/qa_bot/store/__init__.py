"""The chat-only SQLite store: query log, update inbox rows, conversations, waiting uploads,
usage insight and its chart. Only the bot uses it; the core never does.
"""

__all__ = ["conversations", "db", "insight", "pending", "records", "schema", "usagechart"]
