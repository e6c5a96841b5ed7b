"""The main job's pure stages: snapshots -> records and issues -> page bodies."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import jinja2

from bots.core.links.checks import LinkCheck, check_links, possible_duplicates
from bots.core.links.graph import LinkGraph, build_graph
from bots.core.links.roles import check_link_roles
from bots.core.links.states import Lookup, follow_redirects, linked_titles, states_from_snapshots
from bots.core.pages.markers import subpage_keys
from bots.core.pages.render import ProblemMarks, group_by, make_environment, page_context, render_page
from bots.core.pages.size import fit_to_size
from bots.core.pages.subpages import (
    MakeContext,
    check_split_fields,
    current_regions,
    page_name,
    range_of,
    render_page_or_split,
    title_part,
)
from bots.core.pages.template_fields import check_template_fields
from bots.core.records.model import Issue, PageSnapshot, Partnership, severity_count
from bots.core.records.parse import ParsedPage, parse_page
from bots.core.records.schema import Schema
from bots.core.records.validate import too_complex_issue, validate_page, validate_records
from bots.core.records.words import Words
from bots.core.settings.crosslink_config import USUAL_ROLES, LinkRoles, crosslink_summary, recommendation_summary
from bots.core.settings.lists_config import lists_summary
from bots.core.settings.page_titles import title_places
from bots.core.settings.pages_config import GeneratedPage, PagesConfig, pages_config_from
from bots.core.settings.split_config import SplitConfig
from bots.core.settings.yaml_doc import YamlDoc

#: One page's record (None if its infobox cannot be read at all) and problems.
PageResult = tuple[Partnership | None, list[Issue]]


class RevisionCache(Protocol):
    """What check_pages asks of a revision cache (bots.state.cache.PageCache)."""

    def check(self, snap: PageSnapshot, derive: Callable[[PageSnapshot], PageResult]) -> PageResult:
        """The page's result: remembered for its revision, or ``derive``d (and remembered)."""
        ...


@dataclass(frozen=True)
class ConfigFiles:
    """Where a config folder's settings came from: its files as messages name them, and its run state's key."""

    schema: str = "config/schema.yaml"
    pages: str = "config/pages.yaml"
    #: The name its cache, lock and render state carry (bots.config.folder_key); empty for config/ itself.
    key: str = ""


@dataclass(frozen=True)
class Config:
    """Everything read from a config folder and the page templates, loaded once at start (bots.config.load_config)."""

    schema: Schema
    pages: PagesConfig
    #: The page templates (templates/pages/): name -> text.
    page_templates: Mapping[str, str] = field(repr=False, hash=False)
    files: ConfigFiles = ConfigFiles()
    #: Each title pages.yaml names -> where it names it (bots.core.settings.page_titles.title_places).
    title_places: Mapping[str, str] = field(default_factory=dict, hash=False)

    def environment(self) -> jinja2.Environment:
        """The Jinja environment of the page templates, built once per set of templates (it compiles each once)."""
        return _environment(tuple(sorted(self.page_templates.items())))


@functools.cache
def _environment(templates: tuple[tuple[str, str], ...]) -> jinja2.Environment:
    return make_environment(dict(templates))


def config_from(
    schema: Schema,
    pages_doc: YamlDoc,
    page_templates: Mapping[str, str],
    template_files: Mapping[str, str] | None = None,
    files: ConfigFiles = ConfigFiles(),
) -> Config:
    """The settings of pages.yaml, checked against the schema and the page templates (``template_files``: their
    files as messages name them); any mistake is a ConfigError naming file and line."""
    pages = _summaries_in_words(pages_config_from(pages_doc), pages_doc, schema.words)
    check_link_roles(pages_doc, pages.crosslink.fields, schema)
    check_split_fields(pages_doc, pages, schema)
    for page in pages.generated:
        if page.template not in page_templates:
            raise pages_doc.error(
                ("generated", page.key, "template"),
                f"no page template {page.template!r} in the folder's templates/pages/ or the project's",
            )
    places = title_places(pages_doc)
    config = Config(schema=schema, pages=pages, page_templates=page_templates, files=files, title_places=places)
    names = [page.template for page in pages.generated]
    if pages.crosslink.recommendation_prefix and pages.crosslink.fields.recommendation:
        names.append(pages.crosslink.recommendation_template)
    check_template_fields(config.environment(), page_templates, names, schema, template_files or {}, files.schema)
    return config


