"""The Jupyter kernels chapters run in: IPC sockets in a private folder per process, forked from
the build's kernel nursery (:mod:`.nursery`) when one runs, else started the usual way."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from sectorplannen.errors import SetupError

KERNEL = "sectorplannen"


KERNEL_FOLDER = "sectorplannen-kernel-"  # + the pid of the process that started the kernel


# The temporary directory may be this long: with "/sectorplannen-kernel-<pid>-<8>/kernel-<n>" (up to 51 more)
# a kernel socket path stays under the limit of 107 bytes.
IPC_TEMP_MAX = 55


def kernel_folders(pid: int | None = None) -> list[Path]:
    """The private kernel folders in the temporary directory (of one process when ``pid`` is given)."""

    pattern = f"{KERNEL_FOLDER}{pid}-*" if pid is not None else f"{KERNEL_FOLDER}*"
    return sorted(Path(tempfile.gettempdir()).glob(pattern))


def remove_kernel_folders(pid: int) -> None:
    """Remove the kernel folders a process made (sockets, connection file, kernel pid)."""

    for folder in kernel_folders(pid):
        shutil.rmtree(folder, ignore_errors=True)


NURSERY_FOLDER = "sectorplannen-nursery-"  # + the pid of the build
NURSERY_MODULE = "sectorplannen.pipeline.nursery"
LAUNCHER = "ipykernel_launcher"

# The running nursery of this build: its socket and the interpreter and flags it was started with (the
# kernel spec's, so a forked kernel is the interpreter a plain one would be). Set in the build process
# before the workers are forked; they inherit it.
_nursery: dict | None = None


# The hash of the package's code the next chapter's fingerprint was computed with (set by the build
# before it runs a chapter): a kernel is forked only from a nursery that imported that code.
EXPECTED_CODE: str | None = None

# How many kernels the running build will ask the nursery for (set by the build before its workers are
# forked; they inherit it): the nursery reads the published tables ahead only while more are to come, so
# a one-chapter build (make chapter) costs no reading nobody uses.
EXPECTED_KERNELS = 1

# The kernels this process launched (one per chapter in a worker): whether each was forked, and the
# seconds its nursery spent importing; the build's timings read it.
LAUNCHES: list[dict] = []


# In a standby worker (:func:`sectorplannen.pipeline.workers.run_all`): the receiving end of the pipe on
# which the build says it is this chapter's turn. The chapter's kernel is launched while other chapters
# run and the notebook's first cell waits for the turn; WAITED is how long it waited (not the chapter's time).
_TURN = None
WAITED = 0.0


def wait_for_turn_on(connection) -> None:
    """Make this process a standby: its kernel starts at once, its notebook when ``connection`` says so."""
    global _TURN, WAITED
    _TURN, WAITED = connection, 0.0


def wait_for_turn() -> None:
    """Wait until the build says it is this chapter's turn (at once when it is not a standby, or already
    had its turn). A build that ended before then ends the wait with an error."""
    global _TURN, WAITED
    if _TURN is None:
        return
    start = time.perf_counter()
    try:
        _TURN.recv_bytes()
    except EOFError:
        raise InterruptedError("the build ended before this chapter's turn") from None
    finally:
        WAITED = time.perf_counter() - start
        _TURN.close()
        _TURN = None


def _split_launcher(argv: list[str]) -> tuple[list[str], list[str]] | None:
    """A kernel command ``[python, flags..., -m, ipykernel_launcher, args...]`` as (interpreter and
    flags, args); None for any other kernel command (that kernel is then started the usual way)."""
    for at in range(1, len(argv) - 1):
        if argv[at] == "-m" and argv[at + 1] == LAUNCHER:
            return list(argv[:at]), list(argv[at + 2 :])
    return None


@contextlib.contextmanager
def nursery(name: str | None = None):
    """Run the kernel nursery of ``name`` (the project's kernel) while the block runs: kernels of
    processes forked inside it are forked from it. Without a usable kernel spec, or when the
    nursery cannot start, kernels start the usual way (the nursery only saves time)."""
    global _nursery
    from jupyter_client.kernelspec import KernelSpecManager  # heavy: loaded only when a kernel is needed

    try:
        split = _split_launcher(KernelSpecManager().get_kernel_spec(name or KERNEL).argv)
    except Exception:  # no nursery; the build's preflight names a missing kernel
        split = None
    if split is None or _nursery is not None:
        yield None
        return
    temp = tempfile.gettempdir()
    folder = Path(tempfile.mkdtemp(prefix=f"{NURSERY_FOLDER}{os.getpid()}-", dir=temp))
    address = str(folder / "s")
    process = subprocess.Popen(
        [*split[0], "-m", NURSERY_MODULE, address],
        stdin=subprocess.PIPE,
        start_new_session=True,  # a terminal's Ctrl-C reaches the build, which stops the nursery
    )
    _nursery = {"address": address, "prefix": split[0], "pid": process.pid, "started": time.perf_counter()}
    try:
        yield _nursery
    finally:
        _nursery = None
        process.stdin.close()  # (were this process killed, the nursery would end when its input closes)
        process.kill()  # its kernels have ended with the build; it may still be importing
        process.wait()
        shutil.rmtree(folder, ignore_errors=True)


def _from_nursery(kernel_cmd: list[str], kw: dict, timeout: float = 120) -> dict | None:
    """Ask this build's nursery for a kernel: its answer (``pid``, the nursery's import seconds), or
    None when there is no nursery or the command is not one it can fork."""
    split = _split_launcher(kernel_cmd)
    if _nursery is None or split is None or split[0] != _nursery["prefix"]:
        return None
    # A plain kernel inherits this process's environment and working directory (papermill changes
    # directory to the notebooks before it starts one): so does a forked one.
    request = {
        "argv": split[1],
        "env": dict(kw.get("env") or os.environ),
        "cwd": kw.get("cwd") or os.getcwd(),
        "code": EXPECTED_CODE,
        "kernels": EXPECTED_KERNELS,
    }
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
                client.settimeout(timeout)  # the nursery answers once its imports are done
                client.connect(_nursery["address"])
                client.sendall((json.dumps(request) + "\n").encode())
                with client.makefile("r", encoding="utf-8") as answer:
                    reply = json.loads(answer.readline())
                return reply if "pid" in reply else None
        except (FileNotFoundError, ConnectionRefusedError):  # the nursery has not bound its socket yet
            if time.monotonic() > deadline or not alive(_nursery["pid"]):
                return None
            time.sleep(0.02)
        except (OSError, ValueError):
            return None  # started the usual way instead


class _Forked:
    """A kernel forked by the nursery, as the local provisioner handles a ``Popen``: it is the
    nursery's child, not ours, so it is watched by pid (the nursery reaps it)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode = None

    def poll(self):
        if self.returncode is None and not alive(self.pid):
            self.returncode = 0  # its exit status went to the nursery
        return self.returncode

    def wait(self, timeout: float | None = None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


def alive(pid: int) -> bool:
    """True while the process exists and is not a zombie waiting to be reaped."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


class IPCKernelManager:
    """Factory for a kernel manager that talks over IPC sockets in a private folder: no TCP ports,
    so parallel chapters cannot race for the same port (papermill's known issue).

    The folder (``sectorplannen-kernel-<pid>-*`` in the temporary directory) also holds the
    connection file and the kernel's pid, so a build that kills a worker can kill its kernel too,
    and it is removed when the kernel is cleaned up."""

    @staticmethod
    def cls(env: dict[str, str] | None = None):
        """The manager class; ``env`` is added to the kernel's environment (the run's specification
        as the build resolved it, and a real extract's path, which the notebook's parameters do not hold)."""

        from jupyter_client.manager import AsyncKernelManager  # heavy: loaded only when a kernel is needed
        from traitlets import default  # loaded with jupyter_client

        class _Manager(AsyncKernelManager):
            _folder: Path | None = None
            _extra_env: tuple = tuple((env or {}).items())

            def private_folder(self) -> Path:
                if self._folder is None:
                    temp = tempfile.gettempdir()
                    if len(temp) > IPC_TEMP_MAX:  # a socket path may not be longer than about 107 bytes
                        raise SetupError(
                            f"the temporary directory {temp} is too long a path for the kernel's sockets "
                            f"(at most {IPC_TEMP_MAX} characters): set TMPDIR to a shorter folder"
                        )
                    self._folder = Path(tempfile.mkdtemp(prefix=f"{KERNEL_FOLDER}{os.getpid()}-"))
                return self._folder

            @default("transport")
            def _default_transport(self):
                return "ipc"

            @default("ip")
            def _default_ip(self):
                return str(self.private_folder() / "kernel")

            @default("connection_file")
            def _default_connection_file(self):
                return str(self.private_folder() / "kernel.json")

            forked: dict | None = None  # the nursery's answer when the kernel was forked

            async def _async_launch_kernel(self, kernel_cmd, **kw):
                if self._extra_env:
                    kw["env"] = {**(kw.get("env") or os.environ), **dict(self._extra_env)}
                self.forked = _from_nursery(kernel_cmd, kw)
                if self.forked is None:
                    await super()._async_launch_kernel(kernel_cmd, **kw)
                else:  # as LocalProvisioner.launch_kernel does with the Popen it starts
                    pid = self.forked["pid"]
                    self.provisioner.process = _Forked(pid)
                    self.provisioner.pid = self.provisioner.pgid = pid  # the kernel leads its own session
                    self._reconcile_connection_info(self.provisioner.connection_info)
                LAUNCHES.append({"forked": self.forked is not None, **(self.forked or {})})
                (self.private_folder() / "kernel.pid").write_text(str(self.provisioner.pid), encoding="utf-8")
                wait_for_turn()  # a standby: the kernel starts up while the build waits for a free worker

            async def _async_interrupt_kernel(self) -> None:
                # jupyter_client interrupts the kernel before every shutdown, and the idle kernel
                # then logs "KeyboardInterrupt caught in kernel" to stderr; papermill shuts down only
                # after the last cell, so there is nothing to interrupt.
                if not self.shutting_down:
                    await super()._async_interrupt_kernel()

            async def _async_cleanup_resources(self, restart: bool = False) -> None:
                await super()._async_cleanup_resources(restart=restart)
                if not restart and self._folder is not None:
                    shutil.rmtree(self._folder, ignore_errors=True)
                    self._folder = None

        return _Manager
