"""The list query language over fixture records: every filter, sort, section, format and error message.

Queries are written as volunteers write them, ``{{Partnership list|...}}``, and parsed
with mwparserfromhell, so these tests go through the same path as the bot.
"""

from __future__ import annotations

import re
from dataclasses import replace

import mwparserfromhell
import pytest

from bots.config import load_config, onwiki_templates
from bots.core.lists.fill import (
    MIN_GUARDED_REMOVAL,
    ListNames,
    fill_page,
    guard_plan,
    query_fingerprint,
    render_list,
)
from bots.core.lists.query import Query, QueryError, evaluate, parse_query
from bots.core.onwiki.infobox import environment as onwiki_environment
from bots.core.onwiki.list_templates import list_template_pages
from bots.core.pages.markers import region_fingerprint
from bots.core.pipeline import check_pages
from bots.core.records.model import PageSnapshot, Partnership
from bots.core.records.parse import infobox_from_template
from bots.core.records.schema import Schema, schema_from
from bots.core.settings.yaml_doc import parse_yaml

CONFIG = load_config()
SCHEMA = CONFIG.schema
ENV = CONFIG.environment()
LIST_NAMES = ("Partnership list", "Partnership list end")


def infobox(**fields: str) -> str:
    return "{{Partnership\n" + "".join(f"| {k} = {v}\n" for k, v in fields.items()) + "}}\n"


PAGES = {
    "P/Alpha": infobox(
        name="Alpha archive",
        partner="Archive A; Museum M",
        type="content",
        lead="chapter",
        chapter="Wikimedia CH",
        status="active",
        start="2008-05",
        best_practice="yes",
        recommendation="Rec/1",
    ),
    "P/Beta": infobox(
        name="Beta grant",
        partner="Fund F",
        type="revenue",
        lead="foundation",
        status="completed",
        start="2009",
        end="2010",
        best_practice="no",
        recommendation="Rec/2",
    ),
    "P/Gamma": infobox(
        name="Gamma mobile",
        partner="Operator O",
        type="outreach, innovation",
        lead="foundation",
        status="active",
        start="2010-02",
        critical="yes",
        recommendation="Rec/1; Rec/2",
    ),
    "P/Delta": infobox(
        name="Delta library",
        partner="Museum M",
        type="content, technology",
        lead="volunteers",
        status="ended",
        start="2008",
        end="2009-06",
    ),
    "P/Epsilon": infobox(name="Epsilon idea", partner="Org E", type="contributors", lead="partner", status="idea"),
}


def records_of(pages: dict[str, str]) -> list[Partnership]:
    snapshots = [PageSnapshot(title, text, pageid=i + 1) for i, (title, text) in enumerate(pages.items())]
    checked = check_pages(snapshots, SCHEMA, SCHEMA.template_names)
    assert [i for i in checked.issues if i.severity == "error"] == []
    return list(checked.records)


RECORDS = records_of(PAGES)
ALL = ["P/Alpha", "P/Beta", "P/Delta", "P/Epsilon", "P/Gamma"]  # by name, the default sort


def query(params: str, page: str = "Some page") -> tuple[Query, list[QueryError]]:
    (template,) = mwparserfromhell.parse(f"{{{{Partnership list{params}}}}}").filter_templates(recursive=False)
    return parse_query(infobox_from_template(page, template).params, SCHEMA, page, LIST_NAMES)


def titles(params: str, page: str = "Some page") -> list[str]:
    parsed, errors = query(params, page)
    assert errors == []
    return [r.title for s in evaluate(parsed, RECORDS, SCHEMA).sections for r in s.records]


# --- filters ---------------------------------------------------------------------------

