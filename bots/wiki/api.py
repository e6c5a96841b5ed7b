"""Raw MediaWiki API queries: continuation, batch sizes, page text out of an answer.

Kept for the reads where pywikibot's own generators cost more requests (each caller gives the numbers).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pywikibot

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


def titles_batch(site: pywikibot.site.BaseSite) -> int:
    """Titles or page ids per request, their text included: 500 with apihighlimits, 50 without."""
    return 500 if site.has_right("apihighlimits") else TITLES_PER_REQUEST


def page_text(page: Mapping[str, Any]) -> str:
    revisions = page.get("revisions") or [{}]
    return str(revisions[0].get("slots", {}).get("main", {}).get("content", ""))
