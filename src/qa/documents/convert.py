"""Uploaded bytes + file name → the report's plain text, or a refusal that says what to do.

Accepted: ``.txt`` (UTF-8 with or without BOM, GBK/GB18030, UTF-16), ``.docx`` (automatic list
numbering and heading styles rendered as numbered headings, see documents/docx.py), ``.doc`` and
WPS ``.wps`` (Word binary, documents/doc.py), ``.pdf`` with a text layer (pypdf) or scanned
(OCR, documents/ocr.py), and photos of pages (png/jpg…, OCR). The file's bytes are sniffed
before its name is trusted: a .docx named .doc is read as a .docx, a spreadsheet saved as .doc
is refused as one. Table rows become 「指标：值」 lines (documents/tablerows.py) and every text has
its look-alike code points folded and control characters dropped (qa/language/lookalike.py).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import PurePath

from qa.errors import FileRefusedError, ReportReadError
from qa.language import clean_code_points
from qa.reports import decode_bytes

from .archive import check_archive
from .caps import DEFAULT_CAPS, Caps

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ACCEPTED = (".txt", ".docx", ".doc", ".wps", ".pdf", ".png", ".jpg", ".jpeg", ".bmp", ".tif",
            ".tiff", ".webp")
HINT_FORMATS = "请发送 .docx、.doc、.wps、.txt、.pdf 或页面照片"
_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00", b"MM\x00*", b"RIFF")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGE_EXT = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".heic"}
_WORD_EXT = {".doc", ".wps"}
Progress = Callable[[int, int], None]  # OCR: (pages done, pages in all)
_SHEET_EXT = {".xls", ".xlsx", ".xlsm", ".et", ".csv", ".ods", ".numbers"}


@dataclass(frozen=True, slots=True)
class Converted:
    """An accepted upload: its name, format, the report text and the original bytes."""

    name: str
    fmt: str  # "txt", "docx", "doc", "pdf", "scan" (an OCR'd PDF) or "image"
    text: str
    data: bytes
    removed_lines: int = 0  # page numbers and running headers dropped from a PDF


# code → (reason, what to do): the one-line answers a refused upload gets.
REFUSALS: dict[str, tuple[str, str]] = {
    "too_large": ("文件超过 10 MB", "请删去图片或拆分后再发送"),
    "empty": ("文件是空的，没有文字", "请检查后重新发送"),
    "not_word": ("这是 Office 文件，但不是 Word/WPS 文字文档", HINT_FORMATS),
    "image": ("图片中没有识别出文字", "请拍清楚整页后重新发送，或发送 .docx"),
    "scanned_pdf": ("扫描件中没有识别出文字", "请发送更清晰的扫描件，或原始的 .docx"),
    "spreadsheet": ("这是表格文件，不是报告", HINT_FORMATS),
    "binary": ("不是文本文件，或编码无法识别", "请另存为 UTF-8 编码的 .txt，或发送 .docx"),
    "damaged": ("文件已损坏，或与扩展名不符", "请在 Word 中重新另存为 .docx 后再发送"),
    "xml_invalid": ("Word 文档的内容结构异常（如一段超长的文字），无法读取",
                    "请在 Word 或 WPS 中打开并另存为新的 .docx 后再发送"),
}


def _refuse(name: str, code: str, reason: str = "") -> FileRefusedError:
    default_reason, hint = REFUSALS.get(code, ("", HINT_FORMATS))
    return FileRefusedError(name, code, reason or default_reason, hint)


def sniff_refusal(data: bytes, name: str) -> FileRefusedError | None:
    """Return why a file cannot be a report judged by its size, bytes and name, or None."""
    ext = PurePath(name).suffix.lower()
    if len(data) > MAX_UPLOAD_BYTES:
        return _refuse(name, "too_large")
    if not data.strip():
        return _refuse(name, "empty")
    if data.startswith(_OLE_MAGIC):
        if ext in _SHEET_EXT:
            return _refuse(name, "spreadsheet")
        from .doc import ole_kind

        kind = ole_kind(data)
        if kind == "damaged":
            return _refuse(name, "damaged", "文件已损坏，无法读取")
        return None if kind == "word" else _refuse(name, "not_word")
    if ext in _WORD_EXT and not data.startswith(b"PK\x03\x04"):
        return _refuse(name, "damaged", "文件已损坏，或不是 Word/WPS 文字文档")
    if data.startswith(_IMAGE_MAGIC):
        return None
    if ext in _IMAGE_EXT:
        return _refuse(name, "damaged", "图片已损坏，或与扩展名不符")
    if ext in _SHEET_EXT or _zip_has(data, "xl/"):
        return _refuse(name, "spreadsheet")
    if ext not in ACCEPTED and not data.startswith(b"%PDF"):
        return _refuse(name, "unsupported", f"不支持 {ext or '无扩展名的'} 文件")
    return None


def _zip_has(data: bytes, prefix: str) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return any(n.startswith(prefix) for n in archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return False


def convert_file(data: bytes, name: str, caps: Caps = DEFAULT_CAPS,
                 progress: Progress | None = None) -> Converted:
    """Convert an uploaded file to report text; raise FileRefusedError with reason and hint.

    ``caps`` bound the work (inflated sizes, pages, text); run it through
    ``qa.library.sandbox`` when the file comes from someone else. ``progress`` hears
    (pages done, pages in all) while a scan is recognised (OCR).
    """
    refusal = sniff_refusal(data, name)
    if refusal is not None:
        raise refusal
    converted = _convert(data, name, caps, progress)
    # Look-alike radicals and NUL in a text layer: folded once here, so the stored text
    # reads the same as what users type and loads again (qa/language/lookalike.py).
    return replace(converted, text=_require_text(clean_code_points(converted.text), name))


def _convert(data: bytes, name: str, caps: Caps, progress: Progress | None) -> Converted:
    if data.startswith(b"%PDF"):
        return _pdf(data, name, caps, progress)
    if data.startswith(b"PK\x03\x04"):
        return Converted(name, "docx", _docx_text(data, name, caps), data)
    if data.startswith(_OLE_MAGIC):
        from .doc import doc_text

        return Converted(name, "doc", doc_text(data, name), data)
    if data.startswith(_IMAGE_MAGIC):
        from .ocr import ocr_image

        lines = ocr_image(data, name)
        if not lines:
            raise _refuse(name, "image")
        return Converted(name, "image", "\n".join(lines), data)
    if PurePath(name).suffix.lower() != ".txt":
        raise _refuse(name, "damaged")
    try:
        text = decode_bytes(data, name)
    except ReportReadError as exc:
        raise _refuse(name, "binary") from exc
    return Converted(name, "txt", _require_text(text, name), data)


def _pdf(data: bytes, name: str, caps: Caps, progress: Progress | None) -> Converted:
    """Read a PDF's text layer; a scan (no text layer) goes through OCR instead."""
    # pypdf and python-docx cost ≈0.25 s to import; only an upload needs them.
    from .pdf import join_pdf_lines, pdf_pages
    from .tablerows import spaced_table_lines

    fmt = "pdf"
    try:
        pages = pdf_pages(data, name, caps)
    except FileRefusedError as exc:
        if exc.code != "scanned_pdf":
            raise
        from .ocr import ocr_pdf

        pages, fmt = ocr_pdf(data, name, progress), "scan"
        if not any(pages):
            raise _refuse(name, "scanned_pdf") from exc
    # Table rows printed as spaced cells become 「指标：值」 lines before lines are joined.
    text, removed = join_pdf_lines([spaced_table_lines(page) for page in pages])
    return Converted(name, fmt, text, data, removed)


