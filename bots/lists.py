"""Fill the lists that volunteers place on wiki pages with {{Partnership list|...}}.

Usage:
    python -m bots.lists [options] [page generator options]

A list is a query written as the parameters of {{Partnership list}}, followed
by {{Partnership list end}}; the bot writes the matching partnership records
between the two and owns that text. Text outside the lists is never touched,
a page whose lists would not change is not saved, and {{nobots}} is honoured.
A bad query fills its list with a short message saying what is wrong (it also
goes into the validation report when the main job, bots.update, runs); a list
without its end template makes the bot leave that page alone and say why.
The main job fills the lists too, from the records it has read; this command
is for filling them on their own (e.g. right after a volunteer adds one).

Rows typed into a list by hand are replaced, and the run output and the edit
summary say who edited the list since the bot's last save; the mass-removal guard
counts the rows the bot itself last saved there, not those. A page whose lists
would take it past the size limit (guard.max_page_bytes in pages.yaml, or the
wiki's own limit if lower) is saved with its longest lists cut, each saying so
in the list; the cut is reported as a problem on the page. A row, header or footer
template must be a plain template of the Template namespace (no subst: or other
prefix): anything else is a query error shown in the list.

Without a page generator, fills the lists on every page that transcludes
{{Partnership list}} in the namespaces of config/pages.yaml (lists:); with one
(-page:, -cat:, -prefixindex:, ...), only on those pages. The records are read
from every partnership page, as bots.update reads them.

Options:
    -always          save without asking (needed when run unattended)
    -force           fill a list even when it would lose more than the allowed share
                     of its rows (guard.max_removed_share in pages.yaml; only when at
                     least 3 rows would go, and the query is the one the list was last
                     filled for; the rows are those the bot last saved, not rows typed in
                     by hand); without it, such a page is left alone and the refusal
                     names the page and the list
    -settings:DIR    read schema.yaml and pages.yaml from DIR (default: config/)
    -simulate        show the diffs, save nothing (pywikibot global option)

Every pywikibot global option works too (-dir:, -user:, -verbose, ...).

Exit codes: 0 done (pages with a broken list are reported, not an error);
1 a page could not be saved or was refused, or the wiki could not be reached; 2 bad options
or configuration; 3 switched off on the wiki.

Examples:
    PYWIKIBOT_DIR=.devwiki/pywikibot python -m bots.lists -always
    PYWIKIBOT_DIR=.devwiki/pywikibot python -m bots.lists -page:"Task force/Alliances and partnerships" -simulate
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pywikibot

from bots.cli import DONE, SWITCHED_OFF, BotOptions, OwnOptions, page_generator, run_bot
from bots.core.lists.fill import (
    ListNames,
    PagePlan,
    end_template_name,
    list_plan,
    list_template_name,
    listable,
    listed_marks,
    with_issues,
)
from bots.core.pages.guard import OwnSave
from bots.core.pages.render import ProblemMarks
from bots.core.pipeline import Checked, Config, check_pages
from bots.core.records.model import Issue, PageSnapshot, Partnership
from bots.wiki.history import own_last_save
from bots.wiki.read import infobox_pages, read_snapshots, template_names
from bots.wiki.save import SaveIfChangedBot
from bots.wiki.shutoff import ready_to_edit


class ListBot(SaveIfChangedBot):
    """Fills the lists on each page from its current text; leaves pages with a broken list alone."""

    #: The pages were listed as holding lists: one missing now was deleted during the run.
    creates_pages = False

    def __init__(
        self,
        site: pywikibot.site.BaseSite,
        titles: Iterable[str],
        fill: Callable[[PageSnapshot], PagePlan],
        summary: str,
        *,
        fill_against_own: Callable[[PageSnapshot], PagePlan] | None = None,
        **kwargs: Any,
    ) -> None:
        """``fill_against_own``: ``fill``, with the guard measuring against the bot's own last save of the page."""
        self.fill = fill
        self.fill_against_own = fill_against_own
        self._summary = summary
        #: Pages whose lists someone edited by hand since the bot's last save -> a note saying so.
        self.hand_edits: dict[str, str] = {}
        #: Pages not edited because of a problem on the page itself (reported, not a failure).
        self.left_alone: dict[str, str] = {}
        super().__init__(site, titles, **kwargs)

    def summary(self, title: str) -> str:
        note = self.hand_edits.get(title)
        return self._summary + (f"; {note}" if note else "")

    def plan(self, title: str, old: str) -> str | None:
        page = self.current_page
        snapshot = PageSnapshot(title, old, revid=page.latest_revision_id if page.exists() else 0)
        plan = self.fill(snapshot)
        # The guard counts the rows the bot itself last saved: look them up when someone else saved last.
        changes = plan.refused or plan.text not in (None, old)
        if changes and self.fill_against_own and page.exists() and page.latest_revision.user != self.site.user():
            plan = self.fill_against_own(snapshot)
        self.hand_edits.pop(title, None)
        if plan.hand_edits and not plan.refused and plan.text is not None:
            self.hand_edits[title] = plan.hand_edits
            pywikibot.warning(f"[[{title}]]: {plan.hand_edits}.")
        if plan.refused:
            self.refuse(title, plan.reason)
            return None
        if plan.text is None:
            self.left_alone[title] = plan.reason
            pywikibot.warning(f"Not editing [[{title}]]: {plan.reason}")
            return None
        if plan.text == old:
            self.unchanged(title)
            return None
        return plan.text


