"""Language: word lists, the domain lexicon, the tokenizer (rjieba), question normalisation,
word weights, understanding a question into a ``Query``, and what a document says of itself
(unit, years) with the names its unit goes by (issue 19).
"""

from __future__ import annotations

from .docmeta import (
    closing_date,
    covered_year,
    document_unit,
    organisations,
    strip_years,
    title_line,
    unit_from_document,
    unit_from_titles,
    written_year,
)
from .homophones import Homophones
from .lookalike import clean_code_points
from .neighbours import Neighbours
from .scope import Scope, learn_titles
from .settings import SOURCES, LanguageSettings
from .shapes import MEASURES, amount_of, asked_unit, asks_done, asks_outline
from .shortcoming import shortcoming_spans
from .startcache import use_cache_dir
from .text import drop_subterms, parse_chinese_number, split_sentences
from .tokenizer import Tokenizer
from .understand import (
    SCENE_WEIGHT,
    Query,
    description_of_unit,
    points_at_unit,
    understand,
)
from .unitnames import (
    UnitNames,
    aliases_of,
    library_names,
    numbered_branch,
    numeral_forms,
    unit_of,
)
from .weights import Background
from .wordlists import load_language, read_lines
from .years import figure_year, latest_years, report_years, trend_asked

__all__ = [
    "MEASURES",
    "SCENE_WEIGHT",
    "Background",
    "Homophones",
    "LanguageSettings",
    "Neighbours",
    "SOURCES",
    "Query",
    "Scope",
    "Tokenizer",
    "UnitNames",
    "aliases_of",
    "amount_of",
    "asked_unit",
    "asks_done",
    "asks_outline",
    "clean_code_points",
    "closing_date",
    "description_of_unit",
    "covered_year",
    "document_unit",
    "drop_subterms",
    "figure_year",
    "latest_years",
    "learn_titles",
    "library_names",
    "load_language",
    "shortcoming_spans",
    "numbered_branch",
    "numeral_forms",
    "parse_chinese_number",
    "organisations",
    "points_at_unit",
    "read_lines",
    "report_years",
    "split_sentences",
    "strip_years",
    "title_line",
    "trend_asked",
    "understand",
    "unit_from_document",
    "unit_from_titles",
    "unit_of",
    "use_cache_dir",
    "written_year",
]
