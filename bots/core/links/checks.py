"""The link problems of the records (missing pages, redirects, one-way related links, possible
duplicates), and the fixes bots.crosslink may make for them."""

from __future__ import annotations

import heapq
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import groupby

from bots.core.links.fixes import Fix
from bots.core.links.graph import LinkGraph, normalise_partner
from bots.core.links.states import PageState, page_fields, resolve
from bots.core.records.model import Issue, PageSnapshot, Partnership
from bots.core.records.parse import parse_page
from bots.core.records.schema import Schema
from bots.core.records.validate import validate_page
from bots.core.records.words import DEFAULT_WORDS, Words
from bots.core.settings.crosslink_config import USUAL_ROLES, LinkRoles

MISSING_PAGE = "link-to-missing-page"
REDIRECT = "link-to-redirect"
DOUBLE_REDIRECT = "link-to-double-redirect"
REDIRECT_LOOP = "link-to-redirect-loop"
NOT_RECIPROCAL = "related-not-reciprocal"
WITHOUT_INFOBOX = "related-without-infobox"
NOT_PARTNERSHIP_PAGE = "related-not-partnership-page"
POSSIBLE_DUPLICATE = "possible-duplicate"
#: The codes of every problem found here: each needs other pages, so only the bot sees it (the infobox shows
#: the bot's findings: bots.core.onwiki.findings).
LINK_CODES = (
    MISSING_PAGE,
    REDIRECT,
    DOUBLE_REDIRECT,
    REDIRECT_LOOP,
    NOT_RECIPROCAL,
    WITHOUT_INFOBOX,
    NOT_PARTNERSHIP_PAGE,
    POSSIBLE_DUPLICATE,
)


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
    words: Words = DEFAULT_WORDS,
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
        return Issue(page, field_name, REDIRECT_LOOP, "warning", message + "Link the right page."), None
    final_state = states.get(final)
    if final_state is not None and not final_state.exists:
        message = (
            f"{field_name} links to {_quote(target)}, a redirect to {_quote(final)}, which does not exist. "
            "Check the title, or create the page."
        )
        return Issue(page, field_name, MISSING_PAGE, "warning", message), None
    code = DOUBLE_REDIRECT if state.via else REDIRECT
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
            f"{words.noun} pages read (pages with the {{{{{template}}}}} infobox where {words.noun} pages live). "
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


def _not_a_record(page: str, field_name: str, target: str, schema: Schema) -> Issue:
    noun = schema.words.noun
    return Issue(
        page,
        field_name,
        NOT_PARTNERSHIP_PAGE,
        "warning",
        f"{field_name} links to {_quote(target)}, which is not a {noun} page (it has a {{{{{schema.template}}}}} "
        f"infobox, but is not one of the {noun} pages the bot reads: it lies outside their namespaces or "
        f"does not use the infobox), so the bot never edits it. List {noun} pages only; link other pages "
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
                            MISSING_PAGE,
                            "warning",
                            f"{spec.name} links to {_quote(target)}, which does not exist. "
                            "Check the title (it is case-sensitive after the first letter), or create the page.",
                        )
                    )
                    continue
                final = target
                if state.redirect_to:
                    to_record = state.redirect_to in by_title
                    issue, fix = _redirect_issue(
                        record.title, spec.name, state, states, to_record, schema.template, schema.words
                    )
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
                                WITHOUT_INFOBOX,
                                "warning",
                                f"{spec.name} links to {_quote(final)}, which has no {{{{{schema.template}}}}} "
                                f"infobox. List {schema.words.noun} pages only; link other pages in the text.",
                            )
                        )
                    continue
                if every_record and final not in by_title:
                    issues.append(_not_a_record(record.title, spec.name, final, schema))
                    continue
                if record.title not in back:
                    issues.append(
                        Issue(
                            record.title,
                            spec.name,
                            NOT_RECIPROCAL,
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
                    POSSIBLE_DUPLICATE,
                    "warning",
                    f"{_quote(earlier.title)} has the same partner ({'; '.join(shared)}) and type ({kinds}): "
                    f"it may be the same {schema.words.noun}. If it is, merge the two pages; if not, list each page "
                    f"in the other's {roles.related} field.",
                    earlier.title,
                )
            )
            break
        for pair in pairs:
            having.setdefault(pair, []).append(index)
    return issues
