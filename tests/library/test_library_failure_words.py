"""Issue 21 item 7: a folder that cannot be written is named 报告目录, never by its path."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.errors import LibraryWriteError
from qa.library import Library, preview_upload

TEXT = "第三党支部2024年党建工作总结\n一、主要工作\n全年组织集中学习12次，发展党员2名。\n"


def test_an_unwritable_folder_is_said_without_the_servers_path(tmp_path: Path) -> None:
    blocker = tmp_path / "不是目录"
    blocker.write_text("x", "utf-8")
    folder = blocker / "reports"  # under a file: every write fails
    with pytest.raises(LibraryWriteError) as caught:
        Library(folder).add(preview_upload(TEXT.encode(), "总结.txt"), "李书记")
    assert str(caught.value) == "无法写入报告目录：Not a directory"
    assert str(tmp_path) not in str(caught.value)
