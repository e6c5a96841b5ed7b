"""The sample pages of scripts/devwiki-seed.yaml, and what the pure core makes of them.

Shared by the pure tests and the live ones, so that "this page has the infobox" is
decided in one place, by the core's own parser, and "this problem keeps a page out of the
generated lists" by the severity the core gives the problem.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import Any

import yaml

from bots.config import load_config
from bots.core.links.states import lookup_from_states, states_from_snapshots
from bots.core.pipeline import Checked, check_pages
from bots.core.records.model import PageSnapshot, Severity
from bots.core.records.parse import ParsedPage, parse_page
from bots.core.records.validate import UNREADABLE
from scripts.devwiki import SEED_FILE

SCHEMA = load_config().schema
TEMPLATE_NAMES: Sequence[str] = SCHEMA.template_names


def load_seed() -> list[dict[str, Any]]:
    """Every seed page: title, text and the problems it is expected to have."""
    pages: list[dict[str, Any]] = yaml.safe_load(SEED_FILE.read_text(encoding="utf-8"))["pages"]
    return pages


def has_infobox(text: str, names: Sequence[str] = TEMPLATE_NAMES) -> bool:
    """True if the text calls the infobox (under any of its names) where the wiki would see it.

    A list query (``{{partnership list|...}}``) or an infobox inside a comment or
    ``<nowiki>`` does not count: the page does not transclude the infobox.
    """
    return bool(parse_page(PageSnapshot("", text), names).infoboxes)


def infobox_pages(seed: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The seed pages that carry the infobox: the ones the bots read."""
    return [page for page in seed if has_infobox(page["text"])]


def seed_snapshots() -> list[PageSnapshot]:
    """Every seed page with the infobox (or a hidden one, which is a problem), page ids in file order."""
    all_pages = [PageSnapshot(page["title"], page["text"], pageid=i + 1) for i, page in enumerate(load_seed())]
    return [snap for snap in all_pages if parse_page(snap, TEMPLATE_NAMES) != ParsedPage(infoboxes=())]


@functools.cache
def checked_seed() -> Checked:
    """The seed checked as on the wiki: links are checked against every seed page (any other title is missing)."""
    every_page = [PageSnapshot(page["title"], page["text"]) for page in load_seed()]
    lookup = lookup_from_states(states_from_snapshots(every_page))
    return check_pages(seed_snapshots(), SCHEMA, TEMPLATE_NAMES, lookup)


@functools.cache
def code_severities() -> dict[str, Severity]:
    """The severity the core gives each problem code found on the seed pages."""
    severities: dict[str, Severity] = {}
    for issue in checked_seed().issues:
        assert severities.setdefault(issue.code, issue.severity) == issue.severity, f"{issue.code}: two severities"
    return severities


def keeps_out_of_lists(page: dict[str, Any]) -> bool:
    """True if a seed page's infobox cannot be read at all: only that keeps it out of the generated pages (issue 18:
    a record with errors is listed, its values with a problem marked)."""
    return any(item["code"] in UNREADABLE for item in page["expect"])
