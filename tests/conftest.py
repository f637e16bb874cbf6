"""Shared fixtures: a tiny hand-written corpus, the seeds engine, and the bot's fixtures."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import jieba
import pytest

from qa import QAEngine, Tokenizer

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

jieba.setLogLevel(logging.WARNING)

REPORT_A = """某局2023年党建工作总结
一、主要工作完成情况
（一）抓理论学习。一是开展中心组学习12次。二是组织主题党日活动8次，覆盖党员300人次。
（二）抓组织建设。全年发展党员5名，完成换届选举3个支部。
二、存在问题
一是理论学习不够深入。部分党员学习积极性不高。
二是三会一课落实不够规范。个别支部记录不全。
三、下步打算
一是强化理论武装。持续开展读书班。
二是规范组织生活。严格落实三会一课制度。
"""

REPORT_B = """按照要求，现将某中心2023年党建工作报告如下：
一、工作开展情况
1.清廉机关建设。打造廉政文化长廊，开展警示教育6次。
2.志愿服务。开展志愿服务活动20次，服务群众500余人次。
二、存在的不足
（一）党建与业务融合不够。存在两张皮现象。
三、2024年工作计划
（一）深化党建业务融合。探索党建品牌。
"""

REPORT_C = """一、亮点工作
1.党建联盟。成立楼宇党建联盟，开展联建活动4次。
二、问题和不足
1.创新不够。工作方法比较单一。
三、下一步工作思路
1.推动品牌建设。打造一支部一品牌。
"""


@pytest.fixture(scope="session")
def segmenter() -> Tokenizer:
    """Return one initialised segmenter for the whole run (jieba loads once)."""
    seg = Tokenizer()
    seg.initialize()
    return seg


@pytest.fixture
def seed_dir(tmp_path: Path) -> Path:
    """A copy of the seeds (reports and manifest) that a test may change."""
    target = tmp_path / "reports"
    target.mkdir()
    for path in SEEDS.glob("*.txt"):
        shutil.copy(path, target / path.name)
    shutil.copy(SEEDS / "reports.toml", target / "reports.toml")
    return target


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """Write three small reports (UTF-8, UTF-8 with BOM, GB18030) into a folder."""
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a_report.txt").write_text(REPORT_A, encoding="utf-8")
    (folder / "b_report.txt").write_bytes(REPORT_B.encode("utf-8-sig"))
    (folder / "c_report.txt").write_bytes(REPORT_C.encode("gb18030"))
    return folder


@pytest.fixture
def small_engine(corpus_dir: Path, segmenter: Tokenizer) -> QAEngine:
    """Return an engine over the hand-written corpus."""
    return QAEngine.from_directory(corpus_dir, segmenter=segmenter)


@pytest.fixture(scope="session")
def seeds_engine(segmenter: Tokenizer) -> QAEngine:
    """Return an engine over the project's seed reports."""
    return QAEngine.from_directory(SEEDS, segmenter=segmenter)


from tests.conftest_bot import *  # noqa: F401,F403,E402
