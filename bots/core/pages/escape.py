"""How a value from a wiki page is written into a generated page: as literal text, or as safe wikitext.

A value is untrusted. ``escape_wikitext`` (every field's default) writes it as literal text: no link,
template, tag, magic word or magic link. ``safe_wikitext`` (a field's ``display: wikitext``) keeps
what a reader of the value sees as formatting, read from mwparserfromhell's tree: internal links (to
pages whose titles hold no colon: no category, file, other namespace or interwiki), bold and italic,
a small set of HTML tags without attributes, and external links in the bracketed form with an
http(s) address. Refs, comments, files, categories, templates and parser functions (``{{DISPLAYTITLE:}}``
too) are dropped; every other piece of text is escaped (``__NOTOC__``, ``~~~~``, ``ISBN 123`` are
text). Nothing it writes spans a line or holds a ``|`` outside a link: it cannot break out of a
table cell, a list item or a template's parameter.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import mwparserfromhell
from mwparserfromhell.nodes import (
    Argument,
    Comment,
    ExternalLink,
    Heading,
    HTMLEntity,
    Node,
    Tag,
    Template,
    Text,
    Wikilink,
)
from mwparserfromhell.wikicode import Wikicode

from bots.core.records.model import Value
from bots.core.records.wikitext import HIDDEN_TAGS, is_file_link, link_prefix

if TYPE_CHECKING:
    from bots.core.records.schema import FieldSpec

#: Characters that could start markup anywhere in a line, as HTML entities.
#: ``:`` stops free links (https://...), ``_`` magic words, ``~`` signatures.
_ESCAPES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    "[": "&#91;",
    "]": "&#93;",
    "{": "&#123;",
    "}": "&#125;",
    "|": "&#124;",
    "'": "&#39;",
    "~": "&#126;",
    "_": "&#95;",
    "=": "&#61;",
    ":": "&#58;",
    "!": "&#33;",
    "*": "&#42;",
    "#": "&#35;",
    ";": "&#59;",
    "\n": " ",
    "\r": " ",
    "\t": " ",
}
_TABLE = str.maketrans(_ESCAPES)


#: Magic links (ISBN 123..., RFC 123, PMID 123) are made from plain letters and digits;
#: an entity for the first letter keeps them text.
_MAGIC_LINK = re.compile(r"\b(ISBN|RFC|PMID)(?=\s)")


def escape_wikitext(value: object) -> str:
    """Render any value as literal text in wikitext: no link, template, tag, magic word or magic link."""
    escaped = str(value).translate(_TABLE)
    return _MAGIC_LINK.sub(lambda m: f"&#{ord(m.group(1)[0])};{m.group(1)[1:]}", escaped)


#: HTML tags a value keeps (without their attributes): formatting inside a line.
SAFE_TAGS = frozenset({"b", "i", "em", "strong", "s", "u", "sub", "sup", "small", "code"})
#: Tags a value keeps as the line break tag ``<br />``.
BREAK_TAGS = frozenset({"br"})
#: Tags whose contents are no part of what a reader sees in the value's place.
DROPPED_TAGS = HIDDEN_TAGS | {"script", "style"}
#: Tags that end a line or a block: a space stands for each (as ``plain`` reads them).
BLOCK_TAGS = frozenset(
    {"div", "p", "li", "ul", "ol", "dl", "dt", "dd", "table", "tr", "td", "th", "caption", "hr", "center"}
    | {"blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "gallery"}
)
#: Characters an address keeps as written; every other one is percent-encoded (``&`` is ``&amp;``).
_URL_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-./?#@$()*+,;=%&:")
#: Characters no internal link's target may hold here: a title's illegal ones, and ``:``, which
#: would make it a category, a file, another namespace or an interwiki link.
_NOT_IN_TARGET = frozenset("<>[]{}|:\n")


#: Link prefixes that put the page somewhere rather than link (a category; ``media:`` links to a file).
PLACING_PREFIXES = frozenset({"category", "media"})
#: A value without these characters holds no markup: its text escaped is all of it.
_PLAIN_VALUE = re.compile(r"[^&\[{<'\n=:*#;-]*")


class Markup(str):
    """A piece of safe_wikitext's output that is already wikitext (a link, a tag), not text to escape."""

    __slots__ = ()


def _url(url: str) -> str:
    """``url`` as wikitext inside a bracketed link: each character that could end the address or be
    read as markup (``'``, ``~``, ``_`` of a magic word, spaces, brackets) percent-encoded."""
    kept = (c if c in _URL_SAFE else "".join(f"%{b:02X}" for b in c.encode()) for c in url)
    return "".join(kept).replace("&", "&amp;")


def http_url(url: str) -> bool:
    """Whether ``url`` is a whole http(s) address: a safe external link's only kind."""
    scheme, sep, rest = url.partition("://")
    host = rest.split("/", 1)[0]
    return bool(sep) and scheme.lower() in ("http", "https") and bool(host) and not any(c.isspace() for c in url)


def external_link(url: str, label: str | None = None) -> str:
    """A bracketed link to an http(s) address, labelled with the escaped ``label`` (default: the address
    without its scheme); the escaped address as text when it is not one."""
    if not http_url(url):
        return escape_wikitext(url)
    shown = escape_wikitext(label if label is not None else url.partition("://")[2].rstrip("/"))
    return f"[{_url(url)} {shown}]"


