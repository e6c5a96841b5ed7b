"""Move a page on the local wiki as the bot account, leaving a redirect behind (for the live tests).

Usage: PYWIKIBOT_DIR=... python -m tests.live.move_page OLD_TITLE NEW_TITLE
"""

from __future__ import annotations

import sys

import pywikibot


def main(old: str, new: str) -> int:
    site = pywikibot.Site()
    site.login()
    pywikibot.Page(site, old).move(new, reason="Live test: a volunteer renames a partnership page", noredirect=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
