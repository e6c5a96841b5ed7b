"""Fixtures shared by the pure tests (the live tests have their own, in tests/live/conftest.py)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import pywikibot_dir


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A port that accepts connections and never answers: any request would show up in its queue."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        sock.setblocking(False)
        yield sock


@pytest.fixture
def watched_wiki(listener: socket.socket, tmp_path: Path) -> Path:
    port = listener.getsockname()[1]
    return pywikibot_dir(tmp_path, f"127.0.0.1:{port}")
