"""Edit ``reports.toml`` as text: add or drop one ``[reports.<id>]`` table, keep the rest.

Rewriting the file from parsed data would lose the comments and order people wrote by hand,
so entries are appended and removed as blocks of lines; every result is parsed again before
it may be written.
"""

from __future__ import annotations

import json
import re
import tomllib
from typing import Any

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_TABLE = re.compile(r"^\s*\[")


def entries(text: str) -> dict[str, dict[str, Any]]:
    """Return the manifest's ``reports`` tables keyed by report id."""
    data = tomllib.loads(text)
    reports = data.get("reports", {})
    return {str(k): v for k, v in reports.items() if isinstance(v, dict)}


def _key(report_id: str) -> str:
    return report_id if _BARE_KEY.match(report_id) else json.dumps(report_id, ensure_ascii=False)


def entry_text(report_id: str, fields: dict[str, Any]) -> str:
    """Return one ``[reports.<id>]`` table; strings are written as TOML basic strings."""
    lines = [f"[reports.{_key(report_id)}]"]
    for name, value in fields.items():
        # A JSON string is a valid TOML basic string (same escapes) once DEL, which JSON
        # leaves bare and TOML forbids, is escaped too; ints are written bare.
        shown = str(value) if isinstance(value, int) else json.dumps(
            str(value), ensure_ascii=False).replace("\x7f", "\\u007f")
        lines.append(f"{name} = {shown}")
    return "\n".join(lines) + "\n"


def _header_id(line: str) -> str | None:
    """Return the report id a ``[reports.…]`` header line names, or None."""
    try:
        data = tomllib.loads(line.strip())
    except tomllib.TOMLDecodeError:
        return None
    reports = data.get("reports")
    return next(iter(reports)) if isinstance(reports, dict) and len(reports) == 1 else None


def with_entry(text: str, report_id: str, fields: dict[str, Any]) -> str:
    """Return the manifest with one entry appended (an old entry of that id dropped first)."""
    text = without_entry(text, report_id).rstrip("\n")
    result = (text + "\n\n" if text else "") + entry_text(report_id, fields)
    entries(result)  # never write what cannot be read back
    return result


def mentions(text: str, report_id: str) -> bool:
    """Tell whether some entry still says it ``replaces`` this id."""
    return any(e.get("replaces") == report_id for e in entries(text).values())


def without_entry(text: str, report_id: str) -> str:
    """Return the manifest without the id's table and without ``replaces`` pointing at it."""
    out: list[str] = []
    skipping = False
    replaces_line = f"replaces = {json.dumps(report_id, ensure_ascii=False)}"
    for line in text.splitlines():
        if _TABLE.match(line):
            skipping = _header_id(line) == report_id
        if skipping or line.strip() == replaces_line:
            continue
        out.append(line)
    result = "\n".join(out).rstrip("\n") + "\n" if any(s.strip() for s in out) else ""
    entries(result)
    return result
