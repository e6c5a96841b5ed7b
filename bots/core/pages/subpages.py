"""Long generated pages become a hub and stable subpages, before they pass a size the wiki handles well.

A generated page with `split:` in config/pages.yaml is rendered part by part first (so
a page that is split is never also rendered whole); its size is that of its parts
together. When that passes `guard: split_above_bytes`, the page becomes a hub (a table of
its subpages with their counts) and one subpage per part: per choice of a schema field
(`by: type`), or per fixed range of first letters (`by: name`, `page` or `partner`,
with `ranges:`). A subpage is the page's own template rendered over the records of its
part alone, so one new record rewrites only the hub and the subpages it belongs to.
A split page becomes one page again only below `guard: merge_below_bytes`, so a page
near the threshold does not flap. A hub begins with its page template's `head` block, if the
template has one (what the page says before its list, e.g. a recommendation page's heading).

Nothing is deleted: the hub's region names its subpages (a marker comment), so a later
run knows them. A subpage whose part emptied says so and links the hub; when the page
becomes one page again, each subpage says the list is back on the page. The hub also
says how many rows its subpages hold, so that the mass-removal guard (bots.core.pages.guard)
counts the rows across hub and subpages: rows that moved to subpages did not vanish.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import jinja2

from bots.core.pages.guard import count_rows
from bots.core.pages.markers import RegionError, subpage_keys, subpage_rows_marker, subpages_marker
from bots.core.pages.regions import region_body
from bots.core.pages.render import group_by, render_page
from bots.core.records.model import Issue, Partnership
from bots.core.records.schema import Schema
from bots.core.settings.pages_config import GeneratedPage, PagesConfig
from bots.core.settings.split_config import SPLIT_BY_RANGES, LetterRange, SplitConfig
from bots.core.settings.yaml_doc import YamlDoc

#: The part of names that start with a digit, a sign or a letter outside A-Z.
OTHER = "Other"
HUB_TEMPLATE = "_hub.wikitext"
MOVED_TEMPLATE = "_moved.wikitext"
#: Characters MediaWiki does not allow in a title.
_NOT_IN_TITLES = re.compile(r"[#<>\[\]|{}]")

#: Builds the template context of a part from its records and problems (pipeline's page context).
MakeContext = Callable[[Sequence[Partnership], Sequence[Issue]], dict[str, Any]]

_WHAT = {
    "name": "the first letter of the {noun}'s name",
    "page": "the first letter of the page's name",
    "partner": "the first letter of the partner organisation's name",
}
_COUNTED = {"page": "Pages with problems", "partner": "Partner organisations"}


@dataclass(frozen=True)
class Part:
    """The records (and problems) of one subpage, and what the hub counts for it."""

    key: str
    records: tuple[Partnership, ...]
    issues: tuple[Issue, ...] = ()
    count: int = 0
    #: The choice's canonical value when split by a choice field.
    value: str = ""


def letters(text: str) -> str:
    """``text`` in upper case without accents, for comparing with ranges ("Élan" -> "ELAN")."""
    decomposed = unicodedata.normalize("NFKD", text.strip())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).upper()


def range_of(text: str, ranges: Sequence[LetterRange]) -> str:
    """The label of the range ``text`` falls in; OTHER for digits, signs, other scripts and gaps."""
    key = letters(text)
    if key and "A" <= key[0] <= "Z":
        for found in ranges:
            if found.holds(key):
                return found.label
    return OTHER


def page_name(title: str) -> str:
    """The title after its last "/": what the report's ranges go by ("Partnerships/Kiwix" -> "Kiwix")."""
    return title.rsplit("/", 1)[-1]


def title_part(label: str) -> str:
    """A subpage name made from a label, without characters a title may not have."""
    return _NOT_IN_TITLES.sub("-", label).strip() or "-"


