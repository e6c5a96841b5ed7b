"""The main job: read every partnership infobox, validate it, regenerate the summary pages.

Usage:
    python -m bots.update [options]

Reads every page that transcludes the infobox (or one of its redirects), checks
each against config/schema.yaml, and rewrites the bot-owned region of the
index, summary and validation-report pages named in config/pages.yaml. Text
outside the region is never touched, and a page whose region would not change
is not saved. It keeps the partner names the records use offered in
VisualEditor (the TemplateData on the infobox's /doc page; the fields with
suggest_used in the schema, at most 200 values each), and the problems that
need other pages in the data pages the Lua infobox reads to show them on each
page (findings: in pages.yaml). It also fills the lists volunteers placed on pages with
{{Partnership list}} (see bots.lists), from the same records; problems in
their queries go into the validation report. Only pages whose revision changed
since the last run are fetched and checked again (the revision cache); the
others are taken from the cache.

Options:
    -always          save without asking (needed when run unattended)
    -force           save a page even when the run would remove more than the allowed
                     share of its rows (guard.max_removed_share in pages.yaml; the rows
                     the bot last saved there, not rows typed in by hand); for the
                     lists, of a list's rows (see bots.lists)
    -settings:DIR    read schema.yaml and pages.yaml from DIR (default: config/)
    -simulate        show the diffs, save nothing (pywikibot global option)
    -full            ignore the revision cache: fetch and check every page again,
                     and render every generated page even if nothing changed
    -recent          do not list every infobox page: ask the wiki's recent changes
                     what changed since the last run, look at those pages only, and
                     take the others from the cache (see "Recent changes" below)
    -cache:FILE      the revision cache, an SQLite file (default: partnership-cache.sqlite
                     in the pywikibot config folder; with -settings:DIR, another folder's
                     partnership-cache.<folder>-<digest>.sqlite, so folders run side by side)
    -lock:FILE       the run lock (default: partnership-update.lock in the
                     pywikibot config folder, named after the folder as the cache is);
                     a second run stops at once, exit 0
    -nostatus        do not write the status page named in config/pages.yaml
    -follow          keep running: a -recent round, a wait, the next round, until
                     SIGTERM or SIGINT (see "Follow mode" below); not with -full or -force
    -interval:SECONDS  with -follow, the wait between two rounds (default 60). On a real
                     wiki keep it at 30 or more: each round asks its recent changes and a
                     few more requests even when nothing changed, and a wiki's replicas,
                     job queue and parser cache take seconds to catch up with an edit, so
                     a shorter wait costs the wiki requests without showing a finding sooner

Every pywikibot global option works too (-dir:, -user:, -simulate, -verbose, ...);
see `python -m pywikibot.scripts.wrapper -help:global` or pywikibot's docs.

Exit codes (the last line gives a one-line reason: "Exit N: ...", or "Stopped: ..."
when the wiki could not be reached or answered with an error):
    0  done
    1  a page could not be saved or was refused, or the wiki could not be
       reached, or the run failed (see the messages)
    2  bad options or configuration
    3  switched off on the wiki (the shutoff page)

A run that finds another still in progress (it holds the lock) does nothing and
exits 0 with one line, "Exit 0: another run is in progress (...)": the other
run is doing the work, so a scheduler that mails on failure stays quiet.

When the records, problems and linked pages are those of the last run and no
generated page was edited since (one request checks their revisions), the run
renders and saves nothing: a quiet run is fast and makes no edit. The state is
kept next to the cache (partnership-cache.rendered.json).

Recent changes (-recent): the run reads the wiki's recent changes since the
last run's time (kept in the cache, less ten minutes of overlap; rows seen
already are skipped): edits, new pages, and the move, delete/restore, import
and merge log entries in the configured namespaces, plus every move into them.
It looks those pages up in one query (latest revision, does it still use the
infobox, its text): a page edited is read again, a new page with the infobox
added, a page deleted, moved out of the namespaces or without the infobox
dropped, a moved page kept under its new title. A quiet run costs one request of
recent changes whatever the number of pages. It lists every page instead, and says why in one
line, when there is no earlier run or no time in the cache, the cache is of
another wiki or its fingerprint changed, the time is older than the wiki keeps
recent changes ($wgRCMaxAge; 90 days assumed, less a day), or the recent
changes are incomplete. When recent changes name no changed page, the run
reads no record: it checks that the pages the records link to, the pages with
volunteers' lists and the generated pages are as the last complete run left
them, and stops ("nothing new since the last run"); otherwise it says why and
reads the records. Recent changes cannot see everything: a page that
starts to use the infobox through an edit of another template, or pages loaded
with importDump.php (no recent-changes rows), are found by the next run without
-recent; the scheduled jobs make one every day.

Follow mode (-follow): runs the -recent update in a loop, so that a finding appears on
(and goes from) the pages within about an interval plus a round's time instead of at the
next scheduled run. It polls the wiki's recent changes (Wikimedia's EventStreams would
push them, but cannot be reached from here). The run lock is taken during each round
only, so that bots.crosslink and the daily -full job run between rounds; a round that
finds the lock held is skipped with one line. Each round first reads the shutoff page:
while it says stop, only that page is read, once an interval; the job says so once and
resumes by itself when the page says run again (it does not exit: Toolforge restarts a
continuous job that exits, and a volunteer who switches the bot on again expects it to
go on without an operator). A round that fetched or saved pages logs one line ("Round 7
done in 2.1 s: 1 page fetched, 2 generated pages saved; ..."), and so does the first;
quiet rounds log one line an hour; warnings and errors always show (-verbose shows every
round's whole output). A failed round (the wiki unreachable, a page refused) is logged
and the next waits twice as long, up to 15 minutes, until a round succeeds. SIGTERM (how
Toolforge stops a continuous job) or SIGINT stops it: at once between rounds, after the
save under way during a round (the pages not saved yet are rendered again next time);
the last line is "Exit 0: stopped by SIGTERM after N rounds". A configuration error
exits with 2.

Each run writes how it went (time, duration, pages read, records, problems,
pages saved, bot version, or why it failed) into the status page of
config/pages.yaml, User:PartnershipBot/Status by default: when the result
differs from the one shown there (anything but time and duration), when the run
failed, and otherwise at most every status: heartbeat_hours (default 24).
A generated page with `split:` in config/pages.yaml that grows past guard:
split_above_bytes becomes a hub and subpages (bots.core.pages.subpages); a page (or one
part) still longer than guard: max_page_bytes is cut with a note.

Deletions and moves: a page deleted during the run is skipped with one line
("Skipped [[X]]: it was deleted during the run"), never re-created, and the run
goes on (exit 0 for that). A generated page that is missing is created only if it
never existed: one an admin deleted is refused (exit 1) with who deleted it and
when. A generated page that was moved (its title is a redirect a move left, or is
missing after a move) is followed in the same namespace: the region is written on
the page it went to, with a warning to update pages.yaml. No page is written under
a redirect: a redirect no move made is refused (exit 1). The status page lists
these notes.

Examples:
    PYWIKIBOT_DIR=.devwiki/pywikibot python -m bots.update -always
    PYWIKIBOT_DIR=.devwiki/pywikibot python -m bots.update -always -recent
    PYWIKIBOT_DIR=.devwiki/pywikibot python -m bots.update -always -follow -interval:30
"""

