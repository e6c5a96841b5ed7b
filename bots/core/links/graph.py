"""Records -> link graph, link problems, and the safe fixes for them.

Partnership records link to each other (``related``), to recommendation pages and,
through their partners, to other records. This module works on a pure
description of the linked pages (:class:`PageState`: exists, redirect target,
text, and where the move log says a redirect's page went) that bots.wiki.links looks
up, so everything here is testable without a wiki.

Fixes edit one infobox parameter through mwparserfromhell, keeping the page's
own spacing, order and separators; the rest of the page is returned byte for byte.
"""

from __future__ import annotations

import heapq
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import groupby
from typing import Literal

import mwparserfromhell
from mwparserfromhell.nodes import Comment, Template, Wikilink
from mwparserfromhell.nodes.extras import Parameter
from mwparserfromhell.wikicode import Wikicode

from bots.core.records.fields import LINK_RE, field_type, normalise_title
from bots.core.records.items import ItemSpan, list_items
from bots.core.records.items import item_spans as item_spans  # re-exported: the one splitting function
from bots.core.records.model import Issue, PageSnapshot, Partnership
from bots.core.records.parse import TooComplex, bounded_parse, is_infobox, parse_page, value_text
from bots.core.records.schema import FieldSpec, Schema
from bots.core.records.validate import validate_page
from bots.core.settings import LINK_ROLE_TYPES, USUAL_ROLES, LinkRoles, YamlDoc
from bots.core.upkeep.params import split_spacing

#: What switching a role off (`null` in `crosslink: fields:`) gives up.
ROLE_FEATURES = {
    "related": "two-sided related links and the possible-duplicate warning",
    "recommendation": "the recommendation pages' lists",
    "partner": "the partners page and the possible-duplicate warning",
    "type": "grouping by type on recommendation pages and the possible-duplicate warning",
}


def check_link_roles(doc: YamlDoc, roles: LinkRoles, schema: Schema) -> None:
    """Every role names a schema field of the right type; otherwise a ConfigError naming file and line."""
    for role, name in roles.items():
        if not name:
            continue
        path = ("crosslink", "fields", role)
        default = "" if path in doc.lines else " (the default, as the file does not set it)"
        spec = next((s for s in schema.fields if s.name == name), None)
        off = f"set `{role}: null` to switch off {ROLE_FEATURES[role]}"
        if spec is None:
            raise doc.error(
                path,
                f"the {role} role names the field {name!r}{default}, which the schema does not have. "
                f"Name one of its {LINK_ROLE_TYPES[role]} fields, or {off}.",
            )
        if spec.kind is not field_type(LINK_ROLE_TYPES[role]):
            raise doc.error(
                path,
                f"the {role} role needs a field of type {LINK_ROLE_TYPES[role]}, but {name!r}{default} "
                f"has type {spec.type}. Name another field, or {off}.",
            )
        if role == "related" and not spec.multiple:
            raise doc.error(
                path,
                f"the related role needs a field that holds several pages, but {name!r}{default} "
                f"is not `multiple: true` in the schema. Name another field, or {off}.",
            )


@dataclass(frozen=True)
class PageState:
    """What the wiki knows about a linked title."""

    title: str
    exists: bool
    #: The target's title when the page is a redirect, else "".
    redirect_to: str = ""
    #: The page's wikitext (empty for a redirect or a missing page).
    text: str = ""
    #: The redirects passed on the way to ``redirect_to`` (a double redirect), else ().
    via: tuple[str, ...] = ()
    #: The redirect chain leads back to itself; ``redirect_to`` is then its first step.
    loop: bool = False
    #: For a redirect: where the move log says the page at this title went, following its later
    #: moves; "" if no move left this redirect. Only a redirect that a move made is bypassed.
    moved_to: str = ""


#: Looks up the state of many titles at once (bots.wiki.links.page_states on a live wiki).
Lookup = Callable[[Sequence[str]], Mapping[str, PageState]]


def redirect_target(text: str) -> str:
    """The target of a redirect page's text (``#REDIRECT [[Target]]``), or ""."""
    text = text.lstrip()
    if not text.startswith("#"):
        return ""  # most pages: no need to parse them a second time
    try:
        code = bounded_parse(text)
    except TooComplex:
        return ""  # read as a page, and reported as too complex if it is an infobox page
    if not str(code).lower().startswith(("#redirect", "#weiterleitung")):
        return ""
    links = code.filter_wikilinks(recursive=False)
    if not links:
        return ""
    return normalise_title(str(links[0].title).split("#")[0]) or ""


