"""Pure transforms of partnership pages for the maintenance scripts: rename a
parameter, normalise values to the schema's canonical forms.

Each transform takes a page's text and returns an Outcome: the new text (the
same text when nothing is to change), the problems found (a page with an error
is left exactly as it was) and a short account of what changed, for the edit
summary. Only the parameters concerned change; every other byte is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import mwparserfromhell
from mwparserfromhell.nodes import Comment, Template
from mwparserfromhell.nodes.extras import Parameter

from bots.core.records.fields import canonical_value, list_separator
from bots.core.records.items import split_list
from bots.core.records.model import Issue
from bots.core.records.parse import TooComplex, bounded_parse, value_text
from bots.core.records.schema import FieldSpec, Schema
from bots.core.records.validate import too_complex_issue
from bots.core.upkeep.params import (
    infobox_templates,
    is_plain,
    named_params,
    param_name,
    rename,
    separators_only_in_text,
    set_value,
    split_spacing,
)


@dataclass(frozen=True)
class Outcome:
    """What a transform made of one page."""

    text: str
    issues: tuple[Issue, ...] = ()
    changes: tuple[str, ...] = ()

    def changed(self, old: str) -> bool:
        return self.text != old


def _quote(text: str, limit: int = 80) -> str:
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


# --- merging one parameter into another --------------------------------------------------


def _same_key(spec: FieldSpec | None, value: str) -> tuple[str, ...]:
    if spec is not None and spec.multiple:
        return tuple(split_list(value, spec.separators, spec.list_templates))
    return (" ".join(value.split()),)


def _comments(param: Parameter) -> list[str]:
    return [str(node) for node in param.value.nodes if isinstance(node, Comment)]


def _keep_comments(param: Parameter, comments: Sequence[str]) -> None:
    """Write after the value every comment that the merge took out of it or of a removed parameter."""
    missing = [c for c in dict.fromkeys(comments) if c not in str(param.value)]
    if missing:
        core = split_spacing(str(param.value))[1]
        set_value(param, " ".join(part for part in (core, *missing) if part))


def merge_parameter(
    template: Template, old: str, new: str, spec: FieldSpec | None, title: str
) -> tuple[str | None, Issue | None]:
    """Rename every ``old`` parameter of the template to ``new``, merging with ``new`` if present.

    Returns (what changed, conflict): nothing changes when there is a conflict,
    i.e. both names hold different values and the field is not a list (or a value
    holds markup that cannot be merged safely). Lists are merged item by item.
    """
    olds = named_params(template, old)
    if not olds or old == new:
        return None, None
    news = named_params(template, new)
    everyone = [p for p in template.params if any(p is q for q in (*olds, *news))]
    filled = [p for p in everyone if value_text(p.value)]
    distinct: dict[tuple[str, ...], Parameter] = {}
    for param in filled:
        distinct.setdefault(_same_key(spec, value_text(param.value)), param)
    keep = news[-1] if news else olds[0]
    core: str | None = None  # None: keep the kept parameter's value as it is
    if len(distinct) == 1:
        source = next(iter(distinct.values()))
        if source is not keep and not value_text(keep.value):
            core = split_spacing(str(source.value))[1]
    elif len(distinct) > 1:
        mergeable = (
            spec is not None
            and spec.multiple
            and all(is_plain(p.value) and separators_only_in_text(p.value, spec.separators) for p in filled)
        )
        if not mergeable or spec is None:
            written = " and ".join(f"{param_name(p)} = {_quote(value_text(p.value))}" for p in filled)
            why = (
                "a value holds markup (a comment, template or tag) that cannot be merged safely"
                if spec is not None and spec.multiple
                else "the values differ"
            )
            return None, Issue(
                title,
                new,
                "rename-conflict",
                "error",
                f"Both {written} are given and {why}, so the page was not changed. "
                f"Keep the right value under {new} and delete the other by hand, then run again.",
            )
        items: list[str] = []
        for param in [keep, *(p for p in filled if p is not keep)]:
            for item in split_list(value_text(param.value), spec.separators, spec.list_templates):
                if item not in items:
                    items.append(item)
        core = list_separator(spec).join(items)
    comments = [c for p in [keep, *everyone] for c in _comments(p)]
    if not news:
        rename(keep, new, template)
    if core is not None:
        set_value(keep, core)
    for param in everyone:
        if param is not keep:
            template.remove(param)
    _keep_comments(keep, comments)
    merged = " (merged)" if len(distinct) > 1 else ""
    return f"{old} → {new}{merged}", None


def rename_parameter(text: str, title: str, names: Sequence[str], old: str, new: str, schema: Schema) -> Outcome:
    """Rename ``old`` to ``new`` in every infobox on the page (see merge_parameter)."""
    try:
        code = bounded_parse(text)
    except TooComplex:
        return Outcome(text, (too_complex_issue(title),))
    spec = schema.field_for_parameter(new)
    changes: list[str] = []
    for template in infobox_templates(code, names):
        change, conflict = merge_parameter(template, old, new, spec, title)
        if conflict is not None:
            return Outcome(text, (conflict,))
        if change:
            changes.append(change)
    return Outcome(str(code) if changes else text, (), tuple(dict.fromkeys(changes)))


# --- normalising values ------------------------------------------------------------------


def _normalise_param(spec: FieldSpec, param: Parameter, title: str) -> tuple[str | None, Issue | None]:
    """Normalise one parameter's value in place: (what changed, why it could not)."""
    raw = value_text(param.value)
    if not raw or spec.wikitext or not (spec.kind.rewrites or spec.multiple):
        return None, None  # a field read as editors write wikitext is left as they write it
    new, why = canonical_value(spec, raw)
    if new is None:
        return None, Issue(
            title,
            spec.name,
            "not-normalised",
            "warning",
            f"{why[0].upper()}{why[1:]}, so it was left as it is. Fix it by hand (bots.validate says what is valid).",
        )
    if new == split_spacing(str(param.value))[1]:
        return None, None
    if not is_plain(param.value) or not separators_only_in_text(param.value, spec.separators if spec.multiple else ""):
        return None, Issue(
            title,
            spec.name,
            "not-normalised",
            "warning",
            f"{_quote(split_spacing(str(param.value))[1])} holds markup (a comment, template, tag, "
            "or a separator inside a link), "
            f"so it was left as it is; its canonical form is {_quote(new)}.",
        )
    lead, core, trail = split_spacing(str(param.value))
    if "\n" in core and "\n" in lead:
        lead = lead[: lead.index("\n")] or " "  # a list on lines of its own becomes one line
        param.value = mwparserfromhell.parse(lead + core + trail)
    set_value(param, new)
    return spec.name, None


def normalise(text: str, title: str, names: Sequence[str], schema: Schema, fields: Sequence[str] = ()) -> Outcome:
    """Every value of every infobox on the page in its canonical form (or only ``fields``').

    A value that cannot be normalised (an unknown choice word, a date that cannot
    be read) is left as it is and reported; the page's other values still are.
    """
    try:
        code = bounded_parse(text)
    except TooComplex:
        return Outcome(text, (too_complex_issue(title),))
    changes: list[str] = []
    issues: list[Issue] = []
    for template in infobox_templates(code, names):
        for param in template.params:
            if not param.showkey:
                continue
            spec = schema.field_for_parameter(param_name(param))
            if spec is None or (fields and spec.name not in fields):
                continue
            change, issue = _normalise_param(spec, param, title)
            if issue:
                issues.append(issue)
            if change and change not in changes:
                changes.append(change)
    return Outcome(str(code) if changes else text, tuple(issues), tuple(changes))
