"""The main job: read every partnership infobox, validate it, regenerate the summary pages.

Usage:
    python -m bots.update [options]

Reads every page that transcludes the infobox (or one of its redirects), checks
each against config/schema.yaml, and rewrites the bot-owned region of the
index, summary and validation-report pages named in config/pages.yaml. Text
outside the region is never touched, and a page whose region would not change
is not saved. It also fills the lists volunteers placed on pages with
{{Partnership list}} (see bots.lists), from the same records; problems in
their queries go into the validation report.

Options:
    -always          save without asking (needed when run unattended)
    -force           save a page even when the run would remove more than the allowed
                     share of its rows (guard.max_removed_share in pages.yaml); for the
                     lists, of a list's rows (see bots.lists)
    -settings:DIR    read schema.yaml and pages.yaml from DIR (default: config/)
    -simulate        show the diffs, save nothing (pywikibot global option)

Every pywikibot global option works too (-dir:, -user:, -simulate, -verbose, ...);
see `python -m pywikibot.scripts.wrapper -help:global` or pywikibot's docs.

Exit codes: 0 done; 1 a page could not be saved or was refused, or the wiki
could not be reached (see the messages); 2 bad options or configuration; 3 switched off on the wiki.

Example:
    PYWIKIBOT_DIR=.devwiki/pywikibot python -m bots.update -always
"""

from __future__ import annotations

import sys
import time

import pywikibot

from bots import lists, wiki
from bots.cli import DONE, SWITCHED_OFF, BotOptions, parse_options, stopped
from bots.core.guard import empty_read_reason
from bots.core.pipeline import check_pages, render_generated


def main(*args: str) -> int:
    options = parse_options(args, __doc__ or "")
    if isinstance(options, int):
        return options
    try:
        return run(options)
    except pywikibot.exceptions.Error as exc:
        return stopped(exc)


def run(options: BotOptions) -> int:
    started = time.monotonic()
    config = options.config
    site = pywikibot.Site()
    if not wiki.ready_to_edit(site, config.pages):
        return SWITCHED_OFF
    names = wiki.template_names(site, config.schema.template, config.schema.template_aliases)
    snapshots = wiki.read_snapshots(wiki.infobox_pages(site, config.schema.template, config.pages.namespaces))
    empty = empty_read_reason(len(snapshots))
    if empty:
        pywikibot.error(f"Stopped: {empty}")
        return 1
    checked = check_pages(snapshots, config.schema, names, wiki.link_lookup(site), config.pages.crosslink.fields)
    # volunteers' lists: their problems go into the report
    checked, list_job = lists.report_checked(site, config, checked, options.force)
    region_pages = wiki.pages_with_region(site, config.pages.crosslink.recommendation_prefix, config.pages.region_start)
    bodies = render_generated(checked, config, wiki.updated_now(), region_pages)
    bot = wiki.RegionBot(site, bodies, config.pages, always=options.always, force=options.force)
    bot.run()
    if not bot.switched_off:
        list_job.run(always=options.always)
    pywikibot.info(
        f"Done in {time.monotonic() - started:.1f} s: {len(snapshots)} pages read, "
        f"{len(checked.records)} records, {len(checked.issues)} problems "
        f"({checked.errors} errors), {bot.counter['write']} pages saved, "
        f"{bot.counter['unchanged']} unchanged, {bot.counter['skip']} skipped, {len(bot.refused)} refused; "
        f"{list_job.summary_line()}. Generated pages:"
    )
    for title in bodies:
        pywikibot.info(f"  {pywikibot.Page(site, title).full_url().replace('%2F', '/')}")
    lists_code = list_job.exit_code()
    return lists_code if lists_code == SWITCHED_OFF else bot.exit_code(problems=lists_code != DONE)


def console_main() -> None:
    sys.exit(main(*sys.argv[1:]))


if __name__ == "__main__":
    console_main()
