"""The sample pages of config/devwiki-seed.yaml, and what the pure core makes of them.

Shared by the pure tests and the live ones, so that "this page has the infobox" is
decided in one place, by the core's own parser.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import yaml

from bots.core.model import PageSnapshot
from bots.core.parse import parse_page
from bots.core.pipeline import DEFAULT_CONFIG_DIR, load_config

SEED_FILE = DEFAULT_CONFIG_DIR / "devwiki-seed.yaml"
TEMPLATE_NAMES: Sequence[str] = load_config().schema.template_names


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
