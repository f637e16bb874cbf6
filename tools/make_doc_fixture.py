"""Write tests/fixtures/report.doc (and report.wps, the same bytes): a real Word 97 file.

A .docx with numbered headings, a figures table and a picture is built with python-docx and
saved as Word 97 by LibreOffice (``soffice --headless --convert-to doc``), as an office would
save it. Needs LibreOffice Writer (Debian: libreoffice-writer-nogui) only to (re)make the file;
the tests read the committed bytes.

    python tools/make_doc_fixture.py
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import docx
from docx.shared import Cm
from PIL import Image, ImageDraw

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"
PARAGRAPHS = (
    "城东街道第二党支部2024年党建工作总结",
    "2024年，城东街道第二党支部在街道党工委的领导下，坚持以党建引领基层治理，各项工作取得新进展。",
    "一、主要工作情况",
    "（一）加强理论武装",
    "全年组织集中学习16次，开展“三会一课”48次，组织党员赴红色教育基地参观学习3次。",
    "（二）夯实组织基础",
    "严格发展党员程序，全年发展党员5名，转正预备党员3名。开展社区志愿服务活动26次，服务群众1200余人次。",
    "二、存在的问题",
    "一是理论学习的深度还不够。二是服务群众的方式较为单一。",
    "三、2025年工作计划",
    "持续深化“红色楼栋”建设，计划新建党员示范岗10个。",
)
TABLE_AFTER = 7  # the table closes section （二）
TABLE = (("指标", "数量"), ("走访困难群众", "85户"), ("调解邻里纠纷", "14件"))


def build_docx() -> bytes:
    """Return the report as .docx: paragraphs, a two-column table and a small picture."""
    document = docx.Document()
    for text in PARAGRAPHS[:TABLE_AFTER]:
        document.add_paragraph(text)
    table = document.add_table(rows=0, cols=2)
    for left, right in TABLE:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = left, right
    for text in PARAGRAPHS[TABLE_AFTER:]:
        document.add_paragraph(text)
    picture = Image.new("RGB", (120, 80), "white")
    ImageDraw.Draw(picture).rectangle((10, 10, 110, 70), outline="red", width=4)
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    document.add_picture(io.BytesIO(buffer.getvalue()), width=Cm(3))
    document.add_paragraph("图1 支部活动照片")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def main() -> int:
    """Build the .docx, convert it with LibreOffice, copy it as report.doc and report.wps."""
    soffice = shutil.which("soffice")
    if soffice is None:
        print("需要 LibreOffice（soffice）", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "report.docx"
        source.write_bytes(build_docx())
        subprocess.run([soffice, "--headless", "--convert-to", "doc", "--outdir", tmp,
                        str(source)], check=True, capture_output=True, timeout=120)
        data = (Path(tmp) / "report.doc").read_bytes()
    FIXTURES.mkdir(parents=True, exist_ok=True)
    (FIXTURES / "report.doc").write_bytes(data)
    (FIXTURES / "report.wps").write_bytes(data)
    print(f"report.doc / report.wps: {len(data)} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
