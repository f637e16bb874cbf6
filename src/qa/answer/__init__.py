"""Answer: candidates and coverage (retrieve), quoted sentences (quotes), the answer policy
(compose: facts, lists, honest "not found") and evaluation against gold questions.
"""

from __future__ import annotations

from .evaluate import evaluate, read_gold
from .quotes import highlight_spans
from .retrieve import Retriever, Scored

__all__ = [
    "highlight_spans",
    "Retriever",
    "Scored",
    "evaluate",
    "read_gold",
]
