"""Live tests: a fresh local MediaWiki for the session, on a free port.

These tests never skip: if the wiki cannot be installed or started, they fail
and say why (in CI, and on a developer's machine alike).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from bots.config import DEFAULT_CONFIG_DIR, load_config
from scripts.devwiki import PROJECT_DIR, SEED_FILE, DevWiki, DevWikiError, free_port
from tests.live.faultproxy import FaultProxy
from tests.live.wikiapi import WikiApi


def run_module(module: str, *args: str, pywikibot_dir: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run ``python -m module args`` as a user would, with the pywikibot config of ``pywikibot_dir``.

    From the project folder, no terminal on standard input, output captured as text.
    """
    env = {**os.environ, "PYWIKIBOT_DIR": str(pywikibot_dir), "PYTHONUNBUFFERED": "1"}
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        env=env,
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


@dataclass
class LiveWiki:
    dev: DevWiki
    api: WikiApi

    def run(self, module: str, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        """Run ``python -m module args`` against this wiki, as a user would."""
        return run_module(module, *args, pywikibot_dir=self.dev.pywikibot_dir, timeout=timeout)


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


@pytest.fixture(scope="module")
def proxy(wiki: LiveWiki) -> Iterator[FaultProxy]:
    """A fault-injection proxy in front of the session's wiki, for one test module (tests/live/faultproxy.py)."""
    with FaultProxy(upstream_port=wiki.dev.port) as running:
        yield running


@pytest.fixture(scope="session")
def seed() -> list[dict[str, Any]]:
    pages: list[dict[str, Any]] = yaml.safe_load(SEED_FILE.read_text(encoding="utf-8"))["pages"]
    return pages


@pytest.fixture
def restore(wiki: LiveWiki) -> Iterator[Callable[[str], str]]:
    """``restore(title)`` returns the page's text now and puts it back after the test, passed or failed.

    For a test that edits a page it does not own (a generated page, the infobox), so that
    a failure half-way does not leave the shared wiki broken for every later test.
    """
    saved: dict[str, str] = {}

    def remember(title: str) -> str:
        return saved.setdefault(title, wiki.api.text(title))

    yield remember
    for title, text in reversed(saved.items()):
        if wiki.api.text(title) != text:
            wiki.api.edit(title, text, summary="Put back as it was before a test")


@contextmanager
def switched_off(wiki: LiveWiki, reason: str = "stop: a live test switched the bots off") -> Iterator[str]:
    """The shutoff page says ``reason`` inside the block, and is put back as it was on leaving it, whatever happens.

    Yields the shutoff page's title. Left switched off, it would stop every later live test with exit 3.
    """
    shutoff = load_config().pages.shutoff_page
    original = wiki.api.text(shutoff)
    wiki.api.edit(shutoff, reason)
    try:
        yield shutoff
    finally:
        wiki.api.edit(shutoff, original, summary="Switched on again after a test")


def output(result: subprocess.CompletedProcess[str]) -> str:
    return result.stdout + result.stderr


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).parent.name == "live":
            item.add_marker(pytest.mark.live)


def settings_with_status(folder: Path, prefix: str, status: dict[str, Any]) -> dict[str, Any]:
    """A copy of config/ in ``folder`` whose generated pages live under ``prefix`` and whose
    status page is ``status`` (pages.yaml's `status:`); the pages settings, to adjust and write back."""
    shutil.copy(DEFAULT_CONFIG_DIR / "schema.yaml", folder / "schema.yaml")
    pages: dict[str, Any] = yaml.safe_load((DEFAULT_CONFIG_DIR / "pages.yaml").read_text(encoding="utf-8"))
    for key, page in pages["generated"].items():
        page["title"] = f"{prefix}/{key}"
    pages["status"] = status
    (folder / "pages.yaml").write_text(yaml.safe_dump(pages), encoding="utf-8")
    return pages


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless Chromium driven by Selenium (scripts/browser.py); fails, never skips, if it cannot start."""
    from scripts.browser import BrowserError, headless_chromium

    try:
        with headless_chromium() as chrome:
            yield chrome
    except BrowserError as exc:
        pytest.fail(f"The browser tests cannot run: {exc}")


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the browser tests save screenshots: $SCREENSHOTS_DIR (docs/ for make screenshots) or a temporary one."""
    folder = os.environ.get("SCREENSHOTS_DIR")
    return Path(folder).resolve() if folder else tmp_path_factory.mktemp("screenshots")
