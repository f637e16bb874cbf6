"""Render what teaches a new user: /help with a worked example, short inline titles."""

from __future__ import annotations

from qa import Answer, Hit
from qa_bot.render import answer_items, clip, esc, render_help, source_line

EXAMPLE_QUESTION = "今年发展了多少党员"
ASK_IN_PRIVATE = "在私聊中提问"
ASK_PROMPT = "请直接发送您的问题，例如：今年发展了多少党员？"
CANNOT = (
    "• 只回答报告里写了的内容，不会编造，也不做推测或评价；",
    "• 不联网、不知道报告以外的新闻和政策；",
    "• 不读图片、语音和扫描件；被隐去的数字（如 **名）无法还原。",
)


def render_example(answer: Answer) -> str:
    """Render a worked example: a question, the start of its answer and where it comes from."""
    lines = ["<b>示例</b>", f"问：{esc(EXAMPLE_QUESTION)}"]
    items = answer_items(answer)
    if answer.found and items:
        first = items[0]
        fact = answer.lead or first.text
        lines.append(f"答：{esc(clip(fact, 120))}")
        lines.append(f"出处：{source_line(first.passage, 1)}")
    lines += [
        "回答下方的按钮：",
        "• <b>原文 1</b>：发来引用所在的整段原文；",
        "• <b>更多 ▶</b>：同一条消息翻到下一页，看其他报告的相关段落；",
        "• 👍 / 👎：告诉我们回答是否有用（管理员据此补充报告）。",
    ]
    return "\n".join(lines)


def render_teaching_help(bot_username: str, example: Answer, admin: bool = False) -> str:
    """Render /help: the commands, one worked example, and what the bot cannot do."""
    return "\n\n".join([render_help(bot_username, admin), render_example(example),
                        "<b>我做不到的</b>\n" + "\n".join(CANNOT)])


def render_start_greeting(first_name: str) -> str:
    """Render the first line of /start."""
    return f"您好，{esc(first_name or '同志')}！"


def inline_title(hit: Hit, unit: str) -> str:
    """Return a short inline result title: "unit · section" (plain text)."""
    section = hit.passage.section_path[-1] if hit.passage.section_path else "前言"
    return clip(f"{unit or hit.passage.report_title} · {section}", 60)
