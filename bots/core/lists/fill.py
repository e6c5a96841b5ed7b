"""Lists on any page: ``{{Partnership list|query}}`` ... ``{{Partnership list end}}``, filled by the bot.

The text between a list template and the next end template belongs to the bot;
everything else on the page is the volunteers' and is returned byte for byte
(mwparserfromhell prints back exactly what it parsed). Several lists on a page
work. A list without its end template (or an end template without a list) makes
the bot leave the whole page alone and report it, since guessing could swallow
a volunteer's text. A bad query fills its region with a short message, and the
problem is reported as an Issue on the page holding the list.

Pure: no pywikibot, no I/O.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import jinja2
from mwparserfromhell.nodes import Template

from bots.core.lists.query import Query, QueryError, Result, evaluate, parse_query, title_field
from bots.core.pages.escape import internal_link
from bots.core.pages.guard import OwnSave, edit_query_instead, edited_by_hand, hand_edit_note, own_removal_reason
from bots.core.pages.markers import cut_rows_marker, list_query_marker, region_fingerprint, template_rows_marker
from bots.core.pages.render import ProblemMarks, display, escape_wikitext, html_headings, wikilink
from bots.core.pipeline import Checked, report_of
from bots.core.records.model import Issue, PageSnapshot, Partnership
from bots.core.records.parse import TooComplex, bounded_parse, infobox_from_template, is_infobox
from bots.core.records.schema import Schema
from bots.core.records.validate import too_complex_issue
from bots.core.records.words import DEFAULT_WORDS, Words
from bots.core.settings.pages_config import PagesConfig

LIST_TEMPLATE = "lists/list.wikitext"
ERROR_TEMPLATE = "lists/error.wikitext"
NOTICE_TEMPLATE = "_notice.wikitext"


def list_template_name(schema: Schema) -> str:
    """The volunteers' list template: the schema's words say it, "<infobox> list" by default."""
    return schema.words.list_template_of(schema.template)


def end_template_name(schema: Schema) -> str:
    return f"{list_template_name(schema)} end"


@dataclass(frozen=True)
class ListNames:
    """The names the list and end templates go by (their own and every redirect)."""

    start: tuple[str, ...]
    end: tuple[str, ...]

    @classmethod
    def of(cls, schema: Schema) -> ListNames:
        return cls((list_template_name(schema),), (end_template_name(schema),))


@dataclass(frozen=True)
class ListRegion:
    """One list on a page: its call (shortened), where it is, and its region's text before and after."""

    call: str
    number: int
    count: int
    old: str
    new: str
    #: False when the query has errors (the region then shows what is wrong).
    valid: bool = True
    #: The query's fingerprint now, and the one the region was last filled for ("" when it shows none).
    fingerprint: str = ""
    old_fingerprint: str = ""

    def query_changed(self) -> bool:
        """True when the region shows it was filled for another query (a volunteer's edit, not a bad read)."""
        return bool(self.old_fingerprint) and self.old_fingerprint != self.fingerprint

    def name(self) -> str:
        where = f" (list {self.number} of {self.count} on the page)" if self.count > 1 else ""
        return f"the list {self.call}{where}"


@dataclass(frozen=True)
class PagePlan:
    """What the bot will do with one page holding lists."""

    title: str
    #: The page's new text (equal to the old one when nothing changes); None: leave the page alone.
    text: str | None
    issues: tuple[Issue, ...]
    lists: int
    reason: str = ""
    regions: tuple[ListRegion, ...] = ()
    #: Left alone by the mass-removal guard (a refusal: -force overrides), not for a broken list.
    refused: bool = False
    #: Says which lists someone edited by hand since the bot's last save ("": none, or not known).
    hand_edits: str = ""


#: A list is refused by the mass-removal guard only when it would lose at least this many rows:
#: short lists follow single records (one record changing status empties a one-row list).
MIN_GUARDED_REMOVAL = 3


