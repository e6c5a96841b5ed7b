"""Migration to the infobox: an older or different template, or a plain wikitext table.

The mapping comes from a YAML file (see config/migrate-example.yaml), checked when
loaded like the other config: a mistake names the file and line. A template call
is rewritten in place (its name and parameter names change, spacing and order
stay); every parameter must be mapped or explicitly dropped, so that nothing a
volunteer wrote is lost without being asked for. A table's rows become new
pages, one per row; the page with the table is not changed.
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import mwparserfromhell
from mwparserfromhell.nodes import Tag, Template

from bots.core.records.fields import did_you_mean
from bots.core.records.model import Issue, Place
from bots.core.records.parse import TooComplex, bounded_parse, is_infobox, value_text
from bots.core.records.schema import Schema
from bots.core.records.validate import too_complex_issue
from bots.core.settings.yaml_doc import ConfigError, YamlDoc, parse_yaml
from bots.core.upkeep.maintenance import Outcome, merge_parameter
from bots.core.upkeep.params import infobox_templates, param_name, split_spacing
from bots.core.upkeep.rows import Row


@dataclass(frozen=True)
class TemplateMapping:
    """An old template: how its parameters map onto the infobox's."""

    name: str
    aliases: tuple[str, ...] = ()
    parameters: tuple[tuple[str, str], ...] = ()
    drop: tuple[str, ...] = ()
    add: tuple[tuple[str, str], ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class TableMapping:
    """A wikitext table of partnerships: column headers -> infobox parameters."""

    columns: tuple[tuple[str, str], ...]
    title: str
    drop: tuple[str, ...] = ()
    add: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Migration:
    templates: tuple[TemplateMapping, ...] = ()
    table: TableMapping | None = None

    @property
    def template_names(self) -> tuple[str, ...]:
        return tuple(n for t in self.templates for n in t.names)


# --- the mapping file --------------------------------------------------------------------


def _names(doc: YamlDoc, path: tuple[Any, ...], value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
        raise doc.error(path, "expected a list of names, e.g. [image, caption]")
    return tuple(str(v).strip() for v in value)


def _parameter(doc: YamlDoc, path: tuple[Any, ...], value: Any, schema: Schema) -> str:
    name = str(value).strip() if isinstance(value, (str, int)) else ""
    if name not in schema.parameter_names:
        close = did_you_mean(name, schema.parameter_names)
        hint = f" Did you mean “{close}”?" if close else ""
        raise doc.error(
            path,
            f"{value!r} is not a parameter of {{{{{schema.template}}}}}.{hint} "
            f"Valid: {', '.join(schema.parameter_names)}.",
        )
    return name


def _pairs(doc: YamlDoc, path: tuple[Any, ...], value: Any, schema: Schema, what: str) -> tuple[tuple[str, str], ...]:
    """A mapping of old name -> infobox parameter."""
    if not isinstance(value, dict) or not value:
        raise doc.error(path, f"expected a mapping of {what} -> infobox parameter, e.g. {{org: partner}}")
    return tuple((str(old).strip(), _parameter(doc, (*path, old), new, schema)) for old, new in value.items())


def _add(doc: YamlDoc, path: tuple[Any, ...], value: Any, schema: Schema) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise doc.error(path, "expected a mapping of infobox parameter -> value, e.g. {lead: volunteers}")
    pairs = []
    for name, text in value.items():
        pairs.append((_parameter(doc, (*path, name), name, schema), "" if text is None else str(text)))
    return tuple(pairs)


def _template(doc: YamlDoc, name: str, spec: Any, schema: Schema) -> TemplateMapping:
    path = ("templates", name)
    doc.check_keys(path, spec, {"aliases", "parameters", "drop", "add"}, {"parameters"})
    mapping = TemplateMapping(
        name=name,
        aliases=_names(doc, (*path, "aliases"), spec.get("aliases")),
        parameters=_pairs(doc, (*path, "parameters"), spec["parameters"], schema, "old parameter"),
        drop=_names(doc, (*path, "drop"), spec.get("drop")),
        add=_add(doc, (*path, "add"), spec.get("add"), schema),
    )
    if mwparserfromhell.parse(f"{{{{{name}}}}}").filter_templates()[0].name.matches(list(schema.template_names)):
        raise doc.error(path, f"{name!r} is the infobox itself; list the old templates to migrate from")
    renamed = dict(mapping.parameters)
    for old in mapping.drop:
        if old in renamed:
            raise doc.error((*path, "drop"), f"{old!r} is both mapped (parameters) and dropped; choose one")
    for old, new in mapping.parameters:
        if new != old and new in renamed and renamed[new] != new:
            raise doc.error(
                (*path, "parameters", old),
                f"{new!r} is itself renamed to {renamed[new]!r}; chains and swaps are not supported, "
                "map each old parameter straight to its infobox parameter",
            )
    return mapping


def _table(doc: YamlDoc, spec: Any, schema: Schema) -> TableMapping:
    path = ("table",)
    doc.check_keys(path, spec, {"columns", "title", "drop", "add"}, {"columns", "title"})
    table = TableMapping(
        columns=_pairs(doc, (*path, "columns"), spec["columns"], schema, "column header"),
        title=str(spec["title"]),
        drop=_names(doc, (*path, "drop"), spec.get("drop")),
        add=_add(doc, (*path, "add"), spec.get("add"), schema),
    )
    given = {
        field.name
        for name, _ in (*((n, 0) for _, n in table.columns), *table.add)
        if (field := schema.field_for_parameter(name))
    }
    try:
        placeholders = [f for _, f, _, _ in string.Formatter().parse(table.title) if f is not None]
    except ValueError as exc:
        raise doc.error((*path, "title"), f"not a valid title pattern: {exc}") from None
    if not placeholders:
        raise doc.error((*path, "title"), "needs at least one {field}, e.g. Partnerships/{name}, to tell rows apart")
    for placeholder in placeholders:
        if placeholder not in given:
            raise doc.error(
                (*path, "title"),
                f"{{{placeholder}}} is not a field that a column or `add` gives: {', '.join(sorted(given))}",
            )
    return table


def migration_from(doc: YamlDoc, schema: Schema) -> Migration:
    data = doc.data
    doc.check_keys((), data, {"templates", "table"})
    if not data:
        raise doc.error((), "give `templates`, `table` or both")
    templates = data.get("templates") or {}
    if not isinstance(templates, dict):
        raise doc.error(("templates",), "expected a mapping of old template names to their mappings")
    return Migration(
        templates=tuple(_template(doc, str(name), spec, schema) for name, spec in templates.items()),
        table=_table(doc, data["table"], schema) if data.get("table") is not None else None,
    )


def migration_from_yaml(text: str, filename: str, schema: Schema) -> Migration:
    """The mapping in ``text`` (the file ``filename``, read by bots.config.load_migration)."""
    doc = parse_yaml(text, filename)
    if doc.data is None:
        raise ConfigError(f"{filename}: the file is empty")
    return migration_from(doc, schema)


# --- old templates -----------------------------------------------------------------------


def _mapping_for(template: Template, migration: Migration) -> TemplateMapping | None:
    return next((m for m in migration.templates if is_infobox(template, m.names)), None)


def migrate_templates(text: str, title: str, migration: Migration, schema: Schema, names: Sequence[str]) -> Outcome:
    """Rewrite the page's old template call as the infobox; the page is unchanged if anything is in doubt."""
    try:
        code = bounded_parse(text)
    except TooComplex:
        return Outcome(text, (too_complex_issue(title),))
    calls = [(t, m) for t in code.filter_templates(recursive=True) if (m := _mapping_for(t, migration))]
    if not calls:
        return Outcome(text)

    def refuse(message: str, field: str = "") -> Outcome:
        return Outcome(text, (Issue(title, field, "not-migrated", "error", message + " The page was not changed."),))

    old_name = value_text(calls[0][0].name)
    if infobox_templates(code, names):
        return refuse(f"The page has both {{{{{old_name}}}}} and the {{{{{schema.template}}}}} infobox.")
    if len(calls) > 1:
        return refuse(f"The page has {len(calls)} old templates; give each {schema.words.noun} its own page.")
    template, mapping = calls[0]
    mapped = dict(mapping.parameters)
    unnamed = [value_text(p.value) for p in template.params if not p.showkey and param_name(p) not in mapping.drop]
    if unnamed:
        return refuse(f"{{{{{old_name}}}}} has a value without a parameter name ({unnamed[0]!r}).")
    unknown = [
        param_name(p) for p in template.params if param_name(p) not in mapped and param_name(p) not in mapping.drop
    ]
    if unknown:
        listed = ", ".join(dict.fromkeys(unknown))
        return refuse(
            f"{{{{{old_name}}}}}'s parameters {listed} are not in the mapping: add each to its `parameters` "
            "(to carry it over) or to its `drop` list (to leave its value behind).",
            unknown[0],
        )
    for param in [p for p in template.params if param_name(p) in mapping.drop]:
        template.remove(param)
    for old, new in mapping.parameters:
        _, conflict = merge_parameter(template, old, new, schema.field_for_parameter(new), title)
        if conflict is not None:
            return Outcome(text, (conflict,))
    for name, value in mapping.add:
        spec = schema.field_for_parameter(name)
        given = [p for p in template.params if p.showkey and schema.field_for_parameter(param_name(p)) is spec]
        if not any(value_text(p.value) for p in given):
            if given:
                given[-1].value = mwparserfromhell.parse(" " + value + split_spacing(str(given[-1].value))[2])
            else:
                template.add(name, value, preserve_spacing=True)
    lead, _, trail = split_spacing(str(template.name))
    template.name = lead + schema.template + trail
    return Outcome(str(code), (), (f"{{{{{old_name}}}}} → {{{{{schema.template}}}}}",))


# --- tables ------------------------------------------------------------------------------


def _cells(nodes: Sequence[Any]) -> list[str]:
    return [str(n.contents).strip() for n in nodes if isinstance(n, Tag) and str(n.tag).lower() in ("td", "th")]


def _rows_of(table: Tag) -> list[tuple[bool, list[str]]]:
    """(is a header row, cell texts) for each row of a wikitext table."""
    rows: list[tuple[bool, list[str]]] = []
    loose = [n for n in table.contents.nodes if isinstance(n, Tag) and str(n.tag).lower() in ("td", "th")]
    if loose:  # cells before the first |- form the first row
        rows.append((all(str(n.tag).lower() == "th" for n in loose), _cells(loose)))
    for tr in table.contents.nodes:
        if isinstance(tr, Tag) and str(tr.tag).lower() == "tr":
            cells = [n for n in tr.contents.nodes if isinstance(n, Tag) and str(n.tag).lower() in ("td", "th")]
            if cells:
                rows.append((all(str(n.tag).lower() == "th" for n in cells), _cells(cells)))
    return rows


def table_rows(text: str, title: str, table: TableMapping) -> tuple[list[Row], list[Issue]]:
    """Rows of every partnership table on the page: a wikitable whose header row names mapped columns."""
    try:
        code = bounded_parse(text)
    except TooComplex:
        return [], [too_complex_issue(title)]
    columns = dict(table.columns)
    rows: list[Row] = []
    issues: list[Issue] = []
    tables = [t for t in code.filter_tags(recursive=True) if str(t.tag).lower() == "table" and t.wiki_markup]
    for number, node in enumerate(tables, start=1):
        parsed = _rows_of(node)
        if not parsed or not parsed[0][0]:
            continue
        header = parsed[0][1]
        if not any(h in columns for h in header):
            continue  # some other table
        unknown = [h for h in header if h not in columns and h not in table.drop]
        if unknown:
            issues.append(
                Issue(
                    title,
                    unknown[0],
                    "not-migrated",
                    "error",
                    f"Table {number}: the columns {', '.join(unknown)} are not in the mapping: add each to the "
                    "table's `columns` or `drop`. No row of this table was migrated.",
                )
            )
            continue
        for index, (_, cells) in enumerate(parsed[1:], start=1):
            params = [(columns[h], c) for h, c in zip(header, cells, strict=False) if h in columns and c]
            given = {p for p, _ in params}
            params += [(name, value) for name, value in table.add if name not in given]
            rows.append(Row(where=Place(f"[[{title}]], table {number}, row {index}"), params=tuple(params)))
    return rows, issues
