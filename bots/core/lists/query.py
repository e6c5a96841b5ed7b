"""The list query language: ``{{Partnership list|...}}`` parameters -> a checked Query -> a result.

A volunteer writes a query as the parameters of the list template::

    {{Partnership list
    | type    = content, outreach        <- filters: any schema field (or alias)
    | status  = active
    | start   = 2008..2010
    | columns = name, partner, start     <- options
    | sort    = start desc, name
    | limit   = 10
    | section = lead
    | min_section = 2
    | format  = table
    }}

Filters on several fields must all hold; several values of one filter are
alternatives. Parsing checks every name and value against the schema and
returns QueryErrors worded for the volunteer (with "did you mean"); evaluation
works on validated records. Pure: no wiki, no I/O.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

import mwparserfromhell

from bots.core.records.fields import ANY, NONE, Wanted, did_you_mean, normalise_title
from bots.core.records.model import Parameter, Partnership, quoted
from bots.core.records.schema import FieldSpec, Schema

FORMATS = ("table", "list", "count", "template")
OPTIONS = (
    "columns",
    "sort",
    "limit",
    "section",
    "min_section",
    "format",
    "row_template",
    "header_template",
    "footer_template",
)
DEFAULT_COLUMNS = ("name", "partner", "type", "lead", "status", "start", "end")
#: Values written as this magic word mean the page that holds the list.
_THIS_PAGE = ("FULLPAGENAME",)


#: Every option is also accepted with this prefix; it is the only name of an option that a field's name takes.
OPTION_PREFIX = "list_"


def option_name(schema: Schema, option: str) -> str:
    """The parameter name of an option: its own, or ``list_<option>`` when a schema field is named so."""
    return f"{OPTION_PREFIX}{option}" if _resolve_field(schema, option) is not None else option


def _option(schema: Schema, parameter: str) -> str | None:
    """The option a parameter name sets, if any (a field's name is a filter, not an option)."""
    folded = _fold(parameter)
    if folded.startswith(OPTION_PREFIX) and folded[len(OPTION_PREFIX) :] in OPTIONS:
        return folded[len(OPTION_PREFIX) :]
    if folded in OPTIONS and _resolve_field(schema, parameter) is None:
        return folded
    return None


def title_field(schema: Schema) -> str:
    """The field shown as the link to the record's page: ``name``, or the schema's first field."""
    return "name" if any(spec.name == "name" for spec in schema.fields) else schema.fields[0].name


def default_columns(schema: Schema) -> tuple[str, ...]:
    """DEFAULT_COLUMNS where the schema has them; for another schema, its first five fields."""
    known = tuple(name for name in DEFAULT_COLUMNS if any(spec.name == name for spec in schema.fields))
    if len(known) >= 2:
        return known
    return tuple(dict.fromkeys((title_field(schema), *(spec.name for spec in schema.fields[:5]))))


@dataclass(frozen=True)
class QueryError:
    """A problem in a list's query, worded for the volunteer who wrote it."""

    parameter: str
    code: str
    message: str
    suggestion: str = ""


@dataclass(frozen=True)
class Filter:
    """One condition: the record's field has one of ``values``, has a value or not, or a date in a range."""

    field: str
    values: tuple[str, ...] = ()
    #: True: the field has a value; False: it has none; None: compare ``values`` or the date range.
    present: bool | None = None
    date_from: str = ""
    date_to: str = ""


@dataclass(frozen=True)
class SortKey:
    field: str
    descending: bool = False


@dataclass(frozen=True)
class Query:
    filters: tuple[Filter, ...] = ()
    #: Empty: the schema's defaults (default_columns, sorted by title_field), set by parse_query.
    columns: tuple[str, ...] = ()
    sort: tuple[SortKey, ...] = ()
    limit: int | None = None
    section: str | None = None
    min_section: int = 1
    format: str = "table"
    row_template: str = ""
    header_template: str = ""
    footer_template: str = ""


@dataclass(frozen=True)
class Section:
    """A group of the result under a heading (``label`` None: the list has no sections)."""

    label: str | None
    records: tuple[Partnership, ...]


@dataclass(frozen=True)
class Result:
    query: Query
    matched: int
    sections: tuple[Section, ...] = field(default=())


# --- parsing ---------------------------------------------------------------------------


def _fold(name: str) -> str:
    return "_".join(name.replace("_", " ").split()).casefold()


def _field_names(schema: Schema) -> str:
    return ", ".join(spec.name for spec in schema.fields)


def _resolve_field(schema: Schema, name: str) -> FieldSpec | None:
    """The field a name means: its name or an alias, in any case, spaces or underscores."""
    folded = _fold(name)
    for spec in schema.fields:
        if folded in (_fold(n) for n in (spec.name, *spec.aliases)):
            return spec
    return None


def _this_page(value: str, page: str) -> str:
    """``{{FULLPAGENAME}}`` in a value stands for the page that holds the list."""
    code = mwparserfromhell.parse(value)
    for template in code.filter_templates(recursive=False):
        if str(template.name).strip() in _THIS_PAGE and not template.params:
            code.replace(template, page)
    return str(code).strip()


#: Modifiers that make MediaWiki write the template's text (or a message) into the page, or show it raw.
MAGIC_PREFIXES = ("subst", "safesubst", "msgnw", "raw", "msg", "int")
#: The Template namespace written before a name ("Template:Row", "template _: Row"): the one namespace allowed.
_TEMPLATE_PREFIX = re.compile(r"^[\s_]*template[\s_]*:", re.IGNORECASE)
#: A character reference (&#58; is a colon): MediaWiki decodes it in a title.
_HIDDEN = re.compile(r"&(?:#[0-9]+|#x[0-9a-f]+|[a-z][a-z0-9]*);", re.IGNORECASE)


def template_name_problem(value: str) -> str:
    """Why ``value`` may not be a row, header or footer template ("" when it may).

    The bot writes ``{{name|...}}`` calls as its own edits, so the name must be a plain template:
    no ``subst:`` or other modifier (in any case or spacing: the page would receive the template's
    text, signatures and links included, as the bot's edit), no parser function, no namespace
    but Template, and nothing that is markup (braces, pipes, brackets, tags, line breaks).
    """
    if any(c in value for c in "#<>[]|{}") or "~~~" in value:
        return "names cannot contain # < > [ ] | { } or ~~~."
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in value) or _HIDDEN.search(value):
        return "names cannot contain line breaks, invisible characters or character references such as &#58;."
    name = _TEMPLATE_PREFIX.sub("", value)
    if ":" not in name:
        return ""
    prefix = " ".join(name.split(":", 1)[0].replace("_", " ").split())
    if prefix.casefold() in MAGIC_PREFIXES:
        return (
            f"{prefix}: would put the template's own text into the page as the bot's edit. "
            "Name the template alone (e.g. Partnership row); the bot calls it for each row."
        )
    return (
        "a row template must be in the Template namespace: name it alone (e.g. Partnership row, "
        "for Template:Partnership row), with no other prefix before a colon."
    )


