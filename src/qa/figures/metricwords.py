"""Which metric phrases name something to compare (「城镇新增就业」) and which do not (「增长」).

A figure's phrase is read around its number; when the words before it are only a change verb
(「增长5%」) or a qualifier (「左右」), it names no indicator of its own. Such figures stay in the
table, but ``qa compare`` and the bot never offer them as metrics.
"""

from __future__ import annotations

from functools import cache

from qa.language import read_lines

_CJK_OR_ALNUM = str.isalnum


@cache
def metric_stopwords() -> frozenset[str]:
    """Return the words that alone are no metric (``data/metric_stopwords.txt``)."""
    return frozenset(word for line in read_lines("metric_stopwords.txt") for word in line.split())


def is_real_metric(metric: str) -> bool:
    """Tell whether a metric phrase names an indicator: two or more characters beyond glue words."""
    words = metric_stopwords()
    rest = metric
    for word in sorted(words, key=len, reverse=True):
        if rest.endswith(word) and len(rest) > len(word):
            rest = rest[: -len(word)]  # 地区生产总值增长 → 地区生产总值
    return len(rest) >= 2 and rest not in words and any(map(_CJK_OR_ALNUM, rest))
