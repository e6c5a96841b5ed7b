"""The titles the config names, checked against the wiki itself: its namespaces and interwiki map.

pages.yaml is checked on its own at start (bots.core.settings.page_titles); whether ``Wikipedia:Museums``
is a page of this wiki or a link to another depends on the wiki, so it is checked once logged in,
before the first page is read or saved: pywikibot would otherwise take it as an interwiki link and
reach for the other wiki.
"""

from __future__ import annotations

import pywikibot

from bots.core.pipeline import Config
from bots.core.settings.page_titles import foreign_title_problem


def foreign_titles_reason(site: pywikibot.site.BaseSite, config: Config) -> str:
    """Why a title the config names is no page of ``site``, with where pages.yaml names it ("": all are)."""
    namespaces = {
        name.casefold()
        for namespace in site.namespaces.values()
        for name in (namespace.custom_name, namespace.canonical_name, *namespace.aliases)
        if name
    }
    interwiki = {str(entry["prefix"]).casefold() for entry in site.siteinfo["interwikimap"]}
    for title, where in config.title_places.items():
        problem = foreign_title_problem(title, namespaces, interwiki)
        if problem:
            return f"{where}: {problem}"
    return ""
