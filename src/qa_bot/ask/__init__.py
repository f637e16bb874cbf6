"""Asking: questions and section commands routed to the engine, follow-ups, answer buttons.
"""

__all__ = ["callbacks", "followups", "handlers", "routing"]