FILTERS = [
    ("", ALL),
    ("|type=content", ["P/Alpha", "P/Delta"]),
    ("|type=Content sources", ["P/Alpha", "P/Delta"]),  # a label, any case
    ("|types=content donation", ["P/Alpha", "P/Delta"]),  # an alias and a synonym
    ("|type=revenue, outreach", ["P/Beta", "P/Gamma"]),  # several values: any of them
    ("|type=revenue; outreach", ["P/Beta", "P/Gamma"]),
    ("|lead=WMF", ["P/Beta", "P/Gamma"]),
    ("|lead=foundation|status=active", ["P/Gamma"]),  # several filters: all of them
    ("|partner=museum m", ["P/Alpha", "P/Delta"]),  # text: one item of a list, any case
    ("|partners=Fund F", ["P/Beta"]),
    ("|partner=Fund F; Org E", ["P/Beta", "P/Epsilon"]),
    ("|name=Beta grant", ["P/Beta"]),
    ("|chapter=(any)", ["P/Alpha"]),
    ("|chapter=(ANY)", ["P/Alpha"]),
    ("|start=(none)", ["P/Epsilon"]),
    ("|end=(none)", ["P/Alpha", "P/Epsilon", "P/Gamma"]),
    ("|start=2008", ["P/Alpha", "P/Delta"]),
    ("|start=2008-05", ["P/Alpha", "P/Delta"]),  # 2008 may be May 2008
    ("|start=2008..2009", ["P/Alpha", "P/Beta", "P/Delta"]),
    ("|start=2009-06..", ["P/Beta", "P/Gamma"]),  # 2009 may be June 2009 or later
    ("|start=2009-06-15..2010-01", ["P/Beta"]),
    ("|start=..2008-12", ["P/Alpha", "P/Delta"]),
    ("|end=2009-06-30", ["P/Delta"]),
    ("|best_practice=yes", ["P/Alpha"]),
    ("|best practice=no", ["P/Beta"]),
    ("|best_practice=yes, no", ["P/Alpha", "P/Beta"]),
    ("|critical=(none)", ["P/Alpha", "P/Beta", "P/Delta", "P/Epsilon"]),
    ("|recommendation=Rec/1", ["P/Alpha", "P/Gamma"]),
    ("|recommendation=[[rec/1]]", ["P/Alpha", "P/Gamma"]),  # a link, first letter in any case
    ("|status=", ALL),  # an empty parameter is ignored
    ("|status=<!-- fill in -->", ALL),
]


@pytest.mark.parametrize(("params", "expected"), FILTERS, ids=[f[0] or "(no filter)" for f in FILTERS])
def test_filter(params: str, expected: list[str]) -> None:
    assert titles(params) == expected


def test_fullpagename_means_the_page_holding_the_list() -> None:
    assert titles("|recommendation={{FULLPAGENAME}}", page="Rec/2") == ["P/Beta", "P/Gamma"]


# --- sorting and limits ----------------------------------------------------------------

SORTS = [
    ("|sort=start", ["P/Delta", "P/Alpha", "P/Beta", "P/Gamma", "P/Epsilon"]),  # no value: last
    ("|sort=start asc", ["P/Delta", "P/Alpha", "P/Beta", "P/Gamma", "P/Epsilon"]),
    ("|sort=start desc", ["P/Gamma", "P/Beta", "P/Alpha", "P/Delta", "P/Epsilon"]),  # still last
    ("|sort=-start", ["P/Gamma", "P/Beta", "P/Alpha", "P/Delta", "P/Epsilon"]),
    ("|sort=status", ["P/Epsilon", "P/Alpha", "P/Gamma", "P/Beta", "P/Delta"]),  # schema order, ties by title
    ("|sort=lead descending, start", ["P/Epsilon", "P/Beta", "P/Gamma", "P/Alpha", "P/Delta"]),
    ("|sort=best_practice", ["P/Beta", "P/Alpha", "P/Delta", "P/Epsilon", "P/Gamma"]),  # no, yes, then none
    ("|sort=partner", ["P/Alpha", "P/Beta", "P/Delta", "P/Gamma", "P/Epsilon"]),
    ("|sort=name desc", ["P/Gamma", "P/Epsilon", "P/Delta", "P/Beta", "P/Alpha"]),
    ("|sort=start|limit=2", ["P/Delta", "P/Alpha"]),
    ("|limit=10", ALL),
]


@pytest.mark.parametrize(("params", "expected"), SORTS, ids=[s[0] for s in SORTS])
def test_sort(params: str, expected: list[str]) -> None:
    assert titles(params) == expected


def test_ties_are_broken_by_page_title_whatever_the_input_order() -> None:
    parsed, _ = query("|sort=lead")
    for order in (RECORDS, list(reversed(RECORDS))):
        result = [r.title for r in evaluate(parsed, order, SCHEMA).sections[0].records]
        assert result == ["P/Delta", "P/Alpha", "P/Beta", "P/Gamma", "P/Epsilon"]


# --- sections --------------------------------------------------------------------------

