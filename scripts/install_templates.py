"""Install the infobox and everything around it on the wiki, generated from the schema.

Usage:
    python -m scripts.install_templates [options]

Writes the pages that config/schema.yaml defines on the wiki: the infobox
template, its documentation with TemplateData (/doc), the preload for new pages
(/preload), a redirect for each of the template's other names, and the
categories the infobox fills. The partner names the main job offers in
VisualEditor (TemplateData on /doc) are kept. Each page's diff is shown, and only pages whose
text changed are saved: a second run makes no edit. Edits made to these pages on
the wiki are overwritten; change the schema or templates/onwiki/ instead.

With `template: existing: true` in the schema (the wiki's own infobox, e.g. Wikipedia's
{{Infobox museum}}), only the pages the bot owns are written: the list templates and their
documentation. The infobox, its module, /doc, preloads, redirects and categories are left as
they are, one line each says so, and the TemplateData the schema makes is printed for a
maintainer to compare with the /doc page's (volunteers own that page; the bot never edits it).

Options:
    -always          save without asking (needed when run unattended)
    -settings:DIR    read schema.yaml and pages.yaml from DIR (default: config/)
    -simulate        show the diffs, save nothing (pywikibot global option)

Every pywikibot global option works too (-dir:, -user:, -simulate, -verbose, ...).
The bot's shutoff page (config/pages.yaml) and {{bots}}/{{nobots}} are honoured.

Exit codes: 0 done; 1 a page could not be saved; 2 bad options or
configuration; 3 switched off on the wiki.

Example:
    PYWIKIBOT_DIR=.devwiki/pywikibot python -m scripts.install_templates -simulate
    PYWIKIBOT_DIR=.devwiki/pywikibot python -m scripts.install_templates -always
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

import pywikibot

from bots.cli import BAD_OPTIONS, SWITCHED_OFF, BotOptions, run_bot
from bots.config import onwiki_templates
from bots.core.onwiki.infobox import OnwikiError, doc_title, left_alone, onwiki_pages, partners_of
from bots.core.onwiki.templatedata import carried_used_values, templatedata_json
from bots.core.records.schema import Schema
from bots.wiki.save import SaveIfChangedBot
from bots.wiki.shutoff import ready_to_edit

SUMMARY = "Bot: install the {template} infobox, generated from the bot's schema"


class InstallBot(SaveIfChangedBot):
    """Saves each page's generated text, when it differs from the page's."""

    #: A server error on one template page is reported, and the others still get installed.
    ignore_server_errors = True

    def __init__(
        self,
        site: pywikibot.site.BaseSite,
        texts: Mapping[str, str],
        summary: str,
        *,
        schema: Schema | None = None,
        **kwargs: Any,
    ) -> None:
        """``schema``: the schema ``texts`` come from, whose /doc page keeps the values the records use."""
        self.texts = {pywikibot.Page(site, title).title(): text for title, text in texts.items()}
        self.schema = schema
        self.doc = pywikibot.Page(site, doc_title(schema.template)).title() if schema else None
        self._summary = summary
        super().__init__(site, self.texts, **kwargs)

    def summary(self, title: str) -> str:
        return self._summary

    def plan(self, title: str, old: str) -> str | None:
        if self.schema and title == self.doc:  # the values the records use stay offered until the main job's next run
            return carried_used_values(old, self.texts[title], self.schema)
        return self.texts[title]


def main(*args: str) -> int:
    return run_bot(run, args, __doc__ or "")


def run(options: BotOptions) -> int:
    config = options.config
    try:
        texts = onwiki_pages(config.schema, onwiki_templates(), partners_of(config.pages))
        untouched = left_alone(config.schema, onwiki_templates(), partners_of(config.pages))
    except OnwikiError as exc:
        pywikibot.error(f"Configuration error: {exc}")
        return BAD_OPTIONS
    for line in left_alone_lines(config.schema, untouched):
        pywikibot.info(line)
    site = pywikibot.Site()
    if not ready_to_edit(site, config.pages):
        return SWITCHED_OFF
    bot = InstallBot(
        site,
        texts,
        SUMMARY.format(template=config.schema.template),
        schema=config.schema,
        shutoff=config.pages,
        always=options.always,
    )
    bot.run()
    pywikibot.info(bot.done_line(f"{len(texts)} pages"))
    return bot.exit_code()


def left_alone_lines(schema: Schema, titles: list[str]) -> list[str]:
    """One line per page of the wiki's own infobox left as it is, then the schema's TemplateData to compare."""
    if not titles:
        return []
    lines = [f"{title}: the wiki's own infobox (template: existing: true), left as it is" for title in titles]
    return [
        *lines,
        f"The TemplateData the schema makes, to compare with [[{doc_title(schema.template)}]]'s "
        "(volunteers own that page: paste it there by hand if it helps):",
        f"<templatedata>\n{templatedata_json(schema)}\n</templatedata>",
    ]


def console_main() -> None:
    sys.exit(main(*sys.argv[1:]))


if __name__ == "__main__":
    console_main()
