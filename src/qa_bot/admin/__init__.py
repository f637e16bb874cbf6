"""Admin views: /stats, /gaps and the weekly digest.
"""

__all__ = ["digest", "handlers", "render"]
