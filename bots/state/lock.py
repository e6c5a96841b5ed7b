"""A run lock, so that two runs of a job never overlap.

The lock is an advisory ``fcntl`` lock on a file (it works on the NFS home of a
Toolforge tool, across job pods). The kernel, or the NFS server, drops it when
the holding process dies, however it dies, so a lock can never outlive its run.
The file also records who holds it (host, pid, start time): the second run
names the first in its message, and a run that finds the record of a holder
that no longer holds the lock reports it as a stale lock from a dead run.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO


class LockHeld(Exception):
    """Another run holds the lock; the message names it."""


@dataclass
class RunLock:
    path: Path
    #: Set by acquire() when the file names a holder that no longer holds the lock.
    stale: str | None = None
    _file: IO[str] | None = None

    def acquire(self) -> RunLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = describe(read_holder(self.path))
            handle.close()
            raise LockHeld(
                f"another run is in progress ({holder}; lock file {self.path}); this run stops without doing anything"
            ) from None
        # Read through the locked handle: closing any other descriptor of the file
        # would drop this process's POSIX lock.
        handle.seek(0)
        previous = parse_holder(handle.read())
        if previous:
            self.stale = f"a stale lock from a run that died was found and taken over ({describe(previous)})"
        handle.seek(0)
        handle.truncate()
        handle.write(
            json.dumps(
                {
                    "host": socket.gethostname(),
                    "pid": os.getpid(),
                    "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
                }
            )
        )
        handle.flush()
        self._file = handle
        return self

    def release(self) -> None:
        if self._file is None:
            return
        # Empty the record before unlocking: an empty file means "ended cleanly".
        self._file.seek(0)
        self._file.truncate()
        self._file.flush()
        fcntl.lockf(self._file, fcntl.LOCK_UN)
        self._file.close()
        self._file = None

    def __enter__(self) -> RunLock:
        return self.acquire()

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.release()


def read_holder(path: Path) -> dict[str, object]:
    try:
        return parse_holder(path.read_text(encoding="utf-8"))
    except OSError:
        return {}


def parse_holder(text: str) -> dict[str, object]:
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def describe(holder: dict[str, object]) -> str:
    if not holder:
        return "holder unknown"
    return f"pid {holder.get('pid')} on {holder.get('host')}, started {holder.get('started')}"
