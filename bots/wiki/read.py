"""Reading pages through pywikibot: snapshots with preloading, the infobox's pages and names, redirects."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pywikibot
from pywikibot import pagegenerators

from bots.core.records.model import PageSnapshot

PROGRESS_EVERY = 50


def snapshot(page: pywikibot.Page) -> PageSnapshot:
    return PageSnapshot(
        title=page.title(),
        text=page.text,
        revid=page.latest_revision_id,
        pageid=page.pageid,
    )


def template_page(site: pywikibot.site.BaseSite, name: str) -> pywikibot.Page:
    return pywikibot.Page(site, name, ns=10)


def template_names(site: pywikibot.site.BaseSite, name: str, aliases: Iterable[str]) -> list[str]:
    """The infobox's name, its configured aliases and every redirect to it on the wiki."""
    names = [name, *aliases]
    for redirect in template_page(site, name).redirects(namespaces=[10]):
        title = redirect.title(with_ns=False)
        if title not in names:
            names.append(title)
    return names


def infobox_pages(
    site: pywikibot.site.BaseSite, template: str, namespaces: Iterable[int], content: bool = True
) -> Iterator[pywikibot.Page]:
    """Every page that transcludes the template (directly or through a redirect), text preloaded if ``content``."""
    pages: Iterator[pywikibot.Page] = template_page(site, template).getReferences(
        only_template_inclusion=True, namespaces=list(namespaces), content=content
    )
    return pages


@dataclass(frozen=True)
class SkippedPage:
    """A page read_snapshots did not read, and why: it does not exist, or it is a redirect."""

    title: str
    missing: bool
    #: Where a redirect leads ("" for a missing page, or a redirect whose target cannot be told).
    redirect_to: str = ""


def skipped_page(page: pywikibot.Page) -> SkippedPage | None:
    """Why a page cannot be read as a record (None: it can)."""
    if not page.exists():
        return SkippedPage(page.title(), missing=True)
    if not page.isRedirectPage():
        return None
    try:
        target = page.getRedirectTarget().title()
    except (pywikibot.exceptions.CircularRedirectError, pywikibot.exceptions.InterwikiRedirectPageError):
        target = ""
    return SkippedPage(page.title(), missing=False, redirect_to=target)


def read_snapshots(
    pages: Iterable[pywikibot.Page],
    skipped: list[SkippedPage] | None = None,
) -> list[PageSnapshot]:
    """Read pages once each, printing a line of progress now and then.

    Missing pages and redirects are not read; they go to ``skipped`` (with the reason) when it is given.
    """
    snapshots = []
    seen: set[str] = set()
    for page in pages:
        title = page.title()
        if title in seen:
            continue
        seen.add(title)
        skip = skipped_page(page)
        if skip is not None:
            if skipped is not None:
                skipped.append(skip)
            continue
        snapshots.append(snapshot(page))
        if len(snapshots) % PROGRESS_EVERY == 0:
            pywikibot.info(f"Read {len(snapshots)} pages...")
    pywikibot.info(
        f"Read {len(snapshots)} pages" + (f", skipped {len(skipped)} missing or redirects." if skipped else ".")
    )
    return snapshots


def resolved_titles(pages: Iterable[pywikibot.Page]) -> set[str]:
    """The titles of a generator's pages, a redirect standing for the page it leads to."""
    return {page.getRedirectTarget().title() if page.isRedirectPage() else page.title() for page in pages}


def pages_with_region(site: pywikibot.site.BaseSite, prefix: str, region_start: str) -> list[PageSnapshot]:
    """The pages whose title starts with ``prefix`` (redirects left out) that carry a bot-owned region.

    One allpages listing with the text, 50 pages per request (the cross-linking's
    recommendation pages, so that one no record names any more is still rewritten).
    """
    if not prefix:
        return []
    pages = pagegenerators.PrefixingPageGenerator(prefix, site=site, content=True, filterredir=False)
    return [snapshot(page) for page in pages if region_start in page.text]


def redirect_target(page: pywikibot.Page) -> str:
    """Where a redirect page leads ("" when that cannot be told)."""
    try:
        return str(page.getRedirectTarget().title())
    except (pywikibot.exceptions.CircularRedirectError, pywikibot.exceptions.InterwikiRedirectPageError):
        return ""


def preloaded_with_templates(site: pywikibot.site.BaseSite, titles: Iterable[str]) -> Iterator[pywikibot.Page]:
    """The pages of ``titles``, 50 a request, with their text and templates (read when first asked for)."""
    pages = [pywikibot.Page(site, title) for title in titles]
    yield from site.preloadpages(pages, groupsize=50, templates=True)
