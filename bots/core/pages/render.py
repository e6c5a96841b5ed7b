"""Jinja environment for wikitext, with escaping filters, and the pages' data.

Jinja's default delimiters clash with wikitext (``{{`` is a template and ``{#``
opens a comment inside ``{{#if:``), so templates here use ``<< value >>``,
``<% statement %>`` and ``<# comment #>``. Autoescape is off: every value that
came from a wiki page goes through the ``text`` filter, or ``link`` for links.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import jinja2

from bots.core.links.graph import normalise_partner
from bots.core.pages.escape import escape_wikitext as escape_wikitext  # where the pages' modules import it from
from bots.core.pages.escape import shown_wikitext
from bots.core.pages.markers import PROBLEM_MARK_TEXT, problem_mark, updated_span
from bots.core.records.model import Issue, Partnership, severity_count
from bots.core.records.schema import Schema
from bots.core.records.validate import UNREADABLE
from bots.core.records.words import DEFAULT_WORDS


def wikilink(title: str, label: object = None) -> str:
    """A link to a page; the leading colon keeps Category: and File: titles links."""
    shown = escape_wikitext(title if label is None else label)
    return f"[[:{title}|{shown}]]"


def _anchor_part(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-." else "_" for c in name)


def field_anchor(template: str, field: str) -> str:
    """The id of a field's row in the infobox, e.g. ``Partnership-start``: the same in the
    infobox and in links to it, and safe in an attribute and in a link."""
    return f"{_anchor_part(template)}-{_anchor_part(field)}"


def infobox_anchor(template: str) -> str:
    """The id of the infobox itself, e.g. ``infobox-Partnership``."""
    return f"infobox-{_anchor_part(template)}"


def partner_anchor(name: str) -> str:
    """The id of a partner's row on the Partners page, e.g. ``partner-british_museum``.

    From the name's comparison form (normalise_partner: every spelling of one partner lands on its
    row), spaces as "_", every other byte but ASCII letters, digits and "-" as ".XX". The Lua
    infobox links with the same rule (templates/onwiki/module.lua partner_anchor).
    """
    words = normalise_partner(name).replace(" ", "_")
    kept = (
        c if c.isascii() and (c.isalnum() or c in "_-") else "".join(f".{b:02X}" for b in c.encode()) for c in words
    )
    return "partner-" + "".join(kept)


def report_anchor(title: str) -> str:
    """The id of a page's entry in the validation report, e.g. ``problems-Partnerships.2FKiwix``.

    Letters, digits and "-" are kept, every other character is written as ".XX" per UTF-8 byte
    (as MediaWiki's legacy anchors): two titles never share an id, and the id is safe in an
    attribute and in a link.
    """
    kept = (c if c.isalnum() or c == "-" else "".join(f".{b:02X}" for b in c.encode()) for c in title)
    return "problems-" + "".join(kept)


def problem_fields(issues: Iterable[Issue], schema: Schema) -> dict[str, frozenset[str]]:
    """Page -> the schema fields with an error on it ("" for one that is not a field's).

    Warnings (a partner spelt like another's, an unknown parameter) are the report's alone: they
    never kept a record out of a list, and marking them would mark most values of a large wiki.
    """
    found: dict[str, set[str]] = {}
    for issue in issues:
        if issue.severity != "error":
            continue
        spec = schema.field_for_parameter(issue.field) if issue.field else None
        found.setdefault(issue.page, set()).add(spec.name if spec else "")
    return {page: frozenset(fields) for page, fields in found.items()}


@dataclass(frozen=True)
class ProblemMarks:
    """Which values of which records the pages mark as having a problem, and where each is explained."""

    #: Page -> the fields with a problem (problem_fields).
    fields: Mapping[str, frozenset[str]]
    #: Page -> the report page holding its entry ("": no report; the mark is then not a link).
    report_of: Callable[[str], str] = lambda page: ""
    #: The mark's CSS class (the schema's words).
    css_class: str = DEFAULT_WORDS.css("problem")

    @classmethod
    def of(cls, issues: Iterable[Issue], schema: Schema, report_of: Callable[[str], str] | None = None) -> ProblemMarks:
        return cls(problem_fields(issues, schema), report_of or (lambda page: ""), schema.words.css("problem"))

    def has(self, title: str, field: str) -> bool:
        return field in self.fields.get(title, ())

    def mark(self, title: str, field: str) -> str:
        """The mark after a value ("" when the field has no problem): a link to the page's entry in the report."""
        if not self.has(title, field):
            return ""
        report = self.report_of(title)
        link = wikilink(f"{report}#{report_anchor(title)}", PROBLEM_MARK_TEXT) if report else ""
        return problem_mark(link, self.css_class)


def issue_link(schema: Schema, issue: Issue) -> str:
    """The field of an issue as a link to where it is on the page: its row when the field
    is the schema's (or an alias), the infobox otherwise (e.g. an unknown parameter)."""
    spec = schema.field_for_parameter(issue.field)
    anchor = field_anchor(schema.template, spec.name) if spec else infobox_anchor(schema.template)
    return wikilink(f"{issue.page}#{anchor}", issue.field)


def make_environment(templates: Mapping[str, str]) -> jinja2.Environment:
    """The environment of a folder of templates, given as name -> text (bots.config.read_templates reads them)."""
    env = jinja2.Environment(
        loader=jinja2.DictLoader(dict(templates)),
        block_start_string="<%",
        block_end_string="%>",
        variable_start_string="<<",
        variable_end_string=">>",
        comment_start_string="<#",
        comment_end_string="#>",
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["text"] = escape_wikitext
    env.filters["link"] = wikilink
    env.filters["partner_anchor"] = partner_anchor
    env.globals["words"] = DEFAULT_WORDS  # the schema's words in a page's context (page_context)
    return env


def display(schema: Schema, record: Partnership, field: str, marks: ProblemMarks | None = None) -> str:
    """A field of a record as escaped wikitext (or safe wikitext: the field's ``display``): choice values
    by label, lists joined; a value that is not valid as the volunteer wrote it. With ``marks``, a field
    with a problem is marked."""
    spec = schema.field(field)
    if spec.display == "wikitext":
        shown = shown_wikitext(spec, record.values.get(field), record.written.get(field))
    elif field in record.written:
        shown = escape_wikitext(record.written[field])
    else:
        shown = spec.kind.shown_separator.join(
            escape_wikitext(item) for item in spec.kind.shown(spec, record.values.get(field))
        )
    return shown + (marks.mark(record.title, field) if marks else "")


def entry(record: Partnership, marks: ProblemMarks | None = None) -> str:
    """A record as a link to its page, named by its name (Partnership.name); marked when the name has a problem."""
    return wikilink(record.title, record.name) + (marks.mark(record.title, "name") if marks else "")


@dataclass(frozen=True)
class Group:
    """Records sharing one value of a field (e.g. every content partnership)."""

    value: str
    label: str
    records: tuple[Partnership, ...]


def group_by(records: Iterable[Partnership], schema: Schema, field: str) -> list[Group]:
    """One group per canonical value of a choice field, in the schema's order, empty ones kept.

    Each record's values are read once (a part of a split page groups its records again).
    """
    spec = schema.field(field)
    having: dict[str, list[Partnership]] = {choice.name: [] for choice in spec.choices}
    for record in records:
        for value in dict.fromkeys(record.items(field)):
            if value in having:
                having[value].append(record)
    return [Group(value=choice.name, label=choice.label, records=tuple(having[choice.name])) for choice in spec.choices]


def value_groups(records: Iterable[Partnership], field: str, schema: Schema | None = None) -> list[Group]:
    """One group per distinct value of any field (e.g. each partner), sorted case-insensitively, or
    with ``schema`` in the order of the field's type (numbers as numbers). Values that differ only in
    case are one group, labelled as first written.
    """
    groups: dict[str, tuple[str, list[Partnership]]] = {}
    for record in records:
        for item in dict.fromkeys(record.items(field)):
            groups.setdefault(item.casefold(), (item, []))[1].append(record)
    spec = next((s for s in schema.fields if s.name == field), None) if schema is not None else None

    def order(key: str, label: str) -> tuple[object, ...]:
        return (spec.kind.sort_key(spec, label) if spec is not None else (), key, label)

    return [
        Group(value=key, label=label, records=tuple(found))
        for key, (label, found) in sorted(groups.items(), key=lambda kv: order(kv[0], kv[1][0]))
    ]


@dataclass(frozen=True)
class CrossRow:
    """One row of a cross table: the records with one value of a field, split by another's."""

    value: str
    label: str
    records: tuple[Partnership, ...]
    cells: tuple[Group, ...]


def cross_tab(records: Iterable[Partnership], schema: Schema, rows: str, columns: str) -> list[CrossRow]:
    """A table of two choice fields (e.g. type by lead): one row per value of ``rows``."""
    return [
        CrossRow(row.value, row.label, row.records, tuple(group_by(row.records, schema, columns)))
        for row in group_by(records, schema, rows)
    ]


def page_context(
    records: Sequence[Partnership],
    issues: Sequence[Issue],
    schema: Schema,
    titles: Mapping[str, str],
    updated: str,
    marks: ProblemMarks | None = None,
) -> dict[str, Any]:
    """Everything the page templates may use.

    ``records`` are all records read, those with problems too: their values with a problem are
    marked (``marks``; by default from ``issues``, linked to the ``report`` of ``titles``). Pages
    whose infobox cannot be read at all have no record: they are ``excluded``, counted.
    """
    listed = sorted(records, key=lambda r: (r.name.casefold(), r.title))
    unreadable = {i.page for i in issues if i.code in UNREADABLE} - {r.title for r in records}
    if marks is None:
        report = titles.get("report", "")
        marks = ProblemMarks.of(issues, schema, lambda page: report)
    by_code = Counter(i.code for i in issues)
    fields = {spec.name for spec in schema.fields}
    issues_by_page: dict[str, list[Issue]] = {}
    for issue in sorted(issues, key=Issue.sort_key):
        issues_by_page.setdefault(issue.page, []).append(issue)
    return {
        "records": listed,
        "excluded": sorted(unreadable),
        "schema": schema,
        "words": schema.words,
        "show": lambda record, field: display(schema, record, field, marks),
        "entry": lambda record: entry(record, marks),
        # A field to show: it has a value, one that is not valid, or a problem (a required one missing).
        "given": lambda record, field: (
            bool(record.text(field)) or field in record.written or marks.has(record.title, field)
        ),
        "report_anchor": report_anchor,
        # Empty when the schema has no such field (another config folder's records).
        "by_type": group_by(listed, schema, "type") if "type" in fields else [],
        "by_lead": group_by(listed, schema, "lead") if "lead" in fields else [],
        "by_status": group_by(listed, schema, "status") if "status" in fields else [],
        "ungrouped": lambda field: [r for r in listed if not r.items(field)],
        "issues_by_page": issues_by_page,
        "issue_counts": sorted(by_code.items()),
        "errors": severity_count(issues, "error"),
        "warnings": severity_count(issues, "warning"),
        "pages_read": len({r.title for r in records} | {i.page for i in issues}),
        "titles": titles,
        #: The status page other pages transclude the last run's line from (set by bots.core.pipeline).
        "status_page": "",
        "having": lambda field: [r for r in listed if r.items(field) or field in r.written],
        "flagged": lambda field: [r for r in listed if r.flag(field)],
        "groups": lambda field, among=None: group_by(listed if among is None else among, schema, field),
        "value_groups": lambda field: value_groups(listed, field, schema),
        "cross_tab": lambda rows, columns: cross_tab(listed, schema, rows, columns),
        "issue_link": lambda issue: issue_link(schema, issue),
        "updated": updated_span(updated),
    }


#: A wikitext heading line the templates write (``== Type ==``): level and text.
_HEADING = re.compile(r"^(={1,6})[ \t]*(.+?)[ \t]*\1[ \t]*$", re.MULTILINE)


def html_headings(text: str) -> str:
    """The templates' ``== headings ==`` as HTML ``<h2>`` tags: MediaWiki lists them in the table of
    contents and gives them anchors, but no [edit] link, which would open text the bot overwrites."""
    return _HEADING.sub(lambda m: f"<h{len(m.group(1))}>{m.group(2)}</h{len(m.group(1))}>", text)


def render_page(env: jinja2.Environment, template: str, context: Mapping[str, Any]) -> str:
    return html_headings(env.get_template(template).render(**context).strip()) + "\n"
