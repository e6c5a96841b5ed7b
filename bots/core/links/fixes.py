"""The edits bots.crosslink makes: one infobox list parameter changed through mwparserfromhell.

Each edit keeps the page's own spacing, order, separators and comments; the rest of the
page is returned byte for byte.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import mwparserfromhell
from mwparserfromhell.nodes import Comment, Template, Wikilink
from mwparserfromhell.nodes.extras import Parameter
from mwparserfromhell.wikicode import Wikicode

from bots.core.records.fields import LINK_RE, normalise_title
from bots.core.records.items import ItemSpan, list_items
from bots.core.records.parse import TooComplex, bounded_parse, is_infobox, value_text
from bots.core.records.schema import FieldSpec, Schema
from bots.core.upkeep.params import split_spacing


@dataclass(frozen=True)
class Fix:
    """A safe change to one page's infobox: add ``value`` to a list field, or replace ``old`` by it."""

    page: str
    field: str
    action: Literal["add", "replace"]
    value: str
    old: str = ""
    why: str = ""


def item_title(raw: str) -> str | None:
    text = value_text(mwparserfromhell.parse(raw))
    return normalise_title(text) if text else None


def _renamed(raw: str, new: str) -> str:
    """An item with its title replaced, keeping a link's brackets and label, and the comments in it."""
    code = mwparserfromhell.parse(raw)
    links = [node for node in code.nodes if isinstance(node, Wikilink)]
    rest = "".join(str(node) for node in code.nodes if not isinstance(node, (Wikilink, Comment)))
    if len(links) == 1 and not rest.strip():
        colon = ":" if str(links[0].title).lstrip().startswith(":") else ""
        links[0].title = colon + new
        return str(code)
    return new + "".join(f" {node}" for node in code.nodes if isinstance(node, Comment))


def _comments(text: str) -> list[str]:
    return [str(node) for node in mwparserfromhell.parse(text).nodes if isinstance(node, Comment)]


def _shown_param(template: Template, spec: FieldSpec) -> Parameter | None:
    for name in (spec.name, *spec.aliases):
        params = [p for p in template.params if value_text(p.name) == name]
        if params:
            return params[-1]
    return None


def _first_infobox(code: Wikicode, names: Sequence[str]) -> Template | None:
    return next((t for t in code.filter_templates(recursive=True) if is_infobox(t, names)), None)


def _value_lead(template: Template) -> str:
    """The space between ``=`` and a value, as most filled parameters of the infobox have it."""
    leads = Counter(
        str(p.value)[: len(str(p.value)) - len(str(p.value).lstrip(" \t"))]
        for p in template.params
        if str(p.value).strip()
    )
    return leads.most_common(1)[0][0] if leads else " "


def _add_parameter(template: Template, name: str, item: str) -> None:
    """Add ``| name = item`` as the infobox's last parameter, laid out as its other parameters are.

    The new line is indented as the lines before it, its name padded as theirs, and
    whatever stood before the closing ``}}`` (a line break, an indent) still does.
    """
    if not template.params:
        template.add(name, item)
        return
    last = template.params[-1]
    last_name = str(last.name)
    if last_name.strip() and last_name.rstrip() != last_name:
        indent = last_name[: len(last_name) - len(last_name.lstrip())]
        name = (indent + name).ljust(max(len(last_name), len(indent + name) + 1))
    before_bar = str(template.params[-2].value) if len(template.params) > 1 else str(template.name)
    between = split_spacing(before_bar)[2]  # what separates a value from the next "|"
    lead, core, closing = split_spacing(str(last.value))
    last.value = lead + core + between
    template.add(name, _value_lead(template) + item + closing, preserve_spacing=False)


def _joiner(value: str, prev: ItemSpan, item: ItemSpan) -> str:
    """What the value writes between two items (separator, spaces, bullet), without their comments."""
    before = value[prev.end : prev.stop]
    if "-->" in before:
        before = before[before.rfind("-->") + 3 :]
    return before + value[prev.stop : item.start].split("<!--")[0]


def _filled(template: Template, value: str, item: str) -> str:
    """A blank value (spaces, perhaps a comment) with ``item`` written in, as the infobox spaces its values."""
    stripped = value.lstrip(" \t")
    lead = value[: len(value) - len(stripped)] or _value_lead(template)
    return lead + item + (" " if stripped.startswith("<!--") else "") + stripped


def _apply_one(template: Template, spec: FieldSpec, fix: Fix) -> bool:
    param = _shown_param(template, spec)
    if param is None:
        if fix.action != "add":
            return False
        _add_parameter(template, spec.name, fix.value)
        return True
    value = str(param.value)
    items = list_items(param.value, spec.separators, spec.list_templates)
    titles = [item_title(value[item.start : item.end]) for item in items]
    if fix.action == "add":
        if fix.value in titles:
            return False
        if not items:
            new = _filled(template, value, fix.value)
        else:
            last = items[-1]
            # after the last item and the comments on its line
            end = last.end + len(value[last.end : last.stop].rstrip())
            if len(items) > 1:
                joiner = _joiner(value, items[-2], last)
            else:
                line = value[: last.start]
                bullet = line[line.rfind("\n") + 1 :].strip() if "\n" in line else ""
                joiner = f"\n{bullet} " if bullet else f"{spec.separators[0]} "
            link = LINK_RE.match(value[last.start : last.end])
            new = value[:end] + joiner + (f"[[{fix.value}]]" if link else fix.value) + value[end:]
    else:
        if fix.old not in titles:
            return False
        index = titles.index(fix.old)
        item = items[index]
        if fix.value in titles:
            # The target is listed already: drop the redirect with the separator before (or after) it,
            # keeping the comments written there.
            cut_from, cut_to = (items[index - 1].stop, item.end) if index > 0 else (item.start, items[1].start)
            kept = _comments(value[cut_from:cut_to])
            if index > 0:
                new = value[:cut_from] + "".join(f" {c}" for c in kept) + value[cut_to:]
            else:
                new = value[:cut_from] + "".join(f"{c} " for c in kept) + value[cut_to:]
        else:
            new = value[: item.start] + _renamed(value[item.start : item.end], fix.value) + value[item.end :]
    param.value = new
    return True


def describe(fix: Fix) -> str:
    if fix.action == "add":
        return f"{fix.field}: add [[{fix.value}]] ({fix.why})"
    return f"{fix.field}: [[{fix.old}]] → [[{fix.value}]] ({fix.why})"


def apply_fixes(
    text: str, fixes: Sequence[Fix], schema: Schema, template_names: Sequence[str]
) -> tuple[str, list[str]] | None:
    """The page text with the fixes made in its first infobox, and what was done; None if nothing changed.

    Each fix is idempotent (an entry already there is not added again), so a
    second run over the fixed text changes nothing.
    """
    try:
        code = bounded_parse(text)
    except TooComplex:
        return None
    template = _first_infobox(code, template_names)
    if template is None:
        return None
    done = [describe(fix) for fix in fixes if _apply_one(template, schema.field(fix.field), fix)]
    if not done:
        return None
    return str(code), done


def summary_of(prefix: str, done: Sequence[str]) -> str:
    return f"{prefix}: {'; '.join(done)}"