def states_from_snapshots(snapshots: Iterable[PageSnapshot]) -> dict[str, PageState]:
    """The state of pages already read: redirects recognised from their text."""
    states = {}
    for snap in snapshots:
        target = redirect_target(snap.text)
        states[snap.title] = PageState(snap.title, True, target, "" if target else snap.text)
    return states


def lookup_from_states(states: Mapping[str, PageState]) -> Lookup:
    """A lookup over known pages (e.g. a seed file); any other title is missing.

    Like the wiki's API, it follows redirect chains to their end (see :func:`follow_redirects`).
    """

    def lookup(titles: Sequence[str]) -> dict[str, PageState]:
        found: dict[str, PageState] = {}
        pending = list(titles)
        while pending:
            title = pending.pop()
            if title not in found:
                found[title] = states.get(title, PageState(title, False))
                if found[title].redirect_to:
                    pending.append(found[title].redirect_to)
        return follow_redirects(found)

    return lookup


def follow(title: str, redirects: Mapping[str, str]) -> tuple[str, tuple[str, ...]] | None:
    """The end of the redirect chain from ``title``, and the redirects passed on the way; None for a loop."""
    passed = [title]
    target = redirects[title]
    while target in redirects and target not in passed:
        passed.append(target)
        target = redirects[target]
    if target in passed:
        return None
    return target, tuple(passed[1:])


#: The moves out of a title: (log id, new title), as the wiki's move log has them (ids grow with time).
MovesFrom = Callable[[str], Sequence[tuple[int, str]]]


def move_destination(title: str, moves_from: MovesFrom) -> str:
    """Where the page moved away from ``title`` last is now, by the move log; "" if none was.

    The redirect at a title is left by the latest move out of it (an earlier page there
    may have been moved elsewhere before); that page is then followed through each next
    move out of the title it reached. Log ids only grow, so this ends; unlike timestamps,
    they also order two moves made in the same second.
    """
    moves = moves_from(title)
    if not moves:
        return ""
    since, current = max(moves)
    while later := [(logid, to) for logid, to in moves_from(current) if logid > since]:
        since, current = min(later)
    return current if current != title else ""


def follow_redirects(states: Mapping[str, PageState]) -> dict[str, PageState]:
    """The states with each redirect pointing at the end of its chain (``via`` the redirects in between)."""
    redirects = {title: state.redirect_to for title, state in states.items() if state.redirect_to}
    followed = dict(states)
    for title, state in states.items():
        if not state.redirect_to or state.loop:
            continue
        end = follow(title, redirects)
        if end is None:
            followed[title] = replace(state, loop=True)
        elif end[1]:
            hops = [hop for step in end[1] for hop in (step, *states[step].via)]
            followed[title] = replace(state, redirect_to=end[0], via=(*state.via, *hops))
    return followed


def page_fields(schema: Schema) -> list[FieldSpec]:
    """The fields whose values are pages of the wiki (not users)."""
    return [spec for spec in schema.fields if spec.kind.is_title and not spec.kind.namespace]


def linked_titles(records: Iterable[Partnership], schema: Schema) -> set[str]:
    """Every title that a page-link field of a record points at."""
    return {title for record in records for spec in page_fields(schema) for title in record.items(spec.name)}


def normalise_partner(name: str) -> str:
    """A partner organisation's name for comparison: no accents, case, punctuation or extra spaces."""
    decomposed = unicodedata.normalize("NFKD", name)
    letters = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    words = letters.casefold().split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


@dataclass(frozen=True)
class Partner:
    """A partner organisation and every record that names it."""

    key: str
    name: str
    records: tuple[Partnership, ...]


@dataclass(frozen=True)
class RecordLinks:
    """One record's links, redirects followed and partner names normalised: what a graph is made of."""

    related: tuple[str, ...]
    recommends: tuple[str, ...]
    #: (normalised key, name as written) of each partner the record names, in its order.
    partners: tuple[tuple[str, str], ...]
    chapter: str