SECTIONS = [
    (
        "|section=lead",
        [
            ("Volunteers", ["P/Delta"]),
            ("A chapter", ["P/Alpha"]),
            ("The Wikimedia Foundation", ["P/Beta", "P/Gamma"]),
            ("An external partner", ["P/Epsilon"]),
        ],
    ),
    (
        "|section=lead|min_section=2",
        [("The Wikimedia Foundation", ["P/Beta", "P/Gamma"]), ("Other", ["P/Alpha", "P/Delta", "P/Epsilon"])],
    ),
    (
        "|section=type",  # a record with several types is under each
        [
            ("Content sources", ["P/Alpha", "P/Delta"]),
            ("Technology infrastructure", ["P/Delta"]),
            ("Revenue", ["P/Beta"]),
            ("Outreach", ["P/Gamma"]),
            ("Innovation", ["P/Gamma"]),
            ("Contributors", ["P/Epsilon"]),
        ],
    ),
    (
        # Delta is content (kept) and technology (too small): under Content sources only, not also under Other;
        # Gamma is outreach and innovation (both too small): under Other, once
        "|section=type|min_section=2|sort=start desc",
        [("Content sources", ["P/Alpha", "P/Delta"]), ("Other", ["P/Gamma", "P/Beta", "P/Epsilon"])],
    ),
    ("|section=chapter", [("Wikimedia CH", ["P/Alpha"]), ("Other", ["P/Beta", "P/Delta", "P/Epsilon", "P/Gamma"])]),
    (
        "|section=start",
        [("2008", ["P/Alpha", "P/Delta"]), ("2009", ["P/Beta"]), ("2010", ["P/Gamma"]), ("Other", ["P/Epsilon"])],
    ),
    (
        "|section=best_practice",
        [("Yes", ["P/Alpha"]), ("No", ["P/Beta"]), ("Other", ["P/Delta", "P/Epsilon", "P/Gamma"])],
    ),
    ("|section=lead|min_section=9", [("Other", ALL)]),
    ("|section=status|status=active|sort=name desc", [("Active", ["P/Gamma", "P/Alpha"])]),
]


@pytest.mark.parametrize(("params", "expected"), SECTIONS, ids=[s[0] for s in SECTIONS])
def test_section(params: str, expected: list[tuple[str, list[str]]]) -> None:
    parsed, errors = query(params)
    assert errors == []
    got = [(s.label, [r.title for r in s.records]) for s in evaluate(parsed, RECORDS, SCHEMA).sections]
    assert got == expected


def test_the_documentation_says_where_a_record_with_several_values_goes() -> None:
    doc = list_template_pages(SCHEMA, onwiki_environment(onwiki_templates()))["Template:Partnership list/doc"]
    text = " ".join(doc.split())
    assert "A record with several values is under the heading of each." in text
    assert "a record is under Other only when it is under no other heading" in text


# --- formats ---------------------------------------------------------------------------


def body(params: str) -> str:
    parsed, errors = query(params)
    assert errors == []
    return render_list(ENV, SCHEMA, evaluate(parsed, RECORDS, SCHEMA))


FORMATS = [
    (
        "|type=content|columns=name, partner, start",
        '{| class="wikitable sortable"\n! Name !! Partners !! Start\n'
        "|-\n| [[:P/Alpha|Alpha archive]] || Archive A; Museum M || 2008-05\n"
        "|-\n| [[:P/Delta|Delta library]] || Museum M || 2008\n|}",
    ),
    (
        "|lead=foundation|columns=name,type,status,recommendation|format=table",
        '{| class="wikitable sortable"\n! Name !! Type !! Status !! Recommendation\n'
        "|-\n| [[:P/Beta|Beta grant]] || Revenue || Completed || [[:Rec/2|Rec/2]]\n"
        "|-\n| [[:P/Gamma|Gamma mobile]] || Outreach, Innovation || Active || [[:Rec/1|Rec/1]], [[:Rec/2|Rec/2]]\n|}",
    ),
    (
        "|type=content|format=list|columns=name,chapter,status",
        "* [[:P/Alpha|Alpha archive]] · Wikimedia CH · Active\n* [[:P/Delta|Delta library]] · Ended",
    ),
    ("|type=content|format=count", "2"),
    ("|type=content|format=count|limit=1", "1"),
    ("|status=declined|format=count", "0"),
    (
        "|status=active|row_template=Row|columns=name,best_practice,end",
        "{{Row|page=P/Alpha|name=Alpha archive|best_practice=yes|end=}}\n"
        "{{Row|page=P/Gamma|name=Gamma mobile|best_practice=|end=}}",
    ),
    (
        "|status=active|format=template|row_template=Template:Row|header_template=Head|footer_template=Foot"
        "|columns=lead|section=lead",
        "=== A chapter ===\n{{Head}}\n{{Row|page=P/Alpha|lead=A chapter}}\n{{Foot}}\n\n"
        "=== The Wikimedia Foundation ===\n{{Head}}\n{{Row|page=P/Gamma|lead=The Wikimedia Foundation}}\n{{Foot}}",
    ),
    (
        "|section=lead|min_section=2|format=list|columns=name",
        "=== The Wikimedia Foundation ===\n* [[:P/Beta|Beta grant]]\n* [[:P/Gamma|Gamma mobile]]\n\n"
        "=== Other ===\n* [[:P/Alpha|Alpha archive]]\n* [[:P/Delta|Delta library]]\n* [[:P/Epsilon|Epsilon idea]]",
    ),
    (
        "|section=status|status=ended|columns=name",
        '=== Ended ===\n{| class="wikitable sortable"\n! Name\n|-\n| [[:P/Delta|Delta library]]\n|}',
    ),
    ("|status=declined", "''No partnership matches this list yet.''"),
    ("|status=declined|format=list", "''No partnership matches this list yet.''"),
]


