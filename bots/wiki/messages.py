"""What the bots say about saves: the edit summary's link to the task page, the save-error wording, the closing
count's word, the "last updated" time."""

from __future__ import annotations

import pywikibot

#: MediaWiki cuts edit summaries at 500 characters.
SUMMARY_MAX = 500


def with_task_link(summary: str, task_page: str) -> str:
    """The edit summary with a link to the bot's task page (pages.yaml's ``task_page``; empty: none).

    Every save's summary passes here (bots.wiki.save), so that anyone looking at an edit finds what the bot
    does, who runs it and how to stop it. A summary too long for the link is shortened, the link kept whole.
    """
    if not task_page:
        return summary
    link = f" ([[{task_page}|bot task]])"
    room = SUMMARY_MAX - len(link)
    if len(summary) > room:
        summary = summary[: room - 1].rstrip() + "…"
    return summary + link


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
            "the page it came from, or ask an administrator to allow it."
        )
    if isinstance(error, pywikibot.exceptions.AbuseFilterDisallowedError):
        info = " ".join(str(error.info).split())
        return f"an abuse filter refused the edit: {info[:300]}. Ask an administrator to look at the filter log."
    return " ".join(str(error).split())
