"""A .docx checked as an archive before python-docx reads it: bounded parts, safe XML.

python-docx inflates every part into memory and parses the XML with lxml, so a small file can
ask for gigabytes (a repeated paragraph, an image part that inflates hugely, one giant text
node) or for entity expansion (billion laughs, external entities). Each part's declared size is
checked before anything is inflated, and its actual size while it is read in chunks; Word never
writes a DOCTYPE, so any XML part that declares one is refused.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePosixPath

from qa.errors import FileRefusedError

from .caps import MB, Caps

_CHUNK = 1 * MB
_XML_SUFFIXES = (".xml", ".rels")
_HINT = "请在 Word 或 WPS 中打开并另存为新的 .docx 后再发送"


def _refuse(name: str, code: str, reason: str, hint: str = _HINT) -> FileRefusedError:
    return FileRefusedError(name, code, reason, hint)


def unsafe_member(member: str) -> bool:
    """Tell whether a part name could point outside the archive (absolute, .., drive)."""
    if member.startswith(("/", "\\")) or "\\" in member or ":" in member.split("/")[0]:
        return True
    return ".." in PurePosixPath(member).parts or "\x00" in member


def check_archive(data: bytes, name: str, caps: Caps) -> None:
    """Refuse a .docx whose parts are too many, too big inflated, oddly named or unsafe XML."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            _check_listing(infos, name, caps)
            xml_total = 0
            for info in infos:
                if info.filename.lower().endswith(_XML_SUFFIXES):
                    size, paragraphs = _scan_xml(archive, info, name, caps.xml_bytes - xml_total)
                    xml_total += size
                    if info.filename == "word/document.xml" and paragraphs > caps.paragraphs:
                        raise _refuse(name, "too_many_paragraphs",
                                      f"Word 文档含有约 {paragraphs} 段，远超一份工作报告",
                                      "请检查是否发错了文件，或拆分后分别发送")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:
        raise _refuse(name, "damaged", "文件已损坏，或不是 Word 文档") from exc
    except NotImplementedError as exc:  # a compression method zipfile cannot read
        raise _refuse(name, "damaged", "Word 文档使用了无法读取的压缩方式") from exc


def _check_listing(infos: list[zipfile.ZipInfo], name: str, caps: Caps) -> None:
    if len(infos) > caps.members:
        raise _refuse(name, "too_many_parts",
                      f"Word 文档内部含有 {len(infos)} 个部件，远超正常文档（上限 {caps.members}）")
    bad = [i.filename for i in infos if unsafe_member(i.filename)]
    if bad:
        raise _refuse(name, "unsafe_names",
                      f"文件内部含有异常路径（{bad[0][:40]}），不是正常的 Word 文档",
                      "请检查文件来源，用 Word 或 WPS 另存为新的 .docx 后再发送")
    declared = sum(i.file_size for i in infos)
    if declared > caps.part_bytes:
        raise _too_big(name, declared)


def _too_big(name: str, size: int) -> FileRefusedError:
    return _refuse(name, "inflates_too_much",
                   f"Word 文档解压后约 {round(size / MB)} MB，远超正常报告（可能是压缩炸弹）",
                   "请删去图片、拆分文档，或另存为新的 .docx 后再发送")


def _wide(head: bytes) -> bool:
    # Word writes UTF-8; a UTF-16 part would hide a DOCTYPE from the byte scan below.
    return head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:64]


def _scan_xml(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, room: int
              ) -> tuple[int, int]:
    """Read one XML part in chunks, counting what it really inflates to; return its size and
    how many paragraphs (<w:p>) it holds."""
    if info.file_size > room:
        raise _too_big(name, info.file_size)
    size = paragraphs = 0
    tail = b""
    with archive.open(info) as part:
        while chunk := part.read(_CHUNK):
            size += len(chunk)
            if size > room:
                raise _too_big(name, size)
            if size == len(chunk) and _wide(chunk):
                raise _refuse(name, "damaged", "Word 文档的 XML 编码异常，不是 Word 写出的文件")
            window = tail + chunk
            if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
                raise _refuse(name, "xml_entities",
                              "Word 文档中含有 XML 实体声明（DOCTYPE/ENTITY），正常文档不会有",
                              "请检查文件来源，用 Word 或 WPS 另存为新的 .docx 后再发送")
            paragraphs += _paragraphs(window) - _paragraphs(tail)
            tail = chunk[-16:]
    return size, paragraphs


def _paragraphs(xml: bytes) -> int:
    return xml.count(b"<w:p>") + xml.count(b"<w:p ")