@pytest.mark.parametrize(("params", "expected"), FORMATS, ids=[f[0] for f in FORMATS])
def test_format(params: str, expected: str) -> None:
    assert body(params) == expected


def test_defaults_make_a_bare_filter_a_useful_table() -> None:
    parsed, errors = query("|type=content")
    assert errors == []
    assert (parsed.format, parsed.columns, parsed.limit, parsed.section) == (
        "table",
        ("name", "partner", "type", "lead", "status", "start", "end"),
        None,
        None,
    )
    assert body("|type=content").splitlines()[1] == "! Name !! Partners !! Type !! Led by !! Status !! Start !! End"


MARKUP = {
    "P/Markup": infobox(
        name="Zeta [[Category:Injected]] ~~~~ __NOTOC__",
        partner="Pipe {{!}} Partner; x=y",
        type="content",
        lead="volunteers",
        status="active",
        description="'''bold''' <b>tag</b> {{Template}}",
    )
}


@pytest.mark.parametrize("fmt", ["table", "list", "template"])
def test_every_value_is_escaped_in_every_format(fmt: str) -> None:
    parsed, errors = query(f"|format={fmt}|row_template=Row|columns=name,partner,description")
    assert errors == []
    text = render_list(ENV, SCHEMA, evaluate(parsed, records_of(MARKUP), SCHEMA))
    for raw in ("[[Category", "~~~~", "__NOTOC__", "{{!}}", "'''", "<b>", "{{Template", "x=y"):
        assert raw not in text, (raw, text)
    templates = mwparserfromhell.parse(text).filter_templates()
    assert [str(t.name) for t in templates] == (["Row"] if fmt == "template" else [])
    if fmt == "template":
        assert [str(p.name) for p in templates[0].params] == ["page", "name", "partner", "description"]


# --- errors: every message -------------------------------------------------------------

FIELDS = (
    "name, partner, type, lead, chapter, status, start, end, recommendation, related, projects, assets, lessons, "
    "best_practice, critical, support, description, website, source"
)
OPTIONS = "columns, sort, limit, section, min_section, format, row_template, header_template, footer_template"
DATE_HELP = "Write YYYY, YYYY-MM or YYYY-MM-DD, or a range such as 2008..2010, 2009-04.. or ..2010; or (any) or (none)."

ERRORS = [
    (
        "|content",
        "1",
        "list-positional",
        "The value “content” has no name, so the list cannot use it. Write name = value, e.g. type = content.",
    ),
    (
        "|stauts=active",
        "stauts",
        "list-unknown-parameter",
        "“stauts” is not a field or an option of the list. Did you mean “status”? "
        f"Fields: {FIELDS}. Options: {OPTIONS}.",
    ),
    (
        "|zzzz=1",
        "zzzz",
        "list-unknown-parameter",
        f"“zzzz” is not a field or an option of the list. Fields: {FIELDS}. Options: {OPTIONS}.",
    ),
    (
        "|type=content|types=revenue",
        "types",
        "list-duplicate-parameter",
        "type is given twice (type and types); keep one.",
    ),
    (
        "|type=conten",
        "type",
        "list-unknown-value",
        "“conten” is not a known type. Did you mean “content”? Valid values: content, technology, revenue, in-kind, "
        "outreach, innovation, contributors; or (any) or (none).",
    ),
    (
        "|status=xyzzy",
        "status",
        "list-unknown-value",
        "“xyzzy” is not a known status. Valid values: idea, proposed, negotiating, active, completed, ended, "
        "declined; or (any) or (none).",
    ),
    (
        "|critical=maybe",
        "critical",
        "list-bad-yesno",
        "“maybe” in critical is not yes or no. Write yes, no, (any) or (none).",
    ),
    (
        "|related=a{b",
        "related",
        "list-bad-title",
        "“a{b” in related cannot be a page title: titles cannot contain # < > [ ] | { }.",
    ),
    ("|start=2009-13", "start", "list-bad-date", f"“2009-13” in start is not a date or a range of dates. {DATE_HELP}"),
    ("|end=spring..", "end", "list-bad-date", f"“spring..” in end is not a date or a range of dates. {DATE_HELP}"),
    ("|end=..", "end", "list-bad-date", f"“..” in end is not a date or a range of dates. {DATE_HELP}"),
    (
        "|start=2011..2009",
        "start",
        "list-bad-range",
        "The range “2011..2009” in start is empty: it starts after it ends. "
        "Write the earlier date first, e.g. 2009..2011.",
    ),
    (
        "|columns=name, prtner",
        "columns",
        "list-unknown-field",
        f"“prtner” in columns is not a field. Did you mean “partner”? Fields: {FIELDS}.",
    ),
    ("|sort=colour", "sort", "list-unknown-field", f"“colour” in sort is not a field. Fields: {FIELDS}."),
    (
        "|section=stats",
        "section",
        "list-unknown-field",
        f"“stats” in section is not a field. Did you mean “status”? Fields: {FIELDS}.",
    ),
    (
        "|sort=start up",
        "sort",
        "list-bad-sort",
        "“start up” in sort is not a field and a direction: write a field, then asc or desc, e.g. start desc.",
    ),
    ("|limit=ten", "limit", "list-bad-number", "“ten” in limit is not a whole number above 0."),
    ("|min_section=0", "min_section", "list-bad-number", "“0” in min_section is not a whole number above 0."),
    (
        "|format=tabel",
        "format",
        "list-unknown-format",
        "“tabel” is not a format. Did you mean “table”? Formats: table, list, count, template.",
    ),
    (
        "|format=template",
        "format",
        "list-missing-row-template",
        "format = template needs row_template = the name of a template that shows one row.",
    ),
    (
        "|row_template=A{{b}}",
        "row_template",
        "list-bad-template",
        "“A{{b}}” in row_template cannot be a template name: names cannot contain # < > [ ] | { } or ~~~.",
    ),
    (
        "|header_template=Template:Partnership list end",
        "header_template",
        "list-bad-template",
        "header_template cannot be “Partnership list end”: that template marks the list itself. "
        "Name a template of your own that shows one row.",
    ),
]