@dataclass
class _Parser:
    schema: Schema
    page: str
    errors: list[QueryError] = field(default_factory=list)

    def opt(self, option: str) -> str:
        return option_name(self.schema, option)

    def error(self, parameter: str, code: str, message: str, suggestion: str = "") -> None:
        self.errors.append(QueryError(parameter, code, message, suggestion))

    def field(self, parameter: str, name: str) -> FieldSpec | None:
        spec = _resolve_field(self.schema, name)
        if spec is None:
            close = did_you_mean(name, self.schema.parameter_names)
            hint = f" Did you mean {quoted(close)}?" if close else ""
            self.error(
                parameter,
                "list-unknown-field",
                f"{quoted(name)} in {parameter} is not a field.{hint} Fields: {_field_names(self.schema)}.",
                close,
            )
        return spec

    def fields(self, parameter: str, value: str) -> tuple[str, ...]:
        names = [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
        specs = [self.field(parameter, name) for name in names]
        return tuple(dict.fromkeys(spec.name for spec in specs if spec is not None))

    def number(self, parameter: str, value: str) -> int | None:
        if value.isdigit() and int(value) > 0:
            return int(value)
        self.error(parameter, "list-bad-number", f"{quoted(value)} in {parameter} is not a whole number above 0.")
        return None

    def template(self, parameter: str, value: str, forbidden: Iterable[str]) -> str:
        unsafe = template_name_problem(value)
        if unsafe:
            self.error(
                parameter, "list-bad-template", f"{quoted(value)} in {parameter} cannot be a template name: {unsafe}"
            )
            return ""
        name = normalise_title(_TEMPLATE_PREFIX.sub("", value))
        if name is None or "~~~" in name:
            self.error(
                parameter,
                "list-bad-template",
                f"{quoted(value)} in {parameter} cannot be a template name: "
                "names cannot contain # < > [ ] | { } or ~~~.",
            )
            return ""
        if name.casefold() in (f.casefold() for f in forbidden):
            self.error(
                parameter,
                "list-bad-template",
                f"{parameter} cannot be {quoted(name)}: that template marks the list itself. "
                "Name a template of your own that shows one row.",
            )
            return ""
        return name

    def sort(self, value: str) -> tuple[SortKey, ...]:
        keys = []
        for part in value.replace(";", ",").split(","):
            words = part.split()
            if not words:
                continue
            name, descending = words[0], False
            if name.startswith("-"):
                name, descending = name[1:], True
            if len(words) > 1:
                direction = " ".join(words[1:]).casefold()
                if direction in ("desc", "descending"):
                    descending = True
                elif direction not in ("asc", "ascending"):
                    self.error(
                        self.opt("sort"),
                        "list-bad-sort",
                        f"{quoted(part.strip())} in {self.opt('sort')} is not a field and a direction: write a field, "
                        "then asc or desc, e.g. start desc.",
                    )
                    continue
            spec = self.field(self.opt("sort"), name)
            if spec is not None:
                keys.append(SortKey(spec.name, descending))
        return tuple(keys)

    def format(self, value: str) -> str:
        folded = value.casefold()
        if folded in FORMATS:
            return folded
        close = did_you_mean(value, FORMATS)
        hint = f" Did you mean {quoted(close)}?" if close else ""
        self.error(
            self.opt("format"),
            "list-unknown-format",
            f"{quoted(value)} is not a format.{hint} Formats: {', '.join(FORMATS)}.",
            close,
        )
        return "table"

    def filter(self, parameter: str, spec: FieldSpec, value: str) -> Filter | None:
        value = _this_page(value, self.page)
        folded = value.casefold()
        if folded == ANY:
            return Filter(spec.name, present=True)
        if folded == NONE:
            return Filter(spec.name, present=False)
        wanted, problems = spec.kind.wanted(spec, value, parameter)
        for problem in problems:
            self.error(parameter, problem.code, problem.message, problem.suggestion)
        if wanted is None:
            return None
        return Filter(spec.name, values=wanted.values, date_from=wanted.date_from, date_to=wanted.date_to)


def parse_query(
    params: Sequence[Parameter], schema: Schema, page: str, list_templates: Iterable[str] = ()
) -> tuple[Query, list[QueryError]]:
    """The query written as the list template's parameters, and every problem in it.

    ``page`` is the page holding the list (for ``{{FULLPAGENAME}}``); ``list_templates``
    are the names of the list and end templates, which cannot be row templates.
    Empty parameters are ignored, so a blank copied from the documentation works.
    """
    parser = _Parser(schema, page)
    seen: dict[str, str] = {}
    options: dict[str, str] = {}
    filters: list[Filter] = []
    for param in params:
        if param.positional:
            if param.value:
                parser.error(
                    param.name,
                    "list-positional",
                    f"The value {quoted(param.value)} has no name, so the list cannot use it. "
                    "Write name = value, e.g. type = content.",
                )
            continue
        if not param.value:
            continue
        option = _option(schema, param.name)
        spec = None if option else _resolve_field(schema, param.name)
        key = option or (spec.name if spec else param.name)
        if key in seen:
            parser.error(
                param.name,
                "list-duplicate-parameter",
                f"{key} is given twice ({seen[key]} and {param.name}); keep one.",
            )
            continue
        seen[key] = param.name
        if option:
            options[option] = param.value
        elif spec is not None:
            condition = parser.filter(param.name, spec, param.value)
            if condition is not None:
                filters.append(condition)
        else:
            option_names = [option_name(schema, o) for o in OPTIONS]
            close = did_you_mean(param.name, (*schema.parameter_names, *option_names))
            hint = f" Did you mean {quoted(close)}?" if close else ""
            parser.error(
                param.name,
                "list-unknown-parameter",
                f"{quoted(param.name)} is not a field or an option of the list.{hint} "
                f"Fields: {_field_names(schema)}. Options: {', '.join(option_names)}.",
                close,
            )
    columns = default_columns(schema)
    query = Query(filters=tuple(filters), columns=columns, sort=(SortKey(title_field(schema)),))
    name = {option: option_name(schema, option) for option in OPTIONS}
    if "columns" in options:
        query = _replace(query, columns=parser.fields(name["columns"], options["columns"]) or columns)
    if "sort" in options:
        query = _replace(query, sort=parser.sort(options["sort"]) or query.sort)
    if "limit" in options:
        query = _replace(query, limit=parser.number(name["limit"], options["limit"]))
    if "section" in options:
        spec = parser.field(name["section"], options["section"])
        query = _replace(query, section=spec.name if spec else None)
    if "min_section" in options:
        query = _replace(query, min_section=parser.number(name["min_section"], options["min_section"]) or 1)
    forbidden = tuple(list_templates)
    for key in ("row_template", "header_template", "footer_template"):
        if key in options:
            query = _replace(query, **{key: parser.template(name[key], options[key], forbidden)})
    if "format" in options:
        query = _replace(query, format=parser.format(options["format"]))
    elif query.row_template:
        query = _replace(query, format="template")
    if query.format == "template" and not query.row_template and "row_template" not in options:
        parser.error(
            name["format"],
            "list-missing-row-template",
            f"{name['format']} = template needs {name['row_template']} = the name of a template that shows one row.",
        )
    return query, parser.errors


def _replace(query: Query, **changes: object) -> Query:
    return replace(query, **changes)  # type: ignore[arg-type]


# --- evaluation ------------------------------------------------------------------------


def _matches(record: Partnership, condition: Filter, schema: Schema) -> bool:
    spec = schema.field(condition.field)
    raw = record.values.get(condition.field)
    has_value = raw is not None and raw != "" and raw != ()
    if condition.present is not None:
        return has_value == condition.present
    if raw is None or not has_value:
        return False
    return spec.kind.matches(spec, raw, Wanted(condition.values, condition.date_from, condition.date_to))


def _sort_value(record: Partnership, name: str, schema: Schema) -> tuple[object, ...] | None:
    """A comparable value of a field (None: the record has none)."""
    spec = schema.field(name)
    if name == title_field(schema):
        return ((record.text(name) or record.title).casefold(),)
    raw = record.values.get(name)
    if raw is None or raw == "" or raw == ():
        return None
    return spec.kind.sort_key(spec, raw)


def sort_records(records: Iterable[Partnership], keys: Sequence[SortKey], schema: Schema) -> list[Partnership]:
    """Sorted by each key in turn, records without a value last in either direction, ties by page title."""

    def compare(a: Partnership, b: Partnership) -> int:
        for key in keys:
            va, vb = _sort_value(a, key.field, schema), _sort_value(b, key.field, schema)
            if va == vb:
                continue
            if va is None or vb is None:
                return 1 if va is None else -1
            result = -1 if va < vb else 1
            return -result if key.descending else result
        return -1 if a.title < b.title else (1 if a.title > b.title else 0)

    return sorted(records, key=functools.cmp_to_key(compare))


def _group_keys(record: Partnership, spec: FieldSpec) -> list[tuple[object, str, str]]:
    """(order, key, label) of each group a record belongs to when sectioned by ``spec``."""
    raw = record.values.get(spec.name)
    if raw is None or raw == "" or raw == ():
        return []
    return spec.kind.groups(spec, raw)


OTHER = "Other"


def sections(records: Sequence[Partnership], name: str, min_size: int, schema: Schema) -> list[Section]:
    """Groups by a field's value, in the schema's order for choices (else by value).

    A record with several values is in the group of each. Groups smaller than
    ``min_size`` are dropped; a record in none of the groups kept (no value, or
    only values of dropped groups) goes to a last "Other" section. So a record is
    under each kept heading of its values, and under "Other" only when it is under
    no other heading.
    """
    spec = schema.field(name)
    groups: dict[str, tuple[object, str, list[Partnership]]] = {}
    ungrouped: list[Partnership] = []
    for record in records:
        keys = _group_keys(record, spec)
        if not keys:
            ungrouped.append(record)
        for order, key, label in keys:
            groups.setdefault(key, (order, label, []))[2].append(record)
    result = []
    other: list[Partnership] = []
    for _order, label, members in sorted(groups.values(), key=lambda g: g[0]):  # type: ignore[arg-type,return-value]
        if len(members) >= min_size:
            result.append(Section(label, tuple(members)))
        else:
            other.extend(members)
    other.extend(ungrouped)
    shown = {id(r) for section in result for r in section.records}
    chosen = {id(r) for r in other} - shown
    if chosen:
        result.append(Section(OTHER, tuple(r for r in records if id(r) in chosen)))
    return result


def evaluate(query: Query, records: Iterable[Partnership], schema: Schema) -> Result:
    """The records that match every filter, sorted, limited and grouped as the query asks."""
    matched = [r for r in records if all(_matches(r, c, schema) for c in query.filters)]
    ordered = sort_records(matched, query.sort, schema)
    if query.limit is not None:
        ordered = ordered[: query.limit]
    if query.section is None or query.format == "count":
        groups = [Section(None, tuple(ordered))]
    else:
        groups = sections(ordered, query.section, query.min_section, schema)
    return Result(query=query, matched=len(ordered), sections=tuple(groups))
