"""The kernel nursery: one process per build that imports what the chapter notebooks import, once,
and then forks a fresh kernel for each chapter (``python -m sectorplannen.pipeline.nursery <socket>``).

A kernel started the usual way (``python -m ipykernel_launcher``) spends about a second starting
Python and ipykernel and another second and a half importing pandas, matplotlib, seaborn, scipy
and the package before the chapter's first line of its own runs; thirteen chapters paid that
thirteen times. A forked kernel starts with those modules imported and the published tables
read: no chapter's code has run in the nursery and it never runs a kernel itself, so every chapter
still gets a fresh interpreter state. While no kernel is asked for and the build will ask for more
(each request says how many kernels the build needs), the nursery reads and validates the published
tables one at a time into the cache a chapter's first read would fill
(:mod:`sectorplannen.published.read_ahead`), as every chapter reads them; a kernel forked after one
of their files changed starts with none read. Neither has a side effect on the chapter's outputs
(``tests/test_build_kernels.py`` compares the pages with a plain kernel's).

The protocol is one JSON line per connection on a Unix socket: the launch request (the kernel's
argv after ``ipykernel_launcher``, its environment and working directory, the hash of the
package's code the chapter's fingerprint was computed with, and how many kernels the build needs)
in, the kernel's pid out; a request for other code than the nursery imported is refused, and the
kernel is started the usual way.
A forked kernel reads the outputs, notebooks and temporary folders from the environment its build
gives it, not from the nursery's, as a plain kernel would: one nursery may serve builds that write to
different folders (the test suite runs one per test process for all its builds).
The nursery exits when its standard input closes (the build ended or died) and ignores
Ctrl-C, which the build handles; it never waits for its children (SIGCHLD ignored), so a
kernel that ends leaves no zombie.
"""

from __future__ import annotations

import ast
import gc
import importlib
import json
import os
import select
import signal
import socket
import sys
import tempfile
import time
import traceback
from pathlib import Path

from ipykernel import kernelapp

from sectorplannen import paths
from sectorplannen.pipeline.uptodate import code_digest
from sectorplannen.published import read_ahead

# What ipykernel would set before any of the notebook's code runs (kernelapp.init_gui_pylab): set it
# before matplotlib is imported here so the kernel's matplotlib is configured as in a plain kernel.
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
# Imported once a kernel has started the usual way; the inline backend itself is *not* imported here:
# on import it hooks into the running IPython shell, which only the forked kernel has.
KERNEL_MODULES = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.debugger",  # with debugpy: a tenth of a second of every kernel start
    "IPython.core.interactiveshell",
    "IPython.core.magics",
    "sqlite3",  # the history of the shell
    "psutil",
    "pdb",
    "tornado.queues",
    "tornado.locks",
)
# Imported inside functions by the chapters (heavy optional tools), so a notebook's imports miss them.
LAZY_MODULES = ("scipy.stats", "acro")


def notebook_modules(folder: Path | None = None) -> list[str]:
    """Every module the chapter notebooks import at the top level of a code cell (read from the
    paired ``.py`` files, without running anything), in a stable order."""
    found: dict[str, None] = {}
    for script in sorted(Path(folder or paths.NOTEBOOKS).glob("*.py")):
        try:
            tree = ast.parse(script.read_text(encoding="utf-8"))
        except (OSError, SyntaxError):
            continue
        for node in tree.body:
            if isinstance(node, ast.Import):
                found.update(dict.fromkeys(alias.name for alias in node.names))
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found[node.module] = None
                for alias in node.names:  # `from sectorplannen.chapters import notebook` imports a module
                    found[f"{node.module}.{alias.name}"] = None
    return list(found)


def preload(modules: list[str]) -> list[str]:
    """Import what can be imported (a name that is not a module, or fails, is left to the kernel,
    which will then report it as a plain kernel would); returns the modules imported."""
    done = []
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # the kernel imports it again and shows any error in its cell
            continue
        done.append(name)
    return done


def _child(request: dict, listener: socket.socket) -> None:
    """In the forked kernel: a session of its own, the requested environment, directory and
    arguments, then the same entry point as ``python -m ipykernel_launcher``. Never returns."""
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        listener.close()
        os.setsid()
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        os.environ.clear()
        os.environ.update(request["env"])
        os.environ["JPY_PARENT_PID"] = str(os.getppid())  # the nursery; the kernel ends if it is orphaned
        # what was read from the environment when the nursery imported it, read again from the kernel's own:
        # its build's outputs and notebooks folders, and its temporary folder (one nursery may serve builds
        # that write to different folders, as the test suite's does)
        paths.from_environment()
        tempfile.tempdir = None
        if request.get("cwd"):
            os.chdir(request["cwd"])
        sys.path[0] = os.getcwd()  # as `python -m` puts the working directory first
        # the nursery is the parent the kernel watches (ipykernel read JPY_PARENT_PID when the nursery imported it)
        parent = f"--IPKernelApp.parent_handle={os.getppid()}"
        sys.argv = [request.get("launcher", "ipykernel_launcher"), *request["argv"], parent]
        kernelapp.launch_new_instance()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:  # a forked child must never return into the nursery's loop
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def serve(address: str) -> None:
    """Bind the socket (clients may connect and wait while the imports run), import, then fork a
    kernel per request until standard input closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the system
    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(address)
    listener.listen(64)
    start = time.perf_counter()
    code = code_digest()
    preload([*KERNEL_MODULES, *notebook_modules(), *LAZY_MODULES])
    if code_digest() != code:  # the package changed while it was imported: what was imported is unknown
        code = None
    gc.freeze()  # what was imported stays shared with every kernel: their collections need not visit it
    imports = time.perf_counter() - start
    ahead = read_ahead.ReadAhead()  # the published tables, one at a time while no kernel is asked for
    expected = forked = 0  # kernels the build will ask for (it says so in each request), kernels forked
    while True:
        reading = ahead.todo and forked < expected  # only for kernels still to come
        ready, _, _ = select.select([listener, sys.stdin], [], [], 0 if reading else None)
        if not ready:
            ahead.step()
            continue
        if sys.stdin in ready and not os.read(sys.stdin.fileno(), 1024):
            break  # the build has ended
        if listener not in ready:
            continue
        connection, _ = listener.accept()
        with connection:
            request = json.loads(connection.makefile("r", encoding="utf-8").readline())
            if request.get("code") is not None and request["code"] != code:
                # The chapter's fingerprint records other code than was imported here: a plain kernel,
                # which imports the code as it is now, must run it (else an edit made during the build
                # could leave a page built from the old code recorded as built from the new).
                connection.sendall(b'{"refused": "the package changed since the nursery imported it"}\n')
                continue
            expected = max(expected, int(request.get("kernels", 1)))
            pid = os.fork()
            if pid == 0:
                connection.close()
                ahead.keep_or_forget()  # the tables read so far, while their files are as they were
                _child(request, listener)
            forked += 1
            connection.sendall((json.dumps({"pid": pid, "imports": imports}) + "\n").encode())
    listener.close()


if __name__ == "__main__":
    serve(sys.argv[1])