@pytest.mark.parametrize(("params", "parameter", "code", "message"), ERRORS, ids=[e[0] for e in ERRORS])
def test_error_message(params: str, parameter: str, code: str, message: str) -> None:
    _, errors = query(params)
    assert [(e.parameter, e.code, e.message) for e in errors] == [(parameter, code, message)]


def test_did_you_mean_is_also_the_suggestion() -> None:
    _, errors = query("|stauts=actve|lead=chaptr|format=lsit")
    assert [(e.code, e.suggestion) for e in errors] == [
        ("list-unknown-parameter", "status"),
        ("list-unknown-value", "chapter"),
        ("list-unknown-format", "list"),
    ]


def test_a_field_named_like_an_option_takes_the_name_and_the_option_keeps_list_prefix() -> None:
    fields = tuple(replace(spec, aliases=("format",)) if spec.name == "status" else spec for spec in SCHEMA.fields)
    schema = Schema(SCHEMA.template, SCHEMA.template_aliases, fields, SCHEMA.rules)
    (template,) = mwparserfromhell.parse("{{Partnership list|format=active|list_format=count}}").filter_templates()
    parsed, errors = parse_query(infobox_from_template("P", template).params, schema, "P")
    assert errors == []
    assert parsed.format == "count"
    assert [r.title for r in evaluate(parsed, RECORDS, schema).sections[0].records] == ["P/Alpha", "P/Gamma"]
    (template,) = mwparserfromhell.parse("{{Partnership list|list_format=tabel}}").filter_templates()
    _, errors = parse_query(infobox_from_template("P", template).params, schema, "P")
    assert [(e.parameter, e.message) for e in errors] == [
        ("list_format", "“tabel” is not a format. Did you mean “table”? Formats: table, list, count, template.")
    ]
    # the documentation names the option by the name that works
    doc = list_template_pages(schema, onwiki_environment(onwiki_templates()))["Template:Partnership list/doc"]
    assert "<code>list&#95;format</code>" in doc and "|list_format=count|" in doc


MEETUP = """
template: {name: Meetup}
fields:
  title: {label: Title, type: text, required: true}
  city: {label: City, type: text}
  kind: {label: Kind, type: choice, values: {editathon: {label: Edit-a-thon}, conference: {label: Conference}}}
  date: {label: Date, type: date}
"""


def test_another_schema_gets_its_own_defaults_and_link_column() -> None:
    schema = schema_from(parse_yaml(MEETUP, "meetup.yaml"))
    pages = {
        "M/Haifa": "{{Meetup|title=Haifa day|city=Haifa|kind=editathon|date=2011-01}}",
        "M/Paris": "{{Meetup|title=Paris conference|city=Paris|kind=conference|date=2010-06}}",
    }
    snapshots = [PageSnapshot(title, text, pageid=i + 1) for i, (title, text) in enumerate(pages.items())]
    records = list(check_pages(snapshots, schema, schema.template_names).records)
    plan = fill_page(PageSnapshot("X", "{{Meetup list}}{{Meetup list end}}"), records, schema, ENV)
    assert plan.issues == ()
    assert plan.text == (
        f"{{{{Meetup list}}}}\n{note('{{Meetup list}}', schema)}\n"
        '{| class="wikitable sortable"\n! Title !! City !! Kind !! Date\n'
        "|-\n| [[:M/Haifa|Haifa day]] || Haifa || Edit-a-thon || 2011-01\n"
        "|-\n| [[:M/Paris|Paris conference]] || Paris || Conference || 2010-06\n|}\n{{Meetup list end}}"
    )
    doc = list_template_pages(schema, onwiki_environment(onwiki_templates()))["Template:Meetup list/doc"]
    assert "artnership" not in doc
    for line in (line for line in doc.splitlines() if line.startswith("{{Meetup list|")):
        assert fill_page(PageSnapshot("X", f"{line}\n{{{{Meetup list end}}}}"), records, schema, ENV).issues == ()


