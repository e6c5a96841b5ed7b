"""Write infobox values in the schema's canonical forms, touching nothing else on the page.

Usage:
    python -m scripts.normalise [options] [page generator options]

For each infobox parameter of config/schema.yaml:
  - choice values: a synonym or label becomes the canonical value
    (type = Content sources, tech  ->  type = content, technology; lead = WMF  ->  foundation);
  - yes/no: Y, true, 1, No, ... become yes or no;
  - dates: 2009/4/22, 22.04.2009, April 2009, 22 April 2009, April 22, 2009 become
    ISO (2009-04-22, 2009-04); a day/month order that cannot be told (04/05/2009)
    is not guessed;
  - lists: written with the field's separator ("; " or ", "), bullets and line
    breaks included, without repeated items.
Only the value's text changes: the whitespace around it, the parameter's name,
its position and the rest of the page stay byte for byte. A value that cannot
be normalised (an unknown word, a date that cannot be read, markup such as a
comment inside it) is left as it is and reported. A second run finds nothing to do.

Options:
    -field:NAME      only this field (repeat for several); default: every field
    -summary:TEXT    edit summary (default: "Bot: normalise infobox values (FIELDS)")
    -always          save without asking (needed when run unattended)
    -simulate        show the diffs, save nothing (pywikibot global option)
    -settings:DIR    read schema.yaml and pages.yaml from DIR (default: config/)

Pages: every page that uses the infobox, unless page generator options
(-page:, -cat:, -prefixindex:, ...) choose others.

Exit codes: 0 done, every value read is canonical now; 1 a value could not be
normalised (left as written, listed; the page's other values are saved) or a
wiki error; 2 bad options or configuration; 3 switched off on the wiki.

Examples:
    PYWIKIBOT_DIR=.devwiki/pywikibot python -m scripts.normalise -simulate
    PYWIKIBOT_DIR=.devwiki/pywikibot python -m scripts.normalise -field:type -field:lead -always
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import pywikibot

from bots.cli import BAD_OPTIONS
from bots.core.records.model import PageSnapshot
from bots.core.upkeep.maintenance import Outcome, normalise
from scripts._common import guarded, parse_script_options, run_transform


def main(*args: str) -> int:
    options = parse_script_options(args, __doc__ or "", ("field", "summary"))
    if isinstance(options, int):
        return options
    schema = options.bot.config.schema
    fields = tuple(options.own.get("field", []))
    for name in fields:
        if name not in {spec.name for spec in schema.fields}:
            pywikibot.error(f"-field:{name}: no such field; fields: {', '.join(s.name for s in schema.fields)}.")
            return BAD_OPTIONS

    def make_transform(names: list[str]) -> Callable[[PageSnapshot], Outcome]:
        return lambda snap: normalise(snap.text, snap.title, names, schema, fields)

    def summary(outcome: Outcome) -> str:
        return f"Bot: normalise infobox values ({', '.join(outcome.changes)})"

    return guarded(options, lambda: run_transform(options, make_transform, summary))


def console_main() -> None:
    sys.exit(main(*sys.argv[1:]))


if __name__ == "__main__":
    console_main()
