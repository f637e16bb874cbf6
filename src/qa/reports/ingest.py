"""Read report files (any common Chinese encoding) and parse them into Report objects."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import cast

from qa.errors import EmptyCorpusError, ReportReadError
from qa.language import document_unit, title_line, written_year
from qa.models import Passage, Report, Section

from .clean import clean_text
from .filestat import FileDigests
from .longtext import split_long
from .parsecache import (
    ParsedCache,
    StoredBody,
    content_digest,
    entry_key,
    stored_report,
    write_entries,
)
from .sectionkind import genre_of
from .startrecord import WarmStart, inputs_digest
from .structure import Block, looks_like_title, walk_lines

MANIFEST_NAME = "reports.toml"
# What the folder loader reads, in the order one wins when two files share a stem: the .txt
# (the library's own, or an edited copy) before any document it may have come from.
READABLE = (".txt", ".docx", ".doc", ".wps", ".pdf")
# A document's (file name, bytes) → its report text; qa.documents.document_text converts them
# (the front ends pass it in: documents sit above reports). Without it only .txt files load.
DocumentText = Callable[[str, bytes], str]
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


MIN_TITLE_CHARS = 4  # 「下载」「打印」: a web page's menu, no report's title


def derive_title(report_id: str, first_line: str, text: str) -> str:
    """Derive a title: the first line if it is one, else a "…工作总结/报告" phrase, else the id.

    A page saved from a website opens with its menu (「下载」「打印」…): no title is that short,
    so the title is the report-title line below it (as ``qa add`` reads it).
    """
    if len(first_line) < MIN_TITLE_CHARS:
        first_line = title_line(text) or first_line
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
            for text in split_long(block.text):  # no passage may slow every question
                counter += 1
                passages.append(
                    Passage(
                        f"{report_id}#{counter}",
                        report_id,
                        title,
                        block.path,
                        block.kind,
                        text,
                        block.label,
                    )
                )
        kind = members[0].kind if top else "preamble"
        sections.append(Section(report_id, index, top, kind, tuple(passages)))
    return tuple(sections)


def parse_report(
    report_id: str, text: str, meta: ReportMeta | None = None, source: Path | None = None,
    key: str = "",
) -> Report:
    """Parse a report's text (cleaned here) into sections and passages; pure, no I/O."""
    meta = meta or ReportMeta()
    title, lines = report_lines(report_id, text, meta.title)
    blocks = walk_lines(lines, genre_of(title))
    sections = _sections(report_id, title, blocks)
    # A file without a manifest entry still has a unit and year: read them from the document.
    body = "\n".join(lines)
    unit = meta.unit or document_unit(title, body)
    year = meta.year or written_year(title, source.stem if source else "", body)
    return Report(report_id, title, source, sections, unit, year, key)


def report_lines(report_id: str, text: str, title: str = "") -> tuple[str, list[str]]:
    """Return a report's title and its cleaned, non-empty body lines (title line dropped)."""
    lines = [line.strip() for line in clean_text(text).splitlines() if line.strip()]
    first = lines[0] if lines else ""
    title = title or derive_title(report_id, first, "\n".join(lines))
    if first and looks_like_title(first):
        lines = lines[1:]
    return title, lines


def read_report(path: Path, meta: ReportMeta | None = None,
                convert: DocumentText | None = None) -> Report:
    """Read and parse one report file; raise ReportReadError naming the file."""
    _stat(path)
    data = _read_bytes(path)
    return _parse_file(path, data, meta, _key(path.name, content_digest(data), meta), convert)


def _stat(path: Path | str, name: str = "") -> os.stat_result:
    name = name or Path(path).name
    try:
        stat = os.stat(path)
    except OSError as exc:
        raise ReportReadError(f"{name}: 无法读取：{exc.strerror or exc}") from exc
    if stat.st_size > MAX_REPORT_BYTES:
        raise ReportReadError(f"{name}: 文件过大（上限 20 MB）")
    return stat


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ReportReadError(f"{path.name}: 无法读取：{exc.strerror or exc}") from exc


_NO_META = ReportMeta()


def _key(name: str, digest: str, meta: ReportMeta | None) -> str:
    m = meta or _NO_META
    return entry_key(name, digest, (m.title, m.unit, m.year))


