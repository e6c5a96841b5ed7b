"""Save the bot's cross-page findings into the JSON data pages the Lua infobox reads (issue 19).

The main job calls ``save_findings`` after the report, with the run's issues. The index
and every shard page are read (a few requests: they are preloaded 50 at a time), and only a shard whose
findings changed is saved, through the same guarded path as every bot write (shutoff
page, {{nobots}}, edit conflicts, no write under a redirect). A missing shard is created
only when it has findings; a shard that had findings and has none now is emptied to ``{}``. So is every
shard page the run no longer writes (findings switched off in config/pages.yaml, or fewer shards), found by
one listing of the module's subpages: no finding outlives the settings that made it. Switched off, the
index is emptied too (after the shards), so the module reads no shard, and later runs read the index only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pywikibot

from bots.core.onwiki.findings import (
    SUMMARY,
    findings_pages,
    index_title,
    same_findings,
    shard_prefix,
    shard_text,
    stale_shards,
)
from bots.core.onwiki.infobox import title
from bots.core.onwiki.lua import problem_codes
from bots.core.pipeline import Config
from bots.core.records.model import Issue
from bots.core.settings.pages_config import PagesConfig
from bots.wiki.read import preloaded_with_templates
from bots.wiki.save import SaveIfChangedBot


class FindingsBot(SaveIfChangedBot):
    """Writes each shard's findings where they differ from the page's (compared as JSON: the wiki re-formats it)."""

    def __init__(
        self,
        site: pywikibot.site.BaseSite,
        texts: Mapping[str, str],
        *,
        stale: Mapping[str, str] | None = None,
        shutoff: PagesConfig | None,
        **kwargs: Any,
    ) -> None:
        """``texts``: the title of the index and of every shard -> its text; ``stale``: the shards no longer
        written -> an empty shard."""
        self.texts = {**(stale or {}), **texts}  # the stale shards before the index that stops their reading
        self.stale = set(stale or {})
        #: The stale shards that still held findings, emptied by this run (where the save went through).
        self.emptied: list[str] = []
        super().__init__(site, self.texts, shutoff=shutoff, **kwargs)

    def summary(self, title: str) -> str:
        return SUMMARY

    def plan(self, title: str, old: str) -> str | None:
        new = self.texts[title]
        if same_findings(old, new):
            self.unchanged(title)
            return None
        if title in self.stale:
            self.emptied.append(title)
        return new


def save_findings(
    site: pywikibot.site.BaseSite, config: Config, issues: Iterable[Issue], *, always: bool
) -> FindingsBot | None:
    """Save the shards whose findings changed, and empty the shards no longer written (findings switched off in
    the settings, or fewer shards) that still hold findings; the bot that did it (its ``refused`` says what
    failed), or None when the infobox is not the Lua module, not installed or the wiki's own (nothing would read
    them)."""
    schema, shards = config.schema, config.pages.findings_shards
    if schema.existing or schema.engine != "lua":  # the wiki's own infobox reads no findings of ours
        return None
    module = title("Module", schema.template)
    if not pywikibot.Page(site, module).exists():
        if shards:
            pywikibot.info(f"No [[{module}]]: the findings are written once the infobox is installed.")
        return None
    if shards:
        texts = findings_pages(issues, problem_codes(schema), module, shards, config.pages.status_page)
    else:  # switched off: the index emptied last, so the next runs need only read it
        texts = {index_title(module): shard_text({})}
        if same_findings(pywikibot.Page(site, index_title(module)).text, texts[index_title(module)]):
            return None
    stale = stale_shards(shard_pages(site, module), module, texts)
    pages = changed_pages(site, {**stale, **texts})
    bot = FindingsBot(site, texts, stale=stale, pages=pages, shutoff=config.pages, always=always)
    bot.run()
    if bot.emptied:
        why = "findings are off (findings: in pages.yaml)" if not shards else f"there are {shards} shards now"
        pywikibot.info(f"Emptied {len(bot.emptied)} findings page(s) that still held findings: {why}.")
    return bot


def changed_pages(site: pywikibot.site.BaseSite, texts: Mapping[str, str]) -> list[pywikibot.Page]:
    """The pages of ``texts`` (read 50 a request, with their templates for {{nobots}}) whose findings differ from
    the new text's: the bot walks only those (each page it walks costs time even unchanged: of a follow round,
    the findings' latency, about 60 ms a shard on the development VM)."""
    order = {title: number for number, title in enumerate(texts)}  # the stale shards before the index
    pages = sorted(preloaded_with_templates(site, texts), key=lambda page: order[page.title()])
    return [page for page in pages if not same_findings(page.text if page.exists() else "", texts[page.title()])]


def shard_pages(site: pywikibot.site.BaseSite, module: str) -> list[str]:
    """The titles of the findings pages of the module on the wiki (one listing request per 500)."""
    prefix = pywikibot.Page(site, shard_prefix(module))
    listed = site.allpages(prefix=prefix.title(with_ns=False), namespace=prefix.namespace(), content=False)
    return [page.title() for page in listed]
