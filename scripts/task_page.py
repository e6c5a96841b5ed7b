"""The bot's task page, for bot approval: what it reads and writes, its edit rate, its shutoff page, from the config.

Usage:
    python -m scripts.task_page [options]

Prints the task page's wikitext, made from config/pages.yaml, config/schema.yaml and
pywikibot's throttle settings (put_throttle, write_maxlag of user-config.py): its
purpose, the pages it reads (namespaces, the infobox template) and writes (the
generated pages, the volunteers' lists, the findings data pages, the TemplateData),
its edit rate, its shutoff page, its exclusion compliance ({{bots}}/{{nobots}}) and
its source. Paste it into a bot request, or write it to the wiki with -save: to
pages.yaml's `task_page:`, which every edit summary then links (docs/operating.md).
The text goes between the bot's region markers: what is written outside them stays.

Options:
    -save            write the text to the task page (asks first, unless -always)
    -always          save without asking (needed when run unattended)
    -settings:DIR    read schema.yaml and pages.yaml from DIR (default: config/)
    -simulate        with -save: show the diff, save nothing (pywikibot global option)

Every pywikibot global option works too (-dir:, -user:, -simulate, -verbose, ...).
With -save, the bot's shutoff page and {{bots}}/{{nobots}} are honoured.

Exit codes: 0 done; 1 the page could not be saved; 2 bad options or
configuration (no task_page: with -save); 3 switched off on the wiki.

Example:
    PYWIKIBOT_DIR=.devwiki/pywikibot python -m scripts.task_page
    PYWIKIBOT_DIR=.devwiki/pywikibot python -m scripts.task_page -settings:DIR -save -always
"""

from __future__ import annotations

import sys

import pywikibot

from bots.cli import BAD_OPTIONS, DONE, SWITCHED_OFF, WIKI_ERRORS, OwnOptions, can_confirm, parse_options, stopped
from bots.config import onwiki_templates
from bots.core.onwiki.task_page import SUMMARY, Throttle, task_page_text
from bots.core.pages.render import make_environment
from bots.wiki.save import RegionBot
from bots.wiki.shutoff import ready_to_edit

OPTIONS = OwnOptions(flags=frozenset({"-save"}))


def throttle() -> Throttle:
    """pywikibot's pace for saves, as user-config.py sets it."""
    config = pywikibot.config
    return Throttle(put_throttle=float(config.put_throttle), write_maxlag=getattr(config, "write_maxlag", None))


def main(*args: str) -> int:
    options = parse_options(args, __doc__ or "", OPTIONS, edits=False)
    if isinstance(options, int):
        return options
    config = options.config
    text = task_page_text(config, make_environment(onwiki_templates()), throttle())
    if "-save" not in options.own.flags:
        print(text, end="")
        return DONE
    title = config.pages.task_page
    if not title:
        pywikibot.error("-save needs the task page's title: set task_page: in pages.yaml.")
        return BAD_OPTIONS
    if not can_confirm(options.always):
        return BAD_OPTIONS
    try:
        site = pywikibot.Site()
        if not ready_to_edit(site, config.pages):
            return SWITCHED_OFF
        bot = RegionBot(site, {title: (text, SUMMARY)}, config.pages, force=options.force, always=options.always)
        bot.run()
    except WIKI_ERRORS as exc:
        return stopped(exc)
    pywikibot.info(bot.done_line())
    return bot.exit_code()


def console_main() -> None:
    sys.exit(main(*sys.argv[1:]))


if __name__ == "__main__":
    console_main()
