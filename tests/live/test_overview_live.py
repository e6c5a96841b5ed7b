"""The overview page answers the task force's seven guiding questions from the seeded records.

What each section must say is computed here from config/devwiki-seed.yaml (records read
with the pure core, as tests/test_seed_expectations.py checks them), with plain Python
over the records, not with the page templates or their helpers. Only links to seeded
pages that are still as seeded are compared, so pages that other live tests add or change
do not disturb these checks; counts are checked against the links they count.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any

import pytest

from bots.core.model import PageSnapshot, Partnership
from bots.core.pipeline import check_pages, load_config
from bots.core.render import escape_wikitext
from tests.live.conftest import LiveWiki, output

CONFIG = load_config()
SCHEMA = CONFIG.schema
TITLE = CONFIG.pages.title_of("overview")
LINK = re.compile(r"\[\[:([^|\]]+)\|")


@pytest.fixture(scope="module")
def valid(seed: list[dict[str, Any]]) -> list[Partnership]:
    """The seeded records without errors: the ones the overview counts."""
    snaps = [PageSnapshot(page["title"], page["text"], pageid=i + 1) for i, page in enumerate(seed)]
    checked = check_pages(snaps, SCHEMA, SCHEMA.template_names)
    broken = {i.page for i in checked.issues if i.severity == "error"}
    records = [r for r in checked.records if r.title not in broken]
    assert len(records) >= 20
    return records


@pytest.fixture(scope="module")
def seeded(wiki: LiveWiki, seed: list[dict[str, Any]]) -> frozenset[str]:
    """The seeded pages still as seeded (another test may have changed one): the ones compared."""
    unchanged = frozenset(
        page["title"] for page in seed if wiki.api.text(page["title"]).rstrip() == page["text"].rstrip()
    )
    assert len(unchanged) >= len(seed) // 2
    return unchanged


@pytest.fixture(scope="module")
def sections(wiki: LiveWiki) -> dict[int, str]:
    """Question number -> the wikitext of its section, after a run of the main job."""
    result = wiki.run("bots.update", "-always")
    assert result.returncode == 0, output(result)
    text = wiki.api.text(TITLE)
    parts = re.split(r"^== (\d)\. .* ==$", text, flags=re.M)
    found = {int(number): body for number, body in zip(parts[1::2], parts[2::2])}
    assert sorted(found) == list(range(1, 8)), f"{TITLE} should have one section per guiding question"
    return found


def linked(text: str, seeded: Iterable[str]) -> set[str]:
    return set(LINK.findall(text)) & set(seeded)


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


def test_the_page_has_the_seven_questions_and_its_links_are_pages(wiki: LiveWiki, sections: dict[int, str]) -> None:
    parsed = wiki.api.parse(TITLE)
    headings = [s["line"] for s in parsed["sections"] if s["level"] == "2"]
    assert [h.split(".")[0] for h in headings] == [str(n) for n in range(1, 8)]
    missing = [link["title"] for link in parsed["links"] if not link["exists"]]
    assert missing == []


def test_1_assets_named(sections: dict[int, str], valid: list[Partnership], seeded: frozenset[str]) -> None:
    expected = {r.title: r for r in valid if r.text("assets")}
    assert expected
    lines = lines_by_title(sections[1])
    assert linked(sections[1], seeded) == set(expected)
    for title, record in expected.items():
        assert escape_wikitext(record.text("assets")) in lines[title]


def test_2_counts_by_type(sections: dict[int, str], valid: list[Partnership], seeded: frozenset[str]) -> None:
    rows = {row[0]: row for row in table_rows(sections[2])}
    spec = SCHEMA.field("type")
    assert list(rows) == [choice.label for choice in spec.choices]
    for choice in spec.choices:
        _, count, names = rows[choice.label]
        assert linked(names, seeded) == {r.title for r in valid if choice.name in r.items("type")}, choice.name
        assert int(count) == len(LINK.findall(names))


def test_3_best_practice_examples_with_their_lessons(
    sections: dict[int, str], valid: list[Partnership], seeded: frozenset[str]
) -> None:
    models_part, others_part = sections[3].split("=== Other lessons ===")
    models = {r.title: r for r in valid if r.values.get("best_practice") is True}
    others = {r.title: r for r in valid if r.text("lessons") and r.values.get("best_practice") is not True}
    assert models and others
    assert linked(models_part, seeded) == set(models)
    assert linked(others_part, seeded) == set(others)
    lines = lines_by_title(sections[3])
    for title, record in {**models, **others}.items():
        if record.text("lessons"):
            assert escape_wikitext(record.text("lessons")) in lines[title]


def test_4_the_critical_ones(sections: dict[int, str], valid: list[Partnership], seeded: frozenset[str]) -> None:
    critical = [r for r in valid if r.values.get("critical") is True]
    assert critical
    assert linked(sections[4], seeded) == {r.title for r in critical}
    rows = {row[0]: row for row in table_rows(sections[4])}
    for choice in SCHEMA.field("type").choices:
        expected = {r.title for r in critical if choice.name in r.items("type")}
        if expected:
            assert linked(rows[choice.label][2], seeded) == expected
            assert int(rows[choice.label][1]) == len(LINK.findall(rows[choice.label][2]))


def test_5_who_leads_what_by_type(sections: dict[int, str], valid: list[Partnership], seeded: frozenset[str]) -> None:
    types, leads = SCHEMA.field("type").choices, SCHEMA.field("lead").choices
    rows = table_rows(sections[5])
    assert [row[0] for row in rows] == [t.label for t in types] + ["All types"]
    columns: dict[int, set[str]] = {}
    for type_, row in zip(types, rows):
        assert len(row) == 1 + len(leads)
        for column, (lead, cell) in enumerate(zip(leads, row[1:])):
            expected = {r.title for r in valid if type_.name in r.items("type") and r.text("lead") == lead.name}
            assert linked(cell, seeded) == expected, (type_.name, lead.name)
            columns.setdefault(column, set()).update(LINK.findall(cell))
    totals = [int(cell.strip("'")) for cell in rows[-1][1:]]
    assert totals == [len(columns[column]) for column in range(len(leads))]
    chapters = {r.text("chapter") for r in valid if r.text("chapter")}
    assert chapters
    chapter_part = sections[5].split("=== Chapters ===")[1]
    for chapter in chapters:
        (line,) = [line for line in chapter_part.split("\n") if line.startswith(f"* {escape_wikitext(chapter)}:")]
        assert linked(line, seeded) == {r.title for r in valid if r.text("chapter") == chapter}


def test_6_support_asked_for(sections: dict[int, str], valid: list[Partnership], seeded: frozenset[str]) -> None:
    expected = {r.title: r for r in valid if r.text("support")}
    assert expected
    assert linked(sections[6], seeded) == set(expected)
    lines = lines_by_title(sections[6])
    for title, record in expected.items():
        assert escape_wikitext(record.text("support")) in lines[title]


def test_7_partners_and_who_works_with_them(
    sections: dict[int, str], valid: list[Partnership], seeded: frozenset[str]
) -> None:
    rows = {html.unescape(row[0]).casefold(): row for row in table_rows(sections[7])}
    partners: dict[str, list[Partnership]] = {}
    for record in valid:
        for partner in record.items("partner"):
            partners.setdefault(partner.casefold(), []).append(record)
    assert any(len(records) > 1 for records in partners.values())
    for partner, records in partners.items():
        _, names, leads = rows[partner]
        assert linked(names, seeded) == {r.title for r in records}, partner
        for record in records:
            assert SCHEMA.field("lead").label_of(record.text("lead")) in leads
