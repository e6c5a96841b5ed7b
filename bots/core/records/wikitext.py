"""A value as editors write it in wikitext, reduced to what a reader sees, for the field types that read it.

The bot reads the wikitext itself; the infobox's Lua module (templates/onwiki/module.lua,
``plain``) sees the same value after MediaWiki has expanded its templates. Both reduce it
the same way, so that they read the same value: refs, comments and files dropped, tags
dropped (their contents kept, a space for the tag), ``&nbsp;`` a space, runs of spaces one.
Templates are where the two differ: the bot reads only the templates the schema names
(``date_templates``, ``url_templates``: the value they carry) and drops the others, while the
module sees what they expand to. A template that shows a picture, a hidden copy of the value
or a footnote (``{{increase}}``, ``{{Start date}}``, ``{{efn}}``) reads the same on both sides;
one that shows words does not.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import mwparserfromhell
from mwparserfromhell.nodes import Comment, HTMLEntity, Tag, Template, Wikilink
from mwparserfromhell.wikicode import Wikicode

#: Link prefixes of files: a link to one shows a picture, never words of the value.
FILE_PREFIXES = ("file", "image")
#: Tags whose contents a reader does not see in the value's place (the module sees strip markers).
HIDDEN_TAGS = frozenset({"ref", "references"})
#: Characters that may open markup; a value without them is plain text already.
MARKUP_STARTS = frozenset("&[{<")
SPACES = frozenset({"nbsp", "#160", "#xa0", "#xA0"})
LINK_RE = re.compile(r"\[\[([^\[\]|]*)(?:\|([^\[\]]*))?\]\]")
EXTERNAL_LINK_RE = re.compile(r"^\[(\S+?)(?:\s[^\]]*)?\]")
#: An external link with a label (``[https://… label]``, ``[//… label]``): the label is what a reader sees.
LABELLED_EXTERNAL_LINK_RE = re.compile(r"\[[A-Za-z]*:?//[^\s\]]+\s+([^\]]*)\]")

#: What a template the schema names carries: the text that stands for it, or None to drop it.
TemplateReader = Callable[[Template], "str | None"]


def template_name(name: str) -> str:
    """A template's name as MediaWiki compares it: first letter any case, underscores as spaces."""
    name = " ".join(name.replace("_", " ").split())
    return name[:1].upper() + name[1:]


def _is_file_link(node: Wikilink) -> bool:
    prefix, colon, _ = str(node.title).strip().partition(":")
    return bool(colon) and prefix.strip().lower() in FILE_PREFIXES


def _plain_nodes(code: Wikicode, read_template: TemplateReader) -> str:
    out: list[str] = []
    for node in code.nodes:
        if isinstance(node, Comment):
            continue
        if isinstance(node, Template):
            out.append(read_template(node) or "")
        elif isinstance(node, Wikilink) and _is_file_link(node):
            continue
        elif isinstance(node, Tag) and node.wiki_markup:
            markup = str(node.wiki_markup)
            inner = _plain_nodes(node.contents, read_template) if node.contents is not None else ""
            out.append(f"{markup}{inner}{markup}" if node.closing_wiki_markup else markup + inner)
        elif isinstance(node, Tag):
            if str(node.tag).strip().lower() in HIDDEN_TAGS:
                continue
            inner = _plain_nodes(node.contents, read_template) if node.contents is not None else ""
            out.append(f" {inner} ")
        elif isinstance(node, HTMLEntity) and node.value in SPACES:
            out.append(" ")
        else:
            out.append(str(node))
    return "".join(out)


def plain(raw: str, read_template: TemplateReader = lambda template: None) -> str:
    """``raw`` as a reader sees it (see the module's docstring), on one line."""
    if not MARKUP_STARTS & set(raw):
        return " ".join(raw.split())
    return " ".join(_plain_nodes(mwparserfromhell.parse(raw), read_template).split())


def link_labels(text: str) -> str:
    """Links as the words they show: ``[[Target|label]]`` is label, ``[[Target]]`` is Target."""
    return LINK_RE.sub(lambda m: m.group(2) if m.group(2) is not None else m.group(1), text)


def link_targets(text: str) -> list[str]:
    """The targets of the wiki links in ``text``, in order (a section dropped: ``Page#Part`` is Page)."""
    return [m.group(1).partition("#")[0] for m in LINK_RE.finditer(text)]


def whole_link_target(text: str) -> str | None:
    """The target of ``text`` if it is one wiki link and nothing else, else None."""
    match = LINK_RE.fullmatch(text.strip())
    return match.group(1) if match else None


def external_link_url(text: str) -> str | None:
    """The address of an external link ``[https://… label]`` that ``text`` starts with, else None."""
    match = EXTERNAL_LINK_RE.match(text)
    return match.group(1) if match else None


def external_link_labels(text: str) -> str:
    """External links with a label as the label: ``[https://geohack… 48°51′N 2°20′E]`` is 48°51′N 2°20′E."""
    return LABELLED_EXTERNAL_LINK_RE.sub(lambda m: m.group(1), text)


def file_link_target(raw: str) -> str | None:
    """The file the first link to a file in ``raw`` shows (``[[File:A.jpg|thumb]]`` is A.jpg), else None."""
    for node in mwparserfromhell.parse(raw).filter_wikilinks(recursive=False):
        if _is_file_link(node):
            return str(node.title).partition(":")[2].strip()
    return None


def template_parameter(template: Template, name: str) -> str:
    """A template's parameter as text ('' when not given)."""
    return plain(str(template.get(name).value)) if template.has(name) else ""
