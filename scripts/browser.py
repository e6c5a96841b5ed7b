"""A real browser for the live tests and the README's screenshots: Debian's headless Chromium.

Driven through Selenium (from PyPI) with Debian's ``chromium-driver``, so that nothing is
downloaded at run time (Selenium Manager is never asked: both paths are given). Both
packages are installed with apt-get when missing (as root, or with sudo). A dev tool: not
installed with the bot.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from scripts.devwiki import apt_install

#: Debian's packages: the browser and the driver of the same version.
PACKAGES = ("chromium", "chromium-driver")
#: The width volunteers' screens have at least (and the README's screenshots).
WINDOW = (1280, 1400)
#: Flags that work in a container as root, with no network beyond the local wiki: without
#: the background-networking ones Chromium keeps trying to reach Google's hosts.
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


class BrowserError(Exception):
    """Chromium or its driver is missing and cannot be installed, or does not start."""


def _installed() -> tuple[str, str] | None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


def ensure_chromium() -> tuple[str, str]:
    """The paths of Chromium and ChromeDriver, installed with apt-get if missing (a minute or two)."""
    found = _installed()
    if found:
        return found
    problem = apt_install(PACKAGES, "browser", "a minute or two")
    if problem:
        raise BrowserError(f"Chromium is not installed: {problem}")
    found = _installed()
    if not found:
        raise BrowserError(f"apt-get installed {' '.join(PACKAGES)}, but chromium or chromedriver is not on PATH")
    return found


@contextmanager
def headless_chromium(width: int = WINDOW[0], height: int = WINDOW[1]) -> Iterator[webdriver.Chrome]:
    """A headless Chromium driven by Selenium, with a fresh profile (nothing leaks between runs)."""
    browser, driver = ensure_chromium()
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = browser
        for flag in (*FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}"):
            options.add_argument(flag)
        try:
            chrome = webdriver.Chrome(options=options, service=Service(executable_path=driver))
        except Exception as exc:  # selenium's errors have no common base below WebDriverException
            raise BrowserError(f"Chromium did not start under {driver}: {exc}") from exc
        try:
            chrome.set_page_load_timeout(120)
            yield chrome
        finally:
            chrome.quit()


def save_screenshot(chrome: webdriver.Chrome, target: Path) -> Path:
    """A PNG of the whole page (as tall as its content, at the window's width)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    width = chrome.get_window_size()["width"]
    height = int(chrome.execute_script("return document.documentElement.scrollHeight") or WINDOW[1])
    chrome.set_window_size(width, min(max(height, 400), 4000))
    if not chrome.save_screenshot(str(target)):
        raise BrowserError(f"Chromium made no screenshot for {target}")
    return target


def main(*args: str) -> int:
    """``python -m scripts.browser packages``: install Chromium and its driver if missing (make test does)."""
    if list(args) != ["packages"]:
        print("usage: python -m scripts.browser packages   (installs Debian's chromium and chromium-driver)")
        return 2
    try:
        browser, driver = ensure_chromium()
    except BrowserError as exc:
        print(f"browser: error: {exc}")
        return 1
    print(f"browser: {browser}, {driver}")
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(*sys.argv[1:]))
