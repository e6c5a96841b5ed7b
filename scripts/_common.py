"""What the maintenance scripts share: their own options, the page selection, the run and its count.

Not a script itself; see scripts.rename_parameter, normalise, migrate, create_pages, export.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import pywikibot

from bots.cli import (
    BAD_OPTIONS,
    SWITCHED_OFF,
    WIKI_ERRORS,
    BotOptions,
    OwnOptions,
    can_confirm,
    page_generator,
    parse_options,
    stopped,
)
from bots.core.pipeline import check_pages
from bots.core.records.model import Issue, PageSnapshot, severity_count
from bots.core.upkeep.maintenance import Outcome
from bots.core.upkeep.rows import NewPage, Row, plan_new_pages
from bots.wiki.messages import saved_word
from bots.wiki.read import infobox_pages, read_snapshots, template_names
from bots.wiki.save import Change, CreatePagesBot, TextChangeBot
from bots.wiki.shutoff import ready_to_edit


@dataclass(frozen=True)
class ScriptOptions:
    """bots.cli's options, the script's own ``-name:value`` options, and the page generator options."""

    bot: BotOptions
    own: dict[str, list[str]] = field(default_factory=dict)
    generator_args: tuple[str, ...] = ()
    #: Whether the script saves pages (and so needs -always, -simulate or a terminal).
    edits: bool = True

    def one(self, name: str, default: str = "") -> str:
        values = self.own.get(name, [])
        return values[-1] if values else default


def parse_script_options(
    args: Sequence[str], doc: str, names: Iterable[str], edits: bool = True
) -> ScriptOptions | int:
    """Global and shared options first (bots.cli), then ``-name:value`` for each of ``names``.

    Anything else that starts with '-' is left for the page generators; an int is
    the exit code to stop with. Whether edits can be confirmed is checked by
    guarded, once the script has checked the rest of its options.
    """
    own = OwnOptions(values={f"-{name}": () for name in names}, generators=True)
    options = parse_options(args, doc, own, edits=False)
    if isinstance(options, int):
        return options
    values = {name[1:]: list(given) for name, given in options.own.values.items()}
    return ScriptOptions(bot=options, own=values, generator_args=options.rest, edits=edits)


def select_pages(
    options: ScriptOptions,
    default: Callable[[pywikibot.site.BaseSite], Iterable[pywikibot.Page]] | None = None,
    required: str = "",
) -> Iterator[pywikibot.Page] | int:
    """The pages of the generator options, by default every partnership page; an int is an exit code.

    Call it before creating the site: a bad option (mistyped, a value left out, a
    bad number or regex) is then said in one line, with exit 2, before any request
    to the wiki. The default pages are asked for when the pages are first read.
    With ``required`` there are no default pages: without a generator option, it
    is said (exit 2).
    """
    config = options.bot.config

    def partnership_pages(site: pywikibot.site.BaseSite) -> Iterable[pywikibot.Page]:
        return infobox_pages(site, config.schema.template, config.pages.namespaces, content=False)

    chosen = default or partnership_pages

    def default_pages() -> Iterator[pywikibot.Page]:
        yield from chosen(pywikibot.Site())

    pages = page_generator(None, options.generator_args, None if required else default_pages)
    if pages is None:
        pywikibot.error(required)
        return BAD_OPTIONS
    return pages


def report(issues: Iterable[Issue]) -> None:
    """Each problem on a line of its own, naming the page and the field."""
    for issue in issues:
        line = f"{issue.where()} {issue.field + ': ' if issue.field else ''}{issue.message}"
        if issue.severity == "error":
            pywikibot.error(line)
        else:
            pywikibot.warning(line)


def run_change(
    site: pywikibot.site.BaseSite,
    options: ScriptOptions,
    pages: Iterable[pywikibot.Page],
    transform: Callable[[PageSnapshot], Outcome],
    summary: Callable[[Outcome], str],
) -> tuple[int, list[Issue]]:
    """Apply a pure transform to every page with TextChangeBot; print the count. (exit code, issues)

    A page whose transform reports an error is left as it is. Anything reported
    (an error, or a warning about a value left as written) makes the exit code 1:
    something is left for a person to fix.
    """
    issues: list[Issue] = []

    def change(snap: PageSnapshot) -> Change:
        outcome = transform(snap)
        report(outcome.issues)
        issues.extend(outcome.issues)
        if not outcome.changed(snap.text):
            return None
        return outcome.text, options.one("summary") or summary(outcome)

    bot = TextChangeBot(site, change, pages=pages, shutoff=options.bot.config.pages, always=options.bot.always)
    bot.run()
    refused = {i.page for i in issues if i.severity == "error"} | set(bot.refused)
    pywikibot.info(
        bot.done_line(
            f"{bot.counter['read']} pages read",
            unchanged=bot.counter["unchanged"] - len({i.page for i in issues if i.severity == "error"}),
            refused=len(refused),
            then=[f"{severity_count(issues, 'warning')} warnings"],
        )
    )
    return bot.exit_code(problems=bool(refused) or bool(issues)), issues


def run_transform(
    options: ScriptOptions,
    make_transform: Callable[[list[str]], Callable[[PageSnapshot], Outcome]],
    summary: Callable[[Outcome], str],
) -> int:
    """The run of a script that applies one pure transform to the selected pages; the exit code.

    Checks the shutoff page, selects the pages, finds the infobox's names on the
    wiki (``make_transform`` gets them) and applies the transform with run_change.
    """
    pages = select_pages(options)
    if isinstance(pages, int):
        return pages
    site = pywikibot.Site()
    if not ready_to_edit(site, options.bot.config.pages):
        return SWITCHED_OFF
    schema = options.bot.config.schema
    names = template_names(site, schema.template, schema.template_aliases)
    code, _ = run_change(site, options, pages, make_transform(names), summary)
    return code


def create_from_rows(
    site: pywikibot.site.BaseSite,
    options: ScriptOptions,
    rows: Sequence[Row],
    title_pattern: str,
    default_summary: Callable[[NewPage], str],
    problems: Sequence[Issue] = (),
    label: str = "Done",
) -> int:
    """Create a page for each valid row, never overwriting one; print the count. The exit code.

    Each row is validated, and its name checked against the records on the wiki
    now. A row with a problem is reported and not created; ``problems`` found
    while reading the rows are reported with them and count as invalid too.
    """
    config = options.bot.config
    schema = config.schema
    names = template_names(site, schema.template, schema.template_aliases)
    existing = check_pages(
        read_snapshots(infobox_pages(site, schema.template, config.pages.namespaces)), schema, names
    ).records
    new_pages, row_issues = plan_new_pages(rows, schema, existing, title_pattern)
    issues = [*problems, *row_issues]
    report(issues)
    texts = {p.title: (p.text, options.one("summary") or default_summary(p)) for p in new_pages}
    bot = CreatePagesBot(site, texts, shutoff=config.pages, always=options.bot.always)
    bot.run()
    invalid = len({i.page for i in issues})
    pywikibot.info(
        f"{label}: {len(rows)} rows, {invalid} invalid (not created, listed above), {bot.counter['write']} pages "
        f"{saved_word()}, {bot.counter['exists']} exist already (not overwritten), {bot.counter['skip']} skipped"
        f"{', not saved: ' + ', '.join(bot.refused) if bot.refused else ''}."
    )
    return bot.exit_code(problems=bool(invalid))


def guarded(options: ScriptOptions, run: Callable[[], int]) -> int:
    """Run the part that talks to the wiki, if its edits can be confirmed (else 2); a wiki error ends it with 1."""
    if options.edits and not can_confirm(options.bot.always):
        return BAD_OPTIONS
    try:
        return run()
    except WIKI_ERRORS as exc:
        return stopped(exc)