def _file_text(path: Path, data: bytes, convert: DocumentText | None) -> str:
    """Return a file's report text: a .txt decoded, any other document converted."""
    if path.suffix.lower() == ".txt":
        return decode_bytes(data, path.name)
    if convert is None:
        raise ReportReadError(f"{path.name}: 不是 .txt 报告")
    return convert(path.name, data)


def _parse_file(path: Path, data: bytes, meta: ReportMeta | None, key: str = "",
                convert: DocumentText | None = None) -> Report:
    report = parse_report(path.stem, _file_text(path, data, convert), meta, path, key)
    if not report.passages:
        raise ReportReadError(f"{path.name}: 文件为空或没有正文")
    return report


def _reparse(report_id: str, title: str, source: Path | None,
             convert: DocumentText | None = None) -> tuple[Section, ...]:
    """Parse a file again for a cached body found damaged (nothing if it cannot be read)."""
    if source is None:
        return ()
    try:
        return read_report(source, ReportMeta(title), convert).sections
    except ReportReadError:
        return ()


def _child(folder: Path, name: str) -> Path:
    """Return ``folder / name`` for a plain file name: pathlib's own join parses the name
    again, ≈ 0.1 s of a start over 10⁴ report files; Python 3.11–3.13 have this shortcut."""
    make = getattr(folder, "_make_child_relpath", None)
    child = make(name) if make is not None else None
    return child if isinstance(child, Path) else folder / name


def superseded_ids(folder: Path, manifest: dict[str, ReportMeta]) -> set[str]:
    """Return ids that a present report replaces (a replacement caught half-way)."""
    return {
        meta.replaces
        for stem, meta in manifest.items()
        if meta.replaces and (folder / f"{stem}.txt").is_file()
    }


@dataclass(frozen=True, slots=True)
class Pending:
    """A report file to parse: its name, path and manifest entry, and the stat taken before
    its bytes are read (what ``qa.reports.filestat`` remembers their digest by)."""

    name: str
    path: Path
    meta: ReportMeta | None
    stat: os.stat_result


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """A pending file parsed elsewhere: the report as the cache stores it, its bytes' digest."""

    stored: StoredBody
    file_digest: str


# What a file came to: its report, a file still to parse, or why it cannot be read (file name,
# error).
Found = Report | Pending | tuple[str, ReportReadError]
# What a load keeps of a report until the cache is written: itself, its file or its body.
Held = Report | Pending | StoredBody
# Pending files → each one parsed, or why not, in the same order; None: parse them here.
ParseMany = Callable[[Sequence[Pending]], Iterator[ParsedFile | ReportReadError] | None]


def parse_pending(item: Pending, convert: DocumentText | None = None) -> tuple[Report, str]:
    """Read and parse a pending file; return its report (keyed) and its bytes' digest."""
    data = _read_bytes(item.path)  # after the stat: see qa/filestat.py
    digest = content_digest(data)
    key = _key(item.name, digest, item.meta)
    return _parse_file(item.path, data, item.meta, key, convert), digest