from __future__ import annotations

import contextlib
import gc
import logging
import signal
import sys
import time
from collections.abc import Iterator
from typing import Any

import pywikibot

from bots import lists, operation, safety
from bots.cli import (
    BAD_OPTIONS,
    CONFIGURATION_ERRORS,
    DONE,
    REFUSED,
    SWITCHED_OFF,
    UNREACHABLE,
    WIKI_ERRORS,
    BotOptions,
    parse_options,
    stopped,
)
from bots.core.lists.fill import list_template_name
from bots.core.pages.guard import empty_read_reason
from bots.core.pages.render_state import checked_fingerprint, render_fingerprint_from
from bots.core.pages.subpages import current_regions
from bots.core.pipeline import check_pages, render_generated
from bots.core.records.model import PageSnapshot
from bots.core.runs.follow import QuietRounds, next_wait, round_line
from bots.core.runs.quiet import QuietState, RecordingLookup, states_fingerprint, why_not_quiet
from bots.state.cache import PageCache, save_cache
from bots.state.fingerprint import code_fingerprint
from bots.state.lock import LockHeld, RunLock, describe, read_holder
from bots.wiki.findings import save_findings
from bots.wiki.links import link_lookup
from bots.wiki.listing import list_page_revisions, read_infobox_snapshots
from bots.wiki.messages import saved_word, updated_now
from bots.wiki.read import pages_with_region, read_snapshots, template_names
from bots.wiki.recent import read_recent_update
from bots.wiki.save import STOP_REQUESTED, RegionBot
from bots.wiki.shutoff import ready_to_edit, shutoff_reason
from bots.wiki.templatedata import offer_used_values
from bots.wiki.titles import foreign_titles_reason


