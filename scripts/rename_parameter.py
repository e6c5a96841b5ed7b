"""Rename an infobox parameter on every partnership page, e.g. org -> partner.

Usage:
    python -m scripts.rename_parameter -from:OLD -to:NEW [options] [page generator options]

On each page, every infobox parameter named OLD is renamed NEW in place: its
value, its position and the spacing around it stay as they were (padding that
lines the = signs up is kept aligned). Where the page has NEW too:
  - an empty one takes OLD's value, and OLD is removed;
  - equal values: OLD is removed;
  - different values of a list field (partner, type, ...): the items are merged;
  - different values otherwise: a conflict. The page is not changed, and the
    page and both values are reported; fix it by hand and run again.
A comment in a value that is removed or filled in is kept, after the kept value.
Nothing else on a page changes. A second run finds nothing to do.

Options:
    -from:OLD        the parameter name to replace (required)
    -to:NEW          the new name (required); usually a field of config/schema.yaml
    -summary:TEXT    edit summary (default: "Bot: rename infobox parameter OLD → NEW")
    -always          save without asking (needed when run unattended)
    -simulate        show the diffs, save nothing (pywikibot global option)
    -settings:DIR    read schema.yaml and pages.yaml from DIR (default: config/)

Pages: every page that uses the infobox, unless page generator options
(-page:, -cat:, -prefixindex:, ... of pywikibot) choose others; filters such
as -titleregexnot: apply to either.

Exit codes: 0 done; 1 a conflict (pages left as they were) or a wiki error;
2 bad options or configuration; 3 switched off on the wiki.

Examples:
    PYWIKIBOT_DIR=.devwiki/pywikibot python -m scripts.rename_parameter -from:org -to:partner -simulate
    PYWIKIBOT_DIR=.devwiki/pywikibot python -m scripts.rename_parameter -from:org -to:partner -always
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import pywikibot

from bots.cli import BAD_OPTIONS
from bots.core.records.model import PageSnapshot
from bots.core.upkeep.maintenance import Outcome, rename_parameter
from scripts._common import guarded, parse_script_options, run_transform


def main(*args: str) -> int:
    options = parse_script_options(args, __doc__ or "", ("from", "to", "summary"))
    if isinstance(options, int):
        return options
    old, new = options.one("from").strip(), options.one("to").strip()
    if not old or not new:
        pywikibot.error("Give the parameter to rename and its new name: -from:OLD -to:NEW.")
        return BAD_OPTIONS
    schema = options.bot.config.schema
    if schema.field_for_parameter(new) is None:
        pywikibot.warning(
            f"{new!r} is not a parameter of {options.bot.config.files.schema}: the infobox will not show it."
        )

    def make_transform(names: list[str]) -> Callable[[PageSnapshot], Outcome]:
        return lambda snap: rename_parameter(snap.text, snap.title, names, old, new, schema)

    return guarded(
        options,
        lambda: run_transform(options, make_transform, lambda _: f"Bot: rename infobox parameter {old} → {new}"),
    )


def console_main() -> None:
    sys.exit(main(*sys.argv[1:]))


if __name__ == "__main__":
    console_main()
