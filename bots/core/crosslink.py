"""Records -> link graph, link problems, and the safe fixes for them.

Partnership records link to each other (``related``), to recommendation pages and,
through their partners, to other records. This module works on a pure
description of the linked pages (:class:`PageState`: exists, redirect target,
text) that bots.wiki looks up in batches, so everything here is testable
without a wiki.

Fixes edit one infobox parameter through mwparserfromhell, keeping the page's
own spacing, order and separators; the rest of the page is returned byte for byte.
"""

from __future__ import annotations

import heapq
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import groupby
from typing import Literal

import mwparserfromhell
from mwparserfromhell.nodes import Template
from mwparserfromhell.nodes.extras import Parameter
from mwparserfromhell.wikicode import Wikicode

from bots.core.model import Issue, PageSnapshot, Partnership
from bots.core.parse import TooComplex, bounded_parse, is_infobox, parse_page, value_text
from bots.core.schema import FieldSpec, Schema
from bots.core.settings import LINK_ROLE_TYPES, USUAL_ROLES, LinkRoles, YamlDoc
from bots.core.validate import LINK_RE, normalise_title, validate_page

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
        if spec.type != LINK_ROLE_TYPES[role]:
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


#: Looks up the state of many titles at once (bots.wiki.page_states on a live wiki).
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
    return [spec for spec in schema.fields if spec.type == "page"]


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
class LinkGraph:
    """How the records link to each other, to recommendation pages, partners and chapters."""

    records: Mapping[str, Partnership]
    #: Record title -> the related pages it lists, redirects followed.
    related: Mapping[str, tuple[str, ...]]
    #: Recommendation page (redirects followed) -> the records supporting it.
    supporters: Mapping[str, tuple[Partnership, ...]]
    partners: tuple[Partner, ...]
    chapters: Mapping[str, tuple[Partnership, ...]]

    def relates(self, one: str, other: str) -> bool:
        """True if either record lists the other as related."""
        return other in self.related.get(one, ()) or one in self.related.get(other, ())


def resolve(title: str, states: Mapping[str, PageState]) -> str:
    state = states.get(title)
    return state.redirect_to if state is not None and state.redirect_to else title


def _usual_spelling(spellings: Counter[str]) -> str:
    """The spelling most records use; on a tie, one with capitals (``Telenor`` over ``telenor``)."""
    return max(spellings, key=lambda name: (spellings[name], not name.islower()))


def build_graph(
    records: Sequence[Partnership], states: Mapping[str, PageState], roles: LinkRoles = USUAL_ROLES
) -> LinkGraph:
    by_title = {r.title: r for r in records}
    related = {r.title: tuple(dict.fromkeys(resolve(t, states) for t in r.items(roles.related))) for r in records}
    supporters: dict[str, list[Partnership]] = {}
    partners: dict[str, tuple[Counter[str], list[Partnership]]] = {}
    named: set[tuple[str, str]] = set()  # (partner key, record title) already counted
    chapters: dict[str, list[Partnership]] = {}
    for record in sorted(records, key=lambda r: (r.name.casefold(), r.title)):
        for title in dict.fromkeys(resolve(t, states) for t in record.items(roles.recommendation)):
            supporters.setdefault(title, []).append(record)
        for name in record.items(roles.partner):
            key = normalise_partner(name)
            if key:
                spellings, named_by = partners.setdefault(key, (Counter(), []))
                spellings[name] += 1
                if (key, record.title) not in named:
                    named.add((key, record.title))
                    named_by.append(record)
        if record.text("chapter"):
            chapters.setdefault(record.text("chapter"), []).append(record)
    return LinkGraph(
        records=by_title,
        related=related,
        supporters={t: tuple(rs) for t, rs in supporters.items()},
        partners=tuple(
            sorted(
                (Partner(key, _usual_spelling(spellings), tuple(rs)) for key, (spellings, rs) in partners.items()),
                key=lambda p: (p.name.casefold(), p.key),
            )
        ),
        chapters={c: tuple(rs) for c, rs in sorted(chapters.items())},
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
) -> tuple[str, ...] | None:
    """The related pages a page lists (raw and through redirects), or None if it has no infobox."""
    record = by_title.get(title)
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
    page: str, field_name: str, state: PageState, states: Mapping[str, PageState]
) -> tuple[Issue, Fix | None]:
    """The issue for a link to a redirect, and the fix that links the final target (None if there is none)."""
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
    if state.via:
        chain = " → ".join(_quote(t) for t in (target, *state.via, final))
        message = (
            f"{field_name} links to {_quote(target)}, a double redirect ({chain}): the page was moved more "
            f"than once. Link {_quote(final)} instead."
        )
        issue = Issue(page, field_name, "link-to-double-redirect", "warning", message, final)
        return issue, Fix(page, field_name, "replace", final, target, "page moved, double redirect")
    message = (
        f"{field_name} links to {_quote(target)}, a redirect to {_quote(final)} "
        f"(the page was probably moved). Link {_quote(final)} instead."
    )
    return Issue(page, field_name, "link-to-redirect", "warning", message, final), Fix(
        page, field_name, "replace", final, target, "page moved"
    )


