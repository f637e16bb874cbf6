"""The bot's command registry: its handlers, Telegram's command menu and /help read it.

The CLI words its own commands (``qa.cli.commands``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Command:
    """A user command: its name, argument hint and Chinese description."""

    name: str
    args: str
    description: str
    example: str = ""
    admin: bool = False  # bot admins only (QA_ADMIN_IDS): shown in their private menu alone

    @property
    def usage(self) -> str:
        """Return "/name 参数" as shown in help texts."""
        return f"/{self.name} {self.args}".rstrip()


COMMANDS: tuple[Command, ...] = (
    Command("start", "", "开始使用，查看简介"),
    Command("help", "", "查看帮助和示例"),
    Command("ask", "问题", "提问，例如：今年发展了多少党员？", "/ask 今年发展了多少党员"),
    Command("problems", "[关键词]", "各报告的存在问题", "/problems 意识形态"),
    Command("plans", "[关键词]", "各报告的下一步计划", "/plans 理论学习"),
    Command("highlights", "[关键词]", "各报告的亮点工作", "/highlights"),
    Command("reports", "[年份]", "列出报告及单位、年份、段落数，可按年份筛选", "/reports 2023"),
    Command("report", "编号或单位", "查看某份报告的提纲，或列出某单位的报告",
            "/report 县直机关工委"),
    Command("compare", "[指标]", "比较各报告的同一数字，附柱状图", "/compare 发展党员"),
    Command("figures", "编号", "列出某份报告中的数字", "/figures 000"),
    Command("export", "", "导出全部数字表（CSV，含原句出处）", "/export"),
    Command("add", "", "（管理员）回复一份文件，收录为新报告", admin=True),
    Command("remove", "编号", "（管理员）删除报告，文件移入 removed/", "/remove 005", admin=True),
    Command("reload", "", "（管理员）重新载入报告目录中的文件", admin=True),
    # Issue 19: the audit log of every add/replace/remove (the CLI has `qa log`).
    Command("log", "[条数]", "（管理员）收录、替换、删除记录：操作人、时间、文件、sha256",
            "/log 20", admin=True),
    Command("settings", "", "本群设置：检索哪些报告、回答长短、是否显示评价按钮"),
    Command("stats", "[7|30]", "使用统计：每日提问、找到率、评价、热门问题（管理员）",
            "/stats 30", admin=True),
    Command("gaps", "", "没答上或被点 👎 的问题，按话题归并（管理员）", admin=True),
)

COMMANDS_BY_NAME: dict[str, Command] = {c.name: c for c in COMMANDS}