def _summaries_in_words(pages: PagesConfig, doc: YamlDoc, words: Words) -> PagesConfig:
    """The edit summaries pages.yaml leaves out, in the schema's words (the defaults are in the default words)."""
    given_crosslink, given_lists = doc.data.get("crosslink") or {}, doc.data.get("lists") or {}
    crosslink, lists = pages.crosslink, pages.lists
    if "summary" not in given_crosslink:
        crosslink = dataclasses.replace(crosslink, summary=crosslink_summary(words))
    if "recommendation_summary" not in given_crosslink:
        crosslink = dataclasses.replace(crosslink, recommendation_summary=recommendation_summary(words))
    if "summary" not in given_lists:
        lists = dataclasses.replace(lists, summary=lists_summary(words))
    return dataclasses.replace(pages, crosslink=crosslink, lists=lists)


@dataclass(frozen=True)
class Checked:
    """Every record read and every problem found."""

    records: tuple[Partnership, ...]
    issues: tuple[Issue, ...]
    #: How ``records`` link to each other, to recommendation pages and partners: built once, here
    #: (a page of fewer records takes ``graph.among(...)``).
    graph: LinkGraph
    #: Page text -> whether it holds an infobox the bot reads (or one too complex to read), for
    #: every page validation read: rendering asks this of pages, and need not parse them again.
    holds_infobox: Mapping[str, bool] = field(default_factory=dict, repr=False)
    #: Link problems, safe fixes and the state of every linked page (empty without a lookup).
    links: LinkCheck = field(default_factory=LinkCheck)

    @property
    def errors(self) -> int:
        return severity_count(self.issues, "error")


def check_page(snap: PageSnapshot, schema: Schema, template_names: Sequence[str]) -> PageResult:
    """One page's record (None if its infobox cannot be read at all) and problems."""
    return validate_page(snap.title, parse_page(snap, template_names), schema)


def check_pages(
    snapshots: Iterable[PageSnapshot],
    schema: Schema,
    template_names: Sequence[str],
    lookup: Lookup | None = None,
    roles: LinkRoles = USUAL_ROLES,
    cache: RevisionCache | None = None,
    every_record: bool = False,
    parsed: Mapping[PageSnapshot, ParsedPage] | None = None,
) -> Checked:
    """Parse and validate every page, then apply the rules across records.

    Pages are taken in page-id order, so for a unique field the oldest page keeps its value.
    With ``lookup`` (the state of linked pages that were not read), page links are checked too.
    ``roles`` is `crosslink: fields:` of config/pages.yaml (config.pages.crosslink.fields).
    With a revision cache, a page read at the revision the cache knows is not parsed again.
    ``every_record``: ``snapshots`` are all the partnership pages (not a selection), so a
    related link to any other page is a link to a page that is not a partnership page.
    ``parsed``: pages parsed already (bots.offline parses a dump's pages to find those calling the infobox),
    which are not parsed again.
    """
    snapshots = sorted(snapshots, key=lambda s: (s.pageid, s.title))
    parsed = parsed or {}

    def derive(snap: PageSnapshot) -> PageResult:
        page = parsed.get(snap) if parsed else None
        return check_page(snap, schema, template_names) if page is None else validate_page(snap.title, page, schema)

    records: list[Partnership] = []
    issues: list[Issue] = []
    holds_infobox: dict[str, bool] = {}
    for snap in snapshots:
        record, page_issues = derive(snap) if cache is None else cache.check(snap, derive)
        issues.extend(page_issues)
        if record is not None:
            records.append(record)
        holds_infobox[snap.text] = record is not None or too_complex_issue(snap.title) in page_issues
    issues.extend(validate_records(records, schema))
    states = states_from_snapshots(snapshots)
    links = LinkCheck(states=states)
    if lookup is not None:
        wanted = sorted(linked_titles(records, schema) - set(states))
        if wanted:
            states.update(lookup(wanted))
        states = follow_redirects(states)
        read = {snap.title for snap in snapshots}
        links = check_links(records, states, schema, template_names, roles, every_record, read)
        issues.extend(links.issues)
    graph = build_graph(records, states, roles)  # the run's one link graph
    broken = {i.page for i in issues if i.severity == "error"}
    valid = [r for r in records if r.title not in broken]
    issues.extend(possible_duplicates(valid, graph, schema, roles))
    return Checked(
        records=tuple(records),
        issues=tuple(sorted(issues, key=Issue.sort_key)),
        graph=graph,
        holds_infobox=holds_infobox,
        links=links,
    )


