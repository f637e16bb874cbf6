"""Runtime: the durable update inbox and journal, per-chat ordering, sending with retries,
the flood guard, polling outages, graceful stop and webhook mode.
"""

__all__ = ["guard", "inbox", "journal", "ordering", "outage", "send", "stopping", "webhook"]
