"""-recent: reading only the pages the wiki's recent changes name since the last run."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import pywikibot

from bots.core.runs import recent as changes
from bots.state.cache import PageCache
from bots.wiki.api import query_responses
from bots.wiki.read import template_page


def recent_fallback_reason(site: pywikibot.site.BaseSite, cache: PageCache) -> str:
    """Why recent changes will not do for this run ("" when they will); no request."""
    if cache.note:
        return f"the revision cache cannot be used whole ({cache.note})"
    if cache.is_empty():
        return "the revision cache is empty"
    # $wgRCMaxAge: MediaWiki 1.39 does not expose it in siteinfo; the default is assumed then.
    max_age = site.siteinfo.get("general").get("rcmaxage")
    age = timedelta(seconds=int(max_age)) if isinstance(max_age, int) and max_age > 0 else None
    return changes.fallback_reason(cache.since, datetime.now(timezone.utc), age)


@dataclass(frozen=True)
class RecentRows:
    """What the wiki's recent changes say since a time: its rows, the move log's, the wiki's time then."""

    rows: list[dict[str, Any]]
    moves: list[dict[str, Any]]
    now: str
    #: More than MAX_RC_REQUESTS requests would be needed: the rows are incomplete.
    truncated: bool = False


def recent_changes(site: pywikibot.site.BaseSite, since: str, namespaces: Iterable[int]) -> RecentRows:
    """Recent changes since ``since`` (inclusive) in the namespaces, and every move since, in one query.

    Edits, page creations and log entries (5,000 rows a request with apihighlimits), and
    the move log of every namespace (a move into the namespaces is logged where the page
    came from). Stops after MAX_RC_REQUESTS requests (the caller then lists every page).
    Raw, because one query asks both lists: pywikibot's site.recentchanges and site.logevents
    are a generator each, 2 requests at N=1,000 and at N=10,000 where this query takes 1.
    """
    params = {
        "action": "query",
        "list": "recentchanges|logevents",
        "rcstart": since,
        "rcdir": "newer",
        "rcnamespace": list(namespaces),
        "rctype": "edit|new|log",
        "rcprop": "title|ids|timestamp|loginfo",
        "rclimit": "max",
        "lestart": since,
        "ledir": "newer",
        "letype": "move",
        "leprop": "title|ids|type|timestamp|details",
        "lelimit": "max",
        "curtimestamp": 1,
        "formatversion": 2,
    }
    rows: list[dict[str, Any]] = []
    moves: list[dict[str, Any]] = []
    now = ""
    for requests, data in enumerate(query_responses(site, params), start=1):
        now = now or str(data.get("curtimestamp", ""))
        rows.extend(data.get("query", {}).get("recentchanges", ()))
        moves.extend(data.get("query", {}).get("logevents", ()))
        if requests == changes.MAX_RC_REQUESTS and "continue" in data:
            return RecentRows(rows=rows, moves=moves, now=now, truncated=True)
    return RecentRows(rows=rows, moves=moves, now=now)


def look_up_pages(site: pywikibot.site.BaseSite, titles: Iterable[str], template: str) -> list[changes.Found]:
    """Each title as the wiki has it now: id, namespace, redirect or not, latest revision,
    whether it transcludes the template, and its text; 500 titles a request with apihighlimits (50 without).

    pywikibot's preloadpages with the templates: as many requests as a raw query (measured:
    1 for the 100 pages of a 1% change at N=10,000, 2 for 1,000). A page that uses the
    template through a redirect lists both, as list=embeddedin does.
    """
    name = template_page(site, template).title()
    pages = [pywikibot.Page(site, title) for title in dict.fromkeys(titles)]
    found: list[changes.Found] = []
    for page in site.preloadpages(pages, templates=True):
        exists = page.exists()
        found.append(
            changes.Found(
                title=page.title(),
                pageid=page.pageid if exists else 0,
                revid=page.latest_revision_id if exists else 0,
                ns=page.namespace().id,
                redirect=exists and page.isRedirectPage(),
                uses_infobox=exists and any(used.title() == name for used in page.templates()),
                text=page.text if exists else None,
            )
        )
    return found


def read_recent_update(
    site: pywikibot.site.BaseSite, template: str, namespaces: Iterable[int], cache: PageCache
) -> changes.Update | None:
    """-recent: look at the pages recent changes name, and store what changed in the cache.

    None (after saying why) when recent changes will not do: the caller then lists
    every page (read_infobox_snapshots). Reads no cached page that recent changes do not name.
    """
    namespaces = list(namespaces)
    reason = recent_fallback_reason(site, cache)
    update = None if reason else _recent_update(site, template, namespaces, cache)
    if update is None:
        pywikibot.info(f"-recent: listing every page instead, because {reason or cache.note}.")
    return update


def _recent_update(
    site: pywikibot.site.BaseSite, template: str, namespaces: list[int], cache: PageCache
) -> changes.Update | None:
    recent = recent_changes(site, cache.since, namespaces)
    if recent.truncated:
        cache.note = f"more than {changes.MAX_RC_REQUESTS} requests of recent changes since {cache.since}"
        return None
    known = cache.known()
    plan = changes.plan_recent(recent.rows, recent.moves, namespaces, known, cache.seen)
    if plan.incomplete or not recent.now:
        cache.note = plan.incomplete or "the wiki did not give its time"
        return None
    pywikibot.info(
        f"Recent changes since {cache.since}: {plan.rows} rows ({plan.skipped} seen already), "
        f"{len(plan.titles)} pages to look at."
    )
    found = look_up_pages(site, plan.titles, template) if plan.titles else []
    update = changes.apply_lookup(known, found, namespaces, known.holder)
    for old, new in update.renamed:
        pywikibot.info(f"Moved: [[{old}]] -> [[{new}]]")
    for pageid in sorted(update.drop):
        pywikibot.info(f"No longer an infobox page (deleted, moved away or infobox removed): [[{known[pageid].title}]]")
    cache.apply(update)
    cache.start_next_run_at(
        changes.next_start(recent.now),
        changes.seen_since([*recent.rows, *recent.moves], changes.next_start(recent.now)),
    )
    return update