def split_parts(split: SplitConfig, context: Mapping[str, Any], schema: Schema) -> list[Part]:
    """Every part of the split, in a fixed order (the schema's choices, or the ranges then OTHER), empty ones too."""
    records: Sequence[Partnership] = context["records"]
    if split.by not in SPLIT_BY_RANGES:
        return [
            Part(title_part(g.label), g.records, count=len(g.records), value=g.value)
            for g in group_by(records, schema, split.by)
        ]
    labels = [r.label for r in split.ranges] + [OTHER]
    if split.by == "name":
        named: dict[str, list[Partnership]] = {label: [] for label in labels}
        for record in records:
            named[range_of(record.name, split.ranges)].append(record)
        return [Part(label, tuple(found), count=len(found)) for label, found in named.items()]
    if split.by == "page":
        issues: dict[str, list[Issue]] = {label: [] for label in labels}
        pages: dict[str, set[str]] = {label: set() for label in labels}
        for page, page_issues in context["issues_by_page"].items():
            label = range_of(page_name(page), split.ranges)
            issues[label].extend(page_issues)
            pages[label].add(page)
        on_pages: dict[str, list[Partnership]] = {label: [] for label in labels}
        for record in records:
            on_pages[range_of(page_name(record.title), split.ranges)].append(record)
        return [Part(label, tuple(on_pages[label]), tuple(issues[label]), count=len(pages[label])) for label in labels]
    # by partner: the records of the partner organisations in each range
    partners: dict[str, list[Any]] = {label: [] for label in labels}
    for partner in context["partners"]:
        partners[range_of(partner.name, split.ranges)].append(partner)
    parts = []
    for label, found in partners.items():
        titles = {r.title for p in found for r in p.records}
        parts.append(Part(label, tuple(r for r in records if r.title in titles), count=len(found)))
    return parts


def part_context(
    split: SplitConfig, part: Part, make_context: MakeContext, hub: str, ranges: Sequence[LetterRange]
) -> dict[str, Any]:
    """The template context of one subpage: built from the part's records alone."""
    context = make_context(part.records, part.issues)
    if split.by == "partner":
        context["partners"] = [p for p in context["partners"] if range_of(p.name, ranges) == part.key]
        context["partners_in_several"] = [p for p in context["partners"] if len(p.records) > 1]
    elif split.by not in SPLIT_BY_RANGES and f"by_{split.by}" in context:
        # the page's sections for this choice only (a record of several types is on each type's subpage)
        context[f"by_{split.by}"] = [g for g in context[f"by_{split.by}"] if g.value == part.value]
    if split.by not in SPLIT_BY_RANGES and "supporters_by_type" in context:  # a recommendation page's, by type
        context["supporters_by_type"] = [g for g in context["supporters_by_type"] if g.value == part.value]
    context["part"] = {"hub": hub, "label": part.key, "count": part.count}
    return context


def current_regions(texts: Mapping[str, str], pages: PagesConfig) -> dict[str, str]:
    """Title -> the body of its bot-owned region, for the pages that have one."""
    regions = {}
    for title, text in texts.items():
        with contextlib.suppress(RegionError):
            body = region_body(text, pages.region_start, pages.region_end)
            if body is not None:
                regions[title] = body
    return regions


def should_split(size: int, split_now: bool, pages: PagesConfig) -> bool:
    """Split above split_above_bytes; once split, stay so down to merge_below_bytes."""
    return size > (pages.merge_below_bytes if split_now else pages.split_above_bytes)


