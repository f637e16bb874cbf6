"""Shared-character neighbours mined from a library vocabulary (qa.language.neighbours)."""

from __future__ import annotations

from qa.language import Neighbours

LIBRARY = {"楼宇": 3, "办公楼": 1, "联盟": 4, "党员": 40, "党建": 50, "建设": 30, "社区": 5,
           "工作": 60, "发展": 30, "组织": 40, "教育": 20, "学习": 30, "支部": 30}
# A realistic vocabulary is large: a rare character is informative only against many words.
LIBRARY.update({chr(0x4E00 + 2 * i) + chr(0x4E01 + 2 * i): 1 for i in range(200)})


def make() -> Neighbours:
    return Neighbours(lambda: LIBRARY, lambda w: LIBRARY.get(w, 0))


def test_an_unknown_word_reaches_library_words_sharing_a_rare_character() -> None:
    assert set(make().of("写字楼")) == {"楼宇", "办公楼"}


def test_a_library_word_has_no_neighbours() -> None:
    assert make().of("楼宇") == ()


def test_a_word_sharing_nothing_has_no_neighbours() -> None:
    assert make().of("比特币") == ()


def test_affixes_and_particles_make_no_neighbours() -> None:
    words = {"奖章": 2, "班子": 9, "分子": 3, "植被": 1, "批评": 4, "同志": 8, "老师": 2,
             "优化": 5, "碎片": 1}
    words.update({chr(0x4E00 + 2 * i) + chr(0x4E01 + 2 * i): 1 for i in range(200)})
    near = Neighbours(lambda: words, lambda w: words.get(w, 0))
    assert near.of("章子") == ("奖章",)  # 子 is a noun suffix: not 班子, 分子
    assert "植被" not in near.of("被评") and "批评" in near.of("被评")  # 被 marks the passive
    assert near.of("老同志") == ("同志",)  # 老 prefixes a longer word: not 老师
    assert near.of("碎片化") == ("碎片",)  # 化 makes a verb of its stem: not 优化


def test_load_reads_the_vocabulary_up_front_once() -> None:
    # qa-bot's warm-up thread calls load(): the first unknown word must not walk the vocabulary.
    walks: list[int] = []

    def vocabulary() -> dict[str, int]:
        walks.append(1)
        return LIBRARY

    found = Neighbours(vocabulary, lambda w: LIBRARY.get(w, 0))
    found.load()
    assert len(walks) == 1
    assert set(found.of("写字楼")) == {"楼宇", "办公楼"} and len(walks) == 1
