"""The items of a list value, split the way a reader sees the list: the one place lists are split.

A list value (``partner = Kiwix; Orange``) is split on the field's separators, on
line breaks and after leading bullets, but never inside markup whose text holds a
separator without being one: an HTML entity (``AT&amp;T``, ``&#59;``), a link
(``[[A;B]]``, ``[https://x a;b]``), a template (``{{t|1;2}}``), a comment or a tag
(``<ref>a; b</ref>``). Validation, bots.crosslink and the maintenance scripts all
split here, so they agree on what the items are.

A value without such markup is split exactly as before: on the separators and line
breaks, each item stripped of spaces, then of leading ``*``/``#`` bullets, then of
spaces again. Comments are neither items nor part of an item's ends: an item's span
leaves out the comments before and after it, so an edit of the item keeps them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

import mwparserfromhell
from mwparserfromhell.nodes import Comment, ExternalLink, Node, Tag, Text
from mwparserfromhell.wikicode import Wikicode

#: Characters that may open markup a separator can hide in; a value without them is split as plain text.
MARKUP_STARTS = frozenset("&[{<")
#: Wiki markup of list lines (``*``, ``#``) and definition lists (``;``, ``:``): plain characters here.
LIST_MARKUP = ("*", "#", ";", ":")
BULLETS = "*#"

Kind = Literal["text", "opaque", "comment"]


@dataclass(frozen=True)
class ItemSpan:
    """Where one item lies in a raw value."""

    #: The item's first and past-last character: no spaces, bullets or comments around it.
    start: int
    end: int
    #: Where the separator (or line break) that ends the item stands; the value's length for the last item.
    stop: int


def _pieces(nodes: list[Node]) -> Iterator[tuple[str, Kind]]:
    """The value's text in pieces: text to split, opaque markup, comments."""
    for node in nodes:
        text = str(node)
        if isinstance(node, Text):
            yield text, "text"
        elif isinstance(node, Comment):
            yield text, "comment"
        elif isinstance(node, ExternalLink) and not node.brackets:
            yield text, "text"  # a bare URL reads as text, as it does in a value without other markup
        elif isinstance(node, Tag) and node.wiki_markup and str(node.wiki_markup) in LIST_MARKUP:
            yield text, "text"
        elif isinstance(node, Tag) and node.wiki_markup and node.contents is not None:
            # ''italic'' and '''bold''': their markup is text, their contents are split as the rest
            markup = str(node.wiki_markup)
            if text == markup + str(node.contents) + markup:
                yield markup, "text"
                yield from _pieces(node.contents.nodes)
                yield markup, "text"
            else:
                yield text, "opaque"
        else:
            yield text, "opaque"


def list_items(value: str | Wikicode, separators: str) -> list[ItemSpan]:
    """The items of a raw list value, in order (see the module's docstring)."""
    raw = str(value)
    if not MARKUP_STARTS & set(raw):
        pieces: list[tuple[str, Kind]] = [(raw, "text")]
    else:
        code = value if isinstance(value, Wikicode) else mwparserfromhell.parse(raw)
        pieces = list(_pieces(code.nodes))
    items: list[ItemSpan] = []
    start = end = -1
    #: Before an item: 0 spaces, 1 bullets, 2 spaces after the bullets.
    phase = 0
    pos = 0
    for text, kind in pieces:
        if kind == "comment":
            pos += len(text)
            continue
        if kind == "opaque":
            if start < 0:
                start = pos
            end = pos + len(text)
            pos += len(text)
            continue
        for char in text:
            if char in separators or char == "\n":
                if start >= 0:
                    items.append(ItemSpan(start, end, pos))
                start = end = -1
                phase = 0
            elif start < 0 and char.isspace():
                phase = 2 if phase else 0
            elif start < 0 and char in BULLETS and phase < 2:
                phase = 1
            elif start < 0:
                start, end = pos, pos + 1
            elif not char.isspace():
                end = pos + 1
            pos += 1
    if start >= 0:
        items.append(ItemSpan(start, end, len(raw)))
    return items


def item_spans(value: str | Wikicode, separators: str) -> list[tuple[int, int]]:
    """The (start, end) of each item of a raw list value."""
    return [(item.start, item.end) for item in list_items(value, separators)]


def split_list(value: str | Wikicode, separators: str) -> list[str]:
    """The items of a list value, as written."""
    raw = str(value)
    return [raw[start:end] for start, end in item_spans(value, separators)]
