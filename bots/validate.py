"""Check partnership infoboxes and print every problem, grouped by page. Never edits.

Usage:
    python -m bots.validate [options] [page generator options]

Without a page generator, checks every page that transcludes the infobox (or
one of its redirects), exactly as bots.update reads them. With one (-page:,
-cat:, -prefixindex:, or any other pywikibot page generator option), checks
only those pages: a page without the infobox is reported as no-infobox, a page
that does not exist as missing-page, a redirect as redirect. Rules across
records (a name used twice) are applied among the pages checked.

Use it before a bulk edit: it exits with 1 when any page has an error.
It never edits, except the validation report page when asked to with -report.

Options:
    -format:text|json   how to print the problems (--format json works too):
                        text  one block per page, then a summary line (default)
                        json  one JSON document: {"pages_checked", "errors",
                              "warnings", "issues": [{"page", "field", "code",
                              "severity", "message", "suggestion"}, ...]}
    -report             also rewrite the validation report page named in
                        config/pages.yaml, as bots.update does (honours
                        -simulate, -always and the shutoff page); only when
                        checking all pages, not with a page generator. Like
                        bots.update's, the report (and so what is printed)
                        includes the problems in volunteers' lists
                        ({{Partnership list}}). When no page was read at all,
                        the report is left as it is
    -always             with -report: save without asking
    -settings:DIR       read schema.yaml and pages.yaml from DIR (default: config/)
    -simulate           with -report: show the diff, save nothing

Page generator options: -page:TITLE, -cat:CATEGORY, -prefixindex:PREFIX, and
the others of pywikibot's pagegenerators module (they can be combined).
Every pywikibot global option works too (-dir:, -user:, -verbose, ...).

The problems go to standard output, so they can be piped; progress and
pywikibot's own messages go to standard error.

Exit codes: 0 no errors (warnings allowed); 1 errors found, or the wiki could
not be read (with -report, also when the report page could not be saved);
2 bad options or configuration; 3 switched off on the wiki (only with -report:
nothing is checked or saved).

Examples:
    PYWIKIBOT_DIR=.devwiki/pywikibot python -m bots.validate
    PYWIKIBOT_DIR=.devwiki/pywikibot python -m bots.validate -page:"Partnerships/PediaPress books"
    PYWIKIBOT_DIR=.devwiki/pywikibot python -m bots.validate -prefixindex:"Partnerships/Example:" -format:json
    PYWIKIBOT_DIR=.devwiki/pywikibot python -m bots.validate -report -always
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

import pywikibot

from bots import lists
from bots.cli import (
    BAD_OPTIONS,
    DONE,
    REFUSED,
    SWITCHED_OFF,
    WIKI_ERRORS,
    BotOptions,
    OwnOptions,
    OwnValues,
    can_confirm,
    page_generator,
    parse_options,
    parse_own,
    stopped,
)
from bots.core.pages.guard import empty_read_reason
from bots.core.pipeline import Checked, check_pages, render_generated
from bots.core.records.model import Issue, PageSnapshot, severity_count
from bots.wiki.links import link_lookup
from bots.wiki.messages import updated_now
from bots.wiki.read import SkippedPage, infobox_pages, read_snapshots, template_names
from bots.wiki.save import RegionBot
from bots.wiki.shutoff import ready_to_edit

FORMATS = ("text", "json")
REPORT_KEY = "report"


@dataclass(frozen=True)
class ValidateOptions:
    """This bot's own options, taken from what pywikibot and bots.cli left over."""

    format: str = "text"
    report: bool = False
    generator_args: tuple[str, ...] = ()


@dataclass(frozen=True)
class Result:
    """What a run found: how many pages were checked and every problem, sorted."""

    pages_checked: int
    issues: tuple[Issue, ...]

    @property
    def errors(self) -> int:
        return severity_count(self.issues, "error")

    @property
    def warnings(self) -> int:
        return severity_count(self.issues, "warning")


#: -format:FORMAT (or --format FORMAT, --format=FORMAT) and -report; other dash options go to the generators.
OWN_OPTIONS = OwnOptions(flags=frozenset({"-report"}), values={"-format": FORMATS}, generators=True)


def validate_options(own: OwnValues) -> ValidateOptions:
    return ValidateOptions(
        format=own.value("-format", "text"), report="-report" in own.flags, generator_args=own.generator_args
    )


def parse_own_options(rest: Sequence[str]) -> ValidateOptions | str:
    """This bot's options out of ``rest`` (see OWN_OPTIONS); a string is the error message for a bad option."""
    own = parse_own(rest, OWN_OPTIONS)
    return own if isinstance(own, str) else validate_options(own)


def main(*args: str) -> int:
    options = parse_options(args, __doc__ or "", OWN_OPTIONS, edits=False)
    if isinstance(options, int):
        return options
    own = validate_options(options.own)
    if own.report and not any(p.key == REPORT_KEY for p in options.config.pages.generated):
        pywikibot.error(
            f"-report: {options.config.files.pages} has no generated page {REPORT_KEY!r} to write the report to."
        )
        return BAD_OPTIONS
    try:
        generator = page_generator(None, own.generator_args)
        if isinstance(generator, int):
            return generator
        if own.report and generator is not None:
            pywikibot.error(
                "-report rewrites the whole validation report, so it needs every "
                f"{options.config.schema.words.noun} page: "
                "leave out the page generator options (-page:, -cat:, ...), or leave out -report."
            )
            return BAD_OPTIONS
        if own.report and not can_confirm(options.always):
            return BAD_OPTIONS
        # pywikibot writes a few things of its own to standard output (the bot framework's
        # "Working on ..." line): while it runs, send those to standard error, so that
        # standard output carries only the problems (one JSON document with -format:json).
        out = sys.stdout
        with contextlib.redirect_stdout(sys.stderr):
            return run(options, own, pywikibot.Site(), generator, out)
    except WIKI_ERRORS as exc:
        return stopped(exc)


