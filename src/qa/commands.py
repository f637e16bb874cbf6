"""The one command registry: bot handlers, Telegram's command menu, /help and the CLI read it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Command:
    """A user command: its name, argument hint and Chinese description."""

    name: str
    args: str
    description: str
    example: str = ""
    in_cli: bool = True
    admin: bool = False  # bot admins only (QA_ADMIN_IDS): shown in their private menu alone

    @property
    def usage(self) -> str:
        """Return "/name 参数" as shown in help texts."""
        return f"/{self.name} {self.args}".rstrip()


COMMANDS: tuple[Command, ...] = (
    Command("start", "", "开始使用，查看简介", in_cli=False),
    Command("help", "", "查看帮助和示例", in_cli=False),
    Command("ask", "问题", "提问，例如：今年发展了多少党员？", "/ask 今年发展了多少党员"),
    Command("problems", "[关键词]", "各报告的存在问题", "/problems 意识形态"),
    Command("plans", "[关键词]", "各报告的下一步计划", "/plans 理论学习"),
    Command("highlights", "[关键词]", "各报告的亮点工作", "/highlights"),
    Command("reports", "", "列出全部报告", "/reports"),
    Command("report", "编号", "查看某份报告的提纲", "/report 000"),
    Command("settings", "", "本群设置：检索哪些报告、回答长短、是否显示评价按钮", in_cli=False),
    Command("stats", "[7|30]", "使用统计：每日提问、找到率、评价、热门问题（管理员）",
            "/stats 30", in_cli=False, admin=True),
    Command("gaps", "", "没答上或被点 👎 的问题，按话题归并（管理员）", in_cli=False, admin=True),
)

COMMANDS_BY_NAME: dict[str, Command] = {c.name: c for c in COMMANDS}
