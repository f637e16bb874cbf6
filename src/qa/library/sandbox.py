"""Uploads converted in a child process with limits, never in the caller's process.

A hostile file (a .docx that inflates to gigabytes, a PDF stream bomb, a converter that never
ends) must cost a worker, not the bot: each upload is read, checked and previewed in a child
forked from a small spawned server (readers imported there once, so an upload costs a fork,
not an interpreter start; multiprocessing's own fork server ignores the caller's sys.path
before Python 3.12). The child gets an address-space allowance above what it
starts with, CPU seconds, a wall-clock deadline and a cap on what it may send back; whatever
kills it comes back as a FileRefusedError with its own code and Chinese reason and hint.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import multiprocessing
import os
import pickle
import resource
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from multiprocessing import reduction
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from qa.documents import DEFAULT_CAPS, Caps, Progress, check_plausible, convert_file
from qa.errors import FileRefusedError

from .preview import Preview, build_preview

logger = logging.getLogger(__name__)

# Imported once in the zygote; every worker forks with them already imported.
_PRELOAD = ("qa.documents.docx", "qa.documents.pdf", "docx", "pypdf")
MB = 1024 * 1024
_WARM = ("某支部2024年工作总结\n一、主要工作\n全年开展学习12次，发展党员2名。\n"
         "二、存在问题\n学习不够深入。\n")
_HINT_CHECK = "请检查文件，删去图片或拆分后，另存为新的 .docx 再发送"


@dataclass(frozen=True, slots=True)
class Limits:
    """What one conversion may cost; ``caps`` bound the readers inside the worker."""

    # Address space above the worker's own at start: onnxruntime (OCR of scans) reserves
    # ≈ 1.5 GB of it; a decompression bomb still dies long before it fills the machine.
    memory_bytes: int = 2560 * MB
    # A 30-page scan is read by OCR at 4–5 CPU seconds a page (bench/profile_ocr.py).
    cpu_seconds: int = 360
    wall_seconds: float = 480.0
    output_bytes: int = 32 * MB  # the pickled preview sent back
    # Added to the worker's niceness: an OCR keeps both cores busy for seconds a page, and a
    # question (milliseconds of CPU in the bot's process) should get a core first.
    niceness: int = 10
    caps: Caps = field(default_factory=lambda: DEFAULT_CAPS)


DEFAULT_LIMITS = Limits()
Job = Callable[[bytes, str, Caps, Progress | None], Preview]


def preview_upload(data: bytes, name: str, caps: Caps = DEFAULT_CAPS,
                   progress: Progress | None = None) -> Preview:
    """Convert, check and preview an upload in this process (the worker's job)."""
    converted = convert_file(data, name, caps, progress)
    check_plausible(converted.text, name, caps)
    return build_preview(converted)


def preview_isolated(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS,
                     job: Job = preview_upload, progress: Progress | None = None) -> Preview:
    """Run ``job`` on an upload in a limited child process; raise FileRefusedError.

    ``job`` must be importable by name (a module-level function); tests pass one that hangs.
    ``progress`` hears the child's (pages done, pages in all) while a scan is read.
    """
    with _LOCK:  # one conversion at a time: uploads are rare, and each may take a gigabyte
        receiver = _SERVER.submit((job, data, name, limits))
        try:
            preview = _receive(receiver, name, limits, progress)
        finally:
            receiver.close()
            exitcode = _SERVER.reap()
        if preview is None:
            raise _died(name, exitcode)
    return replace(preview, source=replace(preview.source, data=data))


def start_worker_server() -> None:
    """Start the conversion server now (≈ 1 s once), so the first upload does not wait."""
    with _LOCK:
        _SERVER.ensure_running()


class _Server:
    """The parent's side of the zygote: a spawned process that forks one child per upload.

    Spawned, not forked, so it shares nothing with the caller's memory and threads; it imports
    the readers once, so an upload costs a fork. Each upload gets its own pipe (its write end
    passed over the control socket), so a child killed mid-write corrupts nothing shared.
    """

    def __init__(self) -> None:
        self.control: Connection | None = None
        self.process: Any = None

    def ensure_running(self) -> Connection:
        if self.control is not None and self.process.is_alive():
            return self.control
        self.stop()
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe(duplex=True)
        self.process = context.Process(target=_serve, args=(theirs,), daemon=True,
                                       name="qa-convert")
        self.process.start()
        theirs.close()
        self.control = ours
        return ours

    def submit(self, request: tuple[Any, ...]) -> Connection:
        """Send one request with its own result pipe; return the pipe's reading end."""
        control = self.ensure_running()
        receiver, sender = multiprocessing.Pipe(duplex=False)
        try:
            control.send(request)
            reduction.send_handle(control, sender.fileno(), self.process.pid)
        except (EOFError, OSError) as exc:
            receiver.close()
            self.stop()
            raise FileRefusedError(str(request[2]), "worker_died", "转换进程意外退出",
                                   "请重新发送文件") from exc
        finally:
            sender.close()
        return receiver

    def kill_child(self) -> None:
        """Ask the zygote to kill the running child: only it may, as only it reaps the pid."""
        with contextlib.suppress(OSError, AttributeError):
            assert self.control is not None
            self.control.send("kill")

    def reap(self) -> int | None:
        """Return the exit code of the child just run (the zygote reports it)."""
        try:
            assert self.control is not None
            _, code = self.control.recv()
            return int(code)
        except (EOFError, OSError, AssertionError):
            self.stop()
            return None

    def stop(self) -> None:
        if self.control is not None:
            self.control.close()
        if self.process is not None:
            self.process.kill()
            self.process.join()
            self.process.close()
        self.control = self.process = None


_SERVER = _Server()
_LOCK = threading.Lock()


def _serve(control: Connection) -> None:
    """In the zygote: import the readers once, then fork a limited child per request."""
    for module in _PRELOAD:
        importlib.import_module(module)
    with contextlib.suppress(Exception):  # warm the parser's lazy tables once, not per fork
        preview_upload(_WARM.encode(), "warm.txt")
    while True:
        try:
            request = control.recv()
            if not isinstance(request, tuple):
                continue  # a kill that came after its child had ended
            job, data, name, limits = request
            fd = reduction.recv_handle(control)
        except (EOFError, OSError):
            return  # the caller is gone
        pid = os.fork()
        if pid == 0:
            control.close()
            code = 0
            try:
                _work(Connection(fd, readable=False), job, data, name, limits)
            except BaseException:  # noqa: B036 - a child must never return into the loop
                code = 1
            os._exit(code)
        os.close(fd)
        control.send(("exit", _wait_child(control, pid)))


def _wait_child(control: Connection, pid: int) -> int:
    """Wait for the child, killing it when the caller asks; return its exit code."""
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if control.poll(0.01):
            if control.recv() == "kill":
                os.kill(pid, signal.SIGKILL)


def _receive(receiver: Connection, name: str, limits: Limits,
             progress: Progress | None) -> Preview | None:
    """Return the child's preview, raise its refusal, or None when it died without a word."""
    deadline = time.monotonic() + limits.wall_seconds
    while True:
        if not receiver.poll(max(0.0, deadline - time.monotonic())):
            _SERVER.kill_child()
            logger.warning("Conversion of %r passed %.0f s; worker killed", name,
                           limits.wall_seconds)
            raise FileRefusedError(name, "timeout",
                                   f"处理超时（超过 {limits.wall_seconds:.0f} 秒）", _HINT_CHECK)
        try:
            kind, value = pickle.loads(receiver.recv_bytes(limits.output_bytes))
        except EOFError:
            return None
        except OSError:  # longer than output_bytes
            raise FileRefusedError(name, "too_much_text", "转换出的内容过大，远超一份工作报告",
                                   "请检查是否发错了文件，或拆分后分别发送") from None
        if kind != "progress":
            break
        if progress is not None:
            progress(*value)
    if kind == "refused":
        raise FileRefusedError(*value)
    if kind == "failed":
        logger.warning("Conversion of %r failed in the worker: %s", name, value)
        raise FileRefusedError(name, "unreadable", "文件格式异常，无法读取",
                               "请在 Word 或 WPS 中另存为新的 .docx 后再发送")
    assert isinstance(value, Preview)
    return value


def _died(name: str, exitcode: int | None) -> FileRefusedError:
    """Name what ended a worker that sent nothing back (a signal from a limit, mostly)."""
    logger.warning("Conversion worker for %r ended with exit code %s", name, exitcode)
    if exitcode == -signal.SIGXCPU:
        return FileRefusedError(name, "timeout", "处理时间超过上限，文件可能过于复杂或已损坏",
                                _HINT_CHECK)
    return FileRefusedError(*_memory(name))


def _work(sender: Connection, job: Job, data: bytes, name: str, limits: Limits) -> None:
    """In the child: set the limits, run the job, send back one pickled outcome."""
    _limit(limits)
    try:
        def report(done: int, total: int) -> None:  # pages read so far, to the parent
            sender.send_bytes(pickle.dumps(("progress", (done, total))))

        outcome = _outcome(job, data, name, limits, report)
        payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        payload = pickle.dumps(("refused", _memory(name)))
    with contextlib.suppress(OSError):
        sender.send_bytes(payload)
    sender.close()


def _outcome(job: Job, data: bytes, name: str, limits: Limits,
             progress: Progress) -> tuple[str, Any]:
    try:
        preview = job(data, name, limits.caps, progress)
        return "ok", replace(preview, source=replace(preview.source, data=b""))
    except FileRefusedError as exc:
        return "refused", (exc.name, exc.code, exc.reason, exc.hint)
    except MemoryError:
        return "refused", _memory(name)
    except RecursionError:
        return "refused", (name, "damaged", "文件结构嵌套过深，无法读取", _HINT_CHECK)
    except Exception as exc:  # noqa: BLE001 - any reader's failure is this file's fault
        return "failed", f"{type(exc).__name__}: {exc}"[:300]


def _memory(name: str) -> tuple[str, str, str, str]:
    return (name, "worker_died", "处理这个文件时超出了内存上限（解压后过大，可能是压缩炸弹）",
            _HINT_CHECK)


def _limit(limits: Limits) -> None:
    """Bound the child: address space above its size now, CPU seconds, no core files, and a
    lower CPU priority than the caller's."""
    statm = Path("/proc/self/statm")
    pages = int(statm.read_text().split()[0]) if statm.exists() else 0
    _lower(resource.RLIMIT_AS, pages * resource.getpagesize() + limits.memory_bytes)
    _lower(resource.RLIMIT_CPU, limits.cpu_seconds)
    _lower(resource.RLIMIT_CORE, 0)
    if limits.niceness:
        os.nice(limits.niceness)


def _lower(which: int, soft: int) -> None:
    _, hard = resource.getrlimit(which)
    resource.setrlimit(which, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))