def guard_plan(
    plan: PagePlan,
    max_removed_share: float,
    own_bodies: Mapping[str, str] | None = None,
    editors: Sequence[str] = (),
    words: Words = DEFAULT_WORDS,
) -> PagePlan:
    """``plan``, or when a list would lose more than ``max_removed_share`` of its rows (and at least
    MIN_GUARDED_REMOVAL), a plan that leaves the page alone, saying which list and why.

    A list whose query has errors is not guarded: its region shows the volunteer what is wrong.
    Nor is a list whose query changed since the bot last filled it (its fingerprint differs):
    the guard is against a bad read, not against a volunteer narrowing the query on purpose.
    A region without a fingerprint (filled before fingerprints, or edited by hand) is guarded.
    ``own_bodies``: the regions as the bot itself last saved the page, by query fingerprint
    (own_bodies; None: the page's current text is the bot's, or no save of the bot's is known),
    ``editors`` who saved the page since. A region edited by hand since is measured against the
    bot's own last body for the same query (bots.core.pages.guard.own_removal_reason), and the plan's
    ``hand_edits`` says so, in the records' ``words``.
    """
    reasons, edited = [], []
    for region in plan.regions:
        own_body = (own_bodies or {}).get(region.fingerprint) if region.fingerprint else None
        if region.valid and edited_by_hand(region.old, own_body):
            edited.append(region.name())
        if not region.valid or region.query_changed():
            continue
        reason = own_removal_reason(
            region.old,
            region.new,
            own_body,
            max_removed_share,
            min_removed=MIN_GUARDED_REMOVAL,
            where=f"of {region.name()}",
        )
        if reason:
            reasons.append(reason)
    if edited:
        plan = dataclasses.replace(
            plan, hand_edits=hand_edit_note(editors, " and ".join(edited), edit_query_instead(words))
        )
    if not reasons or plan.text is None:
        return plan
    reason = " ".join(reasons)
    issue = Issue(
        plan.title,
        "",
        "list-mass-removal",
        "warning",
        f"The bot left this page's lists as they were: {reason} "
        "If the list's query was changed on purpose, the bot's operator can run it with -force.",
    )
    return dataclasses.replace(plan, text=None, issues=(*plan.issues, issue), reason=reason, refused=True)


# --- the query a region was filled for ---------------------------------------------------

# A filled region's first line is the fingerprint of its query (bots.core.pages.markers.list_query_marker):
# invisible to readers, stable across runs, telling the guard which query the rows are for.


