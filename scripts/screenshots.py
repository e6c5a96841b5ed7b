"""Screenshots of the local wiki for the README, taken with headless Chromium.

Usage:
    python -m scripts.screenshots [--out DIR] [--page TITLE]

Takes a screenshot of a partnership page and of the generated pages (the index and
the overview) from the running local wiki (scripts.devwiki; DEVWIKI_PORT selects its
port) and saves them as PNG files in docs/ (or --out). Run `make demo` first, so
that the infobox is installed and the generated pages are written. Debian's
`chromium` and `chromium-driver` are installed with apt-get when missing (scripts/browser.py).
Not part of `make test`.

Exit codes: 0 done; 1 the wiki does not answer, or Chromium could not be installed or run.

Example:
    DEVWIKI_PORT=8096 make demo && DEVWIKI_PORT=8096 .venv/bin/python -m scripts.screenshots
"""

from __future__ import annotations

import sys
import urllib.parse
import urllib.request
from pathlib import Path

from bots.config import load_config
from scripts.browser import BrowserError, headless_chromium, save_screenshot
from scripts.devwiki import PROJECT_DIR, DevWiki, argument_parser

DEFAULT_PAGE = "Partnerships/Orange web and mobile channels"


def screenshot(url: str, target: Path) -> None:
    """One PNG of ``url`` in a fresh headless Chromium."""
    with headless_chromium() as chrome:
        chrome.get(url)
        save_screenshot(chrome, target)


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
        purge(wiki, list(shots))
        for title, name in shots.items():
            screenshot(wiki.page_url(title), options.out / name)
            print(f"screenshots: {title} -> {options.out / name}", flush=True)
    except (BrowserError, OSError) as exc:
        print(f"screenshots: error: {exc}", file=sys.stderr)
        return 1
    return 0


def console_main() -> None:
    sys.exit(main(*sys.argv[1:]))


if __name__ == "__main__":
    console_main()
