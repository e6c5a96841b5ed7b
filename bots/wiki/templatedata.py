"""Keep the values the records use offered in VisualEditor: the <templatedata> block of the infobox's /doc page.

The main job calls ``offer_used_values`` with the records it read. Only the block
changes (bots.core.onwiki.templatedata.with_used_values), and only when the set of
values changed; the save goes through the same guarded path as every bot write
(shutoff page, {{nobots}}, edit conflicts, no page created); the infobox is then purged
so that VisualEditor offers the new values at once.
"""

from __future__ import annotations

from collections.abc import Iterable

import pywikibot

from bots.core.onwiki.infobox import doc_title, title
from bots.core.onwiki.templatedata import USED_VALUES_LIMIT, used_values, with_used_values
from bots.core.pipeline import Config
from bots.core.records.model import PageSnapshot, Partnership
from bots.wiki.read import preloaded_with_templates
from bots.wiki.save import Change, TextChangeBot

SUMMARY = "Bot: offer the {count} values the records use in VisualEditor (at most {limit} per field)"


def offer_used_values(
    site: pywikibot.site.BaseSite, config: Config, records: Iterable[Partnership], *, always: bool
) -> TextChangeBot | None:
    """Save the values ``records`` use into the /doc page's TemplateData when they changed; the bot that did it
    (its ``refused`` says what failed), or None when the schema offers none, the /doc page is missing or the
    infobox is the wiki's own (volunteers own its /doc page)."""
    schema = config.schema
    if schema.existing or not any(spec.suggest_used for spec in schema.fields):
        return None
    used = used_values(records, schema)
    (page,) = preloaded_with_templates(site, [doc_title(schema.template)])
    if not page.exists():
        pywikibot.info(f"No [[{page.title()}]]: the values the records use are offered once the infobox is installed.")
        return None
    count = sum(len(values) for values in used.values())

    def change(snapshot: PageSnapshot) -> Change:
        new = with_used_values(snapshot.text, schema, used)
        return None if new == snapshot.text else (new, SUMMARY.format(count=count, limit=USED_VALUES_LIMIT))

    bot = TextChangeBot(site, change, pages=[page], shutoff=config.pages, always=always)
    bot.run()
    if bot.counter["write"] and not pywikibot.config.simulate:
        # The template reads its TemplateData from /doc when it is parsed again: at once, not when the
        # job queue gets to it (minutes on a busy wiki; never under `php -S`, which runs no jobs).
        site.purgepages([pywikibot.Page(site, title("Template", schema.template))], forcelinkupdate=True)
    return bot
