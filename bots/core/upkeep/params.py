"""Generic edits of template parameters that keep the page's own layout.

mwparserfromhell's ``Template.add`` replaces a value while keeping its
surrounding whitespace, but it also collapses every other parameter of the same
name, and ``Parameter.name`` assignments drop the padding that aligns the ``=``
signs. These helpers edit exactly one ``Parameter`` object and leave every other
byte of the page alone: the parameter order, the spacing around names and values,
the alignment of ``=`` and any duplicates the volunteer wrote.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import mwparserfromhell
from mwparserfromhell.nodes import ExternalLink, HTMLEntity, Tag, Template, Text, Wikilink
from mwparserfromhell.nodes.extras import Parameter
from mwparserfromhell.wikicode import Wikicode

from bots.core.records.items import Separators, separator_strings
from bots.core.records.parse import is_infobox

#: Nodes a value may hold for the scripts to rewrite it from its text: no comments,
#: templates, tags or parser functions, whose meaning a text edit could change.
PLAIN_NODES = (Text, Wikilink, ExternalLink, HTMLEntity)


def split_spacing(text: str) -> tuple[str, str, str]:
    """(leading whitespace, core, trailing whitespace) of a name or value.

    For a blank value (``| partner = ⏎``), what precedes the first line break is
    the leading part, the line break and the rest are the trailing part.
    """
    core = text.strip()
    if not core:
        cut = text.find("\n")
        return (text, "", "") if cut < 0 else (text[:cut], "", text[cut:])
    start = text.index(core)
    return text[:start], core, text[start + len(core) :]


def param_name(param: Parameter) -> str:
    return str(param.name).strip()


def named_params(template: Template, name: str) -> list[Parameter]:
    """The template's parameters written with this name, in page order."""
    return [p for p in template.params if p.showkey and param_name(p) == name]


def set_value(param: Parameter, core: str) -> None:
    """Replace what the parameter's value says, keeping the whitespace around it."""
    lead, _, trail = split_spacing(str(param.value))
    if core and not lead and str(param.name) != str(param.name).rstrip():
        lead = " "  # `| name =⏎` filled in: `| name = value⏎`, as the name's spacing suggests
    param.value = mwparserfromhell.parse(lead + core + trail)


def aligned_width(template: Template, param: Parameter) -> int | None:
    """The width that the template's other names are padded to, if they line their ``=`` signs up."""
    widths = Counter(len(str(p.name)) for p in template.params if p.showkey and p is not param)
    if not widths:
        return None
    width, count = widths.most_common(1)[0]
    return width if count >= 2 and count * 2 >= sum(widths.values()) else None


def rename(param: Parameter, new_name: str, template: Template | None = None) -> None:
    """Rename a parameter in place; padding that aligns the ``=`` signs is kept aligned."""
    before = str(param.name)
    lead, core, trail = split_spacing(before)
    width = aligned_width(template, param) if template is not None else None
    if trail.strip(" ") == "" and trail:
        if width is not None and len(before) == width:
            trail = " " * max(1, width - len(lead) - len(new_name))
        elif len(trail) > 1:
            trail = " " * max(1, len(core) + len(trail) - len(new_name))
    param.name = mwparserfromhell.parse(lead + new_name + trail)


def is_list_bullet(node: object) -> bool:
    """A ``*`` or ``#`` that starts a line of a wikitext list."""
    return isinstance(node, Tag) and str(node.wiki_markup or "") in ("*", "#")


def is_plain(value: Wikicode) -> bool:
    """True if the value is text, links, entities and list bullets only (see PLAIN_NODES)."""
    return all(isinstance(node, PLAIN_NODES) or is_list_bullet(node) for node in value.nodes)


def separators_only_in_text(value: Wikicode, separators: Separators) -> bool:
    """True if every list separator in the value lies in plain text, not inside a link."""
    return not any(
        sep in str(node)
        for node in value.nodes
        if not isinstance(node, (Text, HTMLEntity))
        for sep in separator_strings(separators)
    )


def infobox_templates(code: Wikicode, names: Sequence[str]) -> list[Template]:
    """Every call of the infobox (under any of ``names``) in parsed page text."""
    return [t for t in code.filter_templates(recursive=True) if is_infobox(t, names)]
