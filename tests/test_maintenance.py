"""Pure tests of the maintenance transforms: rename a parameter, normalise values."""

from __future__ import annotations

from pathlib import Path

import pytest

from bots.config import load_config
from bots.core.records.fields import canonical_date, canonical_value
from bots.core.records.model import PageSnapshot
from bots.core.records.parse import parse_page
from bots.core.records.validate import validate_page
from bots.core.upkeep.maintenance import normalise, rename_parameter

SCHEMA = load_config().schema
NORMALISE_DATA = Path(__file__).parent / "data" / "normalise"
NAMES = list(SCHEMA.template_names)

ALIGNED = """Intro text with {{Other|org=keep me}}.
{{Partnership
| name    = Kiwix offline Wikipedia
| org     = Kiwix
| type    = content
| lead    = chapter
| chapter = Wikimedia CH
| status  = active
}}
Closing text.
"""


def rename(text: str, old: str = "org", new: str = "partner") -> tuple[str, tuple[str, ...], list[str]]:
    outcome = rename_parameter(text, "P", NAMES, old, new, SCHEMA)
    return outcome.text, outcome.changes, [i.message for i in outcome.issues]


def test_rename_changes_only_the_name_and_keeps_the_equals_signs_aligned() -> None:
    text, changes, issues = rename(ALIGNED)
    assert text == ALIGNED.replace("| org     = Kiwix", "| partner = Kiwix")
    assert changes == ("org → partner",)
    assert issues == []


def test_rename_twice_finds_nothing_to_do() -> None:
    once, _, _ = rename(ALIGNED)
    outcome = rename_parameter(once, "P", NAMES, "org", "partner", SCHEMA)
    assert outcome.text == once
    assert not outcome.changes


def test_rename_compact_and_unaligned_styles() -> None:
    assert rename("{{Partnership|name=A|org=B|status=active}}")[0] == "{{Partnership|name=A|partner=B|status=active}}"
    text = "{{partnership\n |org = B\n |type=content\n}}"
    assert rename(text)[0] == "{{partnership\n |partner = B\n |type=content\n}}"


def test_rename_fills_an_empty_new_parameter_and_removes_the_old_line() -> None:
    text = ALIGNED.replace("| status  = active\n", "| status  = active\n| partner =\n")
    renamed, changes, issues = rename(text)
    assert renamed == ALIGNED.replace("| org     = Kiwix\n", "").replace(
        "| status  = active\n", "| status  = active\n| partner = Kiwix\n"
    )
    assert changes == ("org → partner",) and issues == []


def test_rename_with_equal_values_removes_the_old_parameter() -> None:
    text = ALIGNED.replace("| type ", "| partner = Kiwix\n| type ")
    assert rename(text)[0] == ALIGNED.replace("| org     = Kiwix\n", "| partner = Kiwix\n")


def test_rename_merges_list_items() -> None:
    text = ALIGNED.replace("| type ", "| partner = Orange; Kiwix\n| type ").replace(
        "= Kiwix\n| partner", "= Kiwix; Telenor\n| partner"
    )
    merged, changes, issues = rename(text)
    assert "| partner = Orange; Kiwix; Telenor\n" in merged
    assert "org" not in merged.split("Intro text")[1].split("}}", 1)[1]
    assert changes == ("org → partner (merged)",) and issues == []


def test_rename_conflict_reports_the_page_and_both_values_and_changes_nothing() -> None:
    text = ALIGNED.replace("| org     = Kiwix", "| title   = Offline\n| org     = Kiwix")
    outcome = rename_parameter(text, "Partnerships/Kiwix", NAMES, "title", "name", SCHEMA)
    assert outcome.text == text
    assert [(i.page, i.field, i.code, i.severity, i.message) for i in outcome.issues] == [
        (
            "Partnerships/Kiwix",
            "name",
            "rename-conflict",
            "error",
            "Both name = “Kiwix offline Wikipedia” and title = “Offline” are given and the values differ, "
            "so the page was not changed. Keep the right value under name and delete the other by hand, "
            "then run again.",
        )
    ]


def test_rename_conflict_when_a_list_value_holds_markup() -> None:
    text = ALIGNED.replace("| type ", "| partner = Orange <!-- check -->\n| type ")
    outcome = rename_parameter(text, "P", NAMES, "org", "partner", SCHEMA)
    assert outcome.text == text
    assert "cannot be merged safely" in outcome.issues[0].message


