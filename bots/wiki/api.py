"""Raw MediaWiki API queries: continuation, merging continued pages, batch sizes, page text out of an answer.

Kept for the reads where pywikibot's own generators cost more requests (see each caller).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import pywikibot

from bots.core.records.model import PageSnapshot

#: Titles per API request when looking up linked pages (the API's limit without apihighlimits).
TITLES_PER_REQUEST = 50


def query_responses(site: pywikibot.site.BaseSite, params: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """Every answer of one API query, following its continuation."""
    request = dict(params)
    while True:
        data: dict[str, Any] = site.simple_request(**request).submit()
        yield data
        if "continue" not in data:
            return
        request.update(data["continue"])


def merged_pages(responses: Iterable[dict[str, Any]], key: str) -> dict[Any, dict[str, Any]]:
    """The pages of a continued query, one dict per page (``key``: "pageid" or "title").

    A continued query may give a page in several answers, each with part of its
    revisions or templates: those lists are joined, the other fields taken as given.
    """
    pages: dict[Any, dict[str, Any]] = {}
    for data in responses:
        for page in data.get("query", {}).get("pages", ()):
            merged = pages.setdefault(page.get(key), {})
            for name, value in page.items():
                if isinstance(value, list):
                    merged.setdefault(name, []).extend(value)
                else:
                    merged[name] = value
    return pages


def titles_batch(site: pywikibot.site.BaseSite) -> int:
    """Titles or page ids per request, their text included: 500 with apihighlimits, 50 without."""
    return 500 if site.has_right("apihighlimits") else TITLES_PER_REQUEST


def page_text(page: Mapping[str, Any]) -> str:
    revisions = page.get("revisions") or [{}]
    return str(revisions[0].get("slots", {}).get("main", {}).get("content", ""))


def api_snapshot(pageid: int, page: Mapping[str, Any]) -> PageSnapshot:
    """A page of a prop=revisions (ids|content) answer, with at least one revision, as a snapshot."""
    return PageSnapshot(
        title=page["title"], text=page_text(page), revid=int(page["revisions"][0]["revid"]), pageid=pageid
    )
