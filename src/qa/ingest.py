"""Read report files (any common Chinese encoding) and parse them into Report objects."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .clean import clean_text
from .errors import EmptyCorpusError, ReportReadError
from .models import Passage, Report, Section
from .parsecache import ParsedCache, entry_key, pack, write_entries
from .structure import Block, looks_like_title, walk_lines

MANIFEST_NAME = "reports.toml"
MAX_REPORT_BYTES = 20 * 1024 * 1024
_TITLE_IN_TEXT = re.compile(r"[\u4e00-\u9fff\d*]{0,14}(?:党建工作|工作)(?:总结|报告)")
_LEADING_VERB = re.compile(r"^(?:现将|现就|现把|特将|就|将|把)")
_NOT_CJK = re.compile(r"[^\u4e00-\u9fff]+")
_SPACE = re.compile(r"\s+")
_SUSPECT = re.compile(r"[\ue000-\uf8ff\ufffd\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True, slots=True)
class ReportMeta:
    """Metadata from the manifest: the title shown to users, unit and year.

    ``replaces``: the id of a report this one supersedes; while both files exist only this
    one loads, so a replacement is one rename (qa/library.py), never two reports at once.
    """

    title: str = ""
    unit: str = ""
    year: str = ""
    replaces: str = ""


@dataclass(frozen=True, slots=True)
class Corpus:
    """The reports that loaded, plus (file name, reason) for each file that did not."""

    reports: tuple[Report, ...]
    skipped: tuple[tuple[str, str], ...] = ()


def _plausible(text: str, strict: bool) -> bool:
    # A wrong encoding shows from the start; a sample keeps huge files cheap to check.
    text = text[:4000]
    if not text.strip():
        return True
    if len(_SUSPECT.findall(text)) > max(2, len(text) // 1000):
        return False
    if not strict:  # valid UTF-8 is never mojibake by accident
        return True
    # sub() over the few non-CJK runs is ~20× cheaper than findall() of every CJK char.
    return len(_NOT_CJK.sub("", text)) >= 0.2 * len(_SPACE.sub("", text))


def decode_bytes(data: bytes, name: str) -> str:
    """Decode UTF-8 (BOM or not), UTF-16 with BOM or GB18030/GBK; never guess into mojibake."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates: tuple[str, ...] = ("utf-16",)
    elif b"\x00" in data:
        raise ReportReadError(f"{name}: 不是文本文件（含二进制内容）")
    else:
        candidates = ("utf-8-sig", "gb18030")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _plausible(text, strict=encoding != "utf-8-sig"):
            return text
    raise ReportReadError(f"{name}: 无法识别编码（支持 UTF-8、GBK/GB18030）或不是中文报告")


def load_manifest(folder: Path) -> dict[str, ReportMeta]:
    """Read ``reports.toml`` (``[reports.<stem>] title/unit/year``) if the folder has one."""
    path = folder / MANIFEST_NAME
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ReportReadError(f"{path.name}: 清单格式错误：{exc}") from exc
    entries = data.get("reports", {})
    return {
        str(stem): ReportMeta(
            str(e.get("title", "")),
            str(e.get("unit", "")),
            str(e.get("year", "")),
            str(e.get("replaces", "")),
        )
        for stem, e in entries.items()
        if isinstance(e, dict)
    }


def derive_title(report_id: str, first_line: str, text: str) -> str:
    """Derive a title: the first line if it is one, else a "…工作总结/报告" phrase, else the id."""
    if first_line and looks_like_title(first_line):
        return first_line
    match = _TITLE_IN_TEXT.search(text[:300])
    if match and len(match.group(0)) >= 6:
        return _LEADING_VERB.sub("", match.group(0))
    return report_id


