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


# 某局 2022 (problems and plans), 某局 2023 (its 整改 of 2022's problems), 某中心 2023 (no
# 「问题整改」 heading: its 整改 is told in its account of the work).
UNIT_2022 = """某局2022年党建工作总结
一、主要工作完成情况
（一）抓理论学习。开展中心组学习12次，举办读书班2期。
（二）抓志愿服务。组织党员到社区开展志愿服务20次。
二、存在问题
一是党员教育培训不够系统。局机关示范培训多，各支部自己组织的内训少，培训计划缺乏统筹。
二是志愿服务形式单一。活动多为环境清扫，结合群众需求不够。
三、2023年工作打算
一是分级分批开展党员培训。督促各支部每季度组织一次内训，统筹全年培训计划。
二是丰富志愿服务形式。围绕群众需求设计服务项目，开展社区志愿服务。
三是加强阵地建设。改造党员活动室。
"""
UNIT_2023 = """某局2023年党建工作总结
一、问题整改情况
一是针对党员教育培训不够系统的问题，各支部全年组织内训16次，培训计划由局党委统筹。
二是针对志愿服务形式单一的问题，新设助老、助学两个志愿服务项目。
二、主要工作完成情况
（一）抓组织建设。全年发展党员3名。
三、存在问题
一是党建品牌创建不够突出。
四、下步计划
一是打造党建品牌。
"""
CENTRE_2023 = """某中心2023年党建工作总结
一、工作开展情况
（一）抓责任落实。高质量召开民主生活会，制定整改落实方案，针对巡察反馈意见细化为10项具体举措，确保问题整改到位。
（二）抓作风建设。开展警示教育3次。
二、存在问题
一是理论学习深度不够。学用结合不紧密。
三、下步计划
一是深化理论学习。推动学用结合。
"""
YEARS_MANIFEST = """[reports.100_a]
title = "某局2022年党建工作总结"
unit = "某局"
year = "2022"

[reports.101_b]
title = "某局2023年党建工作总结"
unit = "某局"
year = "2023"

[reports.102_c]
title = "某中心2023年党建工作总结"
unit = "某中心"
year = "2023"
"""


@pytest.fixture
def years_dir(tmp_path: Path) -> Path:
    """Write one unit's two years and a report without a 整改 heading, with their manifest."""
    folder = tmp_path / "years"
    folder.mkdir()
    for name, text in (("100_a", UNIT_2022), ("101_b", UNIT_2023), ("102_c", CENTRE_2023)):
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    (folder / "reports.toml").write_text(YEARS_MANIFEST, encoding="utf-8")
    return folder


@pytest.fixture
def years_engine(years_dir: Path, segmenter: Tokenizer) -> QAEngine:
    """Return an engine over ``years_dir`` (problem → rectification, issue 20)."""
    return QAEngine.from_directory(years_dir, segmenter=segmenter)


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