@dataclass
class ListJob:
    """The lists of a run: the pages holding them, read once, and the problems in their queries."""

    site: pywikibot.site.BaseSite
    config: Config
    records: list[Partnership]
    names: ListNames
    #: -force: save a list even when the mass-removal guard refuses it.
    force: bool = False
    titles: list[str] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    bot: ListBot | None = None
    #: The pages as the bot last saved them (looked up only when needed), by title.
    own_saves: dict[str, OwnSave | None] = field(default_factory=dict)
    #: A page's size limit: its longest lists are cut to fit (page_size_limit).
    max_bytes: int | None = None
    #: The values with a problem, marked in the lists as on the index (bots.core.lists.fill.listed_marks).
    marks: ProblemMarks | None = None

    def fill(self, snapshot: PageSnapshot, own: OwnSave | None = None) -> PagePlan:
        """The page's plan; unless -force, a list losing too many rows leaves the page alone (bots.core.pages.guard).

        ``own``: the page as the bot last saved it, when someone else saved it since.
        """
        share = None if self.force else self.config.pages.max_removed_share
        environment = self.config.environment()
        return list_plan(
            snapshot, self.records, self.config.schema, environment, self.names, share, own, self.max_bytes, self.marks
        )

    def fill_against_own(self, snapshot: PageSnapshot) -> PagePlan:
        """The page's plan, its lists measured against the bot's own last save (bots.wiki.history.own_last_save,
        looked up once a run): rows someone typed into a list since are not the bot's."""
        if snapshot.title not in self.own_saves:
            self.own_saves[snapshot.title] = own_last_save(self.site, snapshot.title)
        return self.fill(snapshot, self.own_saves[snapshot.title])

    def run(self, always: bool) -> None:
        """Save the lists, reading each page afresh (the main job may just have edited it)."""
        if not self.titles:
            return
        if not self.records:
            pywikibot.error(
                f"No valid {self.config.schema.words.noun} record was read, so no list is changed "
                "(a bad read would empty them)."
            )
            return
        self.bot = ListBot(
            self.site,
            self.titles,
            self.fill,
            self.config.pages.lists.summary,
            fill_against_own=self.fill_against_own,
            shutoff=self.config.pages,
            always=always,
        )
        self.bot.run()

    def summary_line(self) -> str:
        bot = self.bot
        if bot is None:
            return f"lists on {len(self.titles)} pages: none saved"
        return (
            f"lists on {len(self.titles)} pages: {bot.counter['write']} saved, {bot.counter['unchanged']} unchanged, "
            f"{bot.counter['skip']} skipped, {len(bot.refused)} refused, "
            f"{len(bot.left_alone)} left alone for a broken list, "
            f"{len(self.issues)} list problems"
        )

    def complete(self) -> bool:
        """Every list is as filled (none refused or skipped): a quiet run may rely on them (bots.core.runs.quiet)."""
        return self.bot is None or (not self.bot.refused and self.bot.counter["skip"] == 0)

    def exit_code(self) -> int:
        """The lists' exit code (bots.cli.run_exit_code); pages left alone for a broken list are not refusals."""
        return self.bot.exit_code() if self.bot else DONE


