"""Language: word lists, the domain lexicon, the tokenizer (rjieba), question normalisation,
word weights, and understanding a question into a ``Query``.
"""

from __future__ import annotations

from .homophones import Homophones
from .neighbours import Neighbours
from .settings import SOURCES, LanguageSettings
from .startcache import use_cache_dir
from .text import drop_subterms, split_sentences
from .tokenizer import Tokenizer
from .understand import Query, Scope, points_at_unit, understand
from .weights import Background
from .wordlists import load_language

__all__ = [
    "Background",
    "Homophones",
    "LanguageSettings",
    "Neighbours",
    "SOURCES",
    "Query",
    "Scope",
    "Tokenizer",
    "drop_subterms",
    "load_language",
    "points_at_unit",
    "split_sentences",
    "understand",
    "use_cache_dir",
]
