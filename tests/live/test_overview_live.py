"""The overview page answers the task force's seven guiding questions from the records on the wiki.

Right after a run of the main job, the pages that carry the infobox are read from the wiki
(through the API, not pywikibot) and checked with the pure core, as the bot checks them;
what each section must say is computed from those records with plain Python, not with the
page templates or their helpers. Every link to a record is compared, whoever wrote the
record (the seed or another live test), so no record can drop out of the comparison unseen.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

import pytest

from bots.config import load_config
from bots.core.pages.render import escape_wikitext
from bots.core.pipeline import check_pages
from bots.core.records.model import Partnership
from tests.live.conftest import LiveWiki, output

CONFIG = load_config()
SCHEMA = CONFIG.schema
TITLE = CONFIG.pages.title_of("overview")
#: A link to a page; a value's problem mark (a link to the report, issue 18) is not one to a record.
LINK = re.compile(r"\[\[:(?!" + re.escape(CONFIG.pages.title_of("report")) + r")([^|\]]+)\|")


@dataclass(frozen=True)
class Overview:
    """The overview after a run, and the records it was made from."""

    text: str
    #: Question number -> the wikitext of its section.
    sections: dict[int, str]
    #: The title of every record read, valid or not: the links that are compared.
    records: frozenset[str]
    #: Every record, those with errors too (issue 18): the ones the overview counts.
    valid: list[Partnership]


@pytest.fixture(scope="module")
def overview(wiki: LiveWiki) -> Overview:
    result = wiki.run("bots.update", "-always")
    assert result.returncode == 0, output(result)
    snapshots = wiki.api.transcluding(SCHEMA.template, CONFIG.pages.namespaces)
    checked = check_pages(snapshots, SCHEMA, SCHEMA.template_names)
    broken = {i.page for i in checked.issues if i.severity == "error"}
    valid = list(checked.records)  # records with errors are counted too (issue 18)
    assert valid and broken & {r.title for r in valid}, "the seed has records with errors, and they are listed"
    text = wiki.api.text(TITLE)
    parts = re.split(r"^<h2>(\d)\. .*</h2>$", text, flags=re.M)
    found = {int(number): body for number, body in zip(parts[1::2], parts[2::2], strict=True)}
    assert sorted(found) == list(range(1, 8)), f"{TITLE} should have one section per guiding question"
    return Overview(text, found, frozenset(r.title for r in checked.records), valid)


@pytest.fixture(scope="module")
def sections(overview: Overview) -> dict[int, str]:
    return overview.sections


@pytest.fixture(scope="module")
def valid(overview: Overview) -> list[Partnership]:
    return overview.valid


@pytest.fixture(scope="module")
def records(overview: Overview) -> frozenset[str]:
    return overview.records


def linked(text: str, records: Iterable[str]) -> set[str]:
    """The records that ``text`` links to (links to other pages, such as the generated ones, left out)."""
    return set(LINK.findall(text)) & set(records)


def lines_by_title(section: str) -> dict[str, str]:
    """The list items of a section, by the page each one links first."""
    found = {}
    for line in section.split("\n"):
        match = re.match(r"\* \[\[:([^|\]]+)\|", line)
        if match:
            found[match.group(1)] = line
    return found


def table_rows(section: str, which: int = 0) -> list[list[str]]:
    """The cells of each data row of the section's ``which``-th table (header row left out)."""
    body = section.split("{|")[which + 1].split("\n|}")[0]
    rows = []
    for row in body.split("\n|-\n")[1:]:
        cells: list[str] = []
        for line in row.split("\n"):
            if line[:1] in ("|", "!"):
                cells.extend(cell.strip() for cell in re.split(r"\|\||!!", line[1:]))
            elif line:
                cells[-1] += "\n" + line
        rows.append(cells)
    return rows


def test_the_page_counts_the_valid_records(overview: Overview) -> None:
    intro = overview.text.split("\n<h2>1.")[0]
    assert f"'''{len(overview.valid)}''' partnerships" in intro
    assert linked(intro, overview.records) == set()


def test_the_page_has_the_seven_questions_and_its_links_are_pages(wiki: LiveWiki, sections: dict[int, str]) -> None:
    # The status page the overview shows is written at the end of the run that saved the overview;
    # the wiki's job queue re-renders pages that link to a new page, a purge does it at once.
    wiki.api.call(post=True, action="purge", titles=TITLE)
    parsed = wiki.api.parse(TITLE)
    headings = [s["line"] for s in parsed["sections"] if s["level"] == "2"]
    assert [h.split(".")[0] for h in headings] == [str(n) for n in range(1, 8)]
    missing = [link["title"] for link in parsed["links"] if not link["exists"]]
    assert missing == []


