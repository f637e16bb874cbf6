"""Run the fake Bot API in its own process, driven over a small JSON control port.

The fake plays Telegram's servers and users, so a benchmark must not charge its CPU (HTML
validation, JSON, HTTP) to the bot: ``python -m tests.fakebot.serve`` prints one JSON line
``{"api": <port>, "control": <port>}`` and serves until its stdin closes. The control port
runs whole scenarios inside this process, so every timestamp is taken on the fake's side.
``RemoteFake`` starts and drives such a process from the benchmark.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import Any

import tornado.httpserver
import tornado.netutil
import tornado.web

from .fairness import run_fairness
from .server import Call, FakeTelegram
from .updates import private_chat, user

ROOT = Path(__file__).resolve().parents[2]


class Scenario:
    """Questions from many private users; count the answers that come back for them."""

    def __init__(self, fake: FakeTelegram, spec: dict[str, Any]) -> None:
        self.fake = fake
        self.questions: list[str] = spec["questions"]
        self.first_user: int = spec.get("first_user", 50_000)
        self.users: int = spec.get("users", 100)
        # Replies starting with these (flood notice, apology) are not answers.
        self.not_answers: tuple[str, ...] = tuple(spec.get("not_answers", ()))
        self.pending: dict[tuple[int, int], int] = {}  # question message → update_id
        self.answered: list[tuple[int, Call]] = []
        self.other: list[Call] = []
        self._seen = fake.mark()

    def ask(self, i: int) -> None:
        """Push question number i from user number i % users."""
        person = user(self.first_user + i % self.users)
        message = self.fake.send_text(private_chat(person), person,
                                      self.questions[i % len(self.questions)])
        self.pending[(message["chat"]["id"], message["message_id"])] = max(self.fake.pushed_at)

    def _question_for(self, call: Call) -> tuple[int, int] | None:
        """Return the pending question a sendMessage answers, if it answers one."""
        text = str(call.params.get("text", ""))
        if call.method != "sendMessage" or call.status != 200 or text.startswith(
                self.not_answers):
            return None
        chat_id = int(call.params.get("chat_id", 0))
        reply = call.params.get("reply_parameters") or {}
        if "message_id" in reply:
            key = (chat_id, int(reply["message_id"]))
            return key if key in self.pending else None
        # In a private chat the bot answers without quoting: the chat's oldest open question.
        return min((k for k in self.pending if k[0] == chat_id), default=None)

    def _scan(self) -> None:
        for call in self.fake.calls[self._seen:]:
            key = self._question_for(call)
            if key is not None:
                self.answered.append((self.pending.pop(key), call))
            elif call.method != "getUpdates":
                self.other.append(call)
        self._seen = len(self.fake.calls)

    async def wait_answers(self, count: int, timeout: float) -> None:
        """Wait until ``count`` questions of this scenario have been answered."""
        async def ready() -> None:
            async with self.fake._changed:
                while True:
                    self._scan()
                    if len(self.answered) >= count:
                        return
                    await self.fake._changed.wait()
        try:
            await asyncio.wait_for(ready(), timeout)
        except TimeoutError:
            pass  # reported as fewer answers than questions

    def report(self) -> dict[str, Any]:
        """Return the counts every run reports: answered, unanswered, other calls, rejected."""
        self._scan()
        return {"answered": len(self.answered), "unanswered": len(self.pending),
                "other_calls": sorted({c.method for c in self.other}),
                "rejected": [(c.method, c.status, c.error) for c in self.fake.rejected]}


async def run_latency(fake: FakeTelegram, spec: dict[str, Any]) -> dict[str, Any]:
    """Ask one question at a time; latency = update queued → its answer arriving (ms)."""
    scenario = Scenario(fake, spec)
    latencies = []
    for i in range(spec["n"]):
        scenario.ask(i)
        await scenario.wait_answers(i + 1, spec.get("timeout", 10.0))
        if len(scenario.answered) <= i:
            break
        update_id, call = scenario.answered[i]
        latencies.append((call.at - fake.pushed_at[update_id]) * 1000)
        await asyncio.sleep(spec.get("gap", 0.0))
    return scenario.report() | {"latencies_ms": latencies}


async def run_throughput(fake: FakeTelegram, spec: dict[str, Any]) -> dict[str, Any]:
    """Queue n questions at once; time from the first push to the last answer arriving."""
    scenario = Scenario(fake, spec)
    started = time.perf_counter()
    for i in range(spec["n"]):
        scenario.ask(i)
    await scenario.wait_answers(spec["n"], spec.get("timeout", 600.0))
    last = max((call.at for _, call in scenario.answered), default=time.perf_counter())
    return scenario.report() | {"seconds": last - started}


SCENARIOS = {"latency": run_latency, "throughput": run_throughput,
             "fairness": run_fairness}  # one flooded group, private users meanwhile


class _ControlHandler(tornado.web.RequestHandler):
    def initialize(self, fake: FakeTelegram) -> None:
        self.fake = fake

    async def post(self, name: str) -> None:
        result = await SCENARIOS[name](self.fake, json.loads(self.request.body))
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(result))


async def serve() -> None:
    """Start the fake and its control port, print both ports, run until stdin closes."""
    fake = FakeTelegram()
    await fake.start()
    control = tornado.web.Application([(r"/run/(\w+)", _ControlHandler, {"fake": fake})])
    sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
    tornado.httpserver.HTTPServer(control).add_sockets(sockets)
    print(json.dumps({"api": fake.port, "control": sockets[0].getsockname()[1]}), flush=True)
    loop = asyncio.get_running_loop()
    closed = loop.create_future()
    # The parent holds our stdin: when it exits (or closes it) the fake goes away too.
    loop.add_reader(sys.stdin.fileno(), lambda: closed.done() or closed.set_result(None))
    await closed
    await fake.stop()


class RemoteFake:
    """The fake Bot API in a child process; ``async with RemoteFake() as fake: ...``."""

    def __init__(self) -> None:
        self.port = 0
        self.control_port = 0
        self._process: asyncio.subprocess.Process | None = None

    @property
    def base_url(self) -> str:
        """Return the value for ApplicationBuilder.base_url."""
        return f"http://127.0.0.1:{self.port}/bot"

    async def __aenter__(self) -> RemoteFake:
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "src")]))
        self._process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tests.fakebot.serve", cwd=ROOT, env=env,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
        assert self._process.stdout is not None
        ports = json.loads(await asyncio.wait_for(self._process.stdout.readline(), 30))
        self.port, self.control_port = ports["api"], ports["control"]
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._process is not None:
            assert self._process.stdin is not None
            self._process.stdin.close()
            await asyncio.wait_for(self._process.wait(), 10)

    async def run(self, scenario: str, **spec: Any) -> dict[str, Any]:
        """Run a scenario (``latency`` or ``throughput``) in the fake; return its report."""
        import httpx

        async with httpx.AsyncClient(timeout=None) as client:
            response = await client.post(
                f"http://127.0.0.1:{self.control_port}/run/{scenario}", json=spec)
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result


if __name__ == "__main__":
    asyncio.run(serve())
