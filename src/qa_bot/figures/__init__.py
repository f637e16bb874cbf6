"""Figures in chat: /figures, /compare with its chart, /export.
"""

__all__ = ["handlers", "render"]
