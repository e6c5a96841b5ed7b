"""Every infobox page, read with the revision cache: listed with revision ids, texts fetched only where changed."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import pywikibot

from bots.core.records.model import PageSnapshot
from bots.core.records.parse import holds_unread_infobox
from bots.core.runs import recent as changes
from bots.state.cache import Listed, PageCache
from bots.wiki.api import page_text, query_responses, titles_batch
from bots.wiki.read import template_page


def embeddedin_query(
    site: pywikibot.site.BaseSite, template: str, namespaces: Iterable[int], limit: int | str, **props: str
) -> dict[str, Any]:
    """The query for the pages that transclude the template (no redirects), with ``props`` and the wiki's time."""
    return {
        "action": "query",
        "generator": "embeddedin",
        "geititle": template_page(site, template).title(),
        "geinamespace": list(namespaces),
        "geifilterredir": "nonredirects",
        "geilimit": limit,
        "curtimestamp": 1,
        "formatversion": 2,
        **props,
    }


def list_infobox_revisions(
    site: pywikibot.site.BaseSite, template: str, namespaces: Iterable[int]
) -> tuple[list[Listed], str]:
    """Every page that transcludes the template, with its id and latest revision id, no text; and the wiki's time.

    pywikibot's page_embeddedin (prop=info): 5,000 pages a request for an account with
    apihighlimits (a bot, or a BotPassword with the high-volume grant), 500 otherwise, as a raw
    query (measured: 1 request at N=1,000, 2 at N=10,000, both ways). Redirects are left out.
    The time is the wiki's when the listing began: curtimestamp rides on the generator's first
    request (site.server_time() would cost one more).
    """
    pages = site.page_embeddedin(template_page(site, template), filter_redirects=False, namespaces=list(namespaces))
    pages.request["curtimestamp"] = True
    now = ""
    listed: list[Listed] = []
    for page in pages:
        now = now or _answer_time(pages)
        listed.append(Listed(pageid=page.pageid, title=page.title(), revid=page.latest_revision_id))
    return sorted(listed, key=lambda entry: entry.pageid), now or _answer_time(pages)


def _answer_time(generator: Any) -> str:
    """The wiki's time in the answer a pywikibot query generator holds now (its curtimestamp)."""
    return str(getattr(generator, "data", {}).get("curtimestamp", ""))


def fetch_texts(site: pywikibot.site.BaseSite, pageids: Iterable[int]) -> list[PageSnapshot]:
    """The latest text of each page (by id), 500 pages a request with apihighlimits (50 without).

    Raw, because pywikibot costs more: its load_pages_from_pageids reads no text (prop=info),
    and preloadpages asks by page id only for Pages that hold one, so by id it takes both,
    4 requests for 1,000 pages (N=10,000, 10% of the pages) where this query takes 2.
    """
    wanted = list(dict.fromkeys(pageids))
    batch = titles_batch(site)
    snapshots: list[PageSnapshot] = []
    for i in range(0, len(wanted), batch):
        params = {
            "action": "query",
            "pageids": wanted[i : i + batch],
            "prop": "revisions",
            "rvprop": "ids|content",
            "rvslots": "main",
            "formatversion": 2,
        }
        pages = sorted(merged_pages(query_responses(site, params)).items())
        snapshots.extend(api_snapshot(pageid, page) for pageid, page in pages if page.get("revisions"))  # else deleted
        pywikibot.info(f"Fetched {len(snapshots)} of {len(wanted)} pages...")
    return snapshots


def read_all_infobox_pages(
    site: pywikibot.site.BaseSite, template: str, namespaces: Iterable[int]
) -> tuple[list[PageSnapshot], str]:
    """Every infobox page with its text in one pass (no listing first), and the wiki's time when it began.

    generator=embeddedin with prop=revisions: 500 pages a request with apihighlimits
    (50 without), so a cold read costs ceil(N/500) requests. Redirects are left out.
    Raw, because pywikibot's page_embeddedin(content=True) caps a request that reads text at
    250 pages (QueryGenerator._handle_query_limit): 4 requests at N=1,000 and 40 at N=10,000
    where this query takes 2 and 20.
    """
    params = embeddedin_query(
        site, template, namespaces, titles_batch(site), prop="revisions", rvprop="ids|content", rvslots="main"
    )
    now = ""
    read = 0

    def responses() -> Iterator[dict[str, Any]]:
        nonlocal now, read
        for data in query_responses(site, params):
            now = now or str(data.get("curtimestamp", ""))
            read += len(data.get("query", {}).get("pages", ()))
            pywikibot.info(f"Read {read} pages...")
            yield data

    pages = sorted(merged_pages(responses()).items())
    snapshots = [api_snapshot(pageid, page) for pageid, page in pages if page.get("revisions")]
    return snapshots, now


