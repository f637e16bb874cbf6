"""Upload previews waiting for 确认收录, kept in the store so a restart does not drop them.

A row holds the uploaded file as sent and the title, unit and year as last corrected; the
preview is rebuilt from them (``qa.convert`` + ``qa.preview``), exactly as it was shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from .db import Store
from .records import now_iso

# An upload nobody confirmed within this long is forgotten at the next start.
KEEP = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class PendingRow:
    """One waiting upload: where its preview is, who sent it, the file and its metadata."""

    token: str
    chat_id: int
    message_id: int
    user_id: int
    added_by: str
    file_name: str
    data: bytes
    title: str
    unit: str
    year: str
    replace_id: str = ""
    confirmed: bool = False  # 确认收录 was pressed: a restart finishes the confirm
    confirm_attempts: int = 0  # how many times the confirm was started


async def save(store: Store, row: PendingRow) -> None:
    """Keep a new waiting upload, its file included."""
    await store.db.execute(
        "INSERT OR REPLACE INTO pending_uploads (token, chat_id, message_id, user_id, added_by,"
        " file_name, data, title, unit, year, replace_id, created_at)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (row.token, row.chat_id, row.message_id, row.user_id, row.added_by, row.file_name,
         row.data, row.title, row.unit, row.year, row.replace_id, now_iso()))
    if store.db.in_transaction:
        await store.db.commit()


async def revise(store: Store, token: str, title: str, unit: str, year: str,
                 replace_id: str) -> None:
    """Keep a waiting upload's corrected title/unit/year and replace choice (not the file again)."""
    await store.db.execute(
        "UPDATE pending_uploads SET title = ?, unit = ?, year = ?, replace_id = ? WHERE token = ?",
        (title, unit, year, replace_id, token))
    if store.db.in_transaction:
        await store.db.commit()


async def confirm(store: Store, token: str, replace_id: str) -> None:
    """Record durably that 确认收录 was pressed (with the replace choice), before any work."""
    await store.db.execute(
        "UPDATE pending_uploads SET confirmed_at = ?, replace_id = ?,"
        " confirm_attempts = confirm_attempts + 1 WHERE token = ?",
        (now_iso(), replace_id, token))
    if store.db.in_transaction:
        await store.db.commit()


async def retry(store: Store, token: str) -> None:
    """Count one more start of a confirm a restart cut off, before it is started again."""
    await store.db.execute(
        "UPDATE pending_uploads SET confirm_attempts = confirm_attempts + 1 WHERE token = ?",
        (token,))
    if store.db.in_transaction:
        await store.db.commit()


async def drop(store: Store, token: str) -> None:
    """Forget a waiting upload (confirmed, cancelled or pushed out)."""
    await store.db.execute("DELETE FROM pending_uploads WHERE token = ?", (token,))
    if store.db.in_transaction:
        await store.db.commit()


async def waiting(store: Store, now: datetime, limit: int) -> list[PendingRow]:
    """Return the uploads still waiting (newest ``limit``, oldest first); drop expired ones."""
    cutoff = (now - KEEP).isoformat(timespec="milliseconds")
    await store.db.execute("DELETE FROM pending_uploads WHERE created_at < ?", (cutoff,))
    if store.db.in_transaction:
        await store.db.commit()
    async with store.db.execute(
        "SELECT token, chat_id, message_id, user_id, added_by, file_name, data, title, unit,"
        " year, replace_id, confirmed_at IS NOT NULL, confirm_attempts FROM pending_uploads"
        " ORDER BY created_at DESC LIMIT ?", (limit,),
    ) as cursor:
        rows = await cursor.fetchall()
    return [PendingRow(str(r[0]), int(r[1]), int(r[2]), int(r[3]), str(r[4]), str(r[5]),
                       bytes(r[6]), str(r[7]), str(r[8]), str(r[9]), str(r[10]), bool(r[11]),
                       int(r[12]))
            for r in reversed(list(rows))]
