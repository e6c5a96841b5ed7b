"""The main job over a MediaWiki XML dump, with no wiki at all: generated pages go to a folder.

Usage:
    python -m bots.offline -dump:FILE -out:DIR [-settings:DIR]

Reads the latest revision of every page of the dump (.xml, .xml.bz2, .xml.gz,
as Special:Export or the dumps site give them) that calls the infobox, under
its name, a configured alias or a redirect found in the dump; checks them
against config/schema.yaml, fills the volunteers' lists ({{Partnership list}})
on the dump's pages of the lists: namespaces, and renders the pages of
config/pages.yaml exactly as bots.update would. Each generated page is written
to DIR as <title>.wikitext (slashes become " ∕ "): the whole page, with the
bot-owned region replaced, when the dump holds the page, else the region alone.
Each page of the dump that holds lists is written there too, whole, with every
list filled as bots.lists would save it; a page the bot would leave alone (a
list without its end template, or one the mass-removal guard holds back) is
not written, and its problem is in problems.json, with every other problem
found (bad queries included). For previews of a schema or template change, and
for analysis of a whole wiki's dump. Nothing is sent to any wiki.

Exit codes: 0 done (problems in records are not failures); 1 the dump cannot be
read; 2 bad options or configuration.

Example:
    python -m bots.offline -dump:strategywiki-latest-pages-articles.xml.bz2 -out:preview
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict
from pathlib import Path

import mwparserfromhell

from bots.config import DEFAULT_CONFIG_DIR
from bots.core.links.states import lookup_from_states, states_from_snapshots
from bots.core.lists.fill import (
    ListNames,
    PagePlan,
    end_template_name,
    holds_list,
    list_plan,
    list_template_name,
    listable,
    listed_marks,
    with_issues,
)
from bots.core.pages.markers import RegionError
from bots.core.pages.regions import replace_region
from bots.core.pages.subpages import current_regions
from bots.core.pipeline import Checked, Config, check_pages, render_generated
from bots.core.records.model import PageSnapshot
from bots.core.records.parse import ParsedPage, TooComplex, bounded_parse, parse_page
from bots.exit_codes import BAD_OPTIONS, DONE, REFUSED

TEMPLATE_NS = "10"


def main(*args: str) -> int:
    # No wiki, so no user-config.py: said before pywikibot (its dump reader, its messages) is first imported,
    # here or in the functions below, since it reads the setting once, as it loads.
    os.environ["PYWIKIBOT_NO_USER_CONFIG"] = "2"
    import pywikibot

    from bots.cli import OwnOptions, help_shown, parse_own, settings

    if help_shown(args, __doc__ or ""):
        return DONE
    # pywikibot's global options are not handled: they are about a wiki, and there is none.
    values = parse_own(args, OwnOptions(values={"-dump": (), "-out": (), "-settings": ()}))
    if isinstance(values, str):
        pywikibot.error(values)
        return BAD_OPTIONS
    dump, out = values.path("-dump"), values.path("-out")
    if dump is None or out is None:
        pywikibot.error("Give -dump:FILE and -out:DIR (and -settings:DIR if you like). Run with -help for more.")
        return BAD_OPTIONS
    config = settings(values.path("-settings") or DEFAULT_CONFIG_DIR)
    if config is None:
        return BAD_OPTIONS
    if not dump.is_file():
        pywikibot.error(f"Cannot read the dump {dump}: no such file.")
        return REFUSED
    return run(config, dump, out)


def run(config: Config, dump: Path, out: Path) -> int:
    import pywikibot  # after main()

    started = time.monotonic()
    entries = list(read_dump(dump))
    names = template_names(entries, config.schema.template, config.schema.template_aliases)
    namespaces = {str(n) for n in config.pages.namespaces}
    list_namespaces = {str(n) for n in config.pages.lists.namespaces}
    # each page is parsed once: to know whether it calls the infobox, and then to read it
    read = {
        snap: page
        for ns, snap, redirect in entries
        if ns in namespaces and not redirect and (page := parse_calling(snap, names)) is not None
    }
    snapshots = list(read)
    # Links are checked against the dump itself: a page it does not hold counts as missing.
    lookup = lookup_from_states(states_from_snapshots(snap for _, snap, _ in entries))
    roles = config.pages.crosslink.fields
    checked = check_pages(snapshots, config.schema, names, lookup, roles, every_record=True, parsed=read)
    fill_lists = list_filler(config, checked, entries)
    list_pages = [fill_lists(snap) for ns, snap, redirect in entries if ns in list_namespaces and not redirect]
    plans = [plan for plan in list_pages if plan is not None]
    checked = with_issues(checked, (issue for plan in plans for issue in plan.issues))
    prefix, start = config.pages.crosslink.recommendation_prefix, config.pages.region_start
    region_pages = [snap for _, snap, _ in entries if prefix and snap.title.startswith(prefix) and start in snap.text]
    texts = {snap.title: snap.text for _, snap, _ in entries}
    updated = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    bodies = render_generated(checked, config, updated, region_pages, current_regions(texts, config.pages))
    out.mkdir(parents=True, exist_ok=True)
    region_alone: set[str] = set()
    for title, (body, _summary) in bodies.items():
        try:
            texts[title] = replace_region(
                texts.get(title, ""), body, config.pages.region_start, config.pages.region_end
            )
        except RegionError as exc:
            pywikibot.warning(f"[[{title}]] in the dump: {exc} Writing the region alone.")
            region_alone.add(title)
            texts[title] = body
        (out / file_name(title)).write_text(texts[title], encoding="utf-8")
    filled = 0
    for plan in plans:
        if plan.title in region_alone:
            continue
        if plan.title in bodies and plan.text is not None:
            # a generated page with lists: bots.update fills them after it saves the region
            plan = fill_lists(PageSnapshot(plan.title, texts[plan.title])) or plan
        if plan.text is None:
            continue  # left alone, as bots.lists would: its problem is in problems.json
        (out / file_name(plan.title)).write_text(plan.text, encoding="utf-8")
        filled += 1
    (out / "problems.json").write_text(
        json.dumps([asdict(issue) for issue in checked.issues], ensure_ascii=False, indent=1), encoding="utf-8"
    )
    pywikibot.info(
        f"Done in {time.monotonic() - started:.1f} s: {len(entries)} pages in the dump, {len(snapshots)} with the "
        f"infobox, {len(checked.records)} records, {len(checked.issues)} problems ({checked.errors} errors); "
        f"{len(bodies)} generated pages and {filled} pages with their lists filled written to {out}/"
    )
    return DONE


def read_dump(path: Path) -> Iterator[tuple[str, PageSnapshot, bool]]:
    """(namespace, snapshot, is a redirect) of the latest revision of each page in the dump."""
    from pywikibot.xmlreader import XmlDump  # after main()

    for entry in XmlDump(str(path), revisions="latest").parse():
        yield (
            entry.ns,
            PageSnapshot(title=entry.title, text=entry.text or "", revid=int(entry.revisionid), pageid=int(entry.id)),
            entry.isredirect,
        )


def template_names(
    entries: Iterable[tuple[str, PageSnapshot, bool]], template: str, aliases: Iterable[str]
) -> list[str]:
    """The infobox's name, its aliases, and the templates in the dump that redirect to it."""
    names = [template, *aliases]
    target = mwparserfromhell.parse(f"[[Template:{template}]]").filter_wikilinks()[0].title
    for ns, snap, redirect in entries:
        if ns != TEMPLATE_NS or not redirect:
            continue
        try:
            links = bounded_parse(snap.text).filter_wikilinks()
        except TooComplex:
            continue
        if links and links[0].title.matches(str(target)):
            name = snap.title.split(":", 1)[1]
            if name not in names:
                names.append(name)
    return names


