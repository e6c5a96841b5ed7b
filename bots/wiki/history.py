"""A page's history and logs: its log entries, the bot account's own last save, latest revision ids."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pywikibot

from bots.core.pages.guard import OwnSave
from bots.wiki.api import page_text, titles_batch


def title_log(site: pywikibot.site.BaseSite, title: str) -> list[dict[str, Any]]:
    """The newest 50 log entries of one title (moves and deletions among them), newest first; one request."""
    params = {
        "action": "query",
        "list": "logevents",
        "letitle": title,
        "leprop": "title|type|user|timestamp|details",
        "lelimit": 50,
        "formatversion": 2,
    }
    events: list[dict[str, Any]] = site.simple_request(**params).submit().get("query", {}).get("logevents", [])
    return events


def own_last_save(site: pywikibot.site.BaseSite, title: str) -> OwnSave | None:
    """The page as the logged-in account last saved it, and who saved it after; None if it never did.

    Two requests: the account's latest revision of the page with its text, and the users of at
    most 50 revisions after it. Asked only when the account did not make the page's latest revision.
    """
    user = site.user()
    if not user:
        return None
    data = site.simple_request(
        action="query", titles=[title], prop="revisions", rvuser=user, rvlimit=1,
        rvprop="ids|content", rvslots="main", formatversion=2,
    ).submit()  # fmt: skip
    pages = data.get("query", {}).get("pages") or [{}]
    if not pages[0].get("revisions"):
        return None
    revid = int(pages[0]["revisions"][0]["revid"])
    data = site.simple_request(
        action="query", titles=[title], prop="revisions", rvendid=revid, rvlimit=50, rvprop="ids|user", formatversion=2
    ).submit()
    later = (data.get("query", {}).get("pages") or [{}])[0].get("revisions", ())
    editors = dict.fromkeys(str(r.get("user", "")) for r in later if int(r.get("revid", 0)) != revid)
    return OwnSave(page_text(pages[0]), revid, tuple(name for name in editors if name and name != user))


def latest_revisions(site: pywikibot.site.BaseSite, titles: Iterable[str]) -> dict[str, int]:
    """Each title's latest revision id (0 for a missing page), as given; one request per titles_batch titles."""
    wanted = list(dict.fromkeys(titles))
    revisions: dict[str, int] = {}
    batch = titles_batch(site)
    for i in range(0, len(wanted), batch):
        chunk = wanted[i : i + batch]
        data = site.simple_request(action="query", titles=chunk, prop="info", formatversion=2).submit()
        query = data.get("query", {})
        spelled = {step["from"]: step["to"] for step in query.get("normalized", ())}
        found = {page["title"]: int(page.get("lastrevid", 0)) for page in query.get("pages", ())}
        revisions.update({title: found.get(spelled.get(title, title), 0) for title in chunk})
    return revisions
