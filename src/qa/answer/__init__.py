"""Answer: candidates and coverage (retrieve), quoted sentences (quotes), the answer policy
(compose: facts, lists, honest "not found"), problems paired with the items answering them
(rectify) and evaluation against gold questions.
"""

from __future__ import annotations

from .deed import DeedChoice, choose_report
from .evaluate import evaluate, read_gold
from .quotes import highlight_spans
from .rectify import Rectifier, pair_weigher
from .retrieve import Retriever, Scored

__all__ = [
    "DeedChoice",
    "choose_report",
    "highlight_spans",
    "pair_weigher",
    "Rectifier",
    "Retriever",
    "Scored",
    "evaluate",
    "read_gold",
]
