"""Wikitext -> infoboxes, with mwparserfromhell.

Template names are matched with ``Wikicode.matches``, which follows MediaWiki's
rules (first letter case-insensitive, underscores as spaces), never with regexes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import mwparserfromhell
from mwparserfromhell.nodes import Comment, Template
from mwparserfromhell.wikicode import Wikicode

from bots.core.model import Infobox, PageSnapshot, Parameter


@dataclass(frozen=True)
class ParsedPage:
    """The infoboxes found on a page, and those that MediaWiki would not see."""

    infoboxes: tuple[Infobox, ...]
    #: Where an infobox was found that MediaWiki ignores: "comment" or "nowiki".
    ignored: tuple[str, ...] = ()


def is_infobox(template: Template, names: Iterable[str]) -> bool:
    """True if ``template`` calls one of ``names``, with or without a ``Template:`` prefix in any case."""
    name = value_text(template.name)
    namespace, colon, rest = name.partition(":")
    if colon and namespace.strip().lower() == "template":
        return bool(mwparserfromhell.parse(rest.strip()).matches(list(names)))
    return bool(template.name.matches(list(names)))


def value_text(value: Wikicode) -> str:
    """A parameter's value as MediaWiki passes it: comments dropped, ends stripped."""
    return "".join(str(node) for node in value.nodes if not isinstance(node, Comment)).strip()


def infobox_from_template(title: str, template: Template) -> Infobox:
    params = tuple(
        Parameter(
            name=value_text(param.name),
            value=value_text(param.value),
            positional=not param.showkey,
        )
        for param in template.params
    )
    return Infobox(title=title, template=value_text(template.name), params=params)


def _hidden_infobox_places(code: Wikicode, names: list[str]) -> list[str]:
    hidden = [("comment", str(c.contents)) for c in code.filter_comments(recursive=True)]
    hidden += [
        ("nowiki", str(t.contents))
        for t in code.filter_tags(recursive=True)
        if str(t.tag).strip().lower() == "nowiki" and t.contents is not None
    ]
    return [
        where
        for where, inner in hidden
        for template in mwparserfromhell.parse(inner).filter_templates(recursive=True)
        if is_infobox(template, names)
    ]


def parse_page(page: PageSnapshot, names: Iterable[str]) -> ParsedPage:
    """Find every call of the infobox (under any of ``names``) on a page."""
    names = list(names)
    code = mwparserfromhell.parse(page.text)
    boxes = tuple(
        infobox_from_template(page.title, template)
        for template in code.filter_templates(recursive=True)
        if is_infobox(template, names)
    )
    return ParsedPage(infoboxes=boxes, ignored=tuple(_hidden_infobox_places(code, names)))