def _require_text(text: str, name: str) -> str:
    if not text.strip():
        raise _refuse(name, "empty")
    return text


def _docx_text(data: bytes, name: str, caps: Caps) -> str:
    if not _zip_has(data, "word/document.xml"):
        raise _refuse(name, "damaged", "文件已损坏，或不是 Word 文档")
    check_archive(data, name, caps)  # bounded parts and safe XML before python-docx inflates
    from lxml.etree import XMLSyntaxError

    from .docx import docx_lines

    try:
        lines = docx_lines(data)
    except XMLSyntaxError as exc:  # e.g. one text node beyond lxml's 10 MB without huge_tree
        raise _refuse(name, "xml_invalid") from exc
    except (ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise _refuse(name, "damaged", "Word 文档已损坏，无法读取") from exc
    return _require_text("\n".join(lines), name)


def document_text(name: str, data: bytes) -> str:
    """Return the report text of a document found in a reports folder (qa.reports.load_reports).

    The same conversion as an upload; a refusal becomes the loader's ReportReadError, so the
    file is named among the skipped ones with its reason and what to do.
    """
    try:
        return convert_file(data, name).text
    except FileRefusedError as exc:
        raise ReportReadError(f"{exc}（{exc.hint}）" if exc.hint else str(exc)) from exc
