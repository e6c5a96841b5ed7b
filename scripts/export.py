"""Export every partnership record to CSV and JSON, for a spreadsheet or other analysis. Never edits.

Usage:
    python -m scripts.export -csv:FILE [-json:FILE] [options] [page generator options]

Reads every page that uses the infobox (or the pages of a page generator),
validates each as bots.validate does, and writes one record per page, sorted
by title:
  - CSV: the column `title`, then one column per field of config/schema.yaml;
    lists joined with the field's separator ("; " or ", "), yes/no as words,
    dates as written (YYYY, YYYY-MM or YYYY-MM-DD);
  - JSON: a list of objects with `title` and each field that has a value;
    lists as arrays, yes/no as true/false.
Values are the validated, canonical ones (choice synonyms resolved); a value
that is not valid is left out, and the pages with errors are counted at the end
(bots.validate lists them). scripts.create_pages reads either file back.

A CSV cell that starts like a spreadsheet formula (=, +, -, @, also after
spaces, or a tab or carriage return) gets a ' before it, so that a spreadsheet
shows it instead of running it (=HYPERLINK(...) -> '=HYPERLINK(...)); the JSON
keeps every value exactly. scripts.create_pages takes the ' off again. Both
files are written for their owner alone (mode 600, or less as the umask says).

Options:
    -csv:FILE        write the CSV here (written anew on every run)
    -json:FILE       write the JSON here (at least one of -csv: and -json:)
    -settings:DIR    read schema.yaml and pages.yaml from DIR (default: config/)
It only reads the wiki: there is no -summary:, -simulate and -always change
nothing, and the shutoff page does not stop it.

Page generator options (-page:, -cat:, -prefixindex:, ...) and filters
(-titleregexnot:, ...) choose the pages; the default is every page that uses
the infobox.

Exit codes: 0 done; 1 a file could not be written, or a wiki error; 2 bad
options or configuration. (It never edits, so never 3.)

Examples:
    PYWIKIBOT_DIR=.devwiki/pywikibot python -m scripts.export -csv:partnerships.csv -json:partnerships.json
    PYWIKIBOT_DIR=.devwiki/pywikibot python -m scripts.export -csv:examples.csv -prefixindex:"Partnerships/Example:"
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pywikibot

from bots.cli import BAD_OPTIONS, DONE, REFUSED
from bots.core.pipeline import check_pages
from bots.core.upkeep.rows import records_csv, records_json
from bots.wiki.read import read_snapshots, template_names
from scripts._common import ScriptOptions, guarded, parse_script_options, select_pages


def main(*args: str) -> int:
    options = parse_script_options(args, __doc__ or "", ("csv", "json"), edits=False)
    if isinstance(options, int):
        return options
    if not options.one("csv") and not options.one("json"):
        pywikibot.error("Say where to write: -csv:FILE, -json:FILE or both.")
        return BAD_OPTIONS
    return guarded(options, lambda: run(options))


def run(options: ScriptOptions) -> int:
    schema = options.bot.config.schema
    pages = select_pages(options)
    if isinstance(pages, int):
        return pages
    site = pywikibot.Site()
    names = template_names(site, schema.template, schema.template_aliases)
    checked = check_pages(read_snapshots(pages), schema, names)
    outputs = [(options.one("csv"), records_csv), (options.one("json"), records_json)]
    for target, write in outputs:
        if target:
            try:
                write_private(Path(target), write(checked.records, schema))
            except OSError as exc:
                pywikibot.error(f"{target}: cannot write: {exc.strerror}")
                return REFUSED
            pywikibot.info(f"Wrote {target}")
    with_errors = len({i.page for i in checked.issues if i.severity == "error"})
    pywikibot.info(
        f"Done: {len(checked.records)} records exported"
        + (
            f"; {with_errors} pages have errors, their invalid values are left out (see bots.validate)."
            if with_errors
            else "."
        )
    )
    return DONE


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` for its owner alone: mode 600, or less if the umask takes more away.

    The file is written anew; one that exists already gets that mode too (a regular file:
    not a device such as /dev/stdout). The umask is read by setting it to 077 for an instant,
    so a file that another thread creates then is only ever more private.
    """
    umask = os.umask(0o077)
    os.umask(umask)
    mode = 0o600 & ~umask
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, mode)
    with open(fd, "w", encoding="utf-8", newline="") as out:
        if stat.S_ISREG(os.fstat(fd).st_mode) and stat.S_IMODE(os.fstat(fd).st_mode) != mode:
            os.fchmod(fd, mode)
        out.write(text)


def console_main() -> None:
    sys.exit(main(*sys.argv[1:]))


if __name__ == "__main__":
    console_main()
