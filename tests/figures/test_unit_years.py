"""Issue 19 item 8: several years of one unit — a figure by year, in the answer, the CLI and chat.

The seeds hold 县直机关工委's 2023 reports (000 and 003); two earlier years are added here, as
an office's library grows year after year.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from qa import QAEngine, Tokenizer
from qa.cli import main
from qa_bot.app import BotApp
from qa_bot.library.handlers import FIGTABLE
from tests.conftest import SEEDS
from tests.fakebot import FakeTelegram, private_chat, user
from tests.fakebot.runner import make_settings, running_bot

YEAR_2021 = """县直机关工委2021年党建工作总结
2021年，县直机关工委在县委的领导下，扎实推进机关党建各项工作。
一、主要工作
（一）加强组织建设。严把党员入口关，全年发展党员41名，预备党员按期转正38名。
（二）开展党史学习教育。组织专题学习36次。
二、存在问题
一是个别支部组织生活不够规范。
三、下步打算
一是持续规范组织生活。
"""
YEAR_2022 = """县直机关工委2022年党建工作总结
2022年，县直机关工委围绕迎接党的二十大胜利召开，扎实开展机关党建工作。
一、主要工作
（一）夯实基层基础。全年发展党员56名，新建党支部3个。
（二）强化理论武装。举办读书班4期。
二、存在问题
一是党建与业务融合不够。
三、下步打算
一是推动党建业务深度融合。
"""
ANN = user(8101, "小周")


@pytest.fixture(scope="module")
def years_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("years")
    for path in [*SEEDS.glob("*.txt"), SEEDS / "reports.toml"]:
        shutil.copy(path, folder / path.name)
    (folder / "010_xz2021.txt").write_text(YEAR_2021, encoding="utf-8")
    (folder / "011_xz2022.txt").write_text(YEAR_2022, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def years_engine(years_dir: Path, segmenter: Tokenizer) -> QAEngine:
    return QAEngine.from_directory(years_dir, segmenter=segmenter)


def test_a_question_over_several_years_answers_year_by_year(years_engine: QAEngine) -> None:
    answer = years_engine.ask("县直工委近三年发展党员")
    assert answer.found
    years = re.findall(r"(20\d\d)年（(\d{3})）：([^；]+)", answer.lead)
    assert [(y, r) for y, r, _ in years] == [
        ("2021", "010"), ("2022", "011"), ("2023", "000"), ("2023", "003")]
    assert [v for _, _, v in years] == ["41名", "56名", "20人", "87名"]
    assert {h.passage.report_id[:3] for h in answer.hits} == {"010", "011", "000", "003"}
    last_two = years_engine.ask("县直工委近两年发展党员").lead
    assert "2021年" not in last_two and "2022年" in last_two and "2023年" in last_two


def test_every_figure_in_a_lead_names_its_year(years_engine: QAEngine) -> None:
    answer = years_engine.ask("各单位发展党员分别多少")
    for part in answer.lead.split("；"):
        assert re.search(r"（\d{3}，20\d\d年", part), part


def test_qa_compare_unit_lists_years_in_order_with_a_chart(
        capsys: pytest.CaptureFixture[str], years_dir: Path, tmp_path: Path) -> None:
    chart = tmp_path / "trend.png"
    code = main(["compare", "发展党员", "--unit", "县直工委", "--reports", str(years_dir),
                 "--chart", str(chart)])
    out = capsys.readouterr().out
    assert code == 0 and out.startswith("县直机关工委·发展党员：")
    assert "按年份排列" in out
    years = re.findall(r"^\d+\. 县直机关工委（(\d{3})，(20\d\d)年）", out, flags=re.M)
    assert [y for _, y in years] == sorted(y for _, y in years) and len(years) == 4
    assert chart.read_bytes().startswith(b"\x89PNG")
    main(["compare", "发展党员", "--unit", "县直机关工委", "--years", "2", "--json",
          "--reports", str(years_dir)])
    data = json.loads(capsys.readouterr().out)
    assert data["order"] == "year"
    assert [row["year"] for row in data["rows"]] == ["2022", "2023", "2023"]
    main(["compare", "发展党员", "县直工委", "近两年", "--reports", str(years_dir)])
    out = capsys.readouterr().out  # as in the chat: the unit named beside the metric
    assert "按年份排列" in out and "2021年" not in out and "（011，2022年）" in out
    code = main(["compare", "发展党员", "--unit", "第九党支部", "--reports", str(years_dir)])
    assert code == 2 and "没有找到单位「第九党支部」" in capsys.readouterr().err


@pytest.fixture
async def years_bot(fake_tg: FakeTelegram, years_engine: QAEngine, years_dir: Path,
                    tmp_path: Path) -> AsyncIterator[BotApp]:
    settings = make_settings(fake_tg, tmp_path / "qa.sqlite3", reports_dir=years_dir)
    async with running_bot(settings, years_engine) as app:
        yield app


async def test_bot_compare_metric_and_unit_shows_years_in_order(
        fake_tg: FakeTelegram, years_bot: BotApp) -> None:
    mark = fake_tg.mark()
    fake_tg.send_text(private_chat(ANN), ANN, "/compare 发展党员 县直机关工委")
    (photo,) = await fake_tg.wait_for(mark, "sendPhoto", timeout=30)
    assert fake_tg.sent_file(photo, "photo").startswith(b"\x89PNG")
    caption = re.sub(r"<[^>]+>", "", photo.params["caption"])
    assert caption.startswith("📊 县直机关工委·发展党员：") and "按年份排列" in caption
    years = re.findall(r"^\d+\. 县直机关工委（\d{3}，(20\d\d)年）", caption, flags=re.M)
    assert years == ["2021", "2022", "2023", "2023"]
    assert FIGTABLE not in years_bot.bot_data  # one unit's years read that unit's reports only
