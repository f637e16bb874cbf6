"""Uploaded bytes + file name → the report's plain text, or a refusal that says what to do.

Accepted: ``.txt`` (UTF-8 with or without BOM, GBK/GB18030, UTF-16), ``.docx`` (automatic list
numbering and heading styles rendered as numbered headings, see qa/docxtext.py) and ``.pdf``
with a text layer (pypdf). The file's bytes are sniffed before its name is trusted: a
renamed ``.doc`` or an image called ``.txt`` gets the reason that fits what it really is.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from qa.errors import FileRefusedError, ReportReadError
from qa.reports import decode_bytes

from .archive import check_archive
from .caps import DEFAULT_CAPS, Caps

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ACCEPTED = (".txt", ".docx", ".pdf")
HINT_FORMATS = "请发送 .docx、.txt 或带文字的 .pdf"
_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00", b"MM\x00*", b"RIFF")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGE_EXT = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".heic"}
_SHEET_EXT = {".xls", ".xlsx", ".xlsm", ".et", ".csv", ".ods", ".numbers"}


@dataclass(frozen=True, slots=True)
class Converted:
    """An accepted upload: its name, format, the report text and the original bytes."""

    name: str
    fmt: str  # "txt", "docx" or "pdf"
    text: str
    data: bytes
    removed_lines: int = 0  # page numbers and running headers dropped from a PDF


# code → (reason, what to do): the one-line answers a refused upload gets.
REFUSALS: dict[str, tuple[str, str]] = {
    "too_large": ("文件超过 10 MB", "请删去图片或拆分后再发送"),
    "empty": ("文件是空的，没有文字", "请检查后重新发送"),
    "wps": ("WPS 文字格式（.wps）无法读取", "请在 WPS 中另存为 .docx 后再发送"),
    "doc": ("旧版 Word 格式（.doc）无法读取", "请在 Word 或 WPS 中另存为 .docx 后再发送"),
    "image": ("这是图片，无法识别其中的文字", HINT_FORMATS),
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
    if ext == ".wps":
        return _refuse(name, "wps")
    if data.startswith(_OLE_MAGIC) or ext == ".doc":
        return _refuse(name, "spreadsheet" if ext in _SHEET_EXT else "doc")
    if data.startswith(_IMAGE_MAGIC) or ext in _IMAGE_EXT:
        return _refuse(name, "image")
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


def convert_file(data: bytes, name: str, caps: Caps = DEFAULT_CAPS) -> Converted:
    """Convert an uploaded file to report text; raise FileRefusedError with reason and hint.

    ``caps`` bound the work (inflated sizes, pages, text); run it through
    ``qa.library.sandbox`` when the file comes from someone else.
    """
    refusal = sniff_refusal(data, name)
    if refusal is not None:
        raise refusal
    if data.startswith(b"%PDF"):
        # pypdf and python-docx cost ≈0.25 s to import; only an upload needs them.
        from .pdf import pdf_text

        text, removed = pdf_text(data, name, caps)
        return Converted(name, "pdf", text, data, removed)
    if data.startswith(b"PK\x03\x04"):
        return Converted(name, "docx", _docx_text(data, name, caps), data)
    if PurePath(name).suffix.lower() != ".txt":
        raise _refuse(name, "damaged")
    try:
        text = decode_bytes(data, name)
    except ReportReadError as exc:
        raise _refuse(name, "binary") from exc
    return Converted(name, "txt", _require_text(text, name), data)


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
