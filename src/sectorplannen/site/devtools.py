"""Headless Chromium driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``), standard
library only: for what the command-line switches cannot do, such as laying a page out as it prints
(emulated print media at a page's width) and measuring it with a script (``make pdf`` and its tests)."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import select
import subprocess
import tempfile
import time
from pathlib import Path


def _high(fds: tuple[int, int]) -> tuple[int, int]:
    """A pipe's two ends moved above 4 (close-on-exec), so wiring them onto fds 3 and 4 cannot overwrite one."""
    moved = tuple(fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in fds)
    for fd in fds:
        os.close(fd)
    return moved


class DevTools:
    """One headless Chromium and one page in it; ``call`` sends a command to that page and returns its result."""

    def __init__(self, chromium: str, flags: list[str], timeout: float = 120):
        self.timeout = timeout
        self._profile = tempfile.TemporaryDirectory(prefix="sectorplannen-devtools-")
        self._log = Path(self._profile.name) / "stderr.log"
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict] = []
        to_browser_read, self._to_browser = _high(os.pipe())
        self._from_browser, from_browser_write = _high(os.pipe())

        def wire() -> None:  # the browser reads commands on fd 3 and writes answers on fd 4
            os.dup2(to_browser_read, 3)  # dup2 leaves the copies open across exec; the originals close
            os.dup2(from_browser_write, 4)

        with self._log.open("wb") as log:
            self._process = subprocess.Popen(
                [
                    chromium,
                    *flags,
                    "--remote-debugging-pipe",
                    f"--user-data-dir={Path(self._profile.name) / 'profile'}",
                    "about:blank",
                ],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=log,
                close_fds=False,  # closing would happen after wire(); every other descriptor is close-on-exec anyway
                preexec_fn=wire,  # dup2 onto fixed descriptors needs a hook in the child
            )
        os.close(to_browser_read)
        os.close(from_browser_write)
        try:
            target = self._send("Target.createTarget", {"url": "about:blank"})["targetId"]
            self._session = self._send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            self.call("Page.enable")
        except BaseException:
            self.close()
            raise

    def _closed(self) -> RuntimeError:
        said = self._log.read_text(encoding="utf-8", errors="replace").strip()[-500:]
        return RuntimeError(f"Chromium closed the DevTools pipe: {said or 'it said nothing'}")

    def _message(self) -> dict:
        deadline = time.monotonic() + self.timeout
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_browser], [], [], left)[0]:
                raise TimeoutError("Chromium did not answer over the DevTools pipe")
            chunk = os.read(self._from_browser, 1 << 16)
            if not chunk:
                raise self._closed()
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def _send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        try:
            os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        except BrokenPipeError:
            raise self._closed() from None
        while True:
            answer = self._message()
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            self.events.append(answer)

    def call(self, method: str, params: dict | None = None) -> dict:
        """Send one command to the page and return its result."""
        return self._send(method, params, self._session)

    def open(self, url: str) -> None:
        """Load ``url`` in the page and wait for its load event."""
        self.events.clear()
        self.call("Page.navigate", {"url": url})
        while not any(event.get("method") == "Page.loadEventFired" for event in self.events):
            self.events.append(self._message())

    def evaluate(self, expression: str):
        """The value of a script expression in the page (a promise is awaited)."""
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, OSError):  # the browser may close the pipe before it answers
            self._send("Browser.close")
        try:
            self._process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)
        self._profile.cleanup()

    def __enter__(self) -> DevTools:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
