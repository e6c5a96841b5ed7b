"""Create partnership pages in bulk from a CSV or YAML file; existing pages are never overwritten.

Usage:
    python -m scripts.create_pages -file:FILE [options]

The file holds one partnership per row:
  - CSV: a header line of infobox parameters (fields or aliases of
    config/schema.yaml) and optionally `title`; one row per page. Lists are
    written with their separator (partner: "Kiwix; Orange"). scripts.export's
    CSV reads back as it is: a cell it kept from running as a spreadsheet
    formula ('=..., '+..., '-..., '@...) loses that first '.
  - YAML or JSON (.yaml, .yml, .json): a list of mappings of parameter: value
    (optionally under `pages:`); lists may be YAML lists, yes/no booleans.
    scripts.export's JSON reads back as it is.
The page title is the row's `title`, or else the -title: pattern filled in
from the row (default "Partnerships/{name}").

Every row is checked first with the validator, as bots.validate checks pages,
and against the wiki's pages (a name must be unique). A row with any problem
is reported with its file and line, the field and what would be valid, and is
not created; the valid rows are. A page that exists already is left alone, so a
second run creates nothing. Each new page holds the infobox with the row's
values as written.

Options:
    -file:FILE       the CSV or YAML file (required)
    -title:PATTERN   title of each page, from its fields (default: Partnerships/{name}: the
                     plural of the schema's words: and the name)
    -summary:TEXT    edit summary (default: "Bot: create partnership page from FILE")
    -always          save without asking (needed when run unattended)
    -simulate        show the pages, save nothing (pywikibot global option)
    -settings:DIR    read schema.yaml and pages.yaml from DIR (default: config/)
The pages are the file's rows, so page generator options (-page:, -cat:, ...)
are refused.

Exit codes: 0 done; 1 some rows were invalid (not created) or a page could not
be saved; 2 bad options, configuration or an unreadable file; 3 switched off
on the wiki.

Examples:
    PYWIKIBOT_DIR=.devwiki/pywikibot python -m scripts.create_pages -file:new-partnerships.csv -simulate
    PYWIKIBOT_DIR=.devwiki/pywikibot python -m scripts.create_pages -file:new-partnerships.yaml -always
"""

from __future__ import annotations

import sys
from pathlib import Path

import pywikibot

from bots.cli import BAD_OPTIONS, SWITCHED_OFF
from bots.config import read_yaml
from bots.core.records.schema import Schema
from bots.core.settings.yaml_doc import ConfigError
from bots.core.upkeep.rows import Row, RowsError, default_title_pattern, rows_from_csv, rows_from_yaml
from bots.wiki.shutoff import ready_to_edit
from scripts._common import ScriptOptions, create_from_rows, guarded, parse_script_options


def read_rows(path: Path, schema: Schema) -> list[Row]:
    """Rows of a .csv, .yaml, .yml or .json file; RowsError or ConfigError if it cannot be read."""
    if path.suffix.lower() == ".csv":
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise RowsError(f"{path}: cannot read: {exc.strerror}") from exc
        return rows_from_csv(text, str(path), schema)
    if path.suffix.lower() in (".yaml", ".yml", ".json"):
        return rows_from_yaml(read_yaml(path), schema)
    raise RowsError(f"{path}: unknown kind of file; use .csv, .yaml, .yml or .json")


def main(*args: str) -> int:
    options = parse_script_options(args, __doc__ or "", ("file", "title", "summary"))
    if isinstance(options, int):
        return options
    if options.generator_args:
        pywikibot.error(
            f"Unknown option {options.generator_args[0]!r}: the pages to create are the rows of -file:, "
            "so page generator options do not apply. Run with -help to see the options."
        )
        return BAD_OPTIONS
    if not options.one("file"):
        pywikibot.error("Name the file to read: -file:FILE (.csv, .yaml, .yml or .json).")
        return BAD_OPTIONS
    path = Path(options.one("file"))
    try:
        rows = read_rows(path, options.bot.config.schema)
    except (RowsError, ConfigError) as exc:
        pywikibot.error(str(exc))
        return BAD_OPTIONS
    return guarded(options, lambda: run(options, path, rows))


def run(options: ScriptOptions, path: Path, rows: list[Row]) -> int:
    site = pywikibot.Site()
    if not ready_to_edit(site, options.bot.config.pages):
        return SWITCHED_OFF
    return create_from_rows(
        site,
        options,
        rows,
        options.one("title", default_title_pattern(options.bot.config.schema.words)),
        lambda _: f"Bot: create {options.bot.config.schema.words.noun} page from {path.name}",
    )


def console_main() -> None:
    sys.exit(main(*sys.argv[1:]))


if __name__ == "__main__":
    console_main()