def _only_text(code: Wikicode) -> str | None:
    """The text of ``code`` when it is text and entities alone (entities decoded), else None."""
    if not all(isinstance(node, Text | HTMLEntity) for node in code.nodes):
        return None
    return html.unescape(str(code))


def _link_target(link: Wikilink) -> str | None:
    """The page an internal link may keep pointing to, or None (a file, category, other namespace,
    interwiki, relative or same-page link, or a target built of templates)."""
    target = _only_text(link.title)
    if target is None:
        return None
    target = " ".join(target.split())
    target = target[1:].strip() if target.startswith(":") else target
    if not target or target[0] in "#/." or _NOT_IN_TARGET & set(target):
        return None
    return target


def _pieces(nodes: Iterable[Node], links: bool) -> list[str]:
    """The output of ``nodes``: text (str) and wikitext (Markup). ``links``: whether a link may be made
    (never inside another link's label)."""
    out: list[str] = []
    for node in nodes:
        if isinstance(node, Comment | Template | Argument):
            continue
        if isinstance(node, Wikilink):
            out += _wikilink(node, links)
        elif isinstance(node, ExternalLink):
            out += _external(node, links)
        elif isinstance(node, Tag):
            out += _tag(node, links)
        elif isinstance(node, Heading):
            out += [" ", *_pieces(node.title.nodes, links), " "]
        elif isinstance(node, HTMLEntity):
            out.append(html.unescape(str(node)))
        else:
            out.append(str(node))
    return out


def _wikilink(node: Wikilink, links: bool) -> list[str]:
    if is_file_link(node) or link_prefix(node) in PLACING_PREFIXES:
        return []
    label = _pieces(node.text.nodes, False) if node.text is not None else []
    if not _joined(label).strip():
        label = _pieces(node.title.nodes, False)
        if label and not isinstance(label[0], Markup):
            label[0] = label[0].lstrip().removeprefix(":")  # [[:Page]] shows Page
    target = _link_target(node) if links else None
    if target is None:
        return label
    return [Markup(f"[[:{escape_wikitext(target)}|"), *_non_empty(label, target), Markup("]]")]


def _non_empty(label: list[str], target: str) -> list[str]:
    """A link's label, or its target when the label shows nothing (a link must show something)."""
    return label if _joined(label).strip() else [target]


def _external(node: ExternalLink, links: bool) -> list[str]:
    """A bracketed link to an http(s) address stays one; a free link (``https://…``) is text."""
    if not node.brackets:
        return [str(node.url)]
    label = _pieces(node.title.nodes, False) if node.title is not None else []
    url = _only_text(node.url)
    if not _joined(label).strip():
        label = [url.partition("://")[2].rstrip("/") if url is not None else str(node.url)]
    if not links or url is None or not http_url(url):
        return label
    return [Markup(f"[{_url(url)} "), *label, Markup("]")]


def _tag(node: Tag, links: bool) -> list[str]:
    name = str(node.tag).strip().lower()
    if name in DROPPED_TAGS:
        return []
    if name in BREAK_TAGS:
        return [Markup("<br />")]
    inner = _pieces(node.contents.nodes, links) if node.contents is not None else []
    if name in SAFE_TAGS:
        return [Markup(f"<{name}>"), *inner, Markup(f"</{name}>")] if _joined(inner).strip() else inner
    if name in BLOCK_TAGS:
        return [" ", *inner, " "]
    return inner


def _joined(pieces: list[str]) -> str:
    """Pieces as wikitext: runs of text merged before they are escaped, so that no magic link can be
    made of text on both sides of something dropped (``IS<ref/>BN 123``)."""
    out: list[str] = []
    text: list[str] = []
    for piece in pieces:
        if isinstance(piece, Markup):
            out += [escape_wikitext("".join(text)), piece]
            text = []
        else:
            text.append(piece)
    out.append(escape_wikitext("".join(text)))
    return "".join(out)


def safe_wikitext(raw: str) -> str:
    """A value as formatted wikitext that is safe in a table cell, a list item or a template's parameter
    (see the module's docstring), on one line."""
    if _PLAIN_VALUE.fullmatch(raw):
        return escape_wikitext(" ".join(raw.split()))
    shown = " ".join(_joined(_pieces(mwparserfromhell.parse(raw).nodes, True)).split())
    # "----" that followed markup now dropped (";----") would be a horizontal rule at a line's start
    return "&#45;" + shown[1:] if shown.startswith("-") else shown


def shown_wikitext(spec: FieldSpec, value: Value | None, written: str | None = None) -> str:
    """A field's value as safe wikitext (``display: wikitext``): text as formatted wikitext, an address
    as a link, a title as a link to its page, any other type as its read value (a date, a number, a
    choice's label) escaped; a value that is not valid (``written``) as the volunteer wrote it."""
    if written is not None:
        return safe_wikitext(written)
    kind = spec.kind
    show: Callable[[str], str]
    if kind.is_free_text:
        show = safe_wikitext
    elif kind.is_url:
        show = external_link
    elif kind.is_title:
        show = internal_link
    else:
        show = escape_wikitext
    return kind.shown_separator.join(show(item) for item in kind.shown(spec, value))


def internal_link(title: str) -> str:
    """A link to a page a value names (its title as read: a page or user field), labelled with it; a
    title holding ``~~~`` as text, which the wiki would otherwise sign when the page is saved."""
    return escape_wikitext(title) if "~~~" in title else f"[[:{title}|{escape_wikitext(title)}]]"
