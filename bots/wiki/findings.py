"""Save the bot's cross-page findings into the JSON data pages the Lua infobox reads (issue 19).

The main job calls ``save_findings`` after the report, with the run's issues. The index
and every shard page are read (a few requests: they are preloaded 50 at a time), and only a shard whose
findings changed is saved, through the same guarded path as every bot write (shutoff
page, {{nobots}}, edit conflicts, no write under a redirect). A missing shard is created
only when it has findings; a shard that had findings and has none now is emptied to ``{}``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pywikibot

from bots.core.onwiki.findings import SUMMARY, findings_pages, same_findings
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
        self, site: pywikibot.site.BaseSite, texts: Mapping[str, str], *, shutoff: PagesConfig | None, **kwargs: Any
    ) -> None:
        """``texts``: the title of the index and of every shard -> its text."""
        self.texts = dict(texts)
        super().__init__(site, self.texts, shutoff=shutoff, **kwargs)

    def summary(self, title: str) -> str:
        return SUMMARY

    def plan(self, title: str, old: str) -> str | None:
        new = self.texts[title]
        if same_findings(old, new):
            self.unchanged(title)
            return None
        return new


def save_findings(
    site: pywikibot.site.BaseSite, config: Config, issues: Iterable[Issue], *, always: bool
) -> FindingsBot | None:
    """Save the shards whose findings changed; the bot that did it (its ``refused`` says what failed), or None
    when the settings keep no findings, or the infobox is not the Lua module or not installed (nothing would
    read them)."""
    schema, shards = config.schema, config.pages.findings_shards
    if not shards or schema.engine != "lua":
        return None
    module = title("Module", schema.template)
    if not pywikibot.Page(site, module).exists():
        pywikibot.info(f"No [[{module}]]: the findings are written once the infobox is installed.")
        return None
    texts = findings_pages(issues, problem_codes(schema), module, shards, config.pages.status_page)
    bot = FindingsBot(site, texts, pages=changed_pages(site, texts), shutoff=config.pages, always=always)
    bot.run()
    return bot


def changed_pages(site: pywikibot.site.BaseSite, texts: Mapping[str, str]) -> list[pywikibot.Page]:
    """The pages of ``texts`` (read 50 a request, with their templates for {{nobots}}) whose findings differ from
    the new text's: the bot walks only those (each page it walks costs time even unchanged: of a follow round,
    the findings' latency, about 60 ms a shard on the development VM)."""
    pages = preloaded_with_templates(site, texts)
    return [page for page in pages if not same_findings(page.text if page.exists() else "", texts[page.title()])]
