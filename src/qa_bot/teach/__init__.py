"""Teaching the bot's use: /start, /help and inline mode.
"""

__all__ = ["handlers", "render"]
