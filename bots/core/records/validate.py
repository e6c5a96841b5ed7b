"""Infobox -> Partnership record and a list of Issues.

Validation reads; it never changes a page. Valid values are normalised into the
record (canonical choice values, ISO dates, split lists), so that everything
downstream works on clean data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from bots.core.records.fields import date_bounds, did_you_mean, read_value
from bots.core.records.model import Infobox, Issue, Parameter, Partnership, Value, quoted
from bots.core.records.parse import ParsedPage
from bots.core.records.schema import FieldSpec, Schema

IGNORED_INFOBOX = "ignored-infobox"
MULTIPLE_INFOBOXES = "multiple-infoboxes"
#: The codes of what a page holds besides the infobox it is read from: the infobox sees its own arguments
#: only, so these are the bot's to find (and the infobox shows them from the bot's findings).
BESIDE_THE_INFOBOX_CODES = (MULTIPLE_INFOBOXES, IGNORED_INFOBOX)


@dataclass
class _Checker:
    """Collects issues for one page."""

    title: str
    issues: list[Issue]

    def add(self, field: str, code: str, severity: str, message: str, suggestion: str = "") -> None:
        self.issues.append(Issue(self.title, field, code, severity, message, suggestion))  # type: ignore[arg-type]


def _field_value(spec: FieldSpec, raw: str, check: _Checker, written: dict[str, str]) -> Value | None:
    """The field's valid value; when any of it is not valid, ``written`` keeps the raw text for display."""
    value, problems = read_value(spec, raw)
    for problem in problems:
        check.add(spec.name, problem.code, spec.unreadable, problem.message, problem.suggestion)
    if problems:
        written[spec.name] = raw
    return value


def _check_parameters(box: Infobox, schema: Schema, check: _Checker) -> dict[str, Parameter]:
    """The parameter that sets each field (the last one, as MediaWiki does)."""
    by_field: dict[str, list[Parameter]] = defaultdict(list)
    for param in box.params:
        spec = schema.field_for_parameter(param.name)
        if spec is not None:
            by_field[spec.name].append(param)
            continue
        if param.positional:
            check.add(
                param.name,
                "positional-parameter",
                "warning",
                f"The value {quoted(param.value)} has no parameter name, so the infobox ignores it. "
                "Give it a parameter name: | parameter = value.",
            )
            continue
        suggestion = did_you_mean(param.name, schema.parameter_names)
        hint = f" Did you mean “{suggestion}”?" if suggestion else ""
        check.add(
            param.name,
            "unknown-parameter",
            "warning",
            f"“{param.name}” is not a parameter of the infobox, so its value is not counted.{hint}",
            suggestion,
        )
    chosen = {}
    for name, params in by_field.items():
        shown = _shown_parameter(schema.field(name), params)
        if len(params) > 1:
            written = ", ".join(f"{p.name} = {quoted(p.value, 30)}" for p in params)
            check.add(
                name,
                "duplicate-parameter",
                "warning",
                f"{name} is given {len(params)} times ({written}); the infobox shows only "
                f"{shown.name} = {quoted(shown.value, 30)}. Keep one and delete the others.",
            )
        chosen[name] = shown
    return chosen


def _shown_parameter(spec: FieldSpec, params: list[Parameter]) -> Parameter:
    """The parameter the infobox shows: the field's own name before its aliases, the last of each."""
    for name in (spec.name, *spec.aliases):
        same = [p for p in params if p.name == name]
        if same:
            return same[-1]
    return params[-1]


def _check_rules(values: dict[str, Value], schema: Schema, check: _Checker) -> None:
    for rule in schema.rules:
        later, earlier = values.get(rule.field), values.get(rule.other)
        if isinstance(later, str) and isinstance(earlier, str) and date_bounds(later)[1] < date_bounds(earlier)[0]:
            check.add(
                rule.field,
                f"{rule.field}-before-{rule.other}",
                "error",
                f"{rule.field} ({later}) is before {rule.other} ({earlier}). Check both dates.",
            )


def _fill_defaults(values: dict[str, Value], chosen: dict[str, Parameter], schema: Schema) -> None:
    """A field left empty or out takes its default (a value written but not valid does not: it is reported)."""
    for spec in schema.fields:
        param = chosen.get(spec.name)
        if spec.default and spec.name not in values and not (param is not None and param.value):
            default, _ = read_value(spec, spec.default)  # valid: the schema checked it
            if default is not None:
                values[spec.name] = default