def merged_pages(responses: Iterable[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """The pages of a continued query, one dict per page id.

    A continued query may give a page in several answers, each with part of its
    revisions or templates: those lists are joined, the other fields taken as given.
    """
    pages: dict[Any, dict[str, Any]] = {}
    for data in responses:
        for page in data.get("query", {}).get("pages", ()):
            merged = pages.setdefault(page.get("pageid"), {})
            for name, value in page.items():
                if isinstance(value, list):
                    merged.setdefault(name, []).extend(value)
                else:
                    merged[name] = value
    return pages


def api_snapshot(pageid: int, page: Mapping[str, Any]) -> PageSnapshot:
    """A page of a prop=revisions (ids|content) answer, with at least one revision, as a snapshot."""
    return PageSnapshot(
        title=page["title"], text=page_text(page), revid=int(page["revisions"][0]["revid"]), pageid=pageid
    )


def unread_infobox_pages(
    site: pywikibot.site.BaseSite, pageids: Iterable[int], names: Sequence[str]
) -> list[PageSnapshot]:
    """Of the pages read last run that the wiki no longer counts as using the infobox, those that
    still hold it in a form neither the wiki nor the bot reads (bots.core.records.parse.holds_unread_infobox).

    Read again, they are reported (ignored-infobox, no-infobox) instead of silently leaving the records.
    """
    unread = [snap for snap in fetch_texts(site, sorted(pageids)) if holds_unread_infobox(snap, names)]
    for snap in unread:
        pywikibot.warning(f"[[{snap.title}]] holds the infobox where the wiki does not read it: read, to be reported.")
    return unread


def read_infobox_snapshots(
    site: pywikibot.site.BaseSite,
    template: str,
    namespaces: Iterable[int],
    cache: PageCache,
    names: Sequence[str] = (),
) -> list[PageSnapshot]:
    """Every infobox page's snapshot, fetching the text only of pages the cache does not have.

    With an empty cache (the first run, or -full) every page is read with its text in one
    pass; otherwise the pages are listed (5,000 a request) and the texts of changed
    pages fetched (500 a request). The cache is left holding exactly the pages read,
    with the time the next -recent run starts from; it is the caller's to save.
    A page of the cache no longer listed that still holds the infobox where the wiki does
    not read it (``names``: the template's names) is read too, so that it is reported.
    """
    namespaces = list(namespaces)
    if cache.is_empty():
        snapshots, now = read_all_infobox_pages(site, template, namespaces)
        pywikibot.info(f"0 pages unchanged since the last run, {len(snapshots)} fetched (one pass, no cache).")
        fetched = snapshots
    else:
        listed, now = list_infobox_revisions(site, template, namespaces)
        pywikibot.info(f"Listed {len(listed)} pages that use the infobox.")
        known, to_fetch = cache.plan(listed)
        fetched = fetch_texts(site, [entry.pageid for entry in to_fetch])
        pywikibot.info(f"{len(known)} pages unchanged since the last run, {len(fetched)} fetched.")
        snapshots = known + fetched
        unread = unread_infobox_pages(site, set(cache.pageids()) - {e.pageid for e in listed}, names or [template])
        fetched += unread
        snapshots += unread
    cache.keep_only(snapshots)
    cache.fetched = len(fetched)
    if now:
        cache.start_next_run_at(changes.next_start(now), [])
    return snapshots


def list_page_revisions(site: pywikibot.site.BaseSite, template: str, namespaces: Iterable[int]) -> dict[str, int]:
    """The pages that transclude ``template`` (the volunteers' list template), with their latest revision ids."""
    listed, _ = list_infobox_revisions(site, template, namespaces)
    return {page.title: page.revid for page in listed}