def query_fingerprint(query: Query) -> str:
    """A short hash of the normalised query: the same for the same query however it is written.

    Parameter order and value order do not matter; options left at their defaults are left out,
    so a new option in a later version of the bot does not change existing fingerprints.
    """
    defaults = dataclasses.asdict(Query())
    filters = sorted(
        (dataclasses.replace(f, values=tuple(sorted(f.values))) for f in query.filters), key=lambda f: repr(f)
    )
    values = dataclasses.asdict(dataclasses.replace(query, filters=tuple(filters)))
    canonical = {key: value for key, value in values.items() if value != defaults[key]}
    text = json.dumps(canonical, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def own_bodies(own: OwnSave, names: ListNames) -> dict[str, str]:
    """The bodies of the lists on a page as the bot saved it (between a list template and the next
    end template, at the top level), by the fingerprint each was filled for; those without one left out."""
    bodies: dict[str, str] = {}
    opened: list[str] | None = None
    try:
        code = bounded_parse(own.text)
    except TooComplex:
        return bodies  # the bot never saves a page it cannot read; an old revision may still be one
    for node in code.nodes:
        if isinstance(node, Template) and is_infobox(node, names.end) and opened is not None:
            body = "".join(opened)
            bodies.setdefault(region_fingerprint(body), body)
            opened = None
        elif isinstance(node, Template) and is_infobox(node, names.start):
            opened = []
        elif opened is not None:
            opened.append(str(node))
    bodies.pop("", None)
    return bodies


# --- rendering -------------------------------------------------------------------------


def cell(schema: Schema, record: Partnership, field: str, marks: ProblemMarks | None = None) -> str:
    """A field of a record as table or list wikitext: the name links to the page, titles are links;
    with ``marks``, a value with a problem is marked, as on the generated pages."""
    mark = marks.mark(record.title, field) if marks else ""
    if field == title_field(schema):
        return wikilink(record.title, record.text(field) or record.title) + mark
    spec = schema.field(field)
    if spec.kind.is_title and field not in record.written:
        return ", ".join(internal_link(item) for item in record.items(field)) + mark
    return display(schema, record, field, marks)


def plain(schema: Schema, record: Partnership, field: str) -> str:
    """A field as escaped text only, for a volunteer's row template (a value that is not valid as written, unmarked)."""
    if field == title_field(schema):
        return escape_wikitext(record.text(field) or record.title)
    return display(schema, record, field)


def render_list(env: jinja2.Environment, schema: Schema, result: Result, marks: ProblemMarks | None = None) -> str:
    """The region's body for a query's result (no surrounding new lines); ``marks``: see cell."""
    query = result.query
    if query.format == "count":
        return str(result.matched)
    sections = [
        {
            "label": section.label,
            "rows": [
                {
                    "title": record.title,
                    "cells": [cell(schema, record, f, marks) for f in query.columns],
                    "params": [(f, plain(schema, record, f)) for f in query.columns],
                }
                for record in section.records
            ],
        }
        for section in result.sections
    ]
    return (
        env.get_template(LIST_TEMPLATE)
        .render(
            query=query,
            labels=[schema.field(f).label for f in query.columns],
            sections=sections,
            matched=result.matched,
            record_word=schema.template.lower(),
        )
        .strip()
    )


def render_errors(env: jinja2.Environment, schema: Schema, errors: Sequence[QueryError], inline: bool) -> str:
    return (
        env.get_template(ERROR_TEMPLATE)
        .render(errors=errors, inline=inline, template=f"Template:{list_template_name(schema)}", words=schema.words)
        .strip()
    )


def _body(text: str, inline: bool) -> str:
    return text if inline else f"\n{text}\n"


def _filled(env: jinja2.Environment, schema: Schema, fingerprint: str, rows: str) -> str:
    """A filled list's region: its query's fingerprint, the notice that the bot keeps it, its rows
    (their headings as HTML, so that no [edit] link opens text the bot overwrites)."""
    notice = (
        env.get_template(NOTICE_TEMPLATE).render(list_template=list_template_name(schema), words=schema.words).strip()
    )
    return _body(f"{list_query_marker(fingerprint)}\n{notice}\n{html_headings(rows)}", False)


# --- pages -----------------------------------------------------------------------------


def _call(template: Template, limit: int = 60) -> str:
    text = " ".join(str(template).split())
    return text if len(text) <= limit else text[: limit - 1] + "…}}"


def fill_page(
    snapshot: PageSnapshot,
    records: Iterable[Partnership],
    schema: Schema,
    env: jinja2.Environment,
    names: ListNames | None = None,
    max_bytes: int | None = None,
    marks: ProblemMarks | None = None,
) -> PagePlan:
    """Fill every list on a page from ``records`` (every record read, as the index shows them).

    ``max_bytes``: the page's size limit; the longest lists of a page that would pass it are cut.
    ``marks``: the values with a problem, marked in tables and lists as on the index (listed_marks).
    """
    names = names or ListNames.of(schema)
    records = list(records)
    title = snapshot.title
    try:
        code = bounded_parse(snapshot.text)
    except TooComplex:
        issue = too_complex_issue(title)
        return PagePlan(title, None, (issue,), 0, issue.message)
    nodes = list(code.nodes)
    issues: list[Issue] = []
    pairs: list[tuple[int, int]] = []
    opened: int | None = None
    broken = ""
    start_word, end_word = f"{{{{{names.start[0]}}}}}", f"{{{{{names.end[0]}}}}}"
    for index, node in enumerate(nodes):
        if not isinstance(node, Template):
            continue
        if is_infobox(node, names.start):
            if opened is not None:
                broken = broken or _call(nodes[opened])  # type: ignore[arg-type]
            opened = index
        elif is_infobox(node, names.end):
            if opened is None:
                broken = broken or "stray"
            else:
                pairs.append((opened, index))
                opened = None
    if opened is not None:
        broken = broken or _call(nodes[opened])  # type: ignore[arg-type]
    everywhere = [t for t in code.filter_templates(recursive=True) if is_infobox(t, names.start)]
    top_level = sum(1 for n in nodes if isinstance(n, Template) and is_infobox(n, names.start))
    if len(everywhere) > top_level:
        issues.append(
            Issue(
                title,
                "",
                "list-nested",
                "warning",
                f"A {start_word} inside another template, a table or a tag is not filled by the bot: "
                "put it on a line of its own, outside templates, tables and tags.",
            )
        )
    if broken == "stray":
        reason = (
            f"{end_word} appears without a {start_word} before it, so the bot leaves this page alone. "
            f"Remove the stray {end_word}, or put the list's template before it."
        )
        issues.append(Issue(title, "", "list-stray-end", "error", reason))
        return PagePlan(title, None, tuple(issues), len(pairs), reason)
    if broken:
        reason = (
            f"The list {broken} has no {end_word} after it, so the bot leaves this page alone. "
            f"Add {end_word} on a line after the list's template (before any next list)."
        )
        issues.append(Issue(title, "", "list-missing-end", "error", reason))
        return PagePlan(title, None, tuple(issues), len(pairs), reason)
    forbidden = (*names.start, *names.end)
    bodies = []
    #: The bodies again, a region without a fingerprint whose rows stay the same keeping its old text.
    kept = []
    regions = []
    #: The result and fingerprint of each list with rows (by its index in ``bodies``), for a cut for size.
    results: dict[int, tuple[Result, str]] = {}
    for number, (start, end) in enumerate(pairs, 1):
        template = nodes[start]
        assert isinstance(template, Template)
        query, errors = parse_query(infobox_from_template(title, template).params, schema, title, forbidden)
        inline = query.format == "count"
        where = f" (list {number} of {len(pairs)} on the page)" if len(pairs) > 1 else ""
        issues.extend(Issue(title, e.parameter, e.code, "error", e.message + where, e.suggestion) for e in errors)
        fingerprint = query_fingerprint(query)
        if errors:
            bodies.append(_body(render_errors(env, schema, errors, inline), inline))
        elif inline:
            bodies.append(_body(render_list(env, schema, evaluate(query, records, schema), marks), inline))
        else:
            result = evaluate(query, records, schema)
            rows = _rows(env, schema, result, marks=marks)
            bodies.append(_filled(env, schema, fingerprint, rows))
            results[len(bodies) - 1] = (result, fingerprint)
        old = "".join(str(node) for node in nodes[start + 1 : end])
        # (before fingerprints: the rows alone, or with the notice that the bot keeps them)
        unchanged_rows = (
            not errors
            and not inline
            and not region_fingerprint(old)
            and old in (_body(rows, inline), bodies[-1].replace(f"{list_query_marker(fingerprint)}\n", "", 1))
        )
        kept.append(old if unchanged_rows else bodies[-1])
        regions.append(
            ListRegion(
                _call(template), number, len(pairs), old, bodies[-1], not errors, fingerprint, region_fingerprint(old)
            )
        )
    # A region filled before fingerprints existed, whose rows are still right, is not worth an edit
    # of its own: it gets its fingerprint with the page's next real change. (A fingerprint that
    # differs is always rewritten: left stale, it would tell the guard the query changed.)
    text = _with_bodies(nodes, pairs, kept)
    if text != snapshot.text:
        text = _with_bodies(nodes, pairs, bodies)
    plan = PagePlan(title, text, tuple(issues), len(pairs), regions=tuple(regions))
    if max_bytes is None or _size(text) <= max_bytes:
        return plan
    return _cut_to_size(plan, nodes, pairs, bodies, results, max_bytes, env, schema, marks)


def _rows(
    env: jinja2.Environment, schema: Schema, result: Result, cut: str = "", marks: ProblemMarks | None = None
) -> str:
    """A list's rows (after its fingerprint line); a template list's count of rows first, for the guard.

    ``cut``: the note of a list cut for size, with its count of rows not shown (see _cut_to_size).
    """
    rows = render_list(env, schema, result, marks)
    if result.query.format == "template":  # the rows are template calls: the guard counts them by this line
        rows = f"{template_rows_marker(_shown(result))}\n{rows}"
    return f"{rows}\n\n{cut}" if cut else rows


def _shown(result: Result) -> int:
    """The rows a result shows (a record under several headings counts under each)."""
    return sum(len(section.records) for section in result.sections)


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def _first_rows(result: Result, keep: int) -> Result:
    """``result`` showing only its first ``keep`` rows, in the order they are shown."""
    sections = []
    for section in result.sections:
        if keep <= 0:
            break
        sections.append(dataclasses.replace(section, records=section.records[:keep]))
        keep -= len(section.records)
    return dataclasses.replace(result, sections=tuple(sections))


def _cut_to_size(
    plan: PagePlan,
    nodes: Sequence[object],
    pairs: Sequence[tuple[int, int]],
    bodies: Sequence[str],
    results: Mapping[int, tuple[Result, str]],
    max_bytes: int,
    env: jinja2.Environment,
    schema: Schema,
    marks: ProblemMarks | None = None,
) -> PagePlan:
    """The plan with its longest lists cut (their first rows kept) until the page fits in ``max_bytes``.

    The lists share the room left by the rest of the page: each list longer than an equal
    share is cut to it (shorter lists stay whole and leave their room to the others). Each list
    cut says so in the list itself, with the limit and how many rows it shows, and counts the
    rows it does not show (bots.core.pages.guard.cut_rows_marker), so that the guard does not take
    the cut for a bad read. A page still too long with every list cut to nothing (its own
    text is) is left alone. Each cut is a problem on the page, for the report.
    """
    bodies = list(bodies)
    regions = list(plan.regions)
    kept: dict[int, tuple[int, int]] = {}  # list index -> rows shown, rows in all

    def cut(index: int, target: int) -> None:
        """Cut the list to its most rows whose body (with the note) takes at most ``target`` bytes."""
        result, fingerprint = results[index]
        total = _shown(result)

        def body(keep: int) -> str:
            note = (
                f"''This list was cut: the page would pass the wiki's size limit of {max_bytes:,} bytes, so it "
                f"shows the first {keep:,} of its {total:,} rows. Narrow the list's query (more filters, or a "
                "limit) or split the lists over several pages.''\n"
                f"{cut_rows_marker(total - keep)}"
            )
            rows = _rows(env, schema, _first_rows(result, keep), note, marks)
            return _filled(env, schema, fingerprint, rows)

        low, high = 0, kept.get(index, (total, total))[0]  # the most rows that fit (0 when none does)
        while low < high:
            middle = (low + high + 1) // 2
            if _size(body(middle)) <= target:
                low = middle
            else:
                high = middle - 1
        bodies[index] = body(low)
        regions[index] = dataclasses.replace(regions[index], new=bodies[index])
        kept[index] = (low, total)

    sizes = {index: _size(bodies[index]) for index in results}
    room = max_bytes - (_size(_with_bodies(nodes, pairs, bodies)) - sum(sizes.values()))
    share = _equal_share(list(sizes.values()), room)
    for index, length in sizes.items():
        if length > share:
            cut(index, share)
    # What is left over (the notes take room too): the longest lists give it up, one after the other.
    for index in sorted(results, key=lambda i: (-_size(bodies[i]), i)):
        excess = _size(_with_bodies(nodes, pairs, bodies)) - max_bytes
        if excess <= 0:
            break
        cut(index, _size(bodies[index]) - excess)
    issues = list(plan.issues)
    for index, (shown, total) in sorted(kept.items()):
        name = regions[index].name()
        issues.append(
            Issue(
                plan.title,
                "",
                "list-cut-for-size",
                "warning",
                f"{name[0].upper()}{name[1:]} was cut to its first {shown:,} of {total:,} rows: the page would "
                f"pass the wiki's size limit of {max_bytes:,} bytes. Narrow the list's query (more filters, "
                "or a limit) or split the lists over several pages.",
            )
        )
    text = _with_bodies(nodes, pairs, bodies)
    if _size(text) > max_bytes:
        reason = (
            f"the page is longer than the wiki's size limit of {max_bytes:,} bytes even with its lists "
            "emptied, so the bot leaves it alone. Split the page, or move some of its text to another page."
        )
        issues.append(Issue(plan.title, "", "list-page-too-long", "error", f"The bot left this page alone: {reason}"))
        return dataclasses.replace(plan, text=None, issues=tuple(issues), reason=reason)
    return dataclasses.replace(plan, text=text, issues=tuple(issues), regions=tuple(regions))


def _equal_share(sizes: Sequence[int], room: int) -> int:
    """The most bytes each list may take so that all fit in ``room``, shorter lists keeping their size."""
    remaining, left = room, len(sizes)
    for length in sorted(sizes):
        if length * left > remaining:
            return max(0, remaining // left)
        remaining -= length
        left -= 1
    return max(sizes, default=0)


def _with_bodies(nodes: Sequence[object], pairs: Sequence[tuple[int, int]], bodies: Sequence[str]) -> str:
    """The page's text with the region between each pair of list and end templates replaced by its body."""
    parts: list[str] = []
    position = 0
    for (start, end), body in zip(pairs, bodies, strict=True):
        parts.extend(str(node) for node in nodes[position : start + 1])
        parts.append(body)
        position = end
    parts.extend(str(node) for node in nodes[position:])
    return "".join(parts)


# --- runs without a wiki ---------------------------------------------------------------


def listable(checked: Checked) -> list[Partnership]:
    """The records lists show: every record read, those with problems too (marked), as on the index."""
    return list(checked.records)


def listed_marks(checked: Checked, pages: PagesConfig, schema: Schema) -> ProblemMarks:
    """The values lists mark as having a problem, each linked to its page's entry in the report."""
    return ProblemMarks.of(checked.issues, schema, report_of(pages, {}))  # (not known whether split: the report)


def with_issues(checked: Checked, issues: Iterable[Issue]) -> Checked:
    """``checked`` with more problems (those found in lists), in the report's order."""
    return dataclasses.replace(checked, issues=tuple(sorted((*checked.issues, *issues), key=Issue.sort_key)))


def holds_list(text: str, names: ListNames) -> bool:
    """True if the page calls a list template anywhere, as MediaWiki would list it as transcluding one."""
    folded = text.lower().replace("_", " ")
    if not any(name.lower() in folded for name in names.start):  # cheap: most pages of a whole wiki
        return False
    try:
        code = bounded_parse(text)
    except TooComplex:
        return True  # fill_page reports it
    return any(is_infobox(t, names.start) for t in code.filter_templates(recursive=True))


def list_plan(
    snapshot: PageSnapshot,
    records: Sequence[Partnership],
    schema: Schema,
    env: jinja2.Environment,
    names: ListNames,
    max_removed_share: float | None,
    own: OwnSave | None = None,
    max_bytes: int | None = None,
    marks: ProblemMarks | None = None,
) -> PagePlan:
    """The page with its lists filled (fill_page), held back by the mass-removal guard
    unless ``max_removed_share`` is None (-force). bots.lists, bots.update and bots.offline
    all fill lists through this. ``own``: the page as the bot last saved it (see guard_plan);
    ``max_bytes``: the page's size limit (see fill_page)."""
    plan = fill_page(snapshot, records, schema, env, names, max_bytes, marks)
    share = 1.0 if max_removed_share is None else max_removed_share
    bodies = None if own is None else own_bodies(own, names)
    return guard_plan(plan, share, bodies, own.editors if own else (), schema.words)