def _sections(report_id: str, title: str, blocks: list[Block]) -> tuple[Section, ...]:
    groups: list[tuple[tuple[str, ...], list[Block]]] = []
    for block in blocks:
        top = block.path[:1] if block.kind != "preamble" else ()
        if not groups or groups[-1][0] != top:
            groups.append((top, []))
        groups[-1][1].append(block)
    sections = []
    counter = 0
    for index, (top, members) in enumerate(groups):
        passages = []
        for block in members:
            counter += 1
            passages.append(
                Passage(
                    f"{report_id}#{counter}",
                    report_id,
                    title,
                    block.path,
                    block.kind,
                    block.text,
                    block.label,
                )
            )
        kind = members[0].kind if top else "preamble"
        sections.append(Section(report_id, index, top, kind, tuple(passages)))
    return tuple(sections)


def parse_report(
    report_id: str, text: str, meta: ReportMeta | None = None, source: Path | None = None
) -> Report:
    """Parse a report's text (cleaned here) into sections and passages; pure, no I/O."""
    lines = [line.strip() for line in clean_text(text).splitlines() if line.strip()]
    meta = meta or ReportMeta()
    first = lines[0] if lines else ""
    title = meta.title or derive_title(report_id, first, "\n".join(lines))
    if first and looks_like_title(first):
        lines = lines[1:]
    sections = _sections(report_id, title, walk_lines(lines))
    return Report(report_id, title, source, sections, meta.unit, meta.year)


def read_report(path: Path, meta: ReportMeta | None = None) -> Report:
    """Read and parse one report file; raise ReportReadError naming the file."""
    return _parse_file(path, _read_bytes(path), meta)


def _read_bytes(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_REPORT_BYTES:
            raise ReportReadError(f"{path.name}: 文件过大（上限 20 MB）")
        return path.read_bytes()
    except OSError as exc:
        raise ReportReadError(f"{path.name}: 无法读取：{exc.strerror or exc}") from exc


def _parse_file(path: Path, data: bytes, meta: ReportMeta | None) -> Report:
    report = parse_report(path.stem, decode_bytes(data, path.name), meta, path)
    if not report.passages:
        raise ReportReadError(f"{path.name}: 文件为空或没有正文")
    return report


def superseded_ids(folder: Path, manifest: dict[str, ReportMeta]) -> set[str]:
    """Return ids that a present report replaces (a replacement caught half-way)."""
    return {
        meta.replaces
        for stem, meta in manifest.items()
        if meta.replaces and (folder / f"{stem}.txt").is_file()
    }


def load_reports(folder: Path, cache_path: Path | None = None) -> Corpus:
    """Load every ``*.txt`` report in a folder; bad files are skipped and named, not fatal.

    With ``cache_path``, unchanged files come from that parsed-report cache (qa/parsecache.py),
    which is rewritten when any file changed.
    """
    if not folder.is_dir():
        raise EmptyCorpusError(f"报告目录不存在：{folder}")
    manifest = load_manifest(folder)
    superseded = superseded_ids(folder, manifest)
    cache = ParsedCache(cache_path) if cache_path is not None else None
    keys: list[str] = []  # one per loaded report, when caching
    dirty = False  # a report was parsed, so the cache needs writing
    reports: list[Report] = []
    skipped: list[tuple[str, str]] = []
    try:
        for path in sorted(folder.glob("*.txt")):
            if path.stem in superseded:
                continue
            meta = manifest.get(path.stem)
            try:
                data = _read_bytes(path)
                report = None
                if cache is not None:
                    m = meta or ReportMeta()
                    keys.append(entry_key(path.name, data, (m.title, m.unit, m.year)))
                    report = cache.get(keys[-1], path)
                if report is None:
                    report = _parse_file(path, data, meta)
                    dirty = True
                reports.append(report)
            except ReportReadError as exc:
                del keys[len(reports):]
                skipped.append((path.name, str(exc)))
        stale = cache is not None and (dirty or cache.keys() != set(keys))
    finally:
        if cache is not None:
            cache.close()
    if not reports:
        raise EmptyCorpusError(f"报告目录中没有可用的 .txt 报告：{folder}")
    if stale and cache_path is not None:
        write_entries(cache_path, ((k, pack(r)) for k, r in zip(keys, reports, strict=True)))
    return Corpus(tuple(reports), tuple(skipped))