def render_page_or_split(
    page: GeneratedPage,
    env: jinja2.Environment,
    context: Mapping[str, Any],
    make_context: MakeContext,
    schema: Schema,
    pages: PagesConfig,
    current: str | None = None,
) -> dict[str, tuple[str, str]]:
    """Title -> (region body, summary): the page whole, or its hub first and then its subpages.

    ``current`` is the page's region on the wiki now (None if it has none): whether it is a
    hub, and which subpages it has, decides the threshold and which subpages are kept.
    """
    had = subpage_keys(current)
    split = page.split
    if split is not None:
        # The parts are rendered first: together they are about the whole page's size, so a
        # page that is (or must be) split is never rendered whole as well. One that stays one
        # page is rendered whole too: the threshold is on the parts' exact size, which no
        # cheaper measure gives (templates print per-part text, escaping grows values), and
        # the whole cannot be built from the parts (its tables and counts span every part).
        # It costs about 0.1 s at 400 records, and a quiet run renders nothing (bots.core.pages.render_state).
        parts = [part for part in split_parts(split, context, schema) if part.count or part.key in (had or ())]
        subpages = {
            f"{page.title}/{part.key}": render_page(
                env, page.template, part_context(split, part, make_context, page.title, split.ranges)
            )
            for part in parts
        }
        size = sum(len(body.encode("utf-8")) for body in subpages.values())
    if split is None or not should_split(size, had is not None, pages):
        bodies = {page.title: (render_page(env, page.template, context), page.summary)}
        for key in had or ():
            bodies[f"{page.title}/{key}"] = (moved_body(env, context, page.title, key, back=True), page.summary)
        return bodies
    hub = render_page(
        env,
        HUB_TEMPLATE,
        {
            **context,
            "hub": {
                "title": page.title,
                "name": page_name(page.title),
                "what": _WHAT.get(split.by, "").format(noun=schema.words.noun)
                or f"{schema.field(split.by).label.lower()}",
                "by_choice": split.by not in SPLIT_BY_RANGES,
                "counted": _COUNTED.get(split.by, schema.words.nouns_capitalised),
                "parts": [{"title": f"{page.title}/{p.key}", "label": p.key, "count": p.count} for p in parts],
                "marker": subpages_marker(p.key for p in parts),
                "rows": subpage_rows_marker(sum(count_rows(body) for body in subpages.values())),
                "head": head_block(env, page.template, context),
            },
        },
    )
    bodies = {page.title: (hub, page.summary)}
    bodies.update({title: (body, page.summary) for title, body in subpages.items()})
    for key in had or ():
        if f"{page.title}/{key}" not in bodies:  # a range no longer configured: its records are elsewhere now
            bodies[f"{page.title}/{key}"] = (moved_body(env, context, page.title, key, back=False), page.summary)
    return bodies


def head_block(env: jinja2.Environment, template: str, context: Mapping[str, Any]) -> str:
    """The page template's ``head`` block over the whole page's context ("" if it has none).

    It is what the page says before its list (a recommendation page's heading and count), so
    that the hub of a split page still says it, from the same template.
    """
    found = env.get_template(template)
    block = found.blocks.get("head")
    if block is None:
        return ""
    return "".join(block(found.new_context(dict(context)))).strip()


def moved_body(env: jinja2.Environment, context: Mapping[str, Any], hub: str, key: str, *, back: bool) -> str:
    """The region of a subpage no longer used: where its records are now."""
    return render_page(env, MOVED_TEMPLATE, {**context, "part": {"hub": hub, "label": key, "back": back}})


def check_split_fields(doc: YamlDoc, pages: PagesConfig, schema: Schema) -> None:
    """Each `split: by:` that is not name, page or partner must be a choice field of the schema."""
    for page in pages.generated:
        if page.split is None or page.split.by in SPLIT_BY_RANGES:
            continue
        spec = next((s for s in schema.fields if s.name == page.split.by), None)
        if spec is None or not spec.kind.has_choices:
            found = "not a field of the schema" if spec is None else f"a {spec.type} field"
            choices = ", ".join(s.name for s in schema.fields if s.kind.has_choices)
            raise doc.error(
                ("generated", page.key, "split", "by"),
                f"{page.split.by!r} is {found}; expected {', '.join(SPLIT_BY_RANGES)} or a choice field ({choices})",
            )
