"""The on-wiki shutoff page: may the bot edit?"""

from __future__ import annotations

import pywikibot

from bots.core.settings.pages_config import PagesConfig


def shutoff_reason(site: pywikibot.site.BaseSite, pages: PagesConfig) -> str | None:
    """Why the bot must not edit, per its on-wiki shutoff page (None: carry on)."""
    page = pywikibot.Page(site, pages.shutoff_page)
    if not page.exists():
        return None
    text = page.text.strip()
    if text == pages.shutoff_run_value:
        return None
    return (
        f"[[{pages.shutoff_page}]] says {text[:80]!r} instead of {pages.shutoff_run_value!r}: "
        "the bot is switched off there. Edit that page back to resume."
    )


def ready_to_edit(site: pywikibot.site.BaseSite, pages: PagesConfig) -> bool:
    """Log in and check the shutoff page; False (after saying why) if the bot must not edit."""
    site.login()
    reason = shutoff_reason(site, pages)
    if reason:
        pywikibot.error(reason)
        return False
    return True
