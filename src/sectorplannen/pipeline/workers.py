"""Worker processes: one chapter each, stopped with their kernels on Ctrl-C or SIGTERM."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
import traceback
from contextlib import suppress
from dataclasses import dataclass
from multiprocessing.connection import wait

from sectorplannen.chapters.registry import Chapter
from sectorplannen.pipeline import kernel
from sectorplannen.pipeline.files import leftovers
from sectorplannen.pipeline.kernel import alive, kernel_folders, remove_kernel_folders


class Interrupted(KeyboardInterrupt):
    """The build was stopped by SIGINT or SIGTERM: its workers and kernels are killed, their
    temporary files removed, and every earlier output is left as it was."""

    def __init__(self, signum: int, not_built: int):
        super().__init__(signum, not_built)
        self.signum = signum
        self.not_built = not_built

    @property
    def exit_status(self) -> int:
        """128 + the signal number, as a shell reports a process stopped by that signal."""
        return 128 + self.signum


class _StopSignals:
    """While chapters run, SIGINT and SIGTERM only note the signal: the scheduling loop sees it
    and stops the workers itself, so no exception can cut the loop's bookkeeping in half."""

    def __init__(self):
        self.signum = 0
        self._previous = {}

    def __enter__(self):

        if threading.current_thread() is threading.main_thread():
            for number in (signal.SIGINT, signal.SIGTERM):
                self._previous[number] = signal.signal(number, self._note)
        return self

    def _note(self, signum, frame) -> None:
        self.signum = self.signum or signum

    def __exit__(self, *exc) -> None:

        for number, handler in self._previous.items():
            signal.signal(number, signal.SIG_DFL if handler is None else handler)


class _RemoteTraceback(Exception):
    """The traceback of an error in a worker process, shown as the cause of the error re-raised here."""

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass
class _Worker:
    """One chapter running in its own process (and process group), with the pipe it reports on."""

    chapter: Chapter
    process: object  # multiprocessing.Process
    results: object  # the receiving multiprocessing Connection
    started: float
    outcome: tuple | None = None
    reported: float = 0.0  # when the outcome arrived (monotonic)
    turn: object | None = None  # a standby's side of the pipe that starts its notebook; None once it runs

    def start(self) -> None:
        """A standby's turn: its notebook runs (its kernel has been starting meanwhile)."""
        with suppress(OSError):
            self.turn.send_bytes(b"go")
        self.turn.close()
        self.turn = None
        self.started = time.perf_counter()

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started


def _worker_main(chapter: Chapter, task, results, turn=None) -> None:
    """Worker process: leave the build's process group (a terminal's Ctrl-C then reaches only the
    build, which stops the workers itself), run one chapter and send back its result or error. A
    standby (``turn``) starts its kernel at once and runs the notebook when it is its turn; whatever
    it did before then, it reports only in its turn."""

    os.setpgid(0, 0)
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, signal.SIG_IGN)  # discards a signal sent to the group before setpgid
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        if turn is not None:
            kernel.wait_for_turn_on(turn)
        outcome = ("result", task(chapter))
        kernel.wait_for_turn()  # a chapter that launched no kernel
    except BaseException as exc:  # every error goes back to the build, which re-raises it
        outcome = ("error", exc, traceback.format_exc())
        with suppress(InterruptedError):
            kernel.wait_for_turn()
    try:
        results.send(outcome)
    except Exception:  # an error that cannot be pickled: send its traceback instead
        results.send(("error", RuntimeError(outcome[-1]), outcome[-1]))
    results.close()


def _start_worker(chapter: Chapter, task, standby: bool = False) -> _Worker:
    """Fork a worker for one chapter (a standby: one that waits for :meth:`_Worker.start`). SIGINT and
    SIGTERM are blocked around the fork, so the worker cannot be hit before it has its own process
    group; here they arrive right after."""

    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    wait, turn = context.Pipe(duplex=False) if standby else (None, None)
    process = context.Process(
        target=_worker_main, args=(chapter, task, send, wait), name=f"sectorplannen {chapter.name}", daemon=True
    )
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        process.start()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    send.close()
    if wait is not None:
        wait.close()
    return _Worker(chapter, process, receive, time.perf_counter(), turn=turn)


def _kill_group(pid: int) -> None:
    """SIGKILL a process group (and the process, should it not lead a group yet)."""

    for kill in (os.killpg, os.kill):
        with suppress(ProcessLookupError, PermissionError):
            kill(pid, signal.SIGKILL)


