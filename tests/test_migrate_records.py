"""Pure tests of migration (mapping file, old templates, tables) and of bulk rows in and records out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bots.config import DEFAULT_CONFIG_DIR, load_config, load_migration
from bots.core.pipeline import check_pages
from bots.core.records.model import PageSnapshot, Place
from bots.core.settings.yaml_doc import ConfigError, parse_yaml
from bots.core.upkeep.migrate import migrate_templates, migration_from, table_rows
from bots.core.upkeep.rows import (
    RowsError,
    plan_new_pages,
    records_csv,
    records_json,
    rows_from_csv,
    rows_from_yaml,
)
from tests.seedpages import infobox_pages, load_seed

SCHEMA = load_config().schema
NAMES = list(SCHEMA.template_names)
MIGRATION = load_migration(DEFAULT_CONFIG_DIR / "migrate-example.yaml", SCHEMA)

OLD = """Intro.
{{Partner project
| title        = Wikipedia Loves Libraries
| organisation = Public libraries
| kind         = outreach
| led by       = volunteers
| state        = active
| image        = Library.jpg
}}
'''Wikipedia Loves Libraries''' is a series of events.
"""

MIGRATED = """Intro.
{{Partnership
| name         = Wikipedia Loves Libraries
| partner      = Public libraries
| type         = outreach
| lead         = volunteers
| status       = active
}}
'''Wikipedia Loves Libraries''' is a series of events.
"""


def test_example_mapping_loads() -> None:
    assert MIGRATION.templates[0].name == "Partner project"
    assert MIGRATION.table is not None and MIGRATION.table.title == "Partnerships/{name}"


def test_migrate_rewrites_the_old_template_in_place() -> None:
    outcome = migrate_templates(OLD, "P", MIGRATION, SCHEMA, NAMES)
    assert outcome.text == MIGRATED
    assert outcome.changes == ("{{Partner project}} → {{Partnership}}",)
    assert migrate_templates(MIGRATED, "P", MIGRATION, SCHEMA, NAMES).text == MIGRATED


def test_migrate_refuses_a_parameter_that_is_neither_mapped_nor_dropped() -> None:
    text = OLD.replace("| image", "| budget       = 10k\n| image")
    outcome = migrate_templates(text, "Partnerships/X", MIGRATION, SCHEMA, NAMES)
    assert outcome.text == text
    assert [(i.page, i.field, i.code, i.message) for i in outcome.issues] == [
        (
            "Partnerships/X",
            "budget",
            "not-migrated",
            "{{Partner project}}'s parameters budget are not in the mapping: add each to its `parameters` "
            "(to carry it over) or to its `drop` list (to leave its value behind). The page was not changed.",
        )
    ]


def test_migrate_refuses_a_page_that_has_the_infobox_already() -> None:
    text = OLD + "{{Partnership|name=Other}}\n"
    outcome = migrate_templates(text, "P", MIGRATION, SCHEMA, NAMES)
    assert outcome.text == text
    assert outcome.issues[0].message == (
        "The page has both {{Partner project}} and the {{Partnership}} infobox. The page was not changed."
    )


def test_migrate_reports_a_conflict_between_two_old_parameters() -> None:
    doc = parse_yaml(
        "templates:\n  Partner project:\n    parameters: {title: name, label: name, organisation: partner,"
        " kind: type, led by: lead, state: status}\n    drop: [image]\n",
        "m.yaml",
    )
    migration = migration_from(doc, SCHEMA)
    text = OLD.replace("| image", "| label        = WLL\n| image")
    outcome = migrate_templates(text, "P", migration, SCHEMA, NAMES)
    assert outcome.text == text
    assert outcome.issues[0].code == "rename-conflict"
    assert "name = “Wikipedia Loves Libraries” and label = “WLL”" in outcome.issues[0].message


@pytest.mark.parametrize(
    ("yaml_text", "error"),
    [
        (
            "templates:\n  Old:\n    parameters:\n      org: partnr\n",
            "m.yaml, line 4: templates.Old.parameters.org: 'partnr' is not a parameter of {{Partnership}}. "
            "Did you mean “partner”?",
        ),
        (
            "templates:\n  Old:\n    parameters: {org: partner}\n    drop: [org]\n",
            "m.yaml, line 4: templates.Old.drop: 'org' is both mapped (parameters) and dropped; choose one",
        ),
        (
            "templates:\n  Infobox partnership:\n    parameters: {org: partner}\n",
            "m.yaml, line 2: templates.Infobox partnership: 'Infobox partnership' is the infobox itself",
        ),
        (
            "templates:\n  Old:\n    paramters: {org: partner}\n",
            "m.yaml, line 3: templates.Old.paramters: unknown key 'paramters'",
        ),
        (
            "table:\n  columns: {Name: name}\n  title: 'Partnerships/{partner}'\n",
            "m.yaml, line 3: table.title: {partner} is not a field that a column or `add` gives: name",
        ),
    ],
)
def test_mapping_errors_name_the_file_and_line(yaml_text: str, error: str) -> None:
    with pytest.raises(ConfigError) as caught:
        migration_from(parse_yaml(yaml_text, "m.yaml"), SCHEMA)
    assert str(caught.value).startswith(error)


TABLE_PAGE = """Partnerships we know of:
{| class="wikitable sortable"
! Partnership !! Partner !! Type !! Lead !! Status !! Year !! Notes
|-
| Alpha Library || Alpha || content || volunteers || active || 2010 || first
|-
| Beta || Beta Org || telepathy || volunteers || active || 2011 ||
|}
{| class="wikitable"
! Colour !! Meaning
|-
| green || fine
|}
"""


def test_table_rows_become_pages_and_invalid_rows_are_reported() -> None:
    assert MIGRATION.table is not None
    rows, issues = table_rows(TABLE_PAGE, "List", MIGRATION.table)
    assert issues == []
    pages, problems = plan_new_pages(rows, SCHEMA, [], MIGRATION.table.title)
    assert [(p.title, p.where) for p in pages] == [("Partnerships/Alpha Library", "[[List]], table 1, row 1")]
    assert pages[0].text == (
        "{{Partnership\n| name    = Alpha Library\n| partner = Alpha\n| type    = content\n"
        "| lead    = volunteers\n| status  = active\n| start   = 2010\n}}\n"
    )
    assert [(i.page, i.field, i.code, i.message) for i in problems] == [
        (
            "[[List]], table 1, row 2",
            "type",
            "unknown-value",
            "“telepathy” is not a known type. Allowed: Content sources, Technology infrastructure, Revenue, "
            "In-kind, Outreach, Innovation, Contributors.",
        )
    ]


def test_a_table_with_an_unmapped_column_is_not_migrated() -> None:
    assert MIGRATION.table is not None
    rows, issues = table_rows(TABLE_PAGE.replace("!! Notes", "!! Budget"), "List", MIGRATION.table)
    assert rows == []
    assert issues[0].message.startswith("Table 1: the columns Budget are not in the mapping")


# --- create_pages rows and export -----------------------------------------------------------

CSV = """title,name,partner,type,lead,status,start
,Good one,Kiwix; Orange,"content, tech",wmf,active,2009
Partnerships/Custom title,Second,Someone,content,volunteers,ongoing,2010-04
,Bad one,,telepathy,volunteers,active,spring 2010
,Kiwix offline Wikipedia,Kiwix,content,chapter,active,
"""


def test_csv_rows_are_validated_and_invalid_ones_reported_with_file_and_line() -> None:
    existing = check_pages(
        [PageSnapshot("Partnerships/Kiwix", "{{Partnership|name=Kiwix offline Wikipedia}}", pageid=1)], SCHEMA, NAMES
    ).records
    pages, issues = plan_new_pages(rows_from_csv(CSV, "new.csv", SCHEMA), SCHEMA, existing)
    assert [p.title for p in pages] == ["Partnerships/Good one", "Partnerships/Custom title"]
    assert pages[0].text == (
        "{{Partnership\n| name    = Good one\n| partner = Kiwix; Orange\n| type    = content, tech\n"
        "| lead    = wmf\n| status  = active\n| start   = 2009\n}}\n"
    )
    assert [(i.page, i.field, i.code) for i in issues] == [
        ("new.csv, line 4", "type", "unknown-value"),
        ("new.csv, line 4", "start", "bad-date"),
        ("new.csv, line 4", "partner", "missing-required"),
        ("new.csv, line 5", "chapter", "missing-required"),
    ]
    assert issues[3].message == "chapter is required when lead is chapter."


def test_a_row_reusing_a_name_of_the_wiki_is_invalid() -> None:
    existing = check_pages(
        [PageSnapshot("Partnerships/Kiwix", "{{Partnership|name=Kiwix offline Wikipedia}}", pageid=1)], SCHEMA, NAMES
    ).records
    csv_text = "name,partner,type,lead,status\nKiwix offline Wikipedia,Kiwix,content,volunteers,active\n"
    pages, issues = plan_new_pages(rows_from_csv(csv_text, "new.csv", SCHEMA), SCHEMA, existing)
    assert pages == []
    assert [(i.page, i.field, i.code, i.message) for i in issues] == [
        (
            "new.csv, line 2 (Partnerships/Kiwix offline Wikipedia)",
            "name",
            "duplicate-name",
            "name “Kiwix offline Wikipedia” is already used by the page “Partnerships/Kiwix”; "
            "each name must be unique.",
        )
    ]
    # The page of the same title is no clash: the bot that saves leaves an existing page alone.
    same = check_pages(
        [PageSnapshot("Partnerships/Kiwix offline Wikipedia", "{{Partnership|name=Kiwix offline Wikipedia}}")],
        SCHEMA,
        NAMES,
    ).records
    assert plan_new_pages(rows_from_csv(csv_text, "new.csv", SCHEMA), SCHEMA, same)[1] == []


def test_rows_that_would_break_the_infobox_or_share_a_title_are_invalid() -> None:
    csv_text = "name,partner,type,lead,status\nA,B | C,content,volunteers,active\nD,E,content,volunteers,active\n"
    rows = rows_from_csv(csv_text, "x.csv", SCHEMA)
    pages, issues = plan_new_pages(rows, SCHEMA, [], "Partnerships/Same")
    assert [p.where for p in pages] == ["x.csv, line 3"]
    assert [(i.page, i.code) for i in issues] == [("x.csv, line 2", "unsafe-value")]
    pages, issues = plan_new_pages(rows_from_csv(csv_text.replace(" | ", " "), "x.csv", SCHEMA), SCHEMA, [], "P/Same")
    assert [(i.code, i.message) for i in issues] == [
        ("duplicate-title", "“P/Same” is also the title of x.csv, line 2.")
    ]


def test_problems_of_rows_are_places_shown_as_written_and_page_titles_are_links() -> None:
    """The report decides from the type of Issue.page whether to show a link, not from its text."""
    existing = check_pages(
        [PageSnapshot("Partnerships/Kiwix", "{{Partnership|name=Kiwix offline Wikipedia}}", pageid=1)], SCHEMA, NAMES
    ).records
    csv_issues = plan_new_pages(rows_from_csv(CSV, "new.csv", SCHEMA), SCHEMA, existing)[1]
    duplicate = "name,partner,type,lead,status\nKiwix offline Wikipedia,Kiwix,content,volunteers,active\n"
    duplicate_issues = plan_new_pages(rows_from_csv(duplicate, "dup.csv", SCHEMA), SCHEMA, existing)[1]
    yaml_rows = rows_from_yaml(parse_yaml("- name: A\n  type: telepathy\n", "new.yaml"), SCHEMA)
    yaml_issues = plan_new_pages(yaml_rows, SCHEMA, [])[1]
    assert MIGRATION.table is not None
    table_issues = plan_new_pages(table_rows(TABLE_PAGE, "List", MIGRATION.table)[0], SCHEMA, [])[1]
    issues = [*csv_issues, *duplicate_issues, *yaml_issues, *table_issues]
    assert {type(i.page) for i in issues} == {Place}
    assert {i.where() for i in issues} == {
        "new.csv, line 4",
        "new.csv, line 5",
        "dup.csv, line 2 (Partnerships/Kiwix offline Wikipedia)",
        "new.yaml, line 1",
        "[[List]], table 1, row 2",
    }
    # A page whose title looks like a place is still a page.
    page_issue = check_pages([PageSnapshot("Notes, line 3", "{{Partnership|name=N|type=x}}")], SCHEMA, NAMES).issues
    assert {i.where() for i in page_issue} == {"[[Notes, line 3]]"}


def test_an_unknown_column_stops_the_file() -> None:
    with pytest.raises(RowsError) as caught:
        rows_from_csv("name,parnter\nA,B\n", "x.csv", SCHEMA)
    assert str(caught.value).startswith(
        "x.csv, line 1: column “parnter” is not a parameter of the infobox. Did you mean"
    )


def test_yaml_rows_with_lists_booleans_and_dates() -> None:
    doc = parse_yaml(
        "pages:\n  - name: A\n    partner: [B, C]\n    type: [content, outreach]\n    lead: volunteers\n"
        "    status: active\n    start: 2009-04-22\n    critical: yes\n",
        "new.yaml",
    )
    rows = rows_from_yaml(doc, SCHEMA)
    assert rows[0].where == "new.yaml, line 2"
    assert dict(rows[0].params) == {
        "name": "A",
        "partner": "B; C",
        "type": "content, outreach",
        "lead": "volunteers",
        "status": "active",
        "start": "2009-04-22",
        "critical": "yes",
    }


def test_export_then_create_then_export_gives_the_same_files(tmp_path: Path) -> None:
    seed_pages = [p for p in infobox_pages(load_seed()) if not p["expect"] and "Example:" not in p["title"]]
    snapshots = [PageSnapshot(p["title"], p["text"], pageid=i) for i, p in enumerate(seed_pages, start=1)]
    records = check_pages(snapshots, SCHEMA, NAMES).records
    first_csv, first_json = records_csv(records, SCHEMA), records_json(records, SCHEMA)
    for rows in (
        rows_from_csv(first_csv, "e.csv", SCHEMA),
        rows_from_yaml(parse_yaml(first_json, "e.json"), SCHEMA),
    ):
        pages, issues = plan_new_pages(rows, SCHEMA, [])
        assert issues == []
        again = check_pages([PageSnapshot(p.title, p.text) for p in pages], SCHEMA, NAMES).records
        assert records_csv(again, SCHEMA) == first_csv
        assert records_json(again, SCHEMA) == first_json
    assert len(json.loads(first_json)) == len(seed_pages) > 20
