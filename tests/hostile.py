"""Hostile uploads built small in the test: bombs compress to a few hundred KB at most."""

from __future__ import annotations

import io
import os
import time
import zipfile
import zlib

from qa.documents import Caps
from qa.library import Preview, preview_upload
from tests.uploads import make_docx

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
BODY_ROWS = [("Title", None, "第三党支部2024年党建工作总结"),
             ("Normal", None, "全年组织集中学习12次，组织党员开展红色观影活动7次。")]


def _replace_parts(parts: dict[str, bytes | tuple[bytes, bytes, int, bytes]]) -> bytes:
    """Return a real .docx with some parts replaced; a (head, chunk, n, tail) part is chunk
    repeated n times, written in a stream, so a part of hundreds of MB never sits in memory."""
    base = zipfile.ZipFile(io.BytesIO(make_docx(BODY_ROWS)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for info in base.infolist():
            if info.filename not in parts:
                archive.writestr(info.filename, base.read(info.filename))
        for name, content in parts.items():
            if isinstance(content, bytes):
                archive.writestr(name, content)
                continue
            head, chunk, times, tail = content
            with archive.open(name, "w", force_zip64=True) as part:
                part.write(head)
                for _ in range(times):
                    part.write(chunk)
                part.write(tail)
    return out.getvalue()


def document_xml(body: str, prolog: str = "") -> bytes:
    """Return a document.xml around ``body`` (paragraph XML) after an optional prolog."""
    return (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<w:document {W_NS}><w:body>'
            f"{body}</w:body></w:document>").encode()


def paragraph_bomb(megabytes: int = 60) -> bytes:
    """A .docx whose document.xml repeats one paragraph to ``megabytes`` MB inflated."""
    para = "<w:p><w:r><w:t>全年组织集中学习12次。</w:t></w:r></w:p>".encode()
    head, tail = document_xml("|").split(b"|")
    repeat = (megabytes * 1024 * 1024) // len(para) // 1000
    return _replace_parts({"word/document.xml": (head, para * 1000, repeat, tail)})


def image_bomb(megabytes: int = 120) -> bytes:
    """A .docx with an image part of ``megabytes`` MB of zeros inflated."""
    return _replace_parts({"word/media/image1.png": (b"", b"\0" * 1024 * 1024, megabytes, b"")})


def huge_text_node(megabytes: int = 12) -> bytes:
    """A .docx whose document.xml is one text node above lxml's 10 MB node limit."""
    text = "党" * (megabytes * 1024 * 1024 // 3)
    return _replace_parts({"word/document.xml": document_xml(f"<w:p><w:r><w:t>{text}</w:t>"
                                                            "</w:r></w:p>")})


def billion_laughs() -> bytes:
    """A .docx whose document.xml declares nested entities (billion laughs)."""
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10))
    prolog = f"<!DOCTYPE w:document [{entities}]>"
    return _replace_parts({"word/document.xml": document_xml(
        "<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>", prolog)})


def external_entity() -> bytes:
    """A .docx whose document.xml pulls in a local file through an external entity."""
    prolog = '<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    return _replace_parts({"word/document.xml": document_xml(
        "<w:p><w:r><w:t>&x;</w:t></w:r></w:p>", prolog)})


def traversal_names() -> bytes:
    """A .docx with a part named to escape the folder it would be unpacked into."""
    return _replace_parts({"../../etc/cron.d/evil": b"* * * * * root true\n"})


def _pdf(objects: list[bytes]) -> bytes:
    """Return a PDF of ``objects`` (object 1 the catalog) with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % at for at in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, xref))
    return out.getvalue()


def _stream(data: bytes) -> bytes:
    packed = zlib.compress(data, 1)
    return (b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed
            + b"\nendstream")


def pages_pdf(pages: int, content: bytes) -> bytes:
    """A PDF of ``pages`` pages all drawing the same content stream (object 3)."""
    kids = b" ".join(b"%d 0 R" % (4 + i) for i in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
               _stream(content)]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"
                for _ in range(pages)]
    return _pdf(objects)


def stream_bomb(megabytes: int = 80) -> bytes:
    """A one-page PDF whose content stream inflates to ``megabytes`` MB of spaces."""
    return pages_pdf(1, b" " * (megabytes * 1024 * 1024))


def shared_stream(pages: int = 40, megabytes: int = 25) -> bytes:
    """A small PDF of ``pages`` pages sharing one content stream of ``megabytes`` MB."""
    return pages_pdf(pages, b" " * (megabytes * 1024 * 1024))


def encrypted_pdf() -> bytes:
    """A text PDF protected by a user password."""
    from pypdf import PdfReader, PdfWriter

    from tests.uploads import make_pdf

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf([["第三党支部工作总结"]]))))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def aes_pdf() -> bytes:
    """A PDF encrypted with AES-256 (R6) under an empty-looking password: pypdf needs the
    `cryptography` package for it, which the project does not install."""
    u, o, ue, oe = (bytes([n]) * size for n, size in ((1, 48), (2, 48), (3, 32), (4, 32)))
    encrypt = (b"<< /Filter /Standard /V 5 /R 6 /Length 256 /P -4 /StmF /StdCF /StrF /StdCF"
               b" /CF << /StdCF << /CFM /AESV3 /AuthEvent /DocOpen /Length 32 >> >>"
               b" /U <%s> /O <%s> /UE <%s> /OE <%s> /Perms <%s> >>"
               % (u.hex().encode(), o.hex().encode(), ue.hex().encode(), oe.hex().encode(),
                  (b"\5" * 16).hex().encode()))
    pdf = _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>", encrypt])
    file_id = b"<00112233445566778899aabbccddeeff>"
    return pdf.replace(b"/Root 1 0 R >>",
                       b"/Root 1 0 R /Encrypt 4 0 R /ID [%s %s] >>" % (file_id, file_id))


def hang(data: bytes, name: str, caps: Caps, progress: object = None) -> Preview:
    """A converter that never finishes (passed to preview_isolated as its job)."""
    time.sleep(3600)
    raise AssertionError("unreachable")


def hog(data: bytes, name: str, caps: Caps, progress: object = None) -> Preview:
    """A converter that asks for far more memory than the worker may have."""
    blocks = [bytearray(256 * 1024 * 1024) for _ in range(16)]
    raise AssertionError(f"allocated {len(blocks)} blocks")


def tell_niceness(data: bytes, name: str, caps: Caps, progress: object = None) -> Preview:
    """A converter that reports the CPU niceness it runs at, as the text of its preview."""
    text = (f"第三党支部2024年党建工作总结\n一、主要工作\n"
            f"全年组织集中学习12次，优先级{os.nice(0)}。\n")
    return preview_upload(text.encode(), name, caps)