def run(
    options: BotOptions,
    own: ValidateOptions,
    site: pywikibot.site.BaseSite,
    generator: Iterator[pywikibot.Page] | None,
    out: TextIO,
) -> int:
    config = options.config
    if own.report and not ready_to_edit(site, config.pages):
        return SWITCHED_OFF
    names = template_names(site, config.schema.template, config.schema.template_aliases)
    if generator is None:
        snapshots = read_snapshots(infobox_pages(site, config.schema.template, config.pages.namespaces))
        unreadable: list[Issue] = []
    else:
        try:
            snapshots, unreadable = read_selected(generator)
        except pywikibot.exceptions.InvalidTitleError as exc:
            pywikibot.error(f"Bad page title: {exc}")
            return BAD_OPTIONS
    if not snapshots and not unreadable:
        template = config.schema.template
        where = f"no page uses {{{{{template}}}}}" if generator is None else "the page options matched none"
        pywikibot.warning(f"No pages to check: {where}.")
    checked = check_pages(
        snapshots,
        config.schema,
        names,
        link_lookup(site),
        config.pages.crosslink.fields,
        every_record=generator is None,
    )
    if own.report:
        checked, _lists = lists.report_checked(site, config, checked, options.force)  # the same as bots.update's
    result = Result(
        pages_checked=len(snapshots) + len(unreadable),
        issues=tuple(sorted([*checked.issues, *unreadable], key=Issue.sort_key)),
    )
    emit(format_json(result) if own.format == "json" else format_text(result), out)
    report = write_report(site, checked, options, len(snapshots)) if own.report else DONE
    return report if report != DONE else (REFUSED if result.errors else DONE)


def read_selected(pages: Iterable[pywikibot.Page]) -> tuple[list[PageSnapshot], list[Issue]]:
    """Pages from a generator: snapshots of those that exist, issues for the others."""
    skipped: list[SkippedPage] = []
    snapshots = read_snapshots(pages, skipped)
    return snapshots, [skipped_issue(page) for page in skipped]


def skipped_issue(page: SkippedPage) -> Issue:
    """Why a page asked for was not checked: it does not exist, or it is a redirect."""
    if page.missing:
        return Issue(
            page.title,
            "",
            "missing-page",
            "error",
            "There is no page with this title, so it could not be checked. "
            "Check the spelling (titles are case-sensitive after the first letter).",
        )
    target = page.redirect_to
    if not target:
        return Issue(page.title, "", "redirect", "warning", "The page is a redirect, so it was not checked.")
    return Issue(
        page.title,
        "",
        "redirect",
        "warning",
        f"The page is a redirect to “{target}”, so it was not checked. Check “{target}” instead.",
        target,
    )


def write_report(site: pywikibot.site.BaseSite, checked: Checked, options: BotOptions, pages_read: int) -> int:
    """Rewrite the validation report page as bots.update would; the exit code of that part.

    Like bots.update, it saves nothing when no record page was read at all (not even with -force).
    """
    config = options.config
    empty = empty_read_reason(pages_read, config.schema.words)
    if empty:
        pywikibot.error(f"Not saving the validation report: {empty}")
        return REFUSED
    title = next(p.title for p in config.pages.generated if p.key == REPORT_KEY)
    bodies = render_generated(checked, config, updated_now())
    bot = RegionBot(site, {title: bodies[title]}, config.pages, always=options.always, words=config.schema.words)
    bot.run()
    return bot.exit_code()


def _plural(count: int, word: str, words: str = "") -> str:
    return f"{count} {word if count == 1 else words or word + 's'}"


def emit(text: str, out: TextIO) -> None:
    """Print to standard output; a reader that stops early (``| head``) is no error."""
    try:
        print(text, file=out, flush=True)
    except BrokenPipeError:
        # Python would complain again when flushing stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), out.fileno())


def issue_line(issue: Issue) -> str:
    """One problem as a line of text: severity, field, message and any suggestion not already in it."""
    where = f"{issue.field}: " if issue.field else ""
    hint = ""
    if issue.suggestion and f"“{issue.suggestion}”" not in issue.message:
        hint = f" (did you mean: {issue.suggestion})"
    return f"  {issue.severity:<8}{where}{issue.message}{hint}"


def format_text(result: Result) -> str:
    """The problems grouped by page, then a summary line."""
    lines: list[str] = []
    page = None
    for issue in result.issues:
        if issue.page != page:
            if page is not None:
                lines.append("")
            page = issue.page
            lines.append(page)
        lines.append(issue_line(issue))
    if lines:
        lines.append("")
    pages_with_issues = len({i.page for i in result.issues})
    lines.append(
        f"{_plural(result.pages_checked, 'page')} checked: {_plural(result.errors, 'error')}, "
        f"{_plural(result.warnings, 'warning')} on {_plural(pages_with_issues, 'page')}."
    )
    return "\n".join(lines)


def as_dict(result: Result) -> dict[str, Any]:
    return {
        "pages_checked": result.pages_checked,
        "errors": result.errors,
        "warnings": result.warnings,
        "issues": [dataclasses.asdict(i) for i in result.issues],
    }


def format_json(result: Result) -> str:
    return json.dumps(as_dict(result), ensure_ascii=False, indent=2)


def console_main() -> None:
    sys.exit(main(*sys.argv[1:]))


if __name__ == "__main__":
    console_main()
