"""Screenshots of the local wiki for the README, taken with headless Chromium.

Usage:
    python -m scripts.screenshots [--out DIR] [--page TITLE]

Takes a screenshot of a partnership page and of the generated pages (the index and
the overview) from the running local wiki (scripts.devwiki; DEVWIKI_PORT selects its
port) and saves them as PNG files in docs/ (or --out). Run `make demo` first, so
that the infobox is installed and the generated pages are written. Debian's
`chromium` is installed with apt-get when it is missing (as root, or with sudo).
Not part of `make test`.

Exit codes: 0 done; 1 the wiki does not answer, or Chromium could not be installed or run.

Example:
    DEVWIKI_PORT=8096 make demo && DEVWIKI_PORT=8096 .venv/bin/python -m scripts.screenshots
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

from bots.config import load_config
from scripts.devwiki import PROJECT_DIR, DevWiki, argument_parser

DEFAULT_PAGE = "Partnerships/Orange web and mobile channels"
WINDOW = "1280,1400"
#: Flags that work in a container as root, with no network beyond the local wiki.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


class ScreenshotError(Exception):
    """Chromium is missing and cannot be installed, or a screenshot failed."""


def chromium() -> str:
    """The Chromium executable, installed with apt-get if missing."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    prefix: list[str] = []
    if os.geteuid() != 0:
        if shutil.which("sudo") is None:
            raise ScreenshotError("Chromium is not installed, and this is not root: run `apt-get install chromium`")
        prefix = ["sudo", "-n"]
    print("screenshots: installing chromium (apt-get, a minute or two)...", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
        result = subprocess.run(prefix + command, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            raise ScreenshotError(f"`{' '.join(command)}` failed:\n{result.stderr[-2000:]}")
    found = shutil.which("chromium")
    if not found:
        raise ScreenshotError("apt-get installed chromium, but it is not on PATH")
    return found


def screenshot(browser: str, url: str, target: Path) -> None:
    """One PNG of ``url``, with a fresh profile so that nothing from an earlier run leaks in."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        command = [
            browser,
            *FLAGS,
            f"--user-data-dir={profile}",
            f"--screenshot={target}",
            f"--window-size={WINDOW}",
            url,
        ]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    if result.returncode != 0 or not target.exists() or target.stat().st_size == 0:
        raise ScreenshotError(f"Chromium made no screenshot of {url}:\n{result.stderr[-2000:]}")


def purge(wiki: DevWiki, titles: list[str]) -> None:
    """Re-render the pages, so that links to pages written after them are not shown red."""
    data = urllib.parse.urlencode(
        {"action": "purge", "titles": "|".join(titles), "forcelinkupdate": "1", "format": "json"}
    ).encode()
    with urllib.request.urlopen(urllib.request.Request(wiki.api_url, data=data), timeout=60) as response:
        response.read()


def file_name(title: str) -> str:
    """A file name from a page title: 'Task force/X/Index' -> 'index.png'."""
    last = title.rsplit("/", 1)[-1]
    return "".join(c if c.isalnum() else "-" for c in last.lower()).strip("-") + ".png"


def main(*args: str) -> int:
    parser = argument_parser("python -m scripts.screenshots", __doc__)
    parser.add_argument("--out", type=Path, default=PROJECT_DIR / "docs", help="folder for the PNG files (docs/)")
    parser.add_argument("--page", default=DEFAULT_PAGE, help=f"the partnership page to show ({DEFAULT_PAGE})")
    options = parser.parse_args(args)
    wiki = DevWiki.from_env()
    if not wiki.responds():
        print(f"screenshots: no wiki answers at {wiki.url}; run `make demo` first", file=sys.stderr)
        return 1
    pages = load_config().pages
    shots = {
        options.page: "partnership-page.png",
        pages.title_of("index"): file_name(pages.title_of("index")),
        pages.title_of("overview"): file_name(pages.title_of("overview")),
    }
    try:
        browser = chromium()
        purge(wiki, list(shots))
        for title, name in shots.items():
            screenshot(browser, wiki.page_url(title), options.out / name)
            print(f"screenshots: {title} -> {options.out / name}", flush=True)
    except (ScreenshotError, subprocess.TimeoutExpired, OSError) as exc:
        print(f"screenshots: error: {exc}", file=sys.stderr)
        return 1
    return 0


def console_main() -> None:
    sys.exit(main(*sys.argv[1:]))


if __name__ == "__main__":
    console_main()