@dataclass(frozen=True)
class LinkGraph:
    """How the records link to each other, to recommendation pages, partners and chapters.

    Built once per run (bots.core.pipeline.check_pages, over every record read); a page that
    shows fewer records takes :meth:`among`, which looks no link up and normalises no name again.
    """

    records: Mapping[str, Partnership]
    #: Record title -> the related pages it lists, redirects followed.
    related: Mapping[str, tuple[str, ...]]
    #: Recommendation page (redirects followed) -> the records supporting it.
    supporters: Mapping[str, tuple[Partnership, ...]]
    partners: tuple[Partner, ...]
    chapters: Mapping[str, tuple[Partnership, ...]]
    #: Record title -> its links: what :meth:`among` makes a smaller graph from.
    links: Mapping[str, RecordLinks]

    def relates(self, one: str, other: str) -> bool:
        """True if either record lists the other as related."""
        return other in self.related.get(one, ()) or one in self.related.get(other, ())

    def among(self, records: Sequence[Partnership]) -> LinkGraph:
        """The graph of some of this graph's records (a page's, a subpage's): what build_graph gives for them."""
        return _graph_of(records, self.links)


def resolve(title: str, states: Mapping[str, PageState]) -> str:
    state = states.get(title)
    return state.redirect_to if state is not None and state.redirect_to else title


def _usual_spelling(spellings: Counter[str]) -> str:
    """The spelling most records use; on a tie, one with capitals (``Telenor`` over ``telenor``)."""
    return max(spellings, key=lambda name: (spellings[name], not name.islower()))


def record_links(record: Partnership, states: Mapping[str, PageState], roles: LinkRoles = USUAL_ROLES) -> RecordLinks:
    """What ``record`` links to, redirects followed (by ``states``), each page once."""
    return RecordLinks(
        related=tuple(dict.fromkeys(resolve(t, states) for t in record.items(roles.related))),
        recommends=tuple(dict.fromkeys(resolve(t, states) for t in record.items(roles.recommendation))),
        partners=tuple((key, name) for name in record.items(roles.partner) if (key := normalise_partner(name))),
        chapter=record.text("chapter"),
    )


def build_graph(
    records: Sequence[Partnership], states: Mapping[str, PageState], roles: LinkRoles = USUAL_ROLES
) -> LinkGraph:
    return _graph_of(records, {r.title: record_links(r, states, roles) for r in records})


def _graph_of(records: Sequence[Partnership], links: Mapping[str, RecordLinks]) -> LinkGraph:
    """The graph of ``records`` from their links (``links`` may hold other records' too)."""
    supporters: dict[str, list[Partnership]] = {}
    partners: dict[str, tuple[Counter[str], list[Partnership]]] = {}
    named: set[tuple[str, str]] = set()  # (partner key, record title) already counted
    chapters: dict[str, list[Partnership]] = {}
    for record in sorted(records, key=lambda r: (r.name.casefold(), r.title)):
        found = links[record.title]
        for title in found.recommends:
            supporters.setdefault(title, []).append(record)
        for key, name in found.partners:
            spellings, named_by = partners.setdefault(key, (Counter(), []))
            spellings[name] += 1
            if (key, record.title) not in named:
                named.add((key, record.title))
                named_by.append(record)
        if found.chapter:
            chapters.setdefault(found.chapter, []).append(record)
    return LinkGraph(
        records={r.title: r for r in records},
        related={r.title: links[r.title].related for r in records},
        supporters={t: tuple(rs) for t, rs in supporters.items()},
        partners=tuple(
            sorted(
                (Partner(key, _usual_spelling(spellings), tuple(rs)) for key, (spellings, rs) in partners.items()),
                key=lambda p: (p.name.casefold(), p.key),
            )
        ),
        chapters={c: tuple(rs) for c, rs in sorted(chapters.items())},
        links={r.title: links[r.title] for r in records},
    )


@dataclass(frozen=True)
class Fix:
    """A safe change to one page's infobox: add ``value`` to a list field, or replace ``old`` by it."""

    page: str
    field: str
    action: Literal["add", "replace"]
    value: str
    old: str = ""
    why: str = ""


@dataclass(frozen=True)
class LinkCheck:
    """The link problems found, and the fixes bots.crosslink may make for them."""

    issues: tuple[Issue, ...] = ()
    fixes: tuple[Fix, ...] = ()
    states: Mapping[str, PageState] = field(default_factory=dict)


def _quote(title: str) -> str:
    return f"“{title}”"