def main(*args: str) -> int:
    options = parse_options(args, __doc__ or "", operation.RUN_OPTIONS)
    if isinstance(options, int):
        return options
    run_options = operation.run_options(options.own, force=options.force, folder_key=options.config.files.key)
    if isinstance(run_options, int):
        return run_options
    if run_options.follow:
        try:
            return follow(options, run_options)
        except WIKI_ERRORS as exc:  # pywikibot.Site() of a wiki pywikibot's configuration does not name
            return stopped(exc)
    lock = operation.take_run_lock(run_options.lock, run_options.folder_key)
    if isinstance(lock, int):
        return lock
    try:
        return guarded_run(options, run_options, operation.Progress.begin())
    finally:
        lock.release()


def guarded_run(options: BotOptions, run_options: operation.RunOptions, progress: operation.Progress) -> int:
    """One run; a wiki error or an internal one ends it with its one line (and on the status page)."""
    try:
        return run(options, run_options, progress)
    except WIKI_ERRORS as exc:
        unreachable = isinstance(exc, UNREACHABLE)
        if run_options.status and not unreachable:
            reason = " ".join(f"wiki error: {safety.redact(str(exc))}".split())
            operation.write_status(pywikibot.Site(), options.config.pages, progress.status(reason), options.always)
        return stopped(exc)  # its one-line reason is the last line
    except Exception as exc:
        pywikibot.exception(exc)
        return failed(options, run_options, progress, f"internal error: {type(exc).__name__}: {exc}")


def failed(options: BotOptions, run_options: operation.RunOptions, progress: operation.Progress, reason: str) -> int:
    """Say on the status page (if the wiki can still be reached) and in the last line that the run failed."""
    reason = " ".join(reason.split())
    if run_options.status:
        operation.write_status(pywikibot.Site(), options.config.pages, progress.status(reason), options.always)
    return operation.exit_with(operation.EXIT_FAILED, reason)