def render_generated(
    checked: Checked,
    config: Config,
    updated: str,
    region_pages: Sequence[PageSnapshot] = (),
    current: Mapping[str, str] | None = None,
) -> dict[str, tuple[str, str]]:
    """Title -> (region body, edit summary) for every generated page, a split page's hub before its subpages.

    ``region_pages`` are the pages under the recommendation prefix that carry a
    region already (bots.wiki.read.pages_with_region): those no record names any more
    are rewritten to say so. ``current`` is the region now on each generated page
    (title -> body; bots.core.pages.subpages.current_regions): whether a page is split now.
    A body still longer than guard: max_page_bytes is cut (bots.core.pages.size.fit_to_size).
    """
    env = config.environment()
    titles = {page.key: page.title for page in config.pages.generated}
    marks = ProblemMarks.of(checked.issues, config.schema)

    def make_context(records: Sequence[Partnership], issues: Sequence[Issue]) -> dict[str, Any]:
        context = page_context(records, issues, config.schema, titles, updated, marks)
        graph = checked.graph.among(context["records"])
        context["roles"] = config.pages.crosslink.fields
        context["status_page"] = config.pages.status_page
        context["partners"] = graph.partners
        context["partners_in_several"] = [p for p in graph.partners if len(p.records) > 1]
        return context

    def render(page: GeneratedPage) -> dict[str, tuple[str, str]]:
        context = make_context(checked.records, checked.issues)
        return render_page_or_split(
            page, env, context, make_context, config.schema, config.pages, (current or {}).get(page.title)
        )

    # The report first (it marks nothing): whether it is split says where each page's entry is.
    report = config.pages.page("report") if "report" in titles else None
    rendered = render(report) if report else {}
    marks = ProblemMarks.of(checked.issues, config.schema, report_of(config.pages, rendered))
    context = make_context(checked.records, checked.issues)
    bodies: dict[str, tuple[str, str]] = {}
    for page in config.pages.generated:
        bodies.update(rendered if page is report else render(page))
    bodies.update(render_recommendations(checked, config, context, region_pages, make_context))
    # A page (or part) still over the size the wiki takes is cut with a note (bots.core.pages.size).
    return {
        title: (fit_to_size(body, config.pages.max_page_bytes, config.files.pages), summary)
        for title, (body, summary) in bodies.items()
    }


def report_of(pages: PagesConfig, report_bodies: Mapping[str, tuple[str, str]]) -> Callable[[str], str]:
    """Page -> the report page holding its entry: the report, or its subpage when the report is split by page
    (``report_bodies``: the report as rendered in this run; empty: not known, the report itself).
    """
    report = next((page for page in pages.generated if page.key == "report"), None)
    if report is None:
        return lambda page: ""
    title, split = report.title, report.split
    hub = report_bodies.get(title, ("", ""))[0]
    if split is None or split.by != "page" or subpage_keys(hub) is None:
        return lambda page: title
    return lambda page: f"{title}/{range_of(page_name(page), split.ranges)}"


def recommendation_pages(checked: Checked, config: Config, known: dict[str, bool] | None = None) -> list[str]:
    """The recommendation pages that get a region: linked by a record, existing, under the configured prefix.

    ``known``: the texts whose infobox is known already (:func:`infobox_or_unread`), added to.
    """
    prefix = config.pages.crosslink.recommendation_prefix
    if not prefix:
        return []
    known = dict(checked.holds_infobox) if known is None else known
    states = checked.links.states
    names = config.schema.template_names
    pages = []
    for title in checked.graph.supporters:
        state = states.get(title)
        if state is None or not state.exists or state.redirect_to or not title.startswith(prefix):
            continue
        if infobox_or_unread(state.text, names, known):  # too complex: maybe a record's page, left alone
            continue
        pages.append(title)
    return sorted(pages)