def _related_of(
    title: str,
    by_title: Mapping[str, Partnership],
    states: Mapping[str, PageState],
    schema: Schema,
    template_names: Sequence[str],
    related_field: str,
    read: Collection[str] = (),
) -> tuple[str, ...] | None:
    """The related pages a page lists (raw and through redirects), or None if it has no infobox.

    A page of ``read`` (validated already) that is not in ``by_title`` gave no record: it is not parsed again.
    """
    record = by_title.get(title)
    if record is None and title in read:
        return None
    if record is None:
        state = states.get(title)
        if state is None or not state.text:
            return None
        parsed = parse_page(PageSnapshot(title, state.text), template_names)
        record, _ = validate_page(title, parsed, schema)
        if record is None:
            return None
    items = record.items(related_field)
    return tuple(dict.fromkeys([*items, *(resolve(t, states) for t in items)]))


def _redirect_issue(
    page: str,
    field_name: str,
    state: PageState,
    states: Mapping[str, PageState],
    partnership_page: bool = False,
    template: str = "Partnership",
) -> tuple[Issue, Fix | None]:
    """The issue for a link to a redirect, and the fix that links the final target (None if there is none).

    Only a redirect that a page move left (the move log leads to the same page) and that ends
    at a partnership page (``partnership_page``: a record of this run) is bypassed: anyone can
    type ``#REDIRECT [[User:Vandal]]`` over a page, or move it to a user page, and a bot
    spreading that link to other pages would outlast the page's revert.
    """
    target, final = state.title, state.redirect_to
    if state.loop:
        message = (
            f"{field_name} links to {_quote(target)}, a redirect that never reaches a page: the redirects "
            f"from {_quote(final)} on lead round in a loop. "
        )
        return Issue(page, field_name, "link-to-redirect-loop", "warning", message + "Link the right page."), None
    final_state = states.get(final)
    if final_state is not None and not final_state.exists:
        message = (
            f"{field_name} links to {_quote(target)}, a redirect to {_quote(final)}, which does not exist. "
            "Check the title, or create the page."
        )
        return Issue(page, field_name, "link-to-missing-page", "warning", message), None
    code = "link-to-double-redirect" if state.via else "link-to-redirect"
    if state.moved_to != final:
        message = (
            f"{field_name} links to {_quote(target)}, a redirect to {_quote(final)} that no page move made: "
            f"check the history of {_quote(target)} (a redirect typed over a page may be vandalism), "
            "then link the right page. The bot leaves this link as it is."
        )
        return Issue(page, field_name, code, "warning", message), None
    if not partnership_page:
        message = (
            f"{field_name} links to {_quote(target)}, which was moved to {_quote(final)}, not one of the "
            f"partnership pages read (pages with the {{{{{template}}}}} infobox where partnership pages live). "
            f"Check the move in the history of {_quote(target)}; if it was right, link {_quote(final)} instead."
        )
        return Issue(page, field_name, code, "warning", message, final), None
    if state.via:
        chain = " → ".join(_quote(t) for t in (target, *state.via, final))
        message = (
            f"{field_name} links to {_quote(target)}, a double redirect ({chain}): the page was moved more "
            f"than once. Link {_quote(final)} instead."
        )
        issue = Issue(page, field_name, code, "warning", message, final)
        return issue, Fix(page, field_name, "replace", final, target, "page moved, double redirect")
    message = (
        f"{field_name} links to {_quote(target)}, a redirect to {_quote(final)} "
        f"(the page was moved). Link {_quote(final)} instead."
    )
    return Issue(page, field_name, code, "warning", message, final), Fix(
        page, field_name, "replace", final, target, "page moved"
    )


def _not_a_record(page: str, field_name: str, target: str, template: str) -> Issue:
    return Issue(
        page,
        field_name,
        "related-not-partnership-page",
        "warning",
        f"{field_name} links to {_quote(target)}, which is not a partnership page (it has a {{{{{template}}}}} "
        "infobox, but is not one of the partnership pages the bot reads: it lies outside their namespaces or "
        "does not use the infobox), so the bot never edits it. List partnership pages only; link other pages "
        "in the text.",
    )