def _kill_worker(worker: _Worker) -> set[int]:
    """Kill a worker and then its kernel at once (a kernel's polite shutdown can take many seconds);
    returns their pids. The worker dies first, so it cannot start a kernel after we looked."""
    pid = worker.process.pid
    _kill_group(pid)
    worker.process.join(2)
    killed = {pid}
    for folder in kernel_folders(pid):
        try:
            kernel = int((folder / "kernel.pid").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        _kill_group(kernel)  # the kernel leads its own session, so this also ends its subprocesses
        killed.add(kernel)
    deadline = time.monotonic() + 1.0
    while any(alive(p) for p in killed) and time.monotonic() < deadline:
        time.sleep(0.02)
    return killed


def _remove_leftovers(pids: set[int]) -> None:
    """Remove what killed processes leave behind: their temporary outputs and kernel folders."""
    for path, pid in leftovers():
        if pid in pids:
            path.unlink(missing_ok=True)
    for pid in pids:
        remove_kernel_folders(pid)


def _stop_workers(workers: list[_Worker]) -> None:
    killed = set()
    for worker in workers:
        killed |= _kill_worker(worker)
    _remove_leftovers(killed)


def _receive(worker: _Worker) -> None:
    """Read the worker's outcome if it has sent one."""
    if worker.outcome is None and worker.results.poll():
        try:
            worker.outcome = worker.results.recv()
        except EOFError:  # the worker ended without a word; its exit code says how
            worker.outcome = ("lost",)
        except Exception as exc:  # an error that cannot be unpickled here
            worker.outcome = ("error", RuntimeError(f"{type(exc).__name__}: {exc}"), "")


def _finished(worker: _Worker) -> bool:
    """True once the worker is done and reaped (killed, with its kernel, if it does not end by
    itself within 5 s of sending its outcome)."""
    _receive(worker)
    if worker.process.is_alive():
        if worker.outcome is None:
            return False
        worker.reported = worker.reported or time.monotonic()
        if time.monotonic() - worker.reported < 5:  # let it exit by itself (its sentinel wakes the loop)
            return False
    _receive(worker)  # sent just before it ended
    worker.process.join(1)
    if worker.process.is_alive() or worker.outcome is None or worker.outcome[0] == "lost":
        worker.outcome = worker.outcome or ("lost",)
        _stop_workers([worker])
    worker.results.close()
    return True


def _result(worker: _Worker) -> tuple[tuple[str, float, str | None], BaseException | None]:
    """The worker's (name, seconds, error) and, for an unexpected error, the error to re-raise."""
    chapter = worker.chapter
    if worker.outcome[0] == "result":
        return worker.outcome[1], None
    if worker.outcome[0] == "error":
        _, error, remote = worker.outcome
        if remote:
            error.__cause__ = _RemoteTraceback(remote)
        return (chapter.name, worker.seconds, f"{type(error).__name__}: {error}"), error
    message = (
        f"chapter {chapter.number} ({chapter.notebook}, parameters {chapter.parameters}): its worker process "
        f"ended unexpectedly (exit code {worker.process.exitcode})"
    )
    return (chapter.name, worker.seconds, message), None


def run_all(todo: list[Chapter], task, jobs: int, log) -> list[tuple[str, float, str | None]]:
    """Run the chapters in order with at most ``jobs`` worker processes at a time: ``[start]`` when a
    chapter really starts, ``[wacht]`` for the ones queued behind. SIGINT or SIGTERM kills the
    workers and their kernels, removes their temporary files and raises :class:`Interrupted`;
    an unexpected error in a worker starts no further chapter and is re-raised when the
    running ones are done."""
    queue, running, results, error = list(todo), [], {}, None
    standby: list[_Worker] = []  # the next chapter's worker, its kernel starting while the others run
    with _StopSignals() as stop:
        while not stop.signum:
            while (queue or standby) and len(running) < jobs and error is None and not stop.signum:
                if standby:
                    worker = standby.pop()
                    worker.start()
                else:
                    worker = _start_worker(queue.pop(0), task)
                running.append(worker)
                log(f"[start] hoofdstuk {worker.chapter.number} {worker.chapter.name}")
                if len(running) == jobs and len(queue) == len(todo) - jobs:  # the first wave: name the queue
                    for waiting in queue:
                        log(f"[wacht] hoofdstuk {waiting.number} {waiting.name}")
            if error is not None and standby:  # no further chapter starts
                _stop_workers(standby)
                queue[:0] = [worker.chapter for worker in standby]
                standby.clear()
            if queue and not standby and error is None and not stop.signum:
                standby.append(_start_worker(queue.pop(0), task, standby=True))
            if not running:
                break
            _wait(running + [w for w in standby if w.process.is_alive()])  # a dead one is seen in its turn
            for worker in [w for w in running if _finished(w)]:
                running.remove(worker)
                results[worker.chapter.name], failure = _result(worker)
                _log_result(worker.chapter, results[worker.chapter.name], log)
                error = error or failure
        if stop.signum:
            _stop_workers(running + standby)
            left = len(queue) + len(running) + len(standby)
            log(
                f"[gestopt] onderbroken: {left} {'hoofdstuk' if left == 1 else 'hoofdstukken'} niet gebouwd; "
                "eerdere uitvoer is intact"
            )
            raise Interrupted(stop.signum, left)
    if error is not None:
        raise error
    return [results[c.name] for c in todo]


def _wait(workers: list[_Worker]) -> None:
    """Wait until a worker reports or ends, at most a quarter second (then the loop looks at signals)."""

    pipes = [w.results for w in workers if w.outcome is None]
    wait(pipes + [w.process.sentinel for w in workers], timeout=0.25)


def _log_result(chapter: Chapter, result: tuple[str, float, str | None], log) -> None:
    name, seconds, error = result
    if error:
        log(f"[FOUT] hoofdstuk {chapter.number} {name} ({seconds:.1f} s)\n{error}")
    else:
        log(f"[klaar] hoofdstuk {chapter.number} {name} ({seconds:.1f} s)")


def say(line: str) -> None:
    """Print a progress line at once (also when the output goes to a pipe or a log file)."""
    print(line, flush=True)
