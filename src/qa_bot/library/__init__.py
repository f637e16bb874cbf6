"""The reports library in chat (admins): uploads with preview and 确认, /remove, /reload,
outlines and report lists.
"""

__all__ = ["handlers", "render", "uploads"]