class _Sources:
    """The caches a load consults: parsed reports and remembered file digests (or neither)."""

    def __init__(self, cache_path: Path | None, convert: DocumentText | None = None,
                 warm: WarmStart | None = None) -> None:
        self.convert = convert
        self.reparse = partial(_reparse, convert=convert)
        self.path = cache_path
        self.cache = warm.cache if warm is not None else (
            ParsedCache(cache_path, self.reparse) if cache_path is not None else None)
        self.digests = FileDigests(cache_path.with_suffix(".files")) if cache_path else None
        # An empty cache can hold no file: none is read before it is parsed.
        self.empty = self.cache is None or not self.cache.count()
        # For the start record: each file's fingerprint as found (None: not to be recorded),
        # and the cache the reports finally come from.
        self.warm = warm
        self.prints: list[bytes | None] = []
        self.final: ParsedCache | None = None

    def find(self, folder: Path, name: str, meta: ReportMeta | None) -> Found:
        """Return a file's report when the cache has it unchanged, else the file to parse."""
        # Strings until the report needs its Path: pathlib costs more than the stat at 10⁴.
        try:
            stat = _stat(f"{folder}{os.sep}{name}", name)
        except ReportReadError as exc:
            self.prints.append(None)
            return name, exc
        if self.warm is not None:
            self.prints.append(self.warm.fingerprint(stat))
        path = _child(folder, name)
        if self.empty or self.cache is None:
            return Pending(name, path, meta, stat)  # nothing to find: no file is read here
        digest = self.digests.known(name, stat) if self.digests is not None else None
        if digest is None:
            try:
                data = _read_bytes(path)  # after the stat: see qa/filestat.py
            except ReportReadError as exc:
                return name, exc
            digest = content_digest(data)
            if self.digests is not None:
                self.digests.remember(name, stat, digest)
        report = self.cache.report(_key(name, digest, meta), path)
        return report if report is not None else Pending(name, path, meta, stat)

    def parse_each(self, found: list[Found],
                   skipped: list[tuple[str, str]]) -> tuple[list[Report], bool]:
        """Return the reports, parsing each pending file here (unreadable ones go to skipped),
        and whether any was parsed (so the cache needs writing)."""
        reports = []
        parsed = False
        for item in found:
            try:
                if isinstance(item, tuple):
                    skipped.append((item[0], str(item[1])))
                    continue
                reports.append(self._parse(item) if isinstance(item, Pending) else item)
                parsed = parsed or isinstance(item, Pending)
            except ReportReadError as exc:
                skipped.append((cast(Pending, item).name, str(exc)))
        return reports, parsed

    def _parse(self, item: Pending) -> Report:
        report, digest = parse_pending(item, self.convert)
        if self.digests is not None:
            self.digests.remember(item.name, item.stat, digest)
        return report

    def finish(self, reports: list[Report], dirty: bool) -> list[Report]:
        """Save the caches if they changed; return the reports, deferred to the new cache."""
        if self.digests is not None:
            self.digests.save()
        if self.cache is None or self.path is None:
            return reports
        if not dirty and self.cache.keys() == {r.key for r in reports}:
            self.final = self.cache
            return reports
        if not write_entries(self.path, ((r.key, r) for r in reports), self.cache):
            return reports
        self.final = fresh = ParsedCache(self.path, self.reparse)
        return [fresh.report(r.key, r.source_path) or r for r in reports]

    def finish_parsed(self, found: list[Found],
                      results: Iterator[ParsedFile | ReportReadError],
                      skipped: list[tuple[str, str]]) -> list[Report]:
        """Write the cache as the pending files' ``results`` come (parsed elsewhere, in
        order); return the reports, deferred to the new cache.

        A parsed body is not kept once written (10⁶ passages' bodies are ≈ 0.5 GB): should
        the write fail, the rest are kept and the files already written are parsed again.
        """
        assert self.path is not None
        kept: list[tuple[str, Path | None, Held]] = []
        failed: dict[str, str] = {}
        retain = False  # the write failed: keep the bodies still to come

        def entries() -> Iterator[tuple[str, Report | StoredBody]]:
            for item in found:
                if isinstance(item, Report):
                    kept.append((item.key, item.source_path, item))
                    yield item.key, item
                    continue
                if isinstance(item, tuple):
                    failed[item[0]] = str(item[1])
                    continue
                got = next(results)
                if isinstance(got, ReportReadError):
                    failed[item.name] = str(got)
                    continue
                if self.digests is not None:
                    self.digests.remember(item.name, item.stat, got.file_digest)
                kept.append((got.stored.key, item.path, got.stored if retain else item))
                yield got.stored.key, got.stored

        stream = entries()
        written = write_entries(self.path, stream, self.cache)
        retain = True
        for _ in stream:  # the cache could not be written: the reports are still wanted
            pass
        skipped.extend((n, why) for n, why in _in_order(found, failed))
        if self.digests is not None:
            self.digests.save()
        self.final = fresh = ParsedCache(self.path, self.reparse) if written else None
        return [(fresh.report(key, path) if fresh is not None else None)
                or self._held(held, path) for key, path, held in kept]

    def _held(self, held: Held, path: Path | None) -> Report:
        """Return a report not read back from the cache: kept, stored or parsed again."""
        if isinstance(held, StoredBody):
            return stored_report(held, path)
        return self._parse(held) if isinstance(held, Pending) else held


def _in_order(found: list[Found], failed: dict[str, str]) -> Iterator[tuple[str, str]]:
    """Yield (file name, reason) of the files that failed, in the folder's order."""
    for item in found:
        name = item.name if isinstance(item, Pending) else (
            item[0] if isinstance(item, tuple) else "")
        if name in failed:
            yield name, failed[name]


