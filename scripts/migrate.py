"""Migrate pages from an older or different template, or a wikitext table, to the infobox.

Usage:
    python -m scripts.migrate -mapping:FILE [options] [page generator options]

The mapping file (YAML; config/migrate-example.yaml is a commented example)
says which old templates to migrate and how their parameters map onto the
infobox's, and how the columns of a table of partnerships do. It is checked
before anything is read from the wiki: a mistake names the file and line.

  - Old template: the call is rewritten in place as {{Partnership}}: the
    template's and parameters' names change, values, order and spacing stay,
    dropped parameters go. A page is left as it was, with the reason, when a
    parameter is neither mapped nor dropped, when two old parameters give one
    field different values, or when the page has the infobox already.
  - Table: each row of a wikitext table whose header row names mapped columns
    becomes a new page (title from the mapping's pattern, e.g.
    Partnerships/{name}), after the same checks as scripts.create_pages: a row
    with any problem is reported and not created, existing pages are never
    overwritten. The page with the table is not changed.
A second run finds nothing to do.

Options:
    -mapping:FILE    the mapping file (required)
    -summary:TEXT    edit summary (default: says what was migrated)
    -always          save without asking (needed when run unattended)
    -simulate        show the diffs and new pages, save nothing (pywikibot global option)
    -settings:DIR    read schema.yaml and pages.yaml from DIR (default: config/)

Pages: those that use one of the mapping's old templates, unless page generator
options (-page:, -cat:, -prefixindex:, ...) choose others. Tables are only
found on pages chosen with generator options (e.g. -page:"Partnerships/List"),
so a mapping with a table and no templates needs one (exit 2 without).

Exit codes: 0 done; 1 a page was left as it was or a row was invalid (listed),
or a wiki error; 2 bad options or configuration; 3 switched off on the wiki.

Examples:
    PYWIKIBOT_DIR=.devwiki/pywikibot python -m scripts.migrate -mapping:config/migrate-example.yaml -simulate
    PYWIKIBOT_DIR=.devwiki/pywikibot python -m scripts.migrate -mapping:my-mapping.yaml \\
        -page:"Task force/Partnerships list" -always
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Iterable
from pathlib import Path

import pywikibot

from bots.cli import BAD_OPTIONS, SWITCHED_OFF
from bots.config import load_migration
from bots.core.records.model import Issue, PageSnapshot
from bots.core.settings.yaml_doc import ConfigError
from bots.core.upkeep.maintenance import Outcome
from bots.core.upkeep.migrate import Migration, migrate_templates, table_rows
from bots.wiki.read import infobox_pages, read_snapshots, template_names
from bots.wiki.shutoff import ready_to_edit
from scripts._common import ScriptOptions, create_from_rows, guarded, parse_script_options, run_change, select_pages


def main(*args: str) -> int:
    options = parse_script_options(args, __doc__ or "", ("mapping", "summary"))
    if isinstance(options, int):
        return options
    if not options.one("mapping"):
        pywikibot.error("Name the mapping file: -mapping:FILE (see config/migrate-example.yaml).")
        return BAD_OPTIONS
    try:
        migration = load_migration(Path(options.one("mapping")), options.bot.config.schema)
    except ConfigError as exc:
        pywikibot.error(f"Mapping error: {exc}")
        return BAD_OPTIONS
    return guarded(options, lambda: run(options, migration))


def run(options: ScriptOptions, migration: Migration) -> int:
    config = options.bot.config
    schema = config.schema

    def old_template_pages(site: pywikibot.site.BaseSite) -> Iterable[pywikibot.Page]:
        return itertools.chain.from_iterable(
            infobox_pages(site, t.name, config.pages.namespaces, content=False) for t in migration.templates
        )

    if migration.templates:
        selected = select_pages(options, old_template_pages)
    else:
        selected = select_pages(
            options,
            required="The mapping has a table and no old templates, so there is nothing to look for by default: "
            'name the pages holding the table with page generator options, e.g. -page:"Partnerships list".',
        )
    if isinstance(selected, int):
        return selected
    site = pywikibot.Site()
    if not ready_to_edit(site, config.pages):
        return SWITCHED_OFF
    pages = list(selected)
    names = template_names(site, schema.template, schema.template_aliases)
    code = 0
    if migration.templates:

        def transform(snap: PageSnapshot) -> Outcome:
            return migrate_templates(snap.text, snap.title, migration, schema, names)

        code, _ = run_change(
            site, options, pages, transform, lambda outcome: "Bot: migrate " + ", ".join(outcome.changes)
        )
        if code == SWITCHED_OFF:
            return code
    if migration.table is not None:
        code = max(code, create_from_tables(site, options, migration, pages))
    return code


def create_from_tables(
    site: pywikibot.site.BaseSite, options: ScriptOptions, migration: Migration, pages: list[pywikibot.Page]
) -> int:
    assert migration.table is not None
    rows = []
    issues: list[Issue] = []
    for snap in read_snapshots(pages):
        page_rows, page_issues = table_rows(snap.text, snap.title, migration.table)
        rows += page_rows
        issues += page_issues
    return create_from_rows(
        site,
        options,
        rows,
        migration.table.title,
        lambda new_page: f"Bot: create {options.bot.config.schema.words.noun} page from {new_page.where}",
        problems=issues,
        label="Tables",
    )


def console_main() -> None:
    sys.exit(main(*sys.argv[1:]))


if __name__ == "__main__":
    console_main()