def unsupported_recommendations(
    region_pages: Iterable[PageSnapshot], config: Config, known: dict[str, bool] | None = None
) -> list[str]:
    """The pages of ``region_pages`` under the recommendation prefix without an infobox.

    ``known``: the texts whose infobox is known already (:func:`infobox_or_unread`), added to.
    """
    settings = config.pages.crosslink
    if not settings.recommendation_prefix or not settings.fields.recommendation:
        return []
    names = config.schema.template_names
    known = {} if known is None else known
    return [
        snap.title
        for snap in region_pages
        if snap.title.startswith(settings.recommendation_prefix) and not infobox_or_unread(snap.text, names, known)
    ]


def infobox_or_unread(text: str, names: Sequence[str], known: dict[str, bool]) -> bool:
    """True if the text holds an infobox the bot reads, or one too complex to read.

    ``known`` holds the answers so far, by text (Checked.holds_infobox: validation's): a text is parsed
    only when it is not there, and its answer is added, so that no page is parsed twice in a run.
    """
    if text not in known:
        parsed = parse_page(PageSnapshot("", text), names)
        known[text] = bool(parsed.infoboxes) or parsed.too_complex
    return known[text]


def render_recommendations(
    checked: Checked,
    config: Config,
    context: dict[str, Any],
    region_pages: Sequence[PageSnapshot] = (),
    make_context: MakeContext | None = None,
) -> dict[str, tuple[str, str]]:
    """Title -> (region body, summary) for every recommendation page: the valid records supporting it, by type.

    A page of ``region_pages`` that no record names any more gets a region saying that none supports it yet.
    A page whose list grows past ``guard: split_above_bytes`` is split by type, as a generated page with
    ``split: {by: type}`` is (bots.core.pages.subpages); its subpages are not recommendation pages themselves.
    """
    env = config.environment()
    settings = config.pages.crosslink
    kind = settings.fields.type
    supporters = checked.graph.among(context["records"]).supporters
    regions = current_regions({snap.title: snap.text for snap in region_pages}, config.pages)
    known = dict(checked.holds_infobox)  # each text is parsed once, validation's not again
    titles = {*recommendation_pages(checked, config, known), *unsupported_recommendations(region_pages, config, known)}
    titles -= type_subpages(titles, config)
    bodies: dict[str, tuple[str, str]] = {}
    for title in sorted(titles):

        def supporting(
            records: Sequence[Partnership], issues: Sequence[Issue], own: bool = True, title: str = title
        ) -> dict[str, Any]:
            """The template's context; ``own``: built from these records alone (a subpage or a hub)."""
            page = {**context, **(make_context(records, issues) if own and make_context else {})}
            page.update(recommendation=title, supporters=records)
            page["supporters_by_type"] = (
                [g for g in group_by(records, config.schema, kind) if g.records] if kind else []
            )
            return page

        records = supporters.get(title, ())
        body = render_page(env, settings.recommendation_template, supporting(records, (), own=False))
        split_now = subpage_keys(regions.get(title)) is not None
        if kind and make_context and (len(body.encode("utf-8")) > config.pages.split_above_bytes or split_now):
            page = GeneratedPage(
                key="recommendation",
                title=title,
                template=settings.recommendation_template,
                summary=settings.recommendation_summary,
                split=SplitConfig(by=kind),
            )
            split = render_page_or_split(
                page, env, supporting(records, ()), supporting, config.schema, config.pages, regions.get(title)
            )
            bodies.update(split)
        else:
            bodies[title] = (body, settings.recommendation_summary)
    return bodies


def type_subpages(titles: Iterable[str], config: Config) -> set[str]:
    """The ``<page>/<type>`` among ``titles``: a recommendation page's subpages by type, not pages of their own."""
    kind = config.pages.crosslink.fields.type
    if not kind:
        return set()
    titles = set(titles)
    keys = {title_part(choice.label) for choice in config.schema.field(kind).choices}
    return {t for t in titles if "/" in t and t.rsplit("/", 1)[0] in titles and t.rsplit("/", 1)[1] in keys}