def _report_files(listing: list[str], readable: tuple[str, ...]
                  ) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Return (stem, file name) of each report file in a folder's sorted listing, and the
    files set aside.

    Two files with one stem (总结.txt and 总结.docx) would be one report id twice: the first
    in READABLE's order is read and the other named as skipped.
    """
    chosen: dict[str, str] = {}
    skipped: list[tuple[str, str]] = []
    for name in listing:
        dot = name.rfind(".")
        ext = name[dot:].lower() if dot >= 0 else ""
        if ext not in readable:
            continue
        stem = name[:dot] or name  # as Path.stem: ".txt" alone is a hidden file
        kept = chosen.get(stem)
        if kept is None or readable.index(ext) < readable.index(kept[kept.rfind("."):].lower()):
            chosen[stem], name = name, kept or ""
        if name:
            skipped.append((name, f"{name}: 与 {chosen[stem]} 同名，只读取了 {chosen[stem]}"))
    return sorted(chosen.items()), skipped


def load_reports(folder: Path, cache_path: Path | None = None,
                 convert: DocumentText | None = None,
                 parse_many: ParseMany | None = None) -> Corpus:
    """Load every report (.txt .docx .doc .wps .pdf) in a folder; bad files are named, not fatal.

    With ``cache_path``, unchanged files come from that parsed-report cache (qa/parsecache.py),
    which is rewritten when any file changed, and are not even read while their stat is as
    remembered beside it (qa/filestat.py). With ``parse_many`` too, the files to parse are
    offered to it all at once (worker processes: ``qa.library.coldload``); what it returns is
    written to the cache as it comes.
    """
    if not folder.is_dir():
        raise EmptyCorpusError(f"报告目录不存在：{folder}")
    # Names, not Paths, are sorted: comparing 10⁴ Paths alone took a third of a second.
    listing = sorted(entry.name for entry in os.scandir(folder))
    warm = _warm_start(folder, cache_path, convert, listing)
    recorded = warm.reports(folder, listing, _child) if warm is not None else None
    if recorded is not None:
        return Corpus(tuple(recorded[0]), recorded[1])
    files, set_aside = _report_files(listing, READABLE if convert else (".txt",))
    skipped: list[tuple[str, str]] = []
    try:
        manifest = load_manifest(folder)
    except ReportReadError as exc:
        # One bad line must not take every report away: load them with the titles, units
        # and years their text gives, and name the manifest among what was skipped.
        manifest = {}
        skipped.append((MANIFEST_NAME, f"{exc}；已忽略清单，标题、单位、年份按正文识别"))
    superseded = superseded_ids(folder, manifest)
    sources = _Sources(cache_path, convert, warm)
    skipped.extend(set_aside)
    read = [(stem, name) for stem, name in files if stem not in superseded]
    found = [sources.find(folder, name, manifest.get(stem)) for stem, name in read]
    pending = [f for f in found if isinstance(f, Pending)]
    results = parse_many(pending) if parse_many and pending and sources.path else None
    if results is not None:
        reports = sources.finish_parsed(found, results, skipped)
    else:
        reports = sources.finish(*sources.parse_each(found, skipped))
    if not reports:
        raise EmptyCorpusError(f"报告目录中没有可用的报告（.txt .docx .doc .wps .pdf）：{folder}")
    if warm is not None:
        warm.remember(listing, [name for _, name in read], sources.prints, sources.final,
                      reports, skipped)
    return Corpus(tuple(reports), tuple(skipped))


def _warm_start(folder: Path, cache_path: Path | None, convert: DocumentText | None,
                listing: list[str]) -> WarmStart | None:
    """Return the start record's check for a load through the parsed cache (None without one).

    The manifest's bytes are read before anything is loaded from it: should it change during
    the load, the record names the older bytes and the next start loads in full.
    """
    if cache_path is None:
        return None
    try:
        manifest: bytes | None = (folder / MANIFEST_NAME).read_bytes()
    except FileNotFoundError:
        manifest = None
    except OSError:
        return None
    inputs = inputs_digest(READABLE if convert else (".txt",), manifest, listing)
    cache = ParsedCache(cache_path, partial(_reparse, convert=convert))
    return WarmStart(cache_path.with_suffix(".start"), inputs, cache)