def run(options: BotOptions, run_options: operation.RunOptions, progress: operation.Progress) -> int:
    started = time.monotonic()
    config = options.config
    site = pywikibot.Site()
    foreign = foreign_titles_reason(site, config)  # before the first page is read
    if foreign:
        return operation.exit_with(operation.EXIT_BAD_OPTIONS, f"Configuration error: {foreign}")
    if not ready_to_edit(site, config.pages):
        return operation.exit_with(SWITCHED_OFF, "switched off on the wiki (see above)")
    names = template_names(site, config.schema.template, config.schema.template_aliases)
    cache = operation.open_cache(run_options, site, config.schema, names)
    template, namespaces = config.schema.template, config.pages.namespaces
    update = read_recent_update(site, template, namespaces, cache) if run_options.recent else None
    prefix, start = config.pages.crosslink.recommendation_prefix, config.pages.region_start
    region_pages = pages_with_region(site, prefix, start)  # an input of the render, whatever the records
    if update is not None and not cache.changed and not options.force:  # recent changes changed no page
        code = quiet_run(site, options, run_options, cache, region_pages, progress, started)
        if code is not None:
            return code
    if update is not None:
        snapshots = cache.snapshots()
        fetched = len(update.refresh)
        pywikibot.info(f"{len(snapshots) - fetched} pages unchanged since the last run, {fetched} fetched.")
    else:
        snapshots = read_infobox_snapshots(site, template, namespaces, cache, names)
    progress.record(pages_read=len(snapshots), pages_fetched=cache.fetched)
    empty = empty_read_reason(len(snapshots), config.schema.words)
    if empty:
        pywikibot.error(f"Stopped: {empty}")
        return failed(options, run_options, progress, empty)
    lookup = RecordingLookup(link_lookup(site))
    checked = check_pages(
        snapshots, config.schema, names, lookup, config.pages.crosslink.fields, cache=cache, every_record=True
    )
    save_cache(cache)  # only what changed
    # volunteers' lists: their problems go into the report
    checked, list_job = lists.report_checked(site, config, checked, options.force)
    progress.record(records=len(checked.records), problems=len(checked.issues), errors=checked.errors)
    checked_print = checked_fingerprint(checked, config)
    code_print = code_fingerprint()
    inputs = render_fingerprint_from(checked_print, config, region_pages, code=code_print)
    untouched = None if options.force else operation.unchanged_since_last_run(site, run_options, inputs)
    if untouched is None:
        split_pages = [pywikibot.Page(site, page.title) for page in config.pages.generated if page.split]
        texts = {snap.title: snap.text for snap in read_snapshots(site.preloadpages(split_pages))}
        current = current_regions(texts, config.pages)  # which pages are split into subpages now
        bodies = render_generated(checked, config, updated_now(), region_pages, current)
    else:
        pywikibot.info("Generated pages: same records, problems and links as the last run, pages untouched since.")
        bodies = {}
    bot = RegionBot(site, bodies, config.pages, always=options.always, force=options.force, words=config.schema.words)
    bot.run()
    rendered = untouched is not None
    if untouched is None:
        revisions = bot.left_as_rendered()
        rendered = revisions is not None
        operation.remember_render(run_options, inputs, revisions)
    else:
        bot.counter["unchanged"] = len(untouched)
    if not bot.switched_off:
        list_job.run(always=options.always)
    if untouched is None and not bot.switched_off:  # the partners VisualEditor offers, when they changed
        offered = offer_used_values(site, config, checked.records, always=options.always)
        bot.refused.update(offered.refused if offered else {})
    if untouched is None and not bot.switched_off:  # the cross-page findings the infobox shows, when they changed
        findings = save_findings(site, config, checked.issues, always=options.always)
        bot.refused.update(findings.refused if findings else {})
    progress.record(saved=bot.counter["write"], unchanged=bot.counter["unchanged"], refused=len(bot.refused))
    progress.record(notes=(*bot.notes, *(list_job.bot.notes if list_job.bot else ())))
    quiet = None
    if STOP_REQUESTED.is_set():  # -follow stopped during the round: the pages it did not save are rendered next time
        operation.remember_render(run_options, inputs, None)
    elif rendered and list_job.complete() and not pywikibot.config.simulate:
        list_pages = list_page_revisions(site, list_template_name(config.schema), config.pages.lists.namespaces)
        counts = progress.so_far
        quiet = QuietState(
            checked_print, tuple(lookup.titles), states_fingerprint(lookup.states), list_pages,
            counts.pages_read, counts.records, counts.problems, counts.errors, code_print,
        )  # fmt: skip
    cache.remember_quiet_state(quiet.to_json() if quiet else None)  # what the next quiet run compares with
    cache.commit()
    deleted = f", {bot.counter['deleted']} deleted during the run" if bot.counter["deleted"] else ""
    pywikibot.info(
        f"Done in {time.monotonic() - started:.1f} s: {len(snapshots)} pages read, "
        f"{len(checked.records)} records, {len(checked.issues)} problems "
        f"({checked.errors} errors), {bot.counter['write']} pages {saved_word()}, "
        f"{bot.counter['unchanged']} unchanged, {bot.counter['skip']} skipped, {len(bot.refused)} refused{deleted}; "
        f"{list_job.summary_line()}. Generated pages:"
    )
    for title in untouched or bodies:
        pywikibot.info(f"  {pywikibot.Page(site, title).full_url().replace('%2F', '/')}")
    lists_code = list_job.exit_code()
    code = lists_code if lists_code == SWITCHED_OFF else bot.exit_code(problems=lists_code != DONE)
    failure = f"{len(bot.refused)} page(s) refused or not saved: {', '.join(bot.refused)}" if bot.refused else ""
    if bot.switched_off is not None or lists_code == SWITCHED_OFF:
        failure = "switched off on the wiki during the run (see above)"
    elif code != DONE and not failure:
        failure = f"volunteers' lists: {list_job.summary_line()}"
    if run_options.status:
        operation.write_status(site, config.pages, progress.status(failure), options.always)
    return operation.exit_with(code, failure or "done")


