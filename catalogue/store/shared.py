"""A write count that other processes read: eight bytes of shared memory, handed over by fd."""

from __future__ import annotations

import mmap
import os
import struct
import tempfile

_COUNT = struct.Struct("<Q")


class WriteCounter:
    """The store's write count, set by the process that writes, read by processes that hold
    read-only views of the store (they reopen theirs when it moves). One aligned 8-byte word:
    a read never sees half a write."""

    def __init__(self, fd: int | None = None) -> None:
        """A new counter, or (with `fd`, from `fd` of another process's counter) the same one."""
        if fd is None:
            fd = _anonymous_file()
            os.ftruncate(fd, _COUNT.size)
        self.fd = fd
        self._memory = mmap.mmap(fd, _COUNT.size)

    def set(self, value: int) -> None:
        _COUNT.pack_into(self._memory, 0, value)

    def get(self) -> int:
        return int(_COUNT.unpack_from(self._memory)[0])

    def close(self) -> None:
        self._memory.close()
        os.close(self.fd)


def _anonymous_file() -> int:
    """A file with no name, for sharing by fd: memfd on Linux, an unlinked temporary file
    elsewhere."""
    if hasattr(os, "memfd_create"):
        return os.memfd_create("catalogue-writes", os.MFD_CLOEXEC)
    fd, path = tempfile.mkstemp(prefix="catalogue-writes-")
    os.unlink(path)
    return fd
