"""A lean PTB request class over aiohttp: the Bot API calls without httpx's per-request cost.

PTB's default HTTPXRequest spends more CPU per call than the whole question engine: httpcore
checks every pooled socket with getpeername()/poll() on each request, and the body is
form-encoded (percent-escaping every byte of a Chinese answer). This class keeps PTB's
contract (``do_request`` returns status and body; PTB maps statuses to its errors) but posts
JSON bodies over aiohttp's keep-alive pool, through an HTTP(S) proxy if one is given (aiohttp
speaks no SOCKS).
"""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

MEDIA_WRITE_TIMEOUT = 20.0  # PTB's default for calls that upload files
_TOKEN_IN_TEXT = re.compile(r"bot\d+:[A-Za-z0-9_-]+")
# PTB passes DEFAULT_NONE for "use the default"; it is a DefaultValue instance.
_DefaultValue = type(BaseRequest.DEFAULT_NONE)


def redact(text: str) -> str:
    """Replace a bot token inside an error text (aiohttp may quote the URL)."""
    return _TOKEN_IN_TEXT.sub("bot<token>", text)


def json_body(request_data: RequestData) -> bytes:
    """Encode the call's parameters as one JSON object (Telegram accepts application/json)."""
    return json.dumps(request_data.parameters, ensure_ascii=False,
                      separators=(",", ":")).encode()


def form_with_files(request_data: RequestData) -> aiohttp.FormData:
    """Build a multipart body: JSON-encoded parameters plus the files to upload."""
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form


class MaybeSent:
    """Marks a failure after the call went out: Telegram may have carried it out anyway.

    Sending such a call again (a new message) may show it twice; see bot/send.py.
    """


class SentTimedOut(MaybeSent, TimedOut):
    """The call was sent, but no reply came in time."""


class SentNetworkError(MaybeSent, NetworkError):
    """The connection broke after the call was sent."""


class AiohttpRequest(BaseRequest):
    """PTB ``BaseRequest`` backed by one ``aiohttp.ClientSession`` per instance."""

    __slots__ = ("_connect", "_pool", "_pool_size", "_proxy", "_read", "_session", "_write")

    def __init__(self, connection_pool_size: int = 8, read_timeout: float | None = 5.0,
                 write_timeout: float | None = 5.0, connect_timeout: float | None = 5.0,
                 pool_timeout: float | None = 1.0, proxy: str = "") -> None:
        self._pool_size = connection_pool_size
        self._proxy = proxy or None
        self._read = read_timeout
        self._write = write_timeout
        self._connect = connect_timeout
        self._pool = pool_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        """Return the default read timeout (PTB adds it to getUpdates' long-poll timeout)."""
        return self._read

    async def initialize(self) -> None:
        """Open the session (it must be created inside the running event loop)."""
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size, limit_per_host=0)
            # The proxy is explicit (Settings reads it from .env too), not from os.environ.
            self._session = aiohttp.ClientSession(
                connector=connector, headers={"User-Agent": self.USER_AGENT})

    async def shutdown(self) -> None:
        """Close the session and its pooled connections."""
        if self._session is not None and not self._session.closed:
            await self._session.close()

    def _timeout(self, read: Any, write: Any, connect: Any, pool: Any,
                 uploads: bool) -> aiohttp.ClientTimeout:
        """Map PTB's four timeouts onto aiohttp's (which has no separate write timeout)."""
        read = self._read if isinstance(read, _DefaultValue) else read
        write = (self._write if not uploads else MEDIA_WRITE_TIMEOUT) if isinstance(
            write, _DefaultValue) else write
        connect = self._connect if isinstance(connect, _DefaultValue) else connect
        pool = self._pool if isinstance(pool, _DefaultValue) else pool
        parts = (read, write, connect, pool)
        # The overall ceiling stands in for the write timeout: a stuck upload still ends.
        total = None if any(p is None for p in parts) else sum(parts)
        acquire = None if connect is None or pool is None else connect + pool
        return aiohttp.ClientTimeout(total=total, connect=acquire, sock_connect=connect,
                                     sock_read=read)

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send one Bot API call; return the HTTP status and the raw body."""
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        uploads = request_data is not None and request_data.contains_files
        data: bytes | aiohttp.FormData | None = None
        headers: dict[str, str] = {}
        if request_data is not None and uploads:
            data = form_with_files(request_data)
        elif request_data is not None:
            data = json_body(request_data)
            headers["Content-Type"] = "application/json"
        timeout = self._timeout(read_timeout, write_timeout, connect_timeout, pool_timeout,
                                uploads)
        try:
            async with self._session.request(method, url, data=data, headers=headers,
                                             timeout=timeout, proxy=self._proxy) as response:
                return response.status, await response.read()
        except aiohttp.ConnectionTimeoutError as err:  # no connection: the call never left
            raise TimedOut("Timed out connecting to Telegram") from err
        except (asyncio.TimeoutError, aiohttp.ServerTimeoutError) as err:
            raise SentTimedOut("Timed out waiting for Telegram's reply") from err
        except aiohttp.ClientConnectorError as err:
            raise NetworkError(_describe(err)) from err
        except aiohttp.ClientError as err:
            raise SentNetworkError(_describe(err)) from err


def _describe(err: Exception) -> str:
    return redact(f"aiohttp.{type(err).__name__}: {err}")