# --- pages: regions --------------------------------------------------------------------


def note(call: str, schema: Schema = SCHEMA) -> str:
    """The lines a filled region starts with: the fingerprint of ``call``'s query, and the bot's notice."""
    (template,) = mwparserfromhell.parse(call).filter_templates(recursive=False)
    query, errors = parse_query(infobox_from_template("Some page", template).params, schema, "Some page")
    assert errors == []
    fingerprint = f"<!-- list query {query_fingerprint(query)}: filled by the bot, edits here are replaced -->"
    return f"{fingerprint}\n{ENV.get_template('_notice.wikitext').render(list_template=template.name.strip()).strip()}"


def fill(text: str, title: str = "Some page", names: ListNames | None = None) -> tuple[str | None, list[str]]:
    plan = fill_page(PageSnapshot(title, text), RECORDS, SCHEMA, ENV, names)
    return plan.text, [f"{i.code}|{i.field}|{i.severity}|{i.message}" for i in plan.issues]


def test_two_lists_fill_and_the_rest_of_the_page_is_untouched() -> None:
    text = (
        "Intro with {{Other|x}} and [[a link]].\n"
        "{{Partnership list|type=content|format=list|columns=name}}\nold rows\n{{Partnership list end}}\n"
        "Between: we count {{partnership_list|format=count|lead=foundation}}7{{Partnership list end}} of them.\n"
        "<!-- a comment -->\n"
    )
    new, issues = fill(text)
    assert issues == []
    assert new == (
        "Intro with {{Other|x}} and [[a link]].\n"
        "{{Partnership list|type=content|format=list|columns=name}}\n"
        f"{note('{{Partnership list|type=content|format=list|columns=name}}')}\n"
        "* [[:P/Alpha|Alpha archive]]\n* [[:P/Delta|Delta library]]\n{{Partnership list end}}\n"
        "Between: we count {{partnership_list|format=count|lead=foundation}}2{{Partnership list end}} of them.\n"
        "<!-- a comment -->\n"
    )
    assert fill(new)[0] == new  # a second run changes nothing


def test_an_empty_region_is_filled_and_a_filled_one_is_stable() -> None:
    text = "{{Partnership list|status=idea|columns=name}}{{Partnership list end}}"
    new, _ = fill(text)
    assert new == (
        "{{Partnership list|status=idea|columns=name}}\n"
        f"{note('{{Partnership list|status=idea|columns=name}}')}\n"
        '{| class="wikitable sortable"\n! Name\n|-\n| [[:P/Epsilon|Epsilon idea]]\n|}\n'
        "{{Partnership list end}}"
    )
    assert fill(new)[0] == new


GUARDED = (
    "Intro\n{{Partnership list|format=list|columns=name}}\n{{Partnership list end}}\n"
    "So far {{Partnership list|format=count}}{{Partnership list end}}.\n"
)


def test_a_list_losing_more_than_the_share_of_its_rows_is_refused_naming_the_page_and_the_list() -> None:
    full = fill_page(PageSnapshot("G", GUARDED), RECORDS, SCHEMA, ENV).text
    assert full is not None and full.count("\n* [[:P/") == 5
    bad_read = fill_page(PageSnapshot("G", full), RECORDS[:1], SCHEMA, ENV)  # one record of five read
    assert bad_read.text is not None and bad_read.text.count("\n* [[:P/") == 1
    refused = guard_plan(bad_read, 0.2)
    assert (refused.text, refused.refused) == (None, True)
    assert refused.reason.startswith(
        "this run would remove 4 of the 5 rows of the list {{Partnership list|format=list|columns=name}} "
        "(list 1 of 2 on the page) (80%, more than the 20% allowed)."
    )
    assert [(i.page, i.code, i.severity) for i in refused.issues] == [("G", "list-mass-removal", "warning")]
    assert refused.reason in refused.issues[0].message and "-force" in refused.issues[0].message
    # a share that allows it, fewer rows than MIN_GUARDED_REMOVAL, a list that grows: not refused
    assert guard_plan(bad_read, 0.8) is bad_read
    two_gone = fill_page(PageSnapshot("G", full), RECORDS[:3], SCHEMA, ENV)
    assert MIN_GUARDED_REMOVAL == 3 and guard_plan(two_gone, 0.2) is two_gone
    assert guard_plan(fill_page(PageSnapshot("G", bad_read.text), RECORDS, SCHEMA, ENV), 0.0).text == full