def validate_infobox(box: Infobox, schema: Schema) -> tuple[Partnership, list[Issue]]:
    """Validate one infobox; the record holds every value that is valid, and the text of those that are not."""
    check = _Checker(box.title, [])
    values: dict[str, Value] = {}
    as_written: dict[str, str] = {}
    chosen = _check_parameters(box, schema, check)
    for name, param in chosen.items():
        if param.value:
            value = _field_value(schema.field(name), param.value, check, as_written)
            if value is not None:
                values[name] = value
    _fill_defaults(values, chosen, schema)
    for spec in schema.fields:
        shown = chosen.get(spec.name)
        if spec.name in values or (shown is not None and shown.value):
            continue  # valid, or written but not valid: already reported as such
        written = shown is not None  # empty as shown, even if an earlier duplicate had a value
        if spec.required:
            state = "is empty" if written else "is missing"
            check.add(
                spec.name, "missing-required", "error", f"{spec.name} {state}: it is required. {spec.description}"
            )
        elif spec.required_if and spec.required_if.equals in _as_items(values.get(spec.required_if.field)):
            condition = f"{spec.required_if.field} is {spec.required_if.equals}"
            check.add(spec.name, "missing-required", "error", f"{spec.name} is required when {condition}.")
    _check_rules(values, schema, check)
    return Partnership(title=box.title, values=values, written=as_written), check.issues


def _as_items(value: Value | None) -> tuple[str, ...]:
    if isinstance(value, tuple):
        return value
    return (value,) if isinstance(value, str) else ()


#: How the report names where an ignored infobox is (bots.core.records.parse.ParsedPage.ignored).
IGNORED_PLACES = {
    "comment": "An infobox inside a comment",
    "nowiki": "An infobox inside a <nowiki> tag",
    "includeonly": "An infobox inside an <includeonly> tag (which the page itself does not show)",
    "unclosed": "An infobox after (or cut by) a comment <!-- or an <includeonly> never closed, "
    "which hides the rest of the page,",
}


def validate_page(title: str, parsed: ParsedPage, schema: Schema) -> tuple[Partnership | None, list[Issue]]:
    """The record of a page (from its first infobox) and every issue on the page."""
    issues: list[Issue] = []
    if parsed.too_complex:
        return None, [too_complex_issue(title)]
    for where in parsed.ignored:
        issues.append(
            Issue(
                title,
                "",
                IGNORED_INFOBOX,
                "warning",
                IGNORED_PLACES.get(where, f"An infobox inside a <{where}> tag")
                + " is ignored by the wiki and by the bot."
                + (" Close the comment with --> (or the tag with </includeonly>)." if where == "unclosed" else ""),
            )
        )
    if not parsed.infoboxes:
        issues.append(
            Issue(
                title,
                "",
                "no-infobox",
                "warning",
                f"No {{{{{schema.template}}}}} infobox could be read from the page.",
            )
        )
        return None, issues
    if len(parsed.infoboxes) > 1:
        issues.append(
            Issue(
                title,
                "",
                MULTIPLE_INFOBOXES,
                "warning",
                f"The page has {len(parsed.infoboxes)} infoboxes; only the first is read. "
                f"Give each {schema.words.noun} its own page.",
            )
        )
    record, box_issues = validate_infobox(parsed.infoboxes[0], schema)
    return record, issues + box_issues


#: The codes of a page whose infobox cannot be read at all: it has no record, and the pages count it as not listed.
UNREADABLE = frozenset({"too-complex", "no-infobox"})


def too_complex_issue(title: str) -> Issue:
    """The page could not be read in time (bots.core.records.parse.bounded_parse): its record is left out this run."""
    return Issue(
        title,
        "",
        "too-complex",
        "error",
        "The page is too complex to read: it has so many unclosed {{, [[, <!--, tags or tables "
        "that reading it would stall the bot, so its infobox was not read.",
        "Close or remove the unclosed markup (it usually follows the infobox), or move that text to another page.",
    )


def unique_code(field: str) -> str:
    """The code of a unique field's value that another page already uses, e.g. duplicate-name."""
    return f"duplicate-{field}"


def validate_records(records: Sequence[Partnership], schema: Schema) -> list[Issue]:
    """Rules across records: unique fields. The first record (in the given order) keeps the value."""
    issues = []
    for spec in schema.fields:
        if not spec.unique:
            continue
        owner: dict[str, Partnership] = {}
        for record in records:
            value = record.text(spec.name).casefold()
            if not value:
                continue
            first = owner.setdefault(value, record)
            if first is not record:
                issues.append(
                    Issue(
                        record.title,
                        spec.name,
                        unique_code(spec.name),
                        "error",
                        f"{spec.name} {quoted(record.text(spec.name))} is already used by the page “{first.title}”; "
                        f"each {spec.name} must be unique.",
                    )
                )
    return issues
