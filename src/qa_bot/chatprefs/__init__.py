"""Per-chat preferences: /settings (which reports, answer length, feedback buttons).
"""

__all__ = ["handlers", "prefs"]