def quiet_run(
    site: pywikibot.site.BaseSite,
    options: BotOptions,
    run_options: operation.RunOptions,
    cache: PageCache,
    region_pages: list[PageSnapshot],
    progress: operation.Progress,
    started: float,
) -> int | None:
    """Recent changes name no changed page: finish without reading the records if the last run's result
    still holds (bots.core.runs.quiet); None when it does not (the caller reads them)."""
    config = options.config
    state = QuietState.from_json(cache.quiet_state())
    list_template = list_template_name(config.schema)
    code_print = code_fingerprint()
    reason = why_not_quiet(
        state,
        link_lookup(site),
        lambda: list_page_revisions(site, list_template, config.pages.lists.namespaces),
        code=code_print,
    )
    untouched = None
    if state is not None and not reason:
        inputs = render_fingerprint_from(state.checked, config, region_pages, code=code_print)
        untouched = operation.unchanged_since_last_run(site, run_options, inputs)
    if state is None or untouched is None:
        reason = reason or "the generated pages were edited, or the settings or templates changed"
        pywikibot.info(f"Nothing new in recent changes, but {reason}: reading the records.")
        return None
    save_cache(cache)  # the -recent window moves on
    progress.record(
        pages_read=state.pages, pages_fetched=0, records=state.records, problems=state.problems, errors=state.errors
    )
    progress.record(saved=0, unchanged=len(untouched), refused=0)
    pywikibot.info(
        f"Done in {time.monotonic() - started:.1f} s: nothing new since the last run, which read "
        f"{state.pages} pages, {state.records} records, {state.problems} problems ({state.errors} errors); "
        f"0 pages {saved_word()}, {len(untouched)} unchanged; lists on {len(state.lists)} pages unchanged."
    )
    if run_options.status:
        operation.write_status(site, config.pages, progress.status(), options.always)
    return operation.exit_with(DONE, "done")


class StopSignals:
    """While following: SIGTERM (how Toolforge stops a continuous job) and SIGINT set STOP_REQUESTED instead of
    ending the process, so that a save under way ends first; ``name`` says which came."""

    SIGNALS = (signal.SIGTERM, signal.SIGINT)

    def __init__(self) -> None:
        self.name = ""
        self.previous: dict[int, Any] = {}

    def received(self, number: int, _frame: object) -> None:
        self.name = self.name or signal.Signals(number).name
        STOP_REQUESTED.set()

    def __enter__(self) -> StopSignals:
        STOP_REQUESTED.clear()
        self.previous = {number: signal.signal(number, self.received) for number in self.SIGNALS}
        return self

    def __exit__(self, *_exc: object) -> None:
        for number, handler in self.previous.items():
            signal.signal(number, handler)
        STOP_REQUESTED.clear()  # the saving bots of whatever runs next in this process save again


