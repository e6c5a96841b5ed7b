"""Records in and out of the wiki in bulk: rows from CSV or YAML -> new pages, records -> CSV and JSON.

Rows are checked with the validator before any page is planned: a row with any
problem is reported (file and line, field, what would be valid) and not created.
The CSV written by ``records_csv`` reads back with ``rows_from_csv`` into the same
records, so that export -> create -> export gives identical files.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from bots.core.records.fields import did_you_mean, list_separator, normalise_title
from bots.core.records.model import Infobox, Issue, PageSnapshot, Parameter, Partnership, Place
from bots.core.records.parse import parse_page
from bots.core.records.schema import Schema
from bots.core.records.validate import validate_infobox, validate_records
from bots.core.records.words import DEFAULT_WORDS, Words
from bots.core.settings.yaml_doc import YamlDoc

#: The column (or YAML key) that gives a row's page title; without it the title comes from a pattern.
TITLE_COLUMN = "title"


def default_title_pattern(words: Words = DEFAULT_WORDS) -> str:
    """A new page's title when no -title: is given: a subpage named after the record, under the plural."""
    return f"{words.nouns_capitalised}/{{name}}"


DEFAULT_TITLE_PATTERN = default_title_pattern()


class RowsError(Exception):
    """The input file as a whole cannot be read (not a single row's problem)."""


@dataclass(frozen=True)
class Row:
    """One partnership to create, as the input gave it."""

    where: Place
    params: tuple[tuple[str, str], ...]
    title: str = ""


@dataclass(frozen=True)
class NewPage:
    title: str
    text: str
    where: str


def infobox_text(template: str, params: Sequence[tuple[str, str]]) -> str:
    """A new page's infobox, one parameter per line with the ``=`` signs aligned."""
    width = max((len(name) for name, _ in params), default=0)
    lines = [f"{{{{{template}"]
    lines += [f"| {name.ljust(width)} = {value}" for name, value in params]
    lines.append("}}")
    return "\n".join(lines) + "\n"


