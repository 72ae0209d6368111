"""Headless Chromium driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``), standard
library only: one browser for many pages, each opened fresh, read as the command-line switches read it (its
DOM after its scripts ran, a screenshot, the hosts it asked, its console) or laid out and printed as ``make pdf``
prints it; one launch instead of one per page (each launch costs about 0,6 s before it loads anything)."""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import subprocess
import tempfile
import time
from pathlib import Path

# The DOM as ``--dump-dom`` prints it: the doctype, then the document element's markup.
_DOM = (
    "(document.doctype ? new XMLSerializer().serializeToString(document.doctype) + '\\n' : '')"
    " + document.documentElement.outerHTML"
)
# What a fresh page reports besides its load: requests, console messages, uncaught errors and the browser's
# own messages about the page (a Content-Security-Policy violation is one of those).
_WATCH = ("Network.enable", "Log.enable", "Runtime.enable")


def _high(fds: tuple[int, int]) -> tuple[int, int]:
    """A pipe's two ends moved above 4 (close-on-exec), so wiring them onto fds 3 and 4 cannot overwrite one."""
    moved = tuple(fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in fds)
    for fd in fds:
        os.close(fd)
    return moved


class DevTools:
    """One headless Chromium and one page in it at a time; ``call`` sends a command to that page and returns
    its result, ``fresh`` replaces the page by a new one that shares nothing with it."""

    def __init__(self, chromium: str, flags: list[str], timeout: float = 120):
        self.timeout = timeout
        self._profile = tempfile.TemporaryDirectory(prefix="sectorplannen-devtools-")
        self._log = Path(self._profile.name) / "stderr.log"
        self._buffer = bytearray()
        self._next_id = 0
        self._session = self._target = None
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
            self.fresh()
        except BaseException:
            self.close()
            raise

    def _closed(self) -> RuntimeError:
        said = self._log.read_text(encoding="utf-8", errors="replace").strip()[-500:]
        return RuntimeError(f"Chromium closed the DevTools pipe: {said or 'it said nothing'}")

    def _message(self, deadline: float | None = None) -> dict:
        deadline = min(deadline or float("inf"), time.monotonic() + self.timeout)
        end = self._buffer.find(b"\0")
        while end < 0:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_browser], [], [], left)[0]:
                raise TimeoutError("Chromium did not answer over the DevTools pipe")
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise self._closed()
            start = len(self._buffer)
            self._buffer += chunk  # a printed PDF arrives as megabytes of base64: searched only where it grew
            end = self._buffer.find(b"\0", start)
        raw = bytes(self._buffer[:end])
        del self._buffer[: end + 1]
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
            if "method" in answer and answer.get("sessionId") == self._session:
                self.events.append(answer)  # an event of the page; the browser's and an earlier page's are dropped

    def call(self, method: str, params: dict | None = None) -> dict:
        """Send one command to the page and return its result."""
        return self._send(method, params, self._session)

    def fresh(self, watch: bool = False) -> None:
        """Replace the page by a new one (a new target): its own history, session storage and emulated settings,
        and nothing stored by a ``file:`` page before it (cleared: the site and the print document are files).
        A new browser context would isolate more, but costs about 0,45 s a page (its own network stack).
        ``watch`` records the new page's requests and console."""
        if self._target:
            self._send("Target.closeTarget", {"targetId": self._target})
            self._session = self._target = None
        self.events.clear()
        self._target = self._send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self._session = self._send("Target.attachToTarget", {"targetId": self._target, "flatten": True})["sessionId"]
        self.call("Storage.clearDataForOrigin", {"origin": "file://", "storageTypes": "all"})  # before it loads
        for method in ("Page.enable", *(_WATCH if watch else ())):
            self.call(method)
        self.call("Page.setLifecycleEventsEnabled", {"enabled": True})  # its load, told apart by navigation

    def _wait_for(self, *wanted) -> None:
        """Read the page's events until each of ``wanted`` (tests of an event) held for one of them."""
        deadline = time.monotonic() + self.timeout
        while not all(any(test(event) for event in self.events) for test in wanted):
            message = self._message(deadline)
            if "method" in message and message.get("sessionId") == self._session:
                self.events.append(message)

    def open(self, url: str, budget_ms: int | None = None) -> None:
        """Load ``url`` in the page and wait for its load event; with ``budget_ms``, also until that much
        virtual time passed on the page's clock (its timers ran; as ``--virtual-time-budget``)."""
        self.events.clear()
        if budget_ms is not None:  # the page's clock stands still until it is on its way
            self.call("Emulation.setVirtualTimePolicy", {"policy": "pause"})
        navigated = self.call("Page.navigate", {"url": url})
        if budget_ms is not None:
            self.call("Emulation.setVirtualTimePolicy", {"policy": "pauseIfNetworkFetchesPending", "budget": budget_ms})
        if navigated.get("errorText"):
            raise RuntimeError(f"Chromium could not open {url}: {navigated['errorText']}")
        loader = navigated.get("loaderId")
        wanted = [
            lambda e: (
                e["method"] == "Page.lifecycleEvent"
                and e["params"]["name"] == "load"
                and e["params"]["loaderId"] == loader
            )
        ]
        if budget_ms is not None:
            wanted.append(lambda e: e["method"] == "Emulation.virtualTimeBudgetExpired")
        try:
            self._wait_for(*wanted)
        except TimeoutError:
            raise TimeoutError(f"Chromium did not finish loading {url} within {self.timeout:g} s") from None

    def evaluate(self, expression: str):
        """The value of a script expression in the page (a promise is awaited)."""
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def dom(self) -> str:
        """The page's markup as it is now, after its scripts ran (what ``--dump-dom`` prints)."""
        return self.evaluate(_DOM)

    def window(self, width: int, height: int) -> None:
        """Lay the page out in a window ``width`` x ``height`` CSS px (as ``--window-size``)."""
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )

    def screenshot(self) -> bytes:
        """A PNG of the page's window (as ``--screenshot``)."""
        return base64.b64decode(self.call("Page.captureScreenshot", {"format": "png"})["data"])

    def print_pdf(self, options: dict) -> bytes:
        """The page printed to PDF with ``options`` (``Page.printToPDF``), as bytes."""
        return base64.b64decode(self.call("Page.printToPDF", options)["data"])

    def requests(self) -> set[str]:
        """The URLs the page (opened fresh with ``watch``) asked for, but files, data and blobs: other hosts."""
        urls = {e["params"]["request"]["url"] for e in self.events if e["method"] == "Network.requestWillBeSent"}
        return {url for url in urls if not url.startswith(("file:", "data:", "blob:"))}

    def console(self) -> list[str]:
        """What the page (opened fresh with ``watch``) wrote to its console, in order: the browser's own
        messages about it (a refused script, a policy violation), its scripts' messages and uncaught errors."""
        said = []
        for event in self.events:
            method, params = event["method"], event["params"]
            if method == "Log.entryAdded":
                said.append(params["entry"]["text"])
            elif method == "Runtime.consoleAPICalled":
                said.append(" ".join(str(arg.get("value", arg.get("description", ""))) for arg in params["args"]))
            elif method == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                said.append(details.get("exception", {}).get("description") or details.get("text", ""))
        return said

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, OSError, TimeoutError):  # the browser may close the pipe first
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
