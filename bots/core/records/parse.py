"""Wikitext -> infoboxes, with mwparserfromhell.

Template names are matched with ``Wikicode.matches``, which follows MediaWiki's
rules (first letter case-insensitive, underscores as spaces), never with regexes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import mwparserfromhell
from mwparserfromhell.nodes import Comment, Template
from mwparserfromhell.wikicode import Wikicode

from bots.core.records.model import Infobox, PageSnapshot, Parameter


@dataclass(frozen=True)
class ParsedPage:
    """The infoboxes found on a page, and those that MediaWiki would not see."""

    infoboxes: tuple[Infobox, ...]
    #: Where an infobox was found that MediaWiki ignores: "comment", "nowiki", "pre", "includeonly",
    #: or "unclosed" (after a comment or <includeonly> never closed, which hides the rest of the page).
    ignored: tuple[str, ...] = ()
    #: The page was not parsed: its unclosed constructs would make the parser take too long (bounded_parse).
    too_complex: bool = False


class TooComplex(Exception):
    """A text whose parse would take far longer than a plain text of its size (see bounded_parse)."""


#: The extra work a text may cost, in characters the tokenizer rescans: this many times its length,
#: and at least COMPLEXITY_FLOOR (so a small page with a few unclosed constructs is still read).
COMPLEXITY_FACTOR = 2
COMPLEXITY_FLOOR = 256_000

#: Tags that stand alone (or close themselves) and so open nothing the tokenizer must look for the end of.
_SINGLE_TAGS = frozenset({"br", "wbr", "hr", "meta", "link", "img"})
_STANDALONE_TAGS = _SINGLE_TAGS | {"li", "dt", "dd"}

_TOKEN_RE = re.compile(
    r"(?P<comment><!--)"
    r"|(?P<open>\{\{+)|(?P<close>\}\}+)"
    r"|(?P<link>\[\[)|(?P<unlink>\]\])"
    r"|(?P<ext>\[(?i:https?:|ftp:|mailto:|//))"
    r"|(?P<table>^[ \t]*\{\|)|(?P<untable>^[ \t]*\|\})"
    r"|<(?P<slash>/?)(?P<tag>[A-Za-z][\w:-]*)",
    re.MULTILINE,
)


def _next_at(text: str, needle: str, pos: int, last: int) -> int:
    """``text.find(needle, pos)`` (len(text) if absent), reusing ``last``, an earlier answer, when it still holds.

    Positions only grow during a scan, so each search starts where the previous one stopped: linear in all.
    """
    if last >= pos:
        return last
    found = text.find(needle, pos)
    return len(text) if found < 0 else found


def extra_parse_work(text: str, budget: int | None = None) -> int:
    """A linear estimate of how much mwparserfromhell's tokenizer rescans ``text`` beyond one pass, in characters.

    The tokenizer tries each construct (template, link, comment, tag, table) to its end; one that
    never ends fails only at the end of the text (a bracketed external link: of its line), and the
    tokenizer starts again after its opener. So each unclosed opener costs about the text after it,
    and many of them cost quadratic time: 64 KB of ``{{a|`` takes 93 s. Openers and closers are
    paired here per kind (tags per name), the way the tokenizer will pair them; the rest are summed.
    Many tags that stand alone (``<br>``) cost more than their number too, counted as the square
    of their number over 64. The estimate is generous: a construct inside a <nowiki>
    is counted, and pages with a few unclosed constructs stay far below the budget.
    With a ``budget``, the scan stops as soon as the work is sure to exceed it (and returns more than it).
    """
    size = len(text)
    work = 0
    braces: list[int] = []
    links: list[int] = []
    tables: list[int] = []
    tags: dict[str, list[int]] = {}
    opened_tags = single_count = tokens = 0
    # Closers not seen yet (over-counted): openers beyond them stay open whatever follows.
    closers_left = {"braces": text.count("}}"), "links": text.count("]]"), "tables": text.count("|}")}
    closers_left["tags"] = text.count("</")
    comment_end = bracket = newline = tag_end = next_tag = -1
    pos = 0
    while (match := _TOKEN_RE.search(text, pos)) is not None:
        start, pos = match.start(), match.end()
        kind = match.lastgroup
        if kind == "open":
            braces.extend([start] * (len(match.group()) // 2))
        elif kind == "close":
            closers_left["braces"] -= len(match.group()) // 2
            del braces[max(0, len(braces) - len(match.group()) // 2) :]
        elif kind == "link":
            links.append(start)
        elif kind == "unlink":
            closers_left["links"] -= 1
            del links[-1:]
        elif kind == "comment":
            comment_end = _next_at(text, "-->", pos, comment_end)
            if comment_end == size:
                work += size - start
        elif kind == "ext":
            bracket = _next_at(text, "]", pos, bracket)
            newline = _next_at(text, "\n", pos, newline)
            if bracket >= newline:  # no "]" on its line
                work += newline - start
        elif kind == "table":
            tables.append(start)
        elif kind == "untable":
            closers_left["tables"] -= 1
            del tables[-1:]
        else:
            name = match.group("tag").lower()
            if match.group("slash"):
                closers_left["tags"] -= 1
                if tags.get(name):
                    tags[name].pop()
                    opened_tags -= 1
            elif name in _SINGLE_TAGS:
                single_count += 1
            elif name not in _STANDALONE_TAGS:
                tag_end = _next_at(text, ">", pos, tag_end)
                next_tag = _next_at(text, "<", pos, next_tag)
                if not (tag_end < next_tag and text[tag_end - 1] == "/"):  # else <tag ... />: closes itself
                    tags.setdefault(name, []).append(start)
                    opened_tags += 1
        tokens += 1
        if budget is not None and tokens % 64 == 0:
            open_now = {"braces": len(braces), "links": len(links), "tables": len(tables), "tags": opened_tags}
            sure = sum(max(0, open_now[k] - closers_left[k]) for k in open_now) * (size - pos)
            if work + sure + single_count * single_count // 64 > budget:
                return budget + 1
    unclosed = [*braces, *links, *tables, *(p for opened in tags.values() for p in opened)]
    return work + sum(size - p for p in unclosed) + single_count * single_count // 64


def work_budget(text: str) -> int:
    return max(COMPLEXITY_FLOOR, COMPLEXITY_FACTOR * len(text))


def bounded_parse(text: str) -> Wikicode:
    """``mwparserfromhell.parse(text)``, or TooComplex if that would take far longer than for a plain text.

    Every whole page the bots read goes through here: a page of unclosed constructs (``{{a|`` repeated)
    makes the tokenizer quadratic, hours for a 2 MB page, and neither a signal nor a thread can
    interrupt its C code. A linear scan (extra_parse_work) decides first; the tokenizer then runs
    unchanged, so a page that is read is read exactly as before.
    """
    budget = work_budget(text)
    if extra_parse_work(text, budget) > budget:
        raise TooComplex("the page has too many unclosed constructs ({{, [[, <!--, tags, tables) to be read in time")
    return mwparserfromhell.parse(text)


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


#: Tags whose content MediaWiki shows as text (an infobox in one is not called), and includeonly,
#: whose content the page itself does not show.
_HIDING_TAGS = ("nowiki", "pre", "includeonly")
#: A construct that MediaWiki runs to the end of the page when it is not closed: an unclosed
#: comment, or <includeonly>, hides all that follows, where mwparserfromhell reads it as text.
_RUNS_TO_END_RE = re.compile(r"<!--|<includeonly\b", re.IGNORECASE)
_LITERAL_OPEN_RE = re.compile(r"<(nowiki|pre)\b[^<>]*?(/?)>", re.IGNORECASE)
_CLOSERS = {
    "-->": re.compile(re.escape("-->")),
    "includeonly": re.compile(r"</includeonly\s*>", re.IGNORECASE),
    "nowiki": re.compile(r"</nowiki\s*>", re.IGNORECASE),
    "pre": re.compile(r"</pre\s*>", re.IGNORECASE),
}


def hidden_from(text: str) -> int | None:
    """Where MediaWiki stops showing the page: an unclosed ``<!--`` or <includeonly> (None if it shows it all).

    A comment opener inside a closed <nowiki> or <pre> is text. Linear: each closer is searched
    for from where the previous search of it stopped (positions only grow).
    """
    cache: dict[str, re.Match[str] | None] = {}

    def next_match(pattern: re.Pattern[str], pos: int) -> re.Match[str] | None:
        """``pattern.search(text, pos)``, reusing the last answer while it still holds."""
        key = pattern.pattern
        if key not in cache or ((last := cache[key]) is not None and last.start() < pos):
            cache[key] = pattern.search(text, pos)
        return cache[key]

    pos = 0
    while (runs := next_match(_RUNS_TO_END_RE, pos)) is not None:
        literal = next_match(_LITERAL_OPEN_RE, pos)
        if literal is not None and literal.start() < runs.start() and not literal.group(2):
            closer = next_match(_CLOSERS[literal.group(1).lower()], literal.end())
            pos = closer.end() if closer else literal.end()  # an unclosed <nowiki> is text
            continue
        closer = next_match(_CLOSERS["-->" if runs.group().startswith("<!") else "includeonly"], runs.end())
        if closer is None:
            return runs.start()
        pos = closer.end()
    return None


def _hidden_infobox_places(code: Wikicode, names: list[str], text: str) -> list[str]:
    # Walking the tree for comments and tags costs more than the parse: look only when the text has some.
    hidden = [("comment", str(c.contents)) for c in code.filter_comments(recursive=True)] if "<!--" in text else []
    if _might_hide(text):
        hidden += [
            (str(t.tag).strip().lower(), str(t.contents))
            for t in code.filter_tags(recursive=True)
            if str(t.tag).strip().lower() in _HIDING_TAGS and t.contents is not None
        ]
    return [
        where
        for where, inner in hidden
        for template in mwparserfromhell.parse(inner).filter_templates(recursive=True)
        if is_infobox(template, names)
    ]


def _might_hide(text: str) -> bool:
    """Whether ``text`` may hold a tag that hides an infobox (a cheap test before walking the tree)."""
    lowered = text.lower()
    return any(f"<{tag}" in lowered for tag in _HIDING_TAGS)


def _shown_infoboxes(code: Wikicode, names: list[str], text: str) -> list[Template]:
    """The infobox calls MediaWiki shows: not those inside <includeonly> (noted by _hidden_infobox_places)."""
    hidden = (
        {
            id(template)
            for tag in code.filter_tags(recursive=True)
            if str(tag.tag).strip().lower() == "includeonly" and tag.contents is not None
            for template in tag.contents.filter_templates(recursive=True)
        }
        if "<includeonly" in text.lower()
        else set()
    )
    return [t for t in code.filter_templates(recursive=True) if id(t) not in hidden and is_infobox(t, names)]


def _call_re(names: Iterable[str]) -> re.Pattern[str]:
    """A call of one of ``names`` as written, closed or not: ``{{Name|`` or ``{{Template:name}}``, any case.

    A text search, for the one question no parse tree answers: whether a page holds a call that
    neither parser reads as one (never closed, say).
    """
    spelled = [r"[ _]+".join(re.escape(word) for word in name.split()) for name in names]
    return re.compile(r"\{\{\s*(?:template\s*:\s*)?(?:" + "|".join(spelled) + r")\s*[|}]", re.IGNORECASE)


def holds_unread_infobox(page: PageSnapshot, names: Iterable[str]) -> bool:
    """True if the page holds a call of the infobox that neither MediaWiki nor the bot reads as one.

    Hidden (in a comment never closed, <includeonly>, <pre>...), broken (never closed),
    or too complex to read: a page that was a record and that the wiki no longer counts as
    using the infobox, but that a volunteer did not mean to take out of the records.
    """
    names = list(names)
    parsed = parse_page(page, names)
    if parsed.infoboxes:
        return False
    return bool(parsed.ignored) or parsed.too_complex or _call_re(names).search(page.text) is not None


def parse_page(page: PageSnapshot, names: Iterable[str]) -> ParsedPage:
    """Find every call of the infobox (under any of ``names``) on a page, as MediaWiki shows it.

    What MediaWiki hides is left out and noted in ``ignored``: an infobox in a comment, <nowiki>,
    <pre> or <includeonly>, or after a comment (or <includeonly>) that is never closed, which
    MediaWiki runs to the end of the page where mwparserfromhell reads it as text.
    """
    names = list(names)
    try:
        code = bounded_parse(page.text)
    except TooComplex:
        return ParsedPage(infoboxes=(), too_complex=True)
    cut = hidden_from(page.text)
    shown_text = page.text if cut is None else page.text[:cut]
    shown = code if cut is None else mwparserfromhell.parse(shown_text)
    boxes = tuple(
        infobox_from_template(page.title, template) for template in _shown_infoboxes(shown, names, shown_text)
    )
    ignored = _hidden_infobox_places(shown, names, shown_text)
    if cut is not None:
        ignored += ["unclosed"] * max(0, len(_shown_infoboxes(code, names, page.text)) - len(boxes))
    return ParsedPage(infoboxes=boxes, ignored=tuple(ignored))