def test_1_assets_named(sections: dict[int, str], valid: list[Partnership], records: frozenset[str]) -> None:
    expected = {r.title: r for r in valid if r.text("assets")}
    assert expected
    lines = lines_by_title(sections[1])
    assert linked(sections[1], records) == set(expected)
    for title, record in expected.items():
        assert escape_wikitext(record.text("assets")) in lines[title]


def test_2_counts_by_type(sections: dict[int, str], valid: list[Partnership], records: frozenset[str]) -> None:
    rows = {row[0]: row for row in table_rows(sections[2])}
    spec = SCHEMA.field("type")
    assert list(rows) == [choice.label for choice in spec.choices]
    for choice in spec.choices:
        _, count, names = rows[choice.label]
        expected = {r.title for r in valid if choice.name in r.items("type")}
        assert linked(names, records) == expected, choice.name
        assert int(count) == len(expected) == len(LINK.findall(names))


def test_3_best_practice_examples_with_their_lessons(
    sections: dict[int, str], valid: list[Partnership], records: frozenset[str]
) -> None:
    models_part, others_part = sections[3].split("<h3>Other lessons</h3>")
    models = {r.title: r for r in valid if r.values.get("best_practice") is True}
    others = {r.title: r for r in valid if r.text("lessons") and r.values.get("best_practice") is not True}
    assert models and others
    assert linked(models_part, records) == set(models)
    assert linked(others_part, records) == set(others)
    lines = lines_by_title(sections[3])
    for title, record in {**models, **others}.items():
        if record.text("lessons"):
            assert escape_wikitext(record.text("lessons")) in lines[title]


def test_4_the_critical_ones(sections: dict[int, str], valid: list[Partnership], records: frozenset[str]) -> None:
    critical = [r for r in valid if r.values.get("critical") is True]
    assert critical
    assert linked(sections[4], records) == {r.title for r in critical}
    rows = {row[0]: row for row in table_rows(sections[4])}
    for choice in SCHEMA.field("type").choices:
        expected = {r.title for r in critical if choice.name in r.items("type")}
        if expected:
            assert linked(rows[choice.label][2], records) == expected
            assert int(rows[choice.label][1]) == len(expected) == len(LINK.findall(rows[choice.label][2]))


def test_5_who_leads_what_by_type(sections: dict[int, str], valid: list[Partnership], records: frozenset[str]) -> None:
    types, leads = SCHEMA.field("type").choices, SCHEMA.field("lead").choices
    rows = table_rows(sections[5])
    assert [row[0] for row in rows] == [t.label for t in types] + ["All types"]
    columns: dict[int, set[str]] = {}
    for type_, row in zip(types, rows, strict=False):
        assert len(row) == 1 + len(leads)
        for column, (lead, cell) in enumerate(zip(leads, row[1:], strict=True)):
            expected = {r.title for r in valid if type_.name in r.items("type") and r.text("lead") == lead.name}
            assert linked(cell, records) == expected, (type_.name, lead.name)
            columns.setdefault(column, set()).update(expected)
    totals = [int(cell.strip("'")) for cell in rows[-1][1:]]
    assert totals == [len(columns.get(column, set())) for column in range(len(leads))]
    chapters = {r.text("chapter") for r in valid if r.text("chapter")}
    assert chapters
    chapter_part = sections[5].split("<h3>Chapters</h3>")[1]
    for chapter in chapters:
        (line,) = [line for line in chapter_part.split("\n") if line.startswith(f"* {escape_wikitext(chapter)}:")]
        assert linked(line, records) == {r.title for r in valid if r.text("chapter") == chapter}


def test_6_support_asked_for(sections: dict[int, str], valid: list[Partnership], records: frozenset[str]) -> None:
    expected = {r.title: r for r in valid if r.text("support")}
    assert expected
    assert linked(sections[6], records) == set(expected)
    lines = lines_by_title(sections[6])
    for title, record in expected.items():
        assert escape_wikitext(record.text("support")) in lines[title]


def test_7_partners_and_who_works_with_them(
    sections: dict[int, str], valid: list[Partnership], records: frozenset[str]
) -> None:
    rows = {html.unescape(row[0]).casefold(): row for row in table_rows(sections[7])}
    partners: dict[str, list[Partnership]] = {}
    for record in valid:
        for partner in record.items("partner"):
            partners.setdefault(partner.casefold(), []).append(record)
    assert any(len(together) > 1 for together in partners.values())
    assert set(rows) == set(partners)
    for partner, together in partners.items():
        _, names, leads = rows[partner]
        assert linked(names, records) == {r.title for r in together}, partner
        for record in together:
            assert SCHEMA.field("lead").label_of(record.text("lead")) in leads
