"""Telegram HTML and buttons for the reports library: uploads, previews, /reports, /remove.

Kept apart from bot/render.py so the upload work (issue 10) touches no shared module; the same
rules hold: every user or report text is escaped, every message stays within 4096 units.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from qa import Report
from qa.errors import FileRefusedError
from qa.library import LibraryEntry, Preview
from qa_bot.buttons import encode
from qa_bot.render import clip, clip_html_lines, esc, short_id

ADMINS_ONLY = "抱歉，只有本机器人的管理员可以收录或删除报告；如需添加报告，请把文件转给管理员。"
ADD_USAGE = ("请把 /add 作为对文件消息的回复发送，"
             "或直接把 .docx、.doc、.wps、.txt、.pdf 文件或页面照片发给我。")
STALE = "按钮已失效（预览已过期、已处理，或机器人重启过），请重新发送文件。"
DOWNLOAD_FAILED = "无法从 Telegram 取回这个文件（网络或文件问题），请稍后重新发送。"
NOT_YOURS = "只有发送这份文件的管理员可以操作这条预览。"
PREVIEW_HELP = "可回复本消息更正：标题：… / 单位：… / 年份：…（每项一行）"


def _keyboard(rows: Sequence[Sequence[tuple[str, str]]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(text, callback_data=data) for text, data in row] for row in rows])


def preview_keyboard(token: str) -> InlineKeyboardMarkup:
    """Return 确认收录 / 取消 for a preview."""
    return _keyboard([[("✅ 确认收录", encode("L", token, "ok")),
                       ("取消", encode("L", token, "no"))]])


def replace_keyboard(token: str) -> InlineKeyboardMarkup:
    """Return 替换 / 另存为新报告 / 取消 when the same unit and year already exist."""
    return _keyboard([[("替换原报告", encode("L", token, "rp")),
                       ("另存为新报告", encode("L", token, "nw"))],
                      [("取消", encode("L", token, "no"))]])


def removal_keyboard(token: str) -> InlineKeyboardMarkup:
    """Return 确认删除 / 取消 for a /remove."""
    return _keyboard([[("确认删除", encode("R", token, "ok")),
                       ("取消", encode("R", token, "no"))]])


def render_duplicate(name: str, same: LibraryEntry) -> str:
    """Say that an upload is already stored (same bytes or text), naming the stored copy."""
    return (f"⚠️ 无法收录《{esc(clip(name, 60))}》：与已收录的 "
            f"<code>{esc(short_id(same.report_id))}</code>《{esc(same.title)}》内容相同，未重复收录。"
            "如要更新这份报告，请发送修改后的文件并选择「替换」。")


def render_refusal(exc: FileRefusedError) -> str:
    """Render a refused upload as one line: the file, why, what to do."""
    return f"⚠️ 无法收录《{esc(clip(exc.name, 60))}》：{esc(exc.reason)}。{esc(exc.hint)}"


def render_preview(preview: Preview, note: str = "") -> str:
    """Render what the core understood of an upload, before it counts."""
    lines = [
        f"📥 <b>收录预览</b>：{esc(clip(preview.source.name, 80))}",
        f"标题：《{esc(preview.title)}》",
        f"单位：{esc(preview.unit or '（未识别）')}　年份：{esc(preview.year or '（未识别）')}"
        + (f"（回顾 {esc(preview.covers)} 年）" if preview.covers not in ("", preview.year) else "")
        + f"　段落：{preview.passages}",
    ]
    if note:
        lines.append(f"<i>{esc(note)}</i>")
    warnings = [f"⚠️ {esc(w)}" for w in preview.warnings]
    tail = [*warnings, f"<i>{esc(PREVIEW_HELP)}</i>"]
    outline = ["<b>提纲</b>："] + [
        f"{'　' * o.depth}{esc(clip(o.title, 40))} [{esc(o.kind_name)}] {o.passages} 段"
        for o in preview.outline
    ]
    # The outline may be long; the warnings and the help line must always show.
    budget = 4096 - sum(len(t) + 1 for t in (*lines, *tail)) - 40
    return "\n".join([*lines, clip_html_lines(outline, budget), *tail])


def render_same_unit(preview: Preview, same: LibraryEntry) -> str:
    """Ask whether an upload replaces the stored report of the same unit and year."""
    return (f"已有同单位同年份的报告：<code>{esc(short_id(same.report_id))}</code>"
            f"《{esc(same.title or same.report_id)}》。\n"
            f"要用《{esc(preview.title)}》替换它吗？（原报告文件会移入 removed/，不会删除）")


def render_added(entry: LibraryEntry, replaced: str, reports: int,
                 alongside: Sequence[str] = ()) -> str:
    """Say that a report was stored and is answerable now."""
    meta = " · ".join(x for x in (entry.unit, entry.year) if x)
    text = (f"✅ 已收录 <code>{esc(short_id(entry.report_id))}</code>《{esc(entry.title)}》"
            + (f"（{esc(meta)}）" if meta else "") + f"，现在共 {reports} 份报告，可以直接提问了。")
    if replaced:
        text += f"\n已替换 <code>{esc(short_id(replaced))}</code>（原文件已移入 removed/）。"
    elif alongside:  # issue 19: a unit/year clash never replaces unless 替换 was pressed
        ids = "、".join(f"<code>{esc(short_id(i))}</code>" for i in alongside)
        text += f"\n注意：已有同单位同年份的报告 {ids}，新报告另行收录，没有替换。"
    return text


def render_confirm_removal(entry: LibraryEntry) -> str:
    """Ask for confirmation before a report is removed."""
    return (f"确定删除 <code>{esc(short_id(entry.report_id))}</code>"
            f"《{esc(entry.title or entry.report_id)}》吗？文件会移入 removed/ 目录，不会被删除。")


def render_removed(entry: LibraryEntry, reports: int) -> str:
    """Say that a report was removed."""
    return (f"🗑 已删除 <code>{esc(short_id(entry.report_id))}</code>"
            f"《{esc(entry.title or entry.report_id)}》，文件已移入 removed/；"
            f"现在共 {reports} 份报告。")


def render_reloaded(added: Sequence[Report], removed: Sequence[str], total: int,
                    skipped: Sequence[tuple[str, str]]) -> str:
    """Summarise a /reload: what appeared, what went, what could not be read."""
    lines = [f"🔄 已重新载入报告目录：共 {total} 份报告。"]
    lines += [f"＋ <code>{esc(short_id(r.report_id))}</code>《{esc(r.title)}》" for r in added]
    lines += [f"－ <code>{esc(short_id(report_id))}</code>" for report_id in removed]
    if not added and not removed:
        lines.append("没有新增或移除的报告。")
    lines += [f"⚠️ 跳过 {esc(name)}：{esc(why)}" for name, why in skipped]
    return clip_html_lines(lines)


def _audit(entry: LibraryEntry | None) -> str:
    if entry is None or not (entry.added_by or entry.added_at):
        return " · 手工放入"  # placed in the folder by hand: no audit row
    when = entry.added_at[:16].replace("T", " ")
    return f" · {esc(entry.added_by or '未知')} 于 {esc(when)} 添加"


def render_report_list(reports: Sequence[Report], entries: dict[str, LibraryEntry],
                       heading: str) -> str:
    """List reports with unit, year, passages and who added them when."""
    lines = [heading]
    for r in reports:
        meta = " · ".join(x for x in (r.unit, f"{r.year}年" if r.year else "") if x)
        lines.append(f"<code>{esc(short_id(r.report_id))}</code> 《{esc(r.title)}》"
                     + (f" {esc(meta)}" if meta else "") + f" · {r.size} 段"
                     + _audit(entries.get(r.report_id)))
    return clip_html_lines(lines)


def reports_heading(count: int, year: str = "", unit: str = "") -> str:
    """Return the first line of /reports, /reports 2023 and /report 单位."""
    scope = f"{unit} " if unit else ""
    scope += f"{year}年 " if year else ""
    if count == 0:
        return f"没有 {esc(scope)}的报告。发送 /reports 查看全部。"
    return f"📚 {esc(scope)}共 {count} 份报告（用 /report 编号 查看提纲）："
