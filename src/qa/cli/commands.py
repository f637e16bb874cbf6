"""The CLI's own question commands: what `qa --help` lists and how suggestions name them.

The bot has its registry (``qa_bot.commands``); each front end words only commands it accepts.
"""

from __future__ import annotations

from dataclasses import dataclass

from qa.models import KIND_NAMES, LISTED_KINDS


@dataclass(frozen=True, slots=True)
class CliCommand:
    """A `qa` sub-command that answers from the reports: name, argument hint, description."""

    name: str
    args: str
    description: str


CLI_COMMANDS: tuple[CliCommand, ...] = (
    CliCommand("ask", "问题", "提问，例如：今年发展了多少党员？"),
    *(CliCommand(kind, "[关键词]", f"各报告的{KIND_NAMES[kind]}") for kind in LISTED_KINDS),
    CliCommand("reports", "", "列出报告及单位、年份、段落数"),
    CliCommand("report", "编号", "查看某份报告的提纲"),
)

CLI_COMMANDS_BY_NAME: dict[str, CliCommand] = {c.name: c for c in CLI_COMMANDS}
