"""Write src/qa/data/lexicon_freqs.json: the shipped lexicon's words and jieba frequencies.

    .venv/bin/python tools/lexicon_freqs.py

Run after changing lexicon.txt or thesaurus.txt (tests/test_lexicon_shipped.py says when): the
segmenter then adds these words at start-up instead of reading jieba's dictionary to work the
frequencies out (qa.lexicon).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from qa.fsio import write_atomic
from qa.language.lexicon import SHIPPED, LexiconBuilder, lexicon_digest
from qa.language.tokenizer import Tokenizer, _new_jieba


def main() -> None:
    """Work the frequencies out with a fresh tokenizer and write them with their key."""
    segmenter = Tokenizer()
    words = LexiconBuilder(segmenter.normalize, _new_jieba()).build(segmenter.lexicon)
    # One word a line, so a change to the lexicon shows as a readable diff.
    lines = ",\n".join(json.dumps(list(word), ensure_ascii=False) for word in words)
    text = f'{{"digest": "{lexicon_digest(segmenter.lexicon)}",\n"words": [\n{lines}\n]}}\n'
    write_atomic(SHIPPED, text.encode("utf-8"))
    print(f"{SHIPPED}: {len(words)} words")


if __name__ == "__main__":
    main()
