"""The Jupyter kernels chapters run in: IPC sockets in a private folder per process."""

from __future__ import annotations

import os
import shutil
import tempfile
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


class IPCKernelManager:
    """Factory for a kernel manager that talks over IPC sockets in a private folder: no TCP ports,
    so parallel chapters cannot race for the same port (papermill's known issue).

    The folder (``sectorplannen-kernel-<pid>-*`` in the temporary directory) also holds the
    connection file and the kernel's pid, so a build that kills a worker can kill its kernel too,
    and it is removed when the kernel is cleaned up."""

    @staticmethod
    def cls():

        from jupyter_client.manager import AsyncKernelManager  # heavy: loaded only when a kernel is needed
        from traitlets import default  # loaded with jupyter_client

        class _Manager(AsyncKernelManager):
            _folder: Path | None = None

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

            async def _async_launch_kernel(self, kernel_cmd, **kw):
                await super()._async_launch_kernel(kernel_cmd, **kw)
                (self.private_folder() / "kernel.pid").write_text(str(self.provisioner.pid), encoding="utf-8")

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