def list_filler(
    config: Config, checked: Checked, entries: list[tuple[str, PageSnapshot, bool]]
) -> Callable[[PageSnapshot], PagePlan | None]:
    """Fills a page's lists from ``checked``'s records as bots.lists does (None: the page holds no list).

    The list templates go by the names the dump gives them (their own and every redirect).
    """
    schema = config.schema
    start, end = list_template_name(schema), end_template_name(schema)
    names = ListNames(tuple(template_names(entries, start, ())), tuple(template_names(entries, end, ())))
    records = listable(checked)
    marks = listed_marks(checked, config.pages, schema)
    env = config.environment()

    def fill(snapshot: PageSnapshot) -> PagePlan | None:
        if not holds_list(snapshot.text, names):
            return None
        share, limit = config.pages.max_removed_share, config.pages.max_page_bytes
        return list_plan(snapshot, records, schema, env, names, share, max_bytes=limit, marks=marks)

    return fill


def parse_calling(snap: PageSnapshot, names: list[str]) -> ParsedPage | None:
    """The page parsed, if MediaWiki would list it as transcluding the infobox (as bots.update reads them).

    None if it would not.
    """
    lowered = snap.text.lower()
    if not any(name.lower() in lowered for name in names):  # cheap: most pages of a whole-wiki dump
        return None
    parsed = parse_page(snap, names)
    return parsed if parsed.infoboxes or parsed.too_complex else None  # too complex: read, so that it is reported


def file_name(title: str) -> str:
    return title.replace("/", " ∕ ") + ".wikitext"


def console_main() -> None:
    sys.exit(main(*sys.argv[1:]))


if __name__ == "__main__":
    console_main()
