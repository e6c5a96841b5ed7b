"""What the bots say about saves: the save-error wording, the closing count's word, the "last updated" time."""

from __future__ import annotations

import pywikibot


def updated_now() -> str:
    """The "last updated" time shown on generated pages."""
    return str(pywikibot.Timestamp.now().strftime("%Y-%m-%d %H:%M UTC"))


def saved_word() -> str:
    """How the closing count names the pages saved: under -simulate, none was."""
    return "would be saved (simulation)" if pywikibot.config.simulate else "saved"


def save_error_reason(error: pywikibot.exceptions.PageSaveRelatedError) -> str:
    """What the wiki refused, and what a person can do about it."""
    if isinstance(error, pywikibot.exceptions.LockedPageError):
        return (
            "the page is protected and the bot's account may not edit it. Ask an administrator to lower the "
            "protection (or to make the bot an editor of protected pages), or remove the page from pages.yaml."
        )
    if isinstance(error, pywikibot.exceptions.SpamblacklistError):
        return (
            f"the wiki's spam blacklist refused a link in the new text ({error.url}). Remove that link from "
            "the partnership page it came from, or ask an administrator to allow it."
        )
    if isinstance(error, pywikibot.exceptions.AbuseFilterDisallowedError):
        info = " ".join(str(error.info).split())
        return f"an abuse filter refused the edit: {info[:300]}. Ask an administrator to look at the filter log."
    return " ".join(str(error).split())