def _cell(value: Any, separator: str) -> str:
    """A YAML value as infobox text: lists joined, yes/no for booleans, ISO for dates."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()[:10]
    if isinstance(value, list):
        return separator.join(_cell(item, separator) for item in value)
    return "" if value is None else str(value).strip()


def rows_from_csv(text: str, filename: str, schema: Schema) -> list[Row]:
    """Rows of a CSV file with a header line of parameter names (and optionally ``title``).

    A cell that :func:`records_csv` protected from spreadsheets (``'=...``) loses that ``'``.
    """
    reader = csv.reader(io.StringIO(text))
    try:
        header = [restore_cell(h.strip()) for h in next(reader)]
    except StopIteration:
        raise RowsError(f"{filename}: the file is empty; the first line must name the columns.") from None
    for column in header:
        if column != TITLE_COLUMN and schema.field_for_parameter(column) is None:
            close = did_you_mean(column, [TITLE_COLUMN, *schema.parameter_names])
            hint = f" Did you mean “{close}”?" if close else ""
            raise RowsError(
                f"{filename}, line 1: column “{column}” is not a parameter of the infobox.{hint} "
                f"Valid columns: {TITLE_COLUMN}, {', '.join(schema.parameter_names)}."
            )
    rows = []
    line = reader.line_num + 1
    for cells in reader:
        where = Place(f"{filename}, line {line}")
        line = reader.line_num + 1
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            raise RowsError(f"{where}: {len(cells)} cells but only {len(header)} columns in the header.")
        values = dict(zip(header, (restore_cell(c.strip()).strip() for c in cells), strict=False))
        title = values.pop(TITLE_COLUMN, "")
        rows.append(Row(where=where, params=tuple((k, v) for k, v in values.items() if v), title=title))
    return rows


def rows_from_yaml(doc: YamlDoc, schema: Schema) -> list[Row]:
    """Rows of a YAML (or JSON) file: a list of mappings, or ``pages:`` holding one."""
    data = doc.data
    path: tuple[Any, ...] = ()
    if isinstance(data, dict) and set(data) == {"pages"}:
        data, path = data["pages"], ("pages",)
    if not isinstance(data, list):
        raise RowsError(f"{doc.where(path)}: expected a list of pages, each a mapping of parameter: value")
    rows = []
    for index, item in enumerate(data):
        where = Place(doc.where((*path, index)))
        if not isinstance(item, dict):
            raise RowsError(f"{where}: expected a mapping of parameter: value, found {type(item).__name__}")
        params = []
        title = ""
        for key, value in item.items():
            name = str(key).strip()
            spec = schema.field_for_parameter(name)
            text = _cell(value, list_separator(spec) if spec else "; ")
            if name == TITLE_COLUMN:
                title = text
            elif text:
                params.append((name, text))
        rows.append(Row(where=where, params=tuple(params), title=title))
    return rows


#: Tags that need no closing tag: a value may hold them alone.
VOID_TAGS = frozenset({"br", "hr", "wbr"})
#: Tags that show or hide text by whether the page is transcluded: on the page itself they hide the rest.
INCLUSION_TAGS = ("includeonly", "noinclude", "onlyinclude")
#: Tags whose content MediaWiki does not read as wikitext (so braces inside them need no partner).
LITERAL_TAGS = ("nowiki", "pre", "math", "syntaxhighlight", "source")
_TAG_RE = re.compile(r"<(/?)([A-Za-z][\w-]*)[^<>]*?(/?)>")
_BRACKET_RE = re.compile(r"\{\{|\}\}|\[\[|\]\]")
_LITERAL_RE = re.compile(r"<(" + "|".join(LITERAL_TAGS) + r")(?:\s[^<>]*)?>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


def markup_problem(value: str) -> str:
    """Why ``value``, written in an infobox, would make MediaWiki read the page differently; '' if it would not.

    The bot's parser and MediaWiki's disagree on unfinished markup: MediaWiki runs an unclosed
    ``<!--`` or <includeonly> to the end of the page (hiding the infobox's end, so the page no
    longer uses the template), keeps an unclosed ``[[`` from closing the infobox, and shows an
    unclosed <nowiki>, <pre> or <ref> as text. So each comment, link, template and tag must
    close within the value. Linear in the value's length.
    """
    outside, pos = [], 0
    while (opened := value.find("<!--", pos)) >= 0:
        closed = value.find("-->", opened + 4)
        if closed < 0:
            return "it opens a comment (<!--) that it does not close (-->), which hides the rest of the page"
        outside.append(value[pos:opened])
        pos = closed + 3
    text = "".join([*outside, value[pos:]])
    lowered = text.lower()
    for tag in INCLUSION_TAGS:
        if f"<{tag}" in lowered or f"</{tag}" in lowered:
            return f"it holds <{tag}>, which changes what the wiki shows of the page"
    opened_tags: list[str] = []
    for match in _TAG_RE.finditer(text):
        closing, name, alone = match.group(1), match.group(2).lower(), match.group(3)
        if closing:
            if not opened_tags:
                return f"it closes a <{name}> tag (</{name}>) that it did not open"
            if opened_tags[-1] != name:
                return f"it closes </{name}> while <{opened_tags[-1]}> is still open"
            opened_tags.pop()
        elif not alone and name not in VOID_TAGS:
            opened_tags.append(name)
    if opened_tags:
        return f"it opens a <{opened_tags[-1]}> tag that it does not close (</{opened_tags[-1]}>)"
    brackets: list[str] = []
    partner = {"}}": "{{", "]]": "[["}
    for match in _BRACKET_RE.finditer(_LITERAL_RE.sub("", text)):
        token = match.group()
        if token in partner:
            if not brackets or brackets[-1] != partner[token]:
                return f"it has a {token} without a {partner[token]} before it"
            brackets.pop()
        else:
            brackets.append(token)
    if brackets:
        return f"it opens {brackets[-1]} without closing it ({'}}' if brackets[-1] == '{{' else ']]'})"
    return ""


def value_issues(label: str, params: Sequence[tuple[str, str]]) -> list[Issue]:
    """An error for each value that would change how MediaWiki reads the infobox (markup_problem)."""
    return [
        Issue(
            label,
            name,
            "unsafe-value",
            "error",
            f"The value of {name} would change how the wiki reads the page: {why}.",
            "Close every comment, link, template and tag within the value (or write the characters "
            "as &lt; &#91; &#123; &#124;), or add this page by hand.",
        )
        for name, value in params
        if (why := markup_problem(value))
    ]


def title_for(row: Row, record: Partnership, pattern: str) -> tuple[str | None, str]:
    """(the page title for a row, '') or (None, why there is none)."""
    if row.title:
        raw = row.title
    else:
        try:
            raw = pattern.format_map({f: record.text(f) for _, f, _, _ in string.Formatter().parse(pattern) if f})
        except (KeyError, ValueError, IndexError) as exc:
            return None, f"the title pattern {pattern!r} cannot be filled in: {exc}"
    title = normalise_title(raw)
    if title is None:
        return None, f"“{raw}” cannot be a page title: titles cannot contain # < > [ ] | {{ }}."
    return title, ""


def plan_new_pages(
    rows: Iterable[Row], schema: Schema, existing: Sequence[Partnership], pattern: str = DEFAULT_TITLE_PATTERN
) -> tuple[list[NewPage], list[Issue]]:
    """The pages to create from valid rows, and every problem of the invalid ones.

    ``existing`` are the wiki's records: a row may not reuse the name (or any
    unique field) of another page. A row whose page exists already is planned
    anyway; the bot that saves it leaves an existing page alone.
    """
    planned: list[tuple[Row, str, Partnership]] = []
    issues: list[Issue] = []
    used_titles: dict[str, str] = {}
    for row in rows:
        label = Place(row.where + (f" ({row.title})" if row.title else ""))
        box = Infobox(title=label, template=schema.template, params=tuple(Parameter(n, v) for n, v in row.params))
        record, row_issues = validate_infobox(box, schema)
        title, why = title_for(row, record, pattern)
        unsafe = value_issues(label, row.params)
        row_issues.extend(unsafe)
        text = infobox_text(schema.template, row.params)
        read_back = parse_page(PageSnapshot(row.where, text), [schema.template]).infoboxes
        if unsafe:
            pass  # said already, field by field
        elif len(read_back) != 1 or tuple((p.name, p.value) for p in read_back[0].params) != row.params:
            row_issues.append(
                Issue(
                    label,
                    "",
                    "unsafe-value",
                    "error",
                    "A value holds wikitext that would break the infobox (|, {{ or }} outside a link); "
                    "add this page by hand.",
                )
            )
        if title is None:
            row_issues.append(Issue(label, TITLE_COLUMN, "bad-title", "error", why))
        elif title in used_titles:
            row_issues.append(
                Issue(
                    label,
                    TITLE_COLUMN,
                    "duplicate-title",
                    "error",
                    f"“{title}” is also the title of {used_titles[title]}.",
                )
            )
        elif not row_issues:
            used_titles[title] = row.where
        if row_issues:
            issues.extend(row_issues)
        else:
            assert title is not None
            planned.append((row, title, Partnership(title=title, values=record.values)))
    # Unique fields: against the wiki's other pages first, then among the rows.
    titles = {title for _, title, _ in planned}
    others = [r for r in existing if r.title not in titles]
    clashes = {i.page: i for i in validate_records([*others, *(p for _, _, p in planned)], schema) if i.page in titles}
    pages = []
    for row, title, _record in planned:
        clash = clashes.get(title)
        if clash is not None:
            issues.append(Issue(Place(f"{row.where} ({title})"), clash.field, clash.code, "error", clash.message))
            continue
        pages.append(NewPage(title=title, text=infobox_text(schema.template, row.params), where=row.where))
    return pages, issues


# --- export ------------------------------------------------------------------------------


def export_columns(schema: Schema) -> list[str]:
    return [TITLE_COLUMN, *(spec.name for spec in schema.fields)]


#: A cell starting with one of these (after spaces) is a formula to a spreadsheet (OWASP's CSV injection
#: advice); tab and carriage return count only as the very first character.
FORMULA_STARTS = ("=", "+", "-", "@")


def _formula_like(cell: str) -> bool:
    """Whether a spreadsheet could take ``cell`` as a formula, once the quote marks before it are gone."""
    rest = cell.lstrip("'")
    return rest.startswith(("\t", "\r")) or rest.lstrip().startswith(FORMULA_STARTS)


def neutralise_cell(value: str) -> str:
    """A value as a CSV cell that no spreadsheet runs: ``'`` before a value that starts like a formula.

    A value that already starts with quote marks before such a start gets one more, so that
    :func:`restore_cell` gives back every value exactly ("=1" -> "'=1", "'=1" -> "''=1").
    """
    return "'" + value if _formula_like(value) else value


def restore_cell(cell: str) -> str:
    """The value :func:`neutralise_cell` made ``cell`` from (any other cell as it is)."""
    return cell[1:] if cell.startswith("'") and _formula_like(cell) else cell


def records_csv(records: Iterable[Partnership], schema: Schema) -> str:
    """One row per record, sorted by title; lists joined with the field's separator, yes/no as words.

    Cells that start like a spreadsheet formula (``=HYPERLINK(...)``) get a ``'`` before them
    (:func:`neutralise_cell`); :func:`rows_from_csv` takes it off again.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([neutralise_cell(column) for column in export_columns(schema)])
    for record in sorted(records, key=lambda r: r.title):
        cells = [record.title] + [
            list_separator(spec).join(record.items(spec.name)) if spec.multiple else record.text(spec.name)
            for spec in schema.fields
        ]
        writer.writerow([neutralise_cell(cell) for cell in cells])
    return out.getvalue()


def record_json(record: Partnership, schema: Schema) -> dict[str, Any]:
    """A record as JSON: lists as arrays, yes/no as true/false; fields without a value left out."""
    data: dict[str, Any] = {TITLE_COLUMN: record.title}
    for spec in schema.fields:
        value = record.values.get(spec.name)
        if value is not None and value != "":
            data[spec.name] = list(value) if isinstance(value, tuple) else value
    return data


def records_json(records: Iterable[Partnership], schema: Schema) -> str:
    data = [record_json(r, schema) for r in sorted(records, key=lambda r: r.title)]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