def test_the_query_fingerprint_ignores_how_the_query_is_written_not_what_it_asks() -> None:
    def fingerprint(params: str) -> str:
        parsed, errors = query(params)
        assert errors == []
        return query_fingerprint(parsed)

    same = fingerprint("|type=content, outreach|lead=chapter|format=list")
    assert len(same) == 8 and same == fingerprint("\n| Lead = chapter\n| format = list\n| type = outreach,content\n")
    others = {
        fingerprint(p) for p in ("|type=content|lead=chapter|format=list", "|type=content, outreach|lead=chapter")
    }
    assert same not in others and len(others) == 2


def test_a_list_whose_query_a_volunteer_narrowed_is_filled_but_a_bad_read_is_still_refused() -> None:
    full = fill_page(PageSnapshot("G", GUARDED), RECORDS, SCHEMA, ENV)
    assert full.text is not None and full.regions[0].fingerprint == region_fingerprint(full.text)
    assert full.regions[0].fingerprint in full.text.splitlines()[2]  # the line after the list's template
    # five rows to one, because the volunteer asked for one type: the region says it was another query
    narrowed = full.text.replace("format=list|columns=name", "format=list|columns=name|type=revenue", 1)
    plan = fill_page(PageSnapshot("G", narrowed), RECORDS, SCHEMA, ENV)
    assert plan.text is not None and plan.text.count("\n* [[:P/") == 1 and plan.regions[0].query_changed()
    assert guard_plan(plan, 0.2) is plan
    assert not fill_page(PageSnapshot("G", plan.text), RECORDS, SCHEMA, ENV).regions[0].query_changed()
    # a list turned into a count loses its rows on purpose too
    counted = fill_page(PageSnapshot("G", full.text.replace("format=list|", "format=count|", 1)), RECORDS, SCHEMA, ENV)
    assert counted.text is not None and guard_plan(counted, 0.2) is counted
    # the same query with one record read, or a region whose fingerprint was removed: guarded
    bare = re.sub(r"<!-- list query [^>]*-->\n", "", full.text)
    assert region_fingerprint(bare) == ""
    for text in (full.text, bare):
        assert text.count("\n* [[:P/") == 5
        bad_read = fill_page(PageSnapshot("G", text), RECORDS[:1], SCHEMA, ENV)
        assert not bad_read.regions[0].query_changed() and guard_plan(bad_read, 0.2).refused


def test_a_list_filled_before_fingerprints_is_not_saved_only_to_add_one() -> None:
    """Rows still right and no fingerprint: no edit; the fingerprint comes with the page's next real change."""
    full = fill_page(PageSnapshot("G", GUARDED), RECORDS, SCHEMA, ENV).text
    assert full is not None and region_fingerprint(full)
    before = re.sub(r"<!-- list query [^>]*-->\n", "", full)  # as the bot wrote it before fingerprints
    assert before != full and fill_page(PageSnapshot("G", before), RECORDS, SCHEMA, ENV).text == before
    # the next real change on the page (here: a record fewer, in the same list) writes the fingerprint too
    changed = fill_page(PageSnapshot("G", before), RECORDS[1:], SCHEMA, ENV).text
    assert changed == fill_page(PageSnapshot("G", full), RECORDS[1:], SCHEMA, ENV).text
    assert changed is not None and region_fingerprint(changed) == region_fingerprint(full)
    # a fingerprint of another query is rewritten even with the same rows, or the guard would take the next
    # bad read for a volunteer's change of query
    stale = full.replace(region_fingerprint(full), "0badf00d", 1)
    refreshed = fill_page(PageSnapshot("G", stale), RECORDS, SCHEMA, ENV)
    assert refreshed.regions[0].query_changed() and refreshed.text == full


def test_a_list_whose_query_has_errors_is_not_guarded() -> None:
    full = fill_page(PageSnapshot("G", GUARDED), RECORDS, SCHEMA, ENV).text
    assert full is not None
    typo = fill_page(PageSnapshot("G", full.replace("format=list|", "format=lsit|")), RECORDS, SCHEMA, ENV)
    assert typo.text is not None and "could not be made" in typo.text
    assert guard_plan(typo, 0.2) is typo  # the volunteer sees the message at once