def test_rename_leaves_other_templates_and_pages_without_the_parameter_alone() -> None:
    text = "{{Other|org=x}}\n{{Partnership|name=A}}\n"
    assert rename(text) == (text, (), [])


# --- normalise -----------------------------------------------------------------------------

#: A page with a value of every kind to normalise, one that cannot be (a comment inside), and
#: text around it; the live test (tests/live/test_maintenance_live.py) saves the same page.
MESSY = (NORMALISE_DATA / "messy.wikitext").read_text(encoding="utf-8")
NORMALISED = (NORMALISE_DATA / "normalised.wikitext").read_text(encoding="utf-8")


def test_normalise_writes_canonical_values_and_nothing_else() -> None:
    outcome = normalise(MESSY, "Messy", NAMES, SCHEMA)
    assert outcome.text == NORMALISED
    assert outcome.changes == ("partner", "type", "lead", "start", "end", "best_practice", "recommendation")
    assert [(i.field, i.code, i.severity, i.message) for i in outcome.issues] == [
        (
            "status",
            "not-normalised",
            "warning",
            "“Ongoing <!-- as of 2011 -->” holds markup (a comment, template, tag, or a separator inside a link), "
            "so it was left as it is; its canonical form is “active”.",
        )
    ]


def test_normalise_keeps_the_record_and_a_second_run_finds_nothing() -> None:
    before, _ = validate_page("P", parse_page(PageSnapshot("P", MESSY), NAMES), SCHEMA)
    after, _ = validate_page("P", parse_page(PageSnapshot("P", NORMALISED), NAMES), SCHEMA)
    assert before is not None and after is not None
    # Every value that was valid is the same; the dates were not valid before and are now.
    assert {k: after.values[k] for k in before.values} == before.values
    assert (after.values["start"], after.values["end"]) == ("2009-04", "2010-04-22")
    again = normalise(NORMALISED, "Messy", NAMES, SCHEMA)
    assert again.text == NORMALISED and not again.changes


def test_normalise_only_the_fields_asked_for() -> None:
    outcome = normalise(MESSY, "Messy", NAMES, SCHEMA, fields=("lead",))
    assert outcome.text == MESSY.replace("= WMF", "= foundation")


def test_normalise_reports_what_it_cannot_read() -> None:
    text = "{{Partnership|name=A|type=telepathy, content|start=spring 2010|end=04/05/2011|critical=maybe}}"
    outcome = normalise(text, "P", NAMES, SCHEMA)
    assert outcome.text == text
    fix = ", so it was left as it is. Fix it by hand (bots.validate says what is valid)."
    assert [(i.field, i.message) for i in outcome.issues] == [
        ("type", "“telepathy” is not a known type" + fix),
        ("start", "“spring 2010” is not a date this script can read" + fix),
        ("end", "“04/05/2011” is not a date this script can read (the order of day and month is ambiguous)" + fix),
        ("critical", "“maybe” is not yes or no" + fix),
    ]


def test_normalise_leaves_a_separator_inside_a_link_alone() -> None:
    text = "{{Partnership|related=[[Partnerships/A;B]];[[Partnerships/C]]}}"
    outcome = normalise(text, "P", NAMES, SCHEMA)
    assert outcome.text == text
    assert outcome.issues[0].code == "not-normalised"


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("2009", "2009"),
        ("2009-04", "2009-04"),
        ("2009-4", "2009-04"),
        ("2009/4/22", "2009-04-22"),
        ("22.04.2009", "2009-04-22"),
        ("22/04/2009", "2009-04-22"),
        ("04/22/2009", "2009-04-22"),
        ("April 2009", "2009-04"),
        ("Sept. 2009", "2009-09"),
        ("22 April 2009", "2009-04-22"),
        ("April 22, 2009", "2009-04-22"),
        ("1st March 2010", "2010-03-01"),
    ],
)
def test_canonical_date_reads_common_forms(raw: str, iso: str) -> None:
    assert canonical_date(raw) == (iso, "")


@pytest.mark.parametrize("raw", ["04/05/2009", "spring 2009", "2009-13", "31 February 2009", "Smarch 2009"])
def test_canonical_date_does_not_guess(raw: str) -> None:
    assert canonical_date(raw)[0] is None


def test_canonical_value_by_type() -> None:
    assert canonical_value(SCHEMA.field("type"), "mobility;grants, Mobile") == ("innovation, revenue", "")
    assert canonical_value(SCHEMA.field("critical"), "TRUE") == ("yes", "")
    assert canonical_value(SCHEMA.field("partner"), "* A\n* B") == ("A; B", "")
