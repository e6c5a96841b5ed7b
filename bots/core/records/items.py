"""The items of a list value, split the way a reader sees the list: the one place lists are split.

A list value (``partner = Kiwix; Orange``) is split on the field's separators, on
line breaks and after leading bullets, but never inside markup whose text holds a
separator without being one: an HTML entity (``AT&amp;T``, ``&#59;``), a link
(``[[A;B]]``, ``[https://x a;b]``), a template (``{{t|1;2}}``), a comment or a tag
(``<ref>a; b</ref>``, ``<nowiki>``). Validation, bots.crosslink, the maintenance
scripts and the list queries all split here, so they agree on what the items are.

A separator is a string: one character (``;``), several (`` / ``), or the line break
tag ``<br>`` (any case, with or without ``/`` and spaces: ``<br />``, ``<BR/>``). A
list may also be written as a list: HTML list and block elements (``<ul>``, ``<ol>``,
``<li>``, ``<div>``) and the schema's list templates (``{{plainlist|* a}}``,
``{{ubl|a|b}}``: their numbered parameters hold the items, each split as a value is)
end items without being part of one. templates/onwiki/module.lua splits the same way.

A value without such markup is split exactly as before: on the separators and line
breaks, each item stripped of spaces, then of leading ``*``/``#`` bullets, then of
spaces again. Comments are neither items nor part of an item's ends: an item's span
leaves out the comments before and after it, so an edit of the item keeps them.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

import mwparserfromhell
from mwparserfromhell.nodes import Comment, ExternalLink, Node, Tag, Template, Text
from mwparserfromhell.wikicode import Wikicode

#: Characters that may open markup a separator can hide in; a value without them is split as plain text.
MARKUP_STARTS = frozenset("&[{<")
#: Wiki markup of list lines (``*``, ``#``) and definition lists (``;``, ``:``): plain characters here.
LIST_MARKUP = ("*", "#", ";", ":")
BULLETS = "*#"
#: The line break tag as MediaWiki reads it (``<br>``, ``<br/>``, ``<BR />``, ``</br>``); the module's BR too.
LINE_BREAK = re.compile(r"</?br\s*/?\s*>", re.IGNORECASE | re.ASCII)
#: HTML elements that make a list of their contents: their tags end items (the module's LIST_TAGS).
LIST_TAGS = frozenset({"ul", "ol", "li", "div"})
#: One such tag in text (a stray ``</ul>``), as the module finds it.
LIST_TAG = re.compile(rf"</?(?:{'|'.join(sorted(LIST_TAGS))})(?![A-Za-z0-9])[^<>]*>", re.IGNORECASE | re.ASCII)
#: Characters of wikitext markup: a separator holding one would cut links, templates or tags apart.
MARKUP_CHARS = "|[]{}=<>"

#: A field's separators: strings, or (the schema's old form) one string whose every character is one.
Separators = str | Sequence[str]

Kind = Literal["text", "opaque", "comment", "break"]


@dataclass(frozen=True)
class ItemSpan:
    """Where one item lies in a raw value."""

    #: The item's first and past-last character: no spaces, bullets or comments around it.
    start: int
    end: int
    #: Where the separator (or line break) that ends the item stands; the value's length for the last item.
    stop: int


def separator_strings(separators: Separators) -> tuple[str, ...]:
    """The separators as strings: a plain string is the old form, each of its characters a separator."""
    return tuple(separators)


def is_line_break(separator: str) -> bool:
    """True for a separator that is the line break tag (``<br>``), which matches each way of writing it."""
    return LINE_BREAK.fullmatch(separator) is not None


def separator_problem(separator: str) -> str:
    """Why ``separator`` cannot separate list items ('' if it can): empty, or wikitext markup."""
    if not separator:
        return "an empty separator would cut between every character"
    if is_line_break(separator):
        return ""
    markup = sorted({char for char in separator if char in MARKUP_CHARS})
    if markup:
        return f"{' '.join(markup)} is wikitext markup, so it would cut links, templates or tags apart"
    return ""


def template_key(name: str) -> str:
    """A template's name as list templates are compared: any case, ``_`` as a space."""
    return " ".join(name.replace("_", " ").split()).casefold()


def _tag_parts(node: Tag) -> tuple[str, str] | None:
    """The opening and closing tag of an element with contents, when its text is exactly those around them."""
    if node.self_closing or node.contents is None or node.wiki_markup:
        return None
    text, contents = str(node), str(node.contents)
    close = f"</{node.closing_tag}>"
    opening = text[: len(text) - len(close) - len(contents)]
    return (opening, close) if text == opening + contents + close else None


def _template_pieces(node: Template, templates: frozenset[str]) -> Iterator[tuple[str, Kind]]:
    """A list template's numbered parameters split as values; its name and other parameters end items."""
    yield "{{" + str(node.name), "break"
    for param in node.params:
        if not str(param.name).strip().isdigit():
            yield "|" + str(param), "break"
            continue
        yield "|" + (f"{param.name}=" if param.showkey else ""), "break"
        yield from _pieces(param.value.nodes, templates)
    yield "}}", "break"


