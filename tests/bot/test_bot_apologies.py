"""Issue 21 item 7: an unexpected failure is worded by what failed, never the generic line for
an upload, an admin command or a library button."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import Update

from qa_bot.apologies import (
    ADMIN_FAILED,
    APOLOGY,
    LIBRARY_BUTTON_FAILED,
    UPLOAD_FAILED,
    apology_for,
)

CHAT = {"id": 7001, "type": "private", "first_name": "李"}
USER = {"id": 7001, "is_bot": False, "first_name": "李"}


def _message(**fields: Any) -> dict[str, Any]:
    return {"message_id": 5, "date": 0, "chat": CHAT, "from": USER, **fields}


DOCUMENT = {"file_id": "f", "file_unique_id": "u", "file_name": "总结.docx"}
CASES = [
    ({"message": _message(document=DOCUMENT)}, UPLOAD_FAILED),
    ({"message": _message(text="/add")}, UPLOAD_FAILED),
    ({"message": _message(text="/reload@dangjian_bot")}, ADMIN_FAILED),
    ({"message": _message(text="/remove 005")}, ADMIN_FAILED),
    ({"message": _message(text="/stats 30")}, ADMIN_FAILED),
    ({"callback_query": {"id": "1", "from": USER, "chat_instance": "c", "data": "L:abc:ok"}},
     LIBRARY_BUTTON_FAILED),
    ({"callback_query": {"id": "1", "from": USER, "chat_instance": "c", "data": "R:abc:ok"}},
     LIBRARY_BUTTON_FAILED),
    ({"message": _message(text="今年发展了多少党员")}, APOLOGY),
    ({"message": _message(text="/ask 今年发展了多少党员")}, APOLOGY),
]


@pytest.mark.parametrize(("data", "line"), CASES, ids=[str(i) for i in range(len(CASES))])
def test_each_kind_of_update_gets_its_own_line(data: dict[str, Any], line: str) -> None:
    update = Update.de_json({"update_id": 1, **data}, None)
    assert update is not None and apology_for(update) == line


def test_no_upload_or_admin_line_is_the_generic_one() -> None:
    assert "处理您的请求时出错了" not in UPLOAD_FAILED + ADMIN_FAILED + LIBRARY_BUTTON_FAILED