def page_size_limit(site: pywikibot.site.BaseSite, config: Config) -> int:
    """guard: max_page_bytes of pages.yaml, or the wiki's own limit ($wgMaxArticleSize, in siteinfo) if lower."""
    wiki_limit = site.siteinfo.get("general").get("maxarticlesize")
    configured = config.pages.max_page_bytes
    return min(configured, wiki_limit) if isinstance(wiki_limit, int) and wiki_limit > 0 else configured


def prepare(
    site: pywikibot.site.BaseSite,
    config: Config,
    checked: Checked,
    pages: Iterator[pywikibot.Page] | None = None,
    force: bool = False,
) -> ListJob:
    """Read the pages holding lists (or ``pages``) and check their queries against ``checked``'s records."""
    start, end = list_template_name(config.schema), end_template_name(config.schema)
    names = ListNames(tuple(template_names(site, start, ())), tuple(template_names(site, end, ())))
    job = ListJob(
        site,
        config,
        listable(checked),
        names,
        force,
        max_bytes=page_size_limit(site, config),
        marks=listed_marks(checked, config.pages, config.schema),
    )
    if pages is None:
        pages = infobox_pages(site, start, config.pages.lists.namespaces)
    for snapshot in read_snapshots(pages):
        plan = job.fill(snapshot)
        if plan.refused:  # measured against the bot's own last save instead, if someone edited a list since
            plan = job.fill_against_own(snapshot)
        if plan.lists or plan.issues:
            job.titles.append(snapshot.title)
            job.issues.extend(plan.issues)
    return job


def with_list_issues(checked: Checked, job: ListJob) -> Checked:
    """The records and problems of a run, with the problems found in lists (for the report)."""
    return with_issues(checked, job.issues)


def report_checked(
    site: pywikibot.site.BaseSite, config: Config, checked: Checked, force: bool = False
) -> tuple[Checked, ListJob]:
    """What the generated pages and the validation report are built from: ``checked`` and the lists' problems.

    bots.update and bots.validate -report both take the report from this (through
    pipeline.render_generated), so they write the same report for the same wiki.
    The job then fills the lists (bots.update does; bots.validate does not).
    """
    job = prepare(site, config, checked, force=force)
    return with_list_issues(checked, job), job


def main(*args: str) -> int:
    return run_bot(run, args, __doc__ or "", OwnOptions(generators=True))


def run(options: BotOptions) -> int:
    started = time.monotonic()
    config = options.config
    generator = page_generator(None, options.rest)
    if isinstance(generator, int):
        return generator
    site = pywikibot.Site()
    if not ready_to_edit(site, config.pages):
        return SWITCHED_OFF
    names = template_names(site, config.schema.template, config.schema.template_aliases)
    snapshots = read_snapshots(infobox_pages(site, config.schema.template, config.pages.namespaces))
    checked = check_pages(snapshots, config.schema, names)
    job = prepare(site, config, checked, generator, force=options.force)
    for issue in job.issues:
        pywikibot.warning(f"[[{issue.page}]] {issue.field or '-'}: {issue.message}")
    job.run(always=options.always)
    pywikibot.info(f"Done in {time.monotonic() - started:.1f} s: {len(checked.records)} records; {job.summary_line()}.")
    return job.exit_code()


def console_main() -> None:
    sys.exit(main(*sys.argv[1:]))


if __name__ == "__main__":
    console_main()