def _is_list_template(node: Template, templates: frozenset[str]) -> bool:
    if template_key(str(node.name)) not in templates:
        return False
    params = "".join("|" + str(param) for param in node.params)
    return str(node) == "{{" + str(node.name) + params + "}}"


def _pieces(nodes: list[Node], templates: frozenset[str]) -> Iterator[tuple[str, Kind]]:
    """The value's text in pieces: text to split, opaque markup, comments, markup that ends items."""
    for node in nodes:
        text = str(node)
        if isinstance(node, Text):
            yield text, "text"
        elif isinstance(node, Comment):
            yield text, "comment"
        elif isinstance(node, ExternalLink) and not node.brackets:
            yield text, "text"  # a bare URL reads as text, as it does in a value without other markup
        elif isinstance(node, Template) and _is_list_template(node, templates):
            yield from _template_pieces(node, templates)
        elif isinstance(node, Tag) and LINE_BREAK.fullmatch(text):
            yield text, "text"  # a separator if the field has <br>; else one character after another
        elif isinstance(node, Tag) and node.wiki_markup and str(node.wiki_markup) in LIST_MARKUP:
            yield text, "text"
        elif isinstance(node, Tag) and node.wiki_markup and node.contents is not None:
            # ''italic'' and '''bold''': their markup is text, their contents are split as the rest
            markup = str(node.wiki_markup)
            if text == markup + str(node.contents) + markup:
                yield markup, "text"
                yield from _pieces(node.contents.nodes, templates)
                yield markup, "text"
            else:
                yield text, "opaque"
        elif isinstance(node, Tag) and str(node.tag).strip().lower() in LIST_TAGS and (parts := _tag_parts(node)):
            yield parts[0], "break"
            yield from _pieces(node.contents.nodes, templates)
            yield parts[1], "break"
        elif isinstance(node, Tag) and str(node.tag).strip().lower() in LIST_TAGS and not node.wiki_markup:
            yield text, "break"  # a lone <li> or </ul>
        else:
            yield text, "opaque"


def _separator_at(text: str, index: int, plain: Sequence[str], line_break: bool) -> int:
    """The length of the separator, line break or list tag that starts at ``text[index]``, 0 if none does."""
    if text[index] == "\n":
        return 1
    if text[index] == "<" and (match := (line_break and LINE_BREAK.match(text, index)) or LIST_TAG.match(text, index)):
        return match.end() - index
    return next((len(sep) for sep in plain if text.startswith(sep, index)), 0)


def list_items(value: str | Wikicode, separators: Separators, templates: Collection[str] = ()) -> list[ItemSpan]:
    """The items of a raw list value, in order (see the module's docstring); ``templates``: the list templates."""
    raw = str(value)
    strings = separator_strings(separators)
    line_break = any(is_line_break(sep) for sep in strings)
    plain = sorted((sep for sep in strings if sep and not is_line_break(sep)), key=len, reverse=True)
    if not MARKUP_STARTS & set(raw):
        pieces: list[tuple[str, Kind]] = [(raw, "text")]
    else:
        code = value if isinstance(value, Wikicode) else mwparserfromhell.parse(raw)
        pieces = list(_pieces(code.nodes, frozenset(template_key(name) for name in templates)))
    items: list[ItemSpan] = []
    start = end = -1
    #: Before an item: 0 spaces, 1 bullets, 2 spaces after the bullets.
    phase = 0
    pos = 0

    def finish(stop: int) -> None:
        nonlocal start, end, phase
        if start >= 0:
            items.append(ItemSpan(start, end, stop))
        start = end = -1
        phase = 0

    for text, kind in pieces:
        if kind == "comment":
            pos += len(text)
            continue
        if kind == "break":
            finish(pos)
            pos += len(text)
            continue
        if kind == "opaque":
            if start < 0:
                start = pos
            end = pos + len(text)
            pos += len(text)
            continue
        index = 0
        while index < len(text):
            char = text[index]
            length = _separator_at(text, index, plain, line_break)
            if length:
                finish(pos)
            elif start < 0 and char.isspace():
                phase = 2 if phase else 0
            elif start < 0 and char in BULLETS and phase < 2:
                phase = 1
            elif start < 0:
                start, end = pos, pos + 1
            elif not char.isspace():
                end = pos + 1
            step = length or 1
            index += step
            pos += step
    finish(len(raw))
    return items


def item_spans(value: str | Wikicode, separators: Separators, templates: Collection[str] = ()) -> list[tuple[int, int]]:
    """The (start, end) of each item of a raw list value."""
    return [(item.start, item.end) for item in list_items(value, separators, templates)]


def split_list(value: str | Wikicode, separators: Separators, templates: Collection[str] = ()) -> list[str]:
    """The items of a list value, as written."""
    raw = str(value)
    return [raw[start:end] for start, end in item_spans(value, separators, templates)]