def test_a_missing_end_leaves_the_page_alone() -> None:
    text = "A\n{{Partnership list|type=content}}\nB\n{{Partnership list|type=revenue}}\n{{Partnership list end}}\n"
    new, issues = fill(text)
    assert new is None
    assert issues == [
        "list-missing-end||error|The list {{Partnership list|type=content}} has no {{Partnership list end}} "
        "after it, so the bot leaves this page alone. Add {{Partnership list end}} on a line after the list's "
        "template (before any next list)."
    ]
    assert fill("{{Partnership list|type=content}}\n")[0] is None


def test_a_stray_end_leaves_the_page_alone() -> None:
    new, issues = fill("A\n{{Partnership list end}}\n{{Partnership list}}\n{{Partnership list end}}\n")
    assert new is None
    assert issues == [
        "list-stray-end||error|{{Partnership list end}} appears without a {{Partnership list}} before it, so the bot "
        "leaves this page alone. Remove the stray {{Partnership list end}}, or put the list's template before it."
    ]


def test_a_nested_list_is_reported_and_the_others_filled() -> None:
    text = "{{Box|{{Partnership list|type=content}}}}\n{{Partnership list|format=count}}{{Partnership list end}}\n"
    new, issues = fill(text)
    assert (
        new == "{{Box|{{Partnership list|type=content}}}}\n{{Partnership list|format=count}}5{{Partnership list end}}\n"
    )
    assert issues == [
        "list-nested||warning|A {{Partnership list}} inside another template, a table or a tag is not filled by the "
        "bot: put it on a line of its own, outside templates, tables and tags."
    ]


def test_a_bad_query_shows_its_message_and_is_reported_on_the_page() -> None:
    text = (
        "Before.\n{{Partnership list|type=content|format=count}}{{Partnership list end}}\n"
        "{{Partnership list|stauts=active}}\n{{Partnership list end}}\nAfter: {{Partnership list|format=count|"
        "limit=x}}{{Partnership list end}}.\n"
    )
    new, issues = fill(text, title="Task force/Lists")
    assert new is not None
    before, error, after = new.split("{{Partnership list end}}")[0:3]
    assert before == "Before.\n{{Partnership list|type=content|format=count}}2"
    assert error.startswith('\n{{Partnership list|stauts=active}}\n<div class="partnership-list-error"')
    assert "“stauts” is not a field or an option of the list. Did you mean “status”?" in error
    assert "[[:Template:Partnership list]]" in error
    assert after.startswith('\nAfter: {{Partnership list|format=count|limit=x}}<span class="partnership-list-error"')
    assert "\n" not in after.split("}}", 1)[1]  # inline: the sentence stays one paragraph
    assert new.endswith("{{Partnership list end}}.\n")
    assert [i.split("|")[0:3] for i in issues] == [
        ["list-unknown-parameter", "stauts", "error"],
        ["list-bad-number", "limit", "error"],
    ]
    assert issues[0].endswith("(list 2 of 3 on the page)")
    assert fill(new, title="Task force/Lists")[0] == new


def test_redirects_of_the_list_templates_are_lists_too() -> None:
    names = ListNames(("Partnership list", "PList"), ("Partnership list end", "PList end"))
    new, _ = fill("{{PList|format=count}}{{PList end}}", names=names)
    assert new == "{{PList|format=count}}5{{PList end}}"


def test_a_page_without_lists_is_returned_as_it_is() -> None:
    text = "Nothing here but {{Partnership|name=x}}.\n"
    plan = fill_page(PageSnapshot("P", text), RECORDS, SCHEMA, ENV)
    assert (plan.text, plan.lists, plan.issues) == (text, 0, ())


# --- the templates' documentation ------------------------------------------------------


def test_the_documentation_lists_every_field_value_and_option() -> None:
    pages = list_template_pages(SCHEMA, onwiki_environment(onwiki_templates()))
    assert list(pages) == [
        "Template:Partnership list/doc",
        "Template:Partnership list",
        "Template:Partnership list end",
    ]
    doc = pages["Template:Partnership list/doc"]
    for spec in SCHEMA.fields:
        assert f"| <code>{spec.name.replace('_', '&#95;')}</code>\n" in doc, spec.name
        for choice in spec.choices:
            assert f"<code>{choice.name}</code> ({choice.label}" in doc, choice.name
    for option in OPTIONS.split(", "):
        assert f"<code>{option.replace('_', '&#95;')}</code>" in doc
    for template in ("Template:Partnership list", "Template:Partnership list end"):
        assert pages[template].startswith("<includeonly></includeonly><noinclude>")
    # every example in the documentation is a valid query
    examples = [line for line in doc.splitlines() if line.startswith("{{Partnership list|") or "So far {{" in line]
    assert len(examples) == 5
    for line in examples:
        text = line[line.index("{{Partnership list|") :]
        new, issues = fill(f"{text}\n{{{{Partnership list end}}}}" if "list end}}" not in text else text)
        assert issues == [] and new is not None, line