def check_links(
    records: Sequence[Partnership],
    states: Mapping[str, PageState],
    schema: Schema,
    template_names: Sequence[str],
    roles: LinkRoles = USUAL_ROLES,
    every_record: bool = False,
    read: Collection[str] = (),
) -> LinkCheck:
    """Issues for every page link of every record, and the fixes that are safe to make.

    Titles missing from ``states`` were not looked up and are not judged. A fix is
    only ever proposed for a page of ``records`` (a partnership page read as such),
    never for another page a record names. With ``every_record`` (``records`` are
    all the partnership pages), a related link to any other page with an infobox
    is reported as a link to a page that is not a partnership page. ``read``: the titles validation
    read (``records`` are those that gave a record), which are not parsed again.
    """
    by_title = {r.title: r for r in records}
    issues: list[Issue] = []
    fixes: list[Fix] = []
    for record in records:
        for spec in page_fields(schema):
            for target in record.items(spec.name):
                state = states.get(target)
                if state is None:
                    continue
                if not state.exists:
                    issues.append(
                        Issue(
                            record.title,
                            spec.name,
                            "link-to-missing-page",
                            "warning",
                            f"{spec.name} links to {_quote(target)}, which does not exist. "
                            "Check the title (it is case-sensitive after the first letter), or create the page.",
                        )
                    )
                    continue
                final = target
                if state.redirect_to:
                    to_record = state.redirect_to in by_title
                    issue, fix = _redirect_issue(record.title, spec.name, state, states, to_record, schema.template)
                    issues.append(issue)
                    if fix is None:
                        continue
                    fixes.append(fix)
                    final = state.redirect_to
                if not roles.related or spec.name != roles.related or final == record.title:
                    continue
                final_state = states.get(final)
                if final_state is not None and not final_state.exists:
                    continue
                back = _related_of(final, by_title, states, schema, template_names, roles.related, read)
                if back is None:
                    if final_state is not None:
                        issues.append(
                            Issue(
                                record.title,
                                spec.name,
                                "related-without-infobox",
                                "warning",
                                f"{spec.name} links to {_quote(final)}, which has no {{{{{schema.template}}}}} "
                                "infobox. List partnership pages only; link other pages in the text.",
                            )
                        )
                    continue
                if every_record and final not in by_title:
                    issues.append(_not_a_record(record.title, spec.name, final, schema.template))
                    continue
                if record.title not in back:
                    issues.append(
                        Issue(
                            record.title,
                            spec.name,
                            "related-not-reciprocal",
                            "warning",
                            f"{_quote(final)} does not list this page in its {spec.name} field, so the link goes "
                            f"one way only. Add {_quote(record.title)} to the {spec.name} field of {_quote(final)}.",
                            final,
                        )
                    )
                    if final in by_title:  # the bot writes to partnership pages only
                        fixes.append(Fix(final, spec.name, "add", record.title, why=f"{record.title} lists this page"))
    return LinkCheck(issues=tuple(issues), fixes=tuple(dict.fromkeys(fixes)), states=states)


def possible_duplicates(
    records: Sequence[Partnership], graph: LinkGraph, schema: Schema, roles: LinkRoles = USUAL_ROLES
) -> list[Issue]:
    """Two records with a partner and a type in common, not related to each other: the later one is flagged.

    ``records`` are in page-id order and should hold only records without errors.
    """
    partner, kind = roles.partner, roles.type
    names = {spec.name for spec in schema.fields}
    if not (partner in names and kind in names and roles.related in names):
        # Without a related field, two distinct partnerships could never silence the warning.
        return []
    type_spec = schema.field(kind)
    issues = []
    keys = [{normalise_partner(p) for p in record.items(partner)} - {""} for record in records]
    #: (partner key, type) -> the indexes of the earlier records with both, in page-id order.
    having: dict[tuple[str, str], list[int]] = {}
    for index, record in enumerate(records):
        partners = {normalise_partner(p): p for p in record.items(partner)}
        types = set(record.items(kind))
        pairs = [(key, t) for key in keys[index] for t in types]
        # The earlier records sharing a partner and a type, oldest first (each list is sorted already).
        candidates = (i for i, _ in groupby(heapq.merge(*(having.get(pair, ()) for pair in pairs))))
        for earlier_index in candidates:
            earlier = records[earlier_index]
            shared = [name for key, name in partners.items() if key and key in keys[earlier_index]]
            common = [t for t in record.items(kind) if t in types & set(earlier.items(kind))]
            if not shared or not common or graph.relates(record.title, earlier.title):
                continue
            kinds = ", ".join(type_spec.label_of(t).lower() for t in common)
            issues.append(
                Issue(
                    record.title,
                    partner,
                    "possible-duplicate",
                    "warning",
                    f"{_quote(earlier.title)} has the same partner ({'; '.join(shared)}) and type ({kinds}): "
                    "it may be the same partnership. If it is, merge the two pages; if not, list each page "
                    f"in the other's {roles.related} field.",
                    earlier.title,
                )
            )
            break
        for pair in pairs:
            having.setdefault(pair, []).append(index)
    return issues


# Editing an infobox's list parameter
# ---------------------------------------------------------------------------


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
    items = list_items(param.value, spec.separators)
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