class _WarningsOnly(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING


@contextlib.contextmanager
def warnings_only(everything: bool) -> Iterator[None]:
    """During a round, pywikibot's handlers show its warnings and errors only (all with -verbose): the round's
    one line says the rest, so that a job running for months keeps a readable log."""
    handlers = [] if everything else list(logging.getLogger("pywiki").handlers)
    quiet = _WarningsOnly()
    for handler in handlers:
        handler.addFilter(quiet)
    try:
        yield
    finally:
        for handler in handlers:
            handler.removeFilter(quiet)


def follow(options: BotOptions, run_options: operation.RunOptions) -> int:
    """-follow: -recent rounds, ``interval`` seconds apart, until SIGTERM or SIGINT (then exit 0).

    The run lock is held during each round only; a round it finds held is skipped. While the
    shutoff page says stop, only that page is read, each interval, until it says run again.
    A failed round is logged and the next one waits longer (bots.core.runs.follow.next_wait).
    """
    site, pages, interval = pywikibot.Site(), options.config.pages, run_options.interval
    lock_file = run_options.lock_file()
    rounds = failures = 0
    quiet = QuietRounds(0, time.monotonic())
    switched_off = ""
    pywikibot.info(
        f"Following the wiki's recent changes: a -recent round every {interval:g} s, the run lock ({lock_file}) "
        "held during each round only; SIGTERM or SIGINT stops it."
    )
    with StopSignals() as signals:
        while not STOP_REQUESTED.is_set():
            wait = next_wait(interval, failures)
            try:
                site.login()
                reason = shutoff_reason(site, pages) or ""
            except WIKI_ERRORS as exc:
                if isinstance(exc, CONFIGURATION_ERRORS):  # no usable wiki or account: waiting will not mend it
                    return stopped(exc)
                failures += 1
                wait = next_wait(interval, failures)
                pywikibot.warning(f"Round skipped: the shutoff page could not be read ({exc}); next in {wait:g} s.")
                STOP_REQUESTED.wait(wait)
                continue
            if reason != switched_off:
                if reason:
                    pywikibot.warning(f"{reason} Until then only the shutoff page is read, every {interval:g} s.")
                else:
                    pywikibot.info("Switched on again on the wiki: the rounds resume.")
                switched_off = reason
            if switched_off:
                STOP_REQUESTED.wait(interval)
                continue
            run_lock = RunLock(lock_file)
            try:
                run_lock.acquire()
            except LockHeld:
                pywikibot.info(f"Round skipped: another run holds the lock ({describe(read_holder(lock_file))}).")
                STOP_REQUESTED.wait(interval)
                continue
            rounds += 1
            progress = operation.Progress.begin()
            try:
                with warnings_only(pywikibot.config.verbose_output):
                    code = guarded_run(options, run_options, progress)
            finally:
                run_lock.release()
                gc.collect()  # a round's garbage in reference cycles holds its cache's SQLite connection: free it now
            if code == BAD_OPTIONS:  # a configuration error (pywikibot's): waiting will not mend it
                return code
            failures = failures + 1 if code == REFUSED else 0
            wait = next_wait(interval, failures)
            done, now = progress.status(), time.monotonic()
            if code == REFUSED:
                pywikibot.warning(f"Round {rounds} failed (see above): the next one in {wait:g} s.")
            elif rounds == 1 or done.pages_fetched or done.saved:
                line = round_line(rounds, done.duration, done.pages_fetched, done.saved, done.records, done.problems)
                pywikibot.info(line)
                quiet = QuietRounds(0, now)
            else:
                quiet, line = quiet.after_quiet_round(now)
                if line:
                    pywikibot.info(line)
            STOP_REQUESTED.wait(wait)
    return operation.exit_with(DONE, f"stopped by {signals.name or 'a signal'} after {rounds} rounds")


def console_main() -> None:
    sys.exit(main(*sys.argv[1:]))


if __name__ == "__main__":
    console_main()