def check_links(
    records: Sequence[Partnership],
    states: Mapping[str, PageState],
    schema: Schema,
    template_names: Sequence[str],
    roles: LinkRoles = USUAL_ROLES,
) -> LinkCheck:
    """Issues for every page link of every record, and the fixes that are safe to make.

    Titles missing from ``states`` were not looked up and are not judged.
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
                    issue, fix = _redirect_issue(record.title, spec.name, state, states)
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
                back = _related_of(final, by_title, states, schema, template_names, roles.related)
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


def _opaque_end(value: str, i: int) -> int:
    """Where a comment, link or template starting at ``i`` ends (``i`` if none starts there)."""
    for opener, closer in (("<!--", "-->"), ("[[", "]]"), ("{{", "}}")):
        if value.startswith(opener, i):
            depth, j = 0, i
            while j < len(value):
                if value.startswith(opener, j):
                    depth += 1
                    j += len(opener)
                elif value.startswith(closer, j):
                    depth -= 1
                    j += len(closer)
                    if depth == 0 or opener == "<!--":
                        return j
                else:
                    j += 1
            return len(value)
    return i


def item_spans(value: str, separators: str) -> list[tuple[int, int]]:
    """The spans of the items of a list value, without surrounding spaces and bullets."""
    spans = []
    start = i = 0
    while i <= len(value):
        if i == len(value) or value[i] in separators or value[i] == "\n":
            j, k = start, i
            while j < k and (value[j].isspace() or value[j] in "*#"):
                j += 1
            while k > j and value[k - 1].isspace():
                k -= 1
            if j < k:
                spans.append((j, k))
            start = i + 1
            i += 1
            continue
        end = _opaque_end(value, i)
        i = end if end > i else i + 1
    return spans


def item_title(raw: str) -> str | None:
    text = value_text(mwparserfromhell.parse(raw))
    return normalise_title(text) if text else None


def _renamed(raw: str, new: str) -> str:
    """An item with its title replaced, keeping a link's brackets and label."""
    link = LINK_RE.match(raw)
    if link:
        return f"[[{new}{raw[2 + len(link.group(1)) :]}"
    return new


def _shown_param(template: Template, spec: FieldSpec) -> Parameter | None:
    for name in (spec.name, *spec.aliases):
        params = [p for p in template.params if value_text(p.name) == name]
        if params:
            return params[-1]
    return None


def _first_infobox(code: Wikicode, names: Sequence[str]) -> Template | None:
    return next((t for t in code.filter_templates(recursive=True) if is_infobox(t, names)), None)


def _value_spacing(template: Template) -> tuple[str, str]:
    """The space before a value and the padded width of names, as the infobox's last parameter has them."""
    if not template.params:
        return " ", ""
    last = template.params[-1]
    value = str(last.value)
    return value[: len(value) - len(value.lstrip(" \t"))], str(last.name)


def _add_parameter(template: Template, name: str, item: str) -> None:
    lead, last_name = _value_spacing(template)
    template.add(name, item, preserve_spacing=True)
    param = template.get(name)
    if last_name.strip() and last_name.rstrip() != last_name:
        indent = last_name[: len(last_name) - len(last_name.lstrip())]
        width = len(last_name)
        param.name = (indent + name).ljust(max(width, len(indent + name) + 1))
    value = str(param.value)
    param.value = lead + value.lstrip(" \t")


def _apply_one(template: Template, spec: FieldSpec, fix: Fix) -> bool:
    param = _shown_param(template, spec)
    if param is None:
        if fix.action != "add":
            return False
        _add_parameter(template, spec.name, fix.value)
        return True
    value = str(param.value)
    spans = item_spans(value, spec.separators)
    titles = [item_title(value[a:b]) for a, b in spans]
    if fix.action == "add":
        if fix.value in titles:
            return False
        if not spans:
            stripped = value.lstrip(" \t")
            lead = value[: len(value) - len(stripped)] or _value_spacing(template)[0]
            new = lead + fix.value + stripped.lstrip(" \t")
        else:
            start, end = spans[-1]
            if len(spans) > 1:
                joiner = value[spans[-2][1] : start]
            else:
                bullet = value[:start].lstrip(" \t")
                joiner = (
                    f"\n{bullet.strip()} " if bullet.startswith("\n") and bullet.strip() else f"{spec.separators[0]} "
                )
            item = f"[[{fix.value}]]" if LINK_RE.match(value[start:end]) else fix.value
            new = value[:end] + joiner + item + value[end:]
    else:
        if fix.old not in titles:
            return False
        index = titles.index(fix.old)
        a, b = spans[index]
        if fix.value in titles:
            # The target is listed already: drop the redirect with the separator before (or after) it.
            keep_to, keep_from = (spans[index - 1][1], b) if index > 0 else (a, spans[1][0])
            new = value[:keep_to] + value[keep_from:]
        else:
            new = value[:a] + _renamed(value[a:b], fix.value) + value[b:]
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
