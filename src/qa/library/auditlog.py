"""The reports folder's audit log: one JSON line per add, replace or remove, never rewritten.

``audit.jsonl`` lives in the reports folder beside ``reports.toml``. Each change appends one
line and fsyncs the file before the library's change counts as done, so a line is never lost
once a command said "已收录". A torn last line (a crash in the middle of a write) is skipped
when reading, and the next append starts on a line of its own.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from qa.fsio import fsync_dir

AUDIT_NAME = "audit.jsonl"
ACTIONS = {"add": "收录", "replace": "替换", "remove": "删除"}


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One change of the library: what was done, by whom, when, to which file."""

    action: str  # "add", "replace" or "remove"
    report_id: str
    by: str
    at: str  # ISO time with offset
    file_name: str = ""
    sha256: str = ""  # of the file as uploaded (or of the stored text for hand-placed files)
    title: str = ""
    replaced: str = ""  # for "replace": the id that was retired

    @property
    def action_name(self) -> str:
        """Return the Chinese name of the action (收录/替换/删除)."""
        return ACTIONS.get(self.action, self.action)


def append(folder: Path, record: AuditRecord) -> None:
    """Append one record and flush it to disk (file and, when new, its folder entry)."""
    path = folder / AUDIT_NAME
    created = not path.exists()
    line = json.dumps(asdict(record), ensure_ascii=False) + "\n"
    with path.open("ab") as out:
        if out.tell() and not _ends_with_newline(path):
            out.write(b"\n")  # a torn line from a crash stays torn, on its own
        out.write(line.encode("utf-8"))
        out.flush()
        os.fsync(out.fileno())
    if created:
        fsync_dir(folder)


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as handle:
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) == b"\n"


def read(folder: Path) -> tuple[AuditRecord, ...]:
    """Return every readable record, oldest first (nothing logged yet: an empty tuple)."""
    path = folder / AUDIT_NAME
    if not path.is_file():
        return ()
    records: list[AuditRecord] = []
    for line in path.read_bytes().decode("utf-8", "replace").splitlines():
        record = _parse(line)
        if record is not None:
            records.append(record)
    return tuple(records)


def _parse(line: str) -> AuditRecord | None:
    try:
        data = json.loads(line)
    except json.JSONDecodeError:
        return None  # a line torn by a crash
    if not isinstance(data, dict) or not {"action", "report_id", "by", "at"} <= data.keys():
        return None
    fields = AuditRecord.__dataclass_fields__
    return AuditRecord(**{k: str(v) for k, v in data.items() if k in fields})


def render(records: tuple[AuditRecord, ...]) -> list[str]:
    """Return one Chinese line per record, newest last (the CLI and the bot show these)."""
    lines = []
    for r in records:
        what = f"{r.report_id}《{r.title}》" if r.title else r.report_id
        extra = f"（替换 {r.replaced}）" if r.replaced else ""
        lines.append(f"{r.at}  {r.action_name}  {what}{extra}  文件：{r.file_name or '—'}  "
                     f"操作人：{r.by or '—'}  sha256：{r.sha256 or '—'}")
    return lines
