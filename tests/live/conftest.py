"""Live tests: a fresh local MediaWiki for the session, on a free port.

These tests never skip: if the wiki cannot be installed or started, they fail
and say why (in CI, and on a developer's machine alike).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from scripts.devwiki import PROJECT_DIR, SEED_FILE, DevWiki, DevWikiError, free_port
from tests.live.wikiapi import WikiApi


@dataclass
class LiveWiki:
    dev: DevWiki
    api: WikiApi

    def run(self, module: str, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        """Run ``python -m module args`` against this wiki, as a user would."""
        env = {**os.environ, "PYWIKIBOT_DIR": str(self.dev.pywikibot_dir), "PYTHONUNBUFFERED": "1"}
        return subprocess.run(
            [sys.executable, "-m", module, *args],
            env=env,
            cwd=PROJECT_DIR,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )


@contextmanager
def started_wiki(root: Path, empty: bool = False) -> Iterator[LiveWiki]:
    """A local wiki in ``root`` on a free port, seeded unless ``empty``; fails the test if it cannot start."""
    dev = DevWiki(root=root, port=free_port())
    try:
        dev.start(empty=empty)
    except DevWikiError as exc:
        pytest.fail(
            f"The local {'empty ' if empty else ''}wiki could not be started, so the live tests cannot run: {exc}"
        )
    try:
        yield LiveWiki(dev=dev, api=WikiApi(dev.api_url))
    finally:
        dev.stop()


@pytest.fixture(scope="session")
def wiki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveWiki]:
    with started_wiki(tmp_path_factory.mktemp("devwiki")) as live:
        yield live


@pytest.fixture(scope="session")
def seed() -> list[dict[str, Any]]:
    pages: list[dict[str, Any]] = yaml.safe_load(SEED_FILE.read_text(encoding="utf-8"))["pages"]
    return pages


def output(result: subprocess.CompletedProcess[str]) -> str:
    return result.stdout + result.stderr


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).parent.name == "live":
            item.add_marker(pytest.mark.live)
