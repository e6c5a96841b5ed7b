"""The main job's pure stages: snapshots -> records and issues -> page bodies."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from bots.core.crosslink import (
    LinkCheck,
    Lookup,
    build_graph,
    check_links,
    linked_titles,
    possible_duplicates,
    states_from_snapshots,
)
from bots.core.model import Issue, PageSnapshot, Partnership, severity_count
from bots.core.parse import parse_page
from bots.core.render import group_by, make_environment, page_context, render_page
from bots.core.schema import Schema, load_schema
from bots.core.settings import PagesConfig, pages_config_from, read_yaml
from bots.core.validate import validate_page, validate_records

PROJECT_DIR = Path(__file__).resolve().parents[2]
DEFAULT_CONFIG_DIR = PROJECT_DIR / "config"
DEFAULT_TEMPLATE_DIR = PROJECT_DIR / "templates"


@dataclass(frozen=True)
class Config:
    """Everything read from a config folder, loaded once at start."""

    schema: Schema
    pages: PagesConfig
    template_dir: Path

    def environment(self) -> jinja2.Environment:
        return make_environment(self.template_dir / "pages")


def load_config(config_dir: Path = DEFAULT_CONFIG_DIR, template_dir: Path = DEFAULT_TEMPLATE_DIR) -> Config:
    """Read schema.yaml and pages.yaml; any mistake is a ConfigError naming file and line."""
    return Config(
        schema=load_schema(config_dir / "schema.yaml"),
        pages=pages_config_from(read_yaml(config_dir / "pages.yaml")),
        template_dir=template_dir,
    )


@dataclass(frozen=True)
class Checked:
    """Every record read and every problem found."""

    records: tuple[Partnership, ...]
    issues: tuple[Issue, ...]
    #: Link problems, safe fixes and the state of every linked page (empty without a lookup).
    links: LinkCheck = field(default_factory=LinkCheck)

    @property
    def errors(self) -> int:
        return severity_count(self.issues, "error")


def check_pages(
    snapshots: Iterable[PageSnapshot], schema: Schema, template_names: Sequence[str], lookup: Lookup | None = None
) -> Checked:
    """Parse and validate every page, then apply the rules across records.

    Pages are taken in page-id order, so for a unique field the oldest page keeps its value.
    With ``lookup`` (the state of linked pages that were not read), page links are checked too.
    """
    snapshots = sorted(snapshots, key=lambda s: (s.pageid, s.title))
    records: list[Partnership] = []
    issues: list[Issue] = []
    for snap in snapshots:
        record, page_issues = validate_page(snap.title, parse_page(snap, template_names), schema)
        issues.extend(page_issues)
        if record is not None:
            records.append(record)
    issues.extend(validate_records(records, schema))
    states = states_from_snapshots(snapshots)
    links = LinkCheck(states=states)
    if lookup is not None:
        wanted = sorted(linked_titles(records, schema) - set(states))
        if wanted:
            states.update(lookup(wanted))
        links = check_links(records, states, schema, template_names)
        issues.extend(links.issues)
    broken = {i.page for i in issues if i.severity == "error"}
    valid = [r for r in records if r.title not in broken]
    issues.extend(possible_duplicates(valid, build_graph(valid, states), schema))
    return Checked(records=tuple(records), issues=tuple(sorted(issues, key=Issue.sort_key)), links=links)


def render_generated(checked: Checked, config: Config, updated: str) -> dict[str, tuple[str, str]]:
    """Title -> (region body, edit summary) for every generated page."""
    env = config.environment()
    titles = {page.key: page.title for page in config.pages.generated}
    context = page_context(checked.records, checked.issues, config.schema, titles, updated)
    graph = build_graph(context["records"], checked.links.states)
    context["partners"] = graph.partners
    context["partners_in_several"] = [p for p in graph.partners if len(p.records) > 1]
    bodies = {page.title: (render_page(env, page.template, context), page.summary) for page in config.pages.generated}
    bodies.update(render_recommendations(checked, config, context))
    return bodies


def recommendation_pages(checked: Checked, config: Config) -> list[str]:
    """The recommendation pages that get a region: linked by a record, existing, under the configured prefix."""
    prefix = config.pages.crosslink.recommendation_prefix
    if not prefix:
        return []
    states = checked.links.states
    names = config.schema.template_names
    pages = []
    for title in build_graph(checked.records, states).supporters:
        state = states.get(title)
        if state is None or not state.exists or state.redirect_to or not title.startswith(prefix):
            continue
        if parse_page(PageSnapshot(title, state.text), names).infoboxes:
            continue
        pages.append(title)
    return sorted(pages)


def render_recommendations(checked: Checked, config: Config, context: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Title -> (region body, summary) for every recommendation page: the valid records supporting it, by type."""
    env = config.environment()
    supporters = build_graph(context["records"], checked.links.states).supporters
    settings = config.pages.crosslink
    bodies = {}
    for title in recommendation_pages(checked, config):
        records = supporters.get(title, ())
        page = {**context, "recommendation": title, "supporters": records}
        page["supporters_by_type"] = [g for g in group_by(records, config.schema, "type") if g.records]
        bodies[title] = (render_page(env, settings.recommendation_template, page), settings.recommendation_summary)
    return bodies
