"""The bot's task page, for bot approval: what it reads and writes, how fast, how to stop it, all from the config.

Written by scripts.task_page (docs/operating.md). Made from the same settings the bots run with, so that the
page a community approves cannot drift from what the bot does. Pure: the throttle settings come in as numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import jinja2

from bots.core.lists.fill import end_template_name, list_template_name
from bots.core.onwiki.findings import index_title, shard_prefix
from bots.core.onwiki.infobox import doc_title, title
from bots.core.pipeline import Config

TEMPLATE = "task_page.wikitext"
#: The edit summary of the task page.
SUMMARY = "Bot: describe the bot's task (made from its configuration)"
#: The canonical names of the namespaces a config usually names; others are shown by number.
NAMESPACE_NAMES = {0: "(main)", 2: "User", 4: "Project", 10: "Template", 12: "Help", 14: "Category"}


@dataclass(frozen=True)
class Throttle:
    """pywikibot's pace for saves: ``put_throttle`` seconds between two saves, and a pause while the wiki's
    replication lag is above ``write_maxlag`` seconds (None: pywikibot's ``maxlag`` alone)."""

    put_throttle: float
    write_maxlag: float | None = None

    def edits_per_minute(self) -> str:
        """At most this many edits a minute, in words."""
        if self.put_throttle <= 0:
            return "No pause between edits (a local test wiki only)"
        every = f"one every {self.put_throttle:g} s, pywikibot's put_throttle"
        return f"At most {60 / self.put_throttle:g} edits a minute ({every})"


def namespace_names(numbers: tuple[int, ...]) -> list[str]:
    return [NAMESPACE_NAMES.get(number, f"namespace {number}") for number in numbers]


def task_page_text(config: Config, env: jinja2.Environment, throttle: Throttle) -> str:
    """The task page's wikitext: purpose, pages read, pages written, edit rate, shutoff, exclusion, source."""
    pages = config.pages
    schema = config.schema
    module = title("Module", schema.template)
    return env.get_template(TEMPLATE).render(
        pages=pages,
        template=title("Template", schema.template),
        aliases=[title("Template", alias) for alias in schema.template_aliases],
        namespaces=namespace_names(pages.namespaces),
        list_namespaces=namespace_names(pages.lists.namespaces),
        list_template=title("Template", list_template_name(schema)),
        list_end_template=title("Template", end_template_name(schema)),
        findings_index=index_title(module) if pages.findings_shards else "",
        findings_shards=f"{shard_prefix(module)}0.json … {shard_prefix(module)}{pages.findings_shards - 1}.json",
        templatedata=doc_title(schema.template) if any(spec.suggest_used for spec in schema.fields) else "",
        related=pages.crosslink.fields.related,
        throttle=throttle,
        words=schema.words,
        existing=schema.existing,
    )
