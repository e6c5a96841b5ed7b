"""Cross-link partnership records: make `related` links two-sided and bypass redirects left by page moves.

Usage:
    python -m bots.crosslink [options] [page generator options]

Reads every page that transcludes the infobox, checks every page link in the
infoboxes (as bots.update and bots.validate do), and fixes what is safe:

  - a `related` link that goes one way only: the missing entry is added to the
    `related` field of the other page (switch off with `reciprocal_related:
    false` in the `crosslink:` section of config/pages.yaml; which schema field
    is `related` is set there too, under `fields:`);
  - a link to a redirect, as a page move leaves behind: the old title is
    replaced by the page's new title (`bypass_redirects: false` to switch off).

It writes only to partnership pages (pages of the configured namespaces that
use the infobox), never to a template, a user page or any other page a record
names: a related link to such a page is reported instead. It does not add:
  - an entry a volunteer removed: the bot remembers which pages listed each
    other at its last run (an SQLite file next to the revision cache), and a
    pair it remembers that is now one-way was cut by hand; it is reported, and
    left for people to end on both pages or to mend;
  - links from a record with validation errors (reported; added once fixed);
  - more than `max_links_per_page` links caused by one record in one run: a
    record causing more gets none of them, and the run names it.
The first run, with nothing remembered, takes every one-way link as new.

Only that infobox parameter changes, written the way the page writes its
lists (its spacing, order and separators); the rest of the page stays byte for
byte as it was. Pages with {{nobots}} are skipped. Links to missing pages and
to pages without the infobox cannot be fixed by a bot: they are listed in the
validation report and by bots.validate.

With a page generator (-page:, -cat:, -prefixindex:, ...), only those pages
are edited; the links are still checked against every partnership page. A
page given by its old title (a redirect) stands for the page it was moved to.

Options:
    -always          save without asking (needed when run unattended)
    -settings:DIR    read schema.yaml and pages.yaml from DIR (default: config/)
    -simulate        show the diffs, save nothing (pywikibot global option)
    -memory:FILE     the related pairs remembered between runs (default:
                     partnership-cache.crosslink.sqlite, next to the revision cache)
    -lock:FILE       the run lock (default: partnership-update.lock in the
                     pywikibot config folder, the one bots.update takes, so
                     that the two never run at the same time)

Every pywikibot global option works too (-dir:, -user:, -verbose, ...).

Exit codes: 0 done; 1 a page could not be saved, or the wiki could not be
reached; 2 bad options or configuration; 3 switched off on the wiki. When another
run (of this bot or of bots.update) still holds the run lock, nothing is done and
the run exits 0 with one line naming that run (it is doing the work).

Examples:
    PYWIKIBOT_DIR=.devwiki/pywikibot python -m bots.crosslink -simulate
    PYWIKIBOT_DIR=.devwiki/pywikibot python -m bots.crosslink -always
    PYWIKIBOT_DIR=.devwiki/pywikibot python -m bots.crosslink -prefixindex:"Partnerships/Example:" -always
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

import pywikibot

from bots import operation
from bots.cli import (
    BAD_OPTIONS,
    SWITCHED_OFF,
    WIKI_ERRORS,
    BotOptions,
    OwnOptions,
    page_generator,
    parse_options,
    stopped,
)
from bots.core.links.fixes import Fix, apply_fixes, summary_of
from bots.core.links.memory import (
    moved_pairs,
    pair,
    plan_links,
    related_lists,
    remembered_pairs,
)
from bots.core.pipeline import check_pages
from bots.core.records.model import PageSnapshot
from bots.core.settings.crosslink_config import CrosslinkConfig
from bots.state.link_memory import load_pairs, save_pairs
from bots.wiki.links import link_lookup
from bots.wiki.read import infobox_pages, read_snapshots, resolved_titles, template_names
from bots.wiki.save import TextChangeBot
from bots.wiki.shutoff import ready_to_edit
from bots.wiki.titles import foreign_titles_reason

#: Link problems the bot leaves to people, printed with what it holds back.
NOT_WRITTEN = ("related-not-partnership-page",)

#: MediaWiki cuts edit summaries at 500 characters; keep ours whole.
SUMMARY_LIMIT = 480


#: -lock:FILE and -memory:FILE; any other dash option is a page generator option.
OWN_OPTIONS = OwnOptions(values={"-lock": (), "-memory": ()}, generators=True)


def main(*args: str) -> int:
    options = parse_options(args, __doc__ or "", OWN_OPTIONS)
    if isinstance(options, int):
        return options
    key = options.config.files.key
    lock = operation.take_run_lock(options.own.path("-lock"), key)
    if isinstance(lock, int):
        return lock
    try:
        return locked_main(options, options.rest, memory_file(options.own.path("-memory"), key))
    finally:
        lock.release()


def memory_file(given: Path | None = None, folder_key: str = "") -> Path:
    """-memory:FILE, or the default file next to the revision cache of the config folder of ``folder_key``."""
    if given is not None:
        return given
    cache = operation.RunOptions(folder_key=folder_key).cache_file()
    return cache.with_name(f"{cache.stem}.crosslink.sqlite")


def locked_main(options: BotOptions, rest: Sequence[str], memory: Path | None = None) -> int:
    """Everything after the run lock is taken."""
    try:
        generator = page_generator(None, rest)
        if isinstance(generator, int):
            return generator
        return run(options, pywikibot.Site(), generator, memory)
    except WIKI_ERRORS as exc:
        return stopped(exc)


def allowed(fixes: Iterable[Fix], settings: CrosslinkConfig) -> list[Fix]:
    """The fixes the configuration allows."""
    return [
        fix
        for fix in fixes
        if (fix.action == "add" and settings.reciprocal_related)
        or (fix.action == "replace" and settings.bypass_redirects)
    ]


def short_summary(prefix: str, done: Sequence[str]) -> str:
    summary = summary_of(prefix, done)
    for keep in range(len(done) - 1, 0, -1):
        if len(summary) <= SUMMARY_LIMIT:
            break
        summary = summary_of(prefix, [*done[:keep], f"and {len(done) - keep} more"])
    return summary[:SUMMARY_LIMIT]


def run(
    options: BotOptions,
    site: pywikibot.site.BaseSite,
    generator: Iterable[pywikibot.Page] | None,
    memory: Path | None = None,
) -> int:
    started = time.monotonic()
    config = options.config
    settings = config.pages.crosslink
    foreign = foreign_titles_reason(site, config)  # before the first page is read
    if foreign:
        pywikibot.error(f"Configuration error: {foreign}")
        return BAD_OPTIONS
    if not ready_to_edit(site, config.pages):
        return SWITCHED_OFF
    off = [role for role, name in settings.fields.items() if not name]
    if off:
        pywikibot.info(f"Switched off in {config.files.pages} (crosslink: fields: ... null): {', '.join(off)}.")
    names = template_names(site, config.schema.template, config.schema.template_aliases)
    snapshots = read_snapshots(infobox_pages(site, config.schema.template, config.pages.namespaces))
    checked = check_pages(snapshots, config.schema, names, link_lookup(site), settings.fields, every_record=True)
    states = checked.links.states
    lists = related_lists(checked.records, states, settings.fields.related) if settings.fields.related else {}
    site_id = f"{site.siteinfo['wikiid']} {site.siteinfo['server']}"
    memory = memory or memory_file(folder_key=options.config.files.key)
    remembered, note = load_pairs(memory, site_id)
    if remembered is None:
        pywikibot.info(f"Related links remembered: {note}; every one-way related link counts as new.")
    seen = None if remembered is None else moved_pairs(remembered, states)
    broken = {issue.page for issue in checked.issues if issue.severity == "error"}
    plan = plan_links(
        allowed(checked.links.fixes, settings),
        {record.title for record in checked.records},
        lists,
        seen,
        broken,
        settings.max_links_per_page,
        words=config.schema.words,
        pages_file=config.files.pages,
    )
    for issue in [*(i for i in checked.links.issues if i.code in NOT_WRITTEN), *plan.held]:
        pywikibot.warning(f"Not changed because of [[{issue.page}]] ({issue.field}): {issue.message}")
    by_page: dict[str, list[Fix]] = {}
    for fix in plan.fixes:
        by_page.setdefault(fix.page, []).append(fix)
    if generator is not None:
        chosen = resolved_titles(generator)
        by_page = {title: fixes for title, fixes in by_page.items() if title in chosen}
    pywikibot.info(
        f"{len(checked.links.issues)} link problems found; "
        f"{sum(len(f) for f in by_page.values())} can be fixed on {len(by_page)} pages; "
        f"{len(plan.held)} held back (listed above)."
    )

    def change(snap: PageSnapshot) -> tuple[str, str] | None:
        result = apply_fixes(snap.text, by_page.get(snap.title, []), config.schema, names)
        if result is None:
            return None
        new, done = result
        return new, short_summary(settings.summary, done)

    bot = TextChangeBot(site, change, sorted(by_page), shutoff=config.pages, always=options.always)
    bot.run()
    if settings.fields.related and not pywikibot.config.simulate:  # with related off, keep what was remembered
        added = [
            pair(fix.page, fix.value)
            for title, fixes in by_page.items()
            if title in bot.revisions  # saved, or listed the page already
            for fix in fixes
            if fix.action == "add"
        ]
        save_pairs(memory, site_id, remembered_pairs(lists, seen or (), added))
    pywikibot.info(bot.done_line(f"{len(snapshots)} pages read", started=started))
    return bot.exit_code()


def console_main() -> None:
    sys.exit(main(*sys.argv[1:]))


if __name__ == "__main__":
    console_main()
