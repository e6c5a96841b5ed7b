"""The main job's pure stages: snapshots -> records and issues -> page bodies."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from bots.core.cache import PageCache, PageResult
from bots.core.model import Issue, PageSnapshot, Partnership, severity_count
from bots.core.parse import parse_page
from bots.core.render import make_environment, page_context, render_page
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

    @property
    def errors(self) -> int:
        return severity_count(self.issues, "error")


def check_page(snap: PageSnapshot, schema: Schema, template_names: Sequence[str]) -> PageResult:
    """One page's record (None if it has errors) and problems."""
    return validate_page(snap.title, parse_page(snap, template_names), schema)


def check_pages(
    snapshots: Iterable[PageSnapshot],
    schema: Schema,
    template_names: Sequence[str],
    cache: PageCache | None = None,
) -> Checked:
    """Parse and validate every page, then apply the rules across records.

    Pages are taken in page-id order, so for a unique field the oldest page keeps its value.
    With a revision cache, a page read at the revision the cache knows is not parsed again.
    """
    records: list[Partnership] = []
    issues: list[Issue] = []
    for snap in sorted(snapshots, key=lambda s: (s.pageid, s.title)):
        if cache is None:
            record, page_issues = check_page(snap, schema, template_names)
        else:
            record, page_issues = cache.check(snap, lambda s: check_page(s, schema, template_names))
        issues.extend(page_issues)
        if record is not None:
            records.append(record)
    issues.extend(validate_records(records, schema))
    return Checked(records=tuple(records), issues=tuple(sorted(issues, key=Issue.sort_key)))


def render_generated(checked: Checked, config: Config, updated: str) -> dict[str, tuple[str, str]]:
    """Title -> (region body, edit summary) for every generated page."""
    env = config.environment()
    titles = {page.key: page.title for page in config.pages.generated}
    context = page_context(checked.records, checked.issues, config.schema, titles, updated)
    return {page.title: (render_page(env, page.template, context), page.summary) for page in config.pages.generated}
