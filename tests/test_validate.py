"""bots.core.records.validate: infobox -> record and issues, worded for volunteers."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bots.core.pipeline import Checked, check_pages
from bots.core.records.fields import did_you_mean, normalise_date, normalise_title
from bots.core.records.model import Infobox, Issue, PageSnapshot, Parameter, Partnership, Value
from bots.core.records.parse import parse_page
from bots.core.records.validate import validate_infobox, validate_page, validate_records
from tests.support import DEFAULTS, SCHEMA, TITLE, infobox


def check(*pages: tuple[str, str]) -> Checked:
    """check_pages over (title, text) pairs, page ids in the given order."""
    snapshots = [PageSnapshot(title, text, pageid=i + 1) for i, (title, text) in enumerate(pages)]
    return check_pages(snapshots, SCHEMA, SCHEMA.template_names)


def record_of(text: str) -> Partnership:
    checked = check((TITLE, text))
    assert len(checked.records) == 1
    return checked.records[0]


def values_of(text: str) -> dict[str, Value]:
    return record_of(text).values


def issues_of(text: str) -> list[tuple[str, str]]:
    return [(i.code, i.field) for i in check((TITLE, text)).issues]


def sorted_issues(issues: list[Issue]) -> tuple[Issue, ...]:
    return tuple(sorted(issues, key=Issue.sort_key))


# ---------------------------------------------------------------------------
# Every issue code, with its exact wording
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    pages: tuple[tuple[str, str], ...]
    expected: tuple[Issue, ...]


def one_page(text: str, *expected: Issue) -> Case:
    return Case(((TITLE, text),), expected)


def issue(code: str, field: str, severity: str, message: str, suggestion: str = "", page: str = TITLE) -> Issue:
    return Issue(page, field, code, severity, message, suggestion)  # type: ignore[arg-type]


CASES = [
    pytest.param(one_page(infobox()), id="valid"),
    pytest.param(
        one_page(
            infobox(drop=("partner",)),
            issue(
                "missing-required",
                "partner",
                "error",
                "partner is missing: it is required. The partner organisations, separated by semicolons.",
            ),
        ),
        id="missing-required-absent",
    ),
    pytest.param(
        one_page(
            infobox(status=""),
            issue(
                "missing-required", "status", "error", "status is empty: it is required. Where the partnership stands."
            ),
        ),
        id="missing-required-empty",
    ),
    pytest.param(
        one_page(
            infobox("| partners = <!-- who? -->", drop=("partner",)),
            issue(
                "missing-required",
                "partner",
                "error",
                "partner is empty: it is required. The partner organisations, separated by semicolons.",
            ),
        ),
        id="missing-required-empty-alias",
    ),
    pytest.param(
        one_page(
            infobox(lead="chapter"),
            issue(
                "missing-required",
                "chapter",
                "error",
                "chapter is required when lead is chapter.",
            ),
        ),
        id="missing-required-if",
    ),
    pytest.param(
        one_page(
            infobox(lead="Local chapter", chapter=""),
            issue(
                "missing-required",
                "chapter",
                "error",
                "chapter is required when lead is chapter.",
            ),
        ),
        id="missing-required-if-synonym",
    ),
    pytest.param(one_page(infobox(lead="chapter", chapter="Wikimedia CH")), id="required-if-satisfied"),
    pytest.param(
        one_page(
            infobox(type="content, telepathy"),
            issue(
                "unknown-value",
                "type",
                "error",
                "“telepathy” is not a known type. "
                "Allowed: Content sources, Technology infrastructure, Revenue, In-kind, Outreach, Innovation, "
                "Contributors.",
            ),
        ),
        id="unknown-value-in-list",
    ),
    pytest.param(
        one_page(
            infobox(lead="foundaton"),
            issue(
                "unknown-value",
                "lead",
                "error",
                "“foundaton” is not a known lead. Did you mean “The Wikimedia Foundation”? "
                "Allowed: Volunteers, A chapter, The Wikimedia Foundation, An external partner.",
                "foundation",
            ),
        ),
        # The value is there, just not valid: one problem, not also "lead is empty".
        id="unknown-value-of-required-field",
    ),
    pytest.param(
        one_page(
            infobox(start="spring 2010"),
            issue(
                "bad-date",
                "start",
                "error",
                "“spring 2010” is not a date. Write it as YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2009-04.",
            ),
        ),
        id="bad-date",
    ),
    pytest.param(
        one_page(
            infobox(website="www.example.org"),
            issue(
                "bad-url",
                "website",
                "error",
                "“www.example.org” is not a web address. Write a full URL starting with https:// or http://. "
                "Did you mean “https://www.example.org”?",
                "https://www.example.org",
            ),
        ),
        id="bad-url",
    ),
    pytest.param(
        one_page(
            infobox(source="see the annual report"),
            issue(
                "bad-url",
                "source",
                "error",
                "“see the annual report” is not a web address. Write a full URL starting with https:// or http://.",
            ),
        ),
        id="bad-url-no-suggestion",
    ),
    pytest.param(
        one_page(
            infobox(related="Partnerships/Kiwix; Partnerships/{Orange}"),
            issue(
                "bad-title",
                "related",
                "error",
                "“Partnerships/{Orange}” cannot be a page title: titles cannot contain # < > [ ] | { }.",
            ),
        ),
        id="bad-title",
    ),
    pytest.param(
        one_page(
            infobox(best_practice="no", critical="maybe"),
            issue("bad-yesno", "critical", "error", "“maybe” is not yes or no. Write yes or no."),
        ),
        id="bad-yesno",
    ),
    pytest.param(
        one_page(
            infobox("| parnter = Example Gallery", drop=("partner",)),
            issue(
                "unknown-parameter",
                "parnter",
                "warning",
                "“parnter” is not a parameter of the infobox, so its value is not counted. Did you mean “partner”?",
                "partner",
            ),
            issue(
                "missing-required",
                "partner",
                "error",
                "partner is missing: it is required. The partner organisations, separated by semicolons.",
            ),
        ),
        id="unknown-parameter-with-suggestion",
    ),
    pytest.param(
        one_page(
            infobox("| colour = blue"),
            issue(
                "unknown-parameter",
                "colour",
                "warning",
                "“colour” is not a parameter of the infobox, so its value is not counted.",
            ),
        ),
        id="unknown-parameter-without-suggestion",
    ),
    pytest.param(
        one_page(
            infobox("| Kiwix"),
            issue(
                "positional-parameter",
                "1",
                "warning",
                "The value “Kiwix” has no parameter name, so the infobox ignores it. "
                "Give it a parameter name: | parameter = value.",
            ),
        ),
        id="positional-parameter",
    ),
    pytest.param(
        one_page(
            infobox("| status = completed"),
            issue(
                "duplicate-parameter",
                "status",
                "warning",
                "status is given 2 times (status = “active”, status = “completed”); "
                "the infobox shows only status = “completed”. Keep one and delete the others.",
            ),
        ),
        id="duplicate-parameter",
    ),
    pytest.param(
        one_page(
            infobox(start="2011", end="2009-05"),
            issue("end-before-start", "end", "error", "end (2009-05) is before start (2011). Check both dates."),
        ),
        id="end-before-start",
    ),
    pytest.param(
        one_page(
            infobox(start="2009-05", end="2009-04-30"),
            issue("end-before-start", "end", "error", "end (2009-04-30) is before start (2009-05). Check both dates."),
        ),
        id="end-before-start-by-a-day",
    ),
    pytest.param(
        Case(
            (
                ("Partnerships/Kaltura collaborative video", infobox(name="Kaltura collaborative video")),
                ("Partnerships/Example: Duplicate of Kaltura", infobox(name="Kaltura collaborative video")),
            ),
            (
                issue(
                    "duplicate-name",
                    "name",
                    "error",
                    "name “Kaltura collaborative video” is already used by the page "
                    "“Partnerships/Kaltura collaborative video”; each name must be unique.",
                    page="Partnerships/Example: Duplicate of Kaltura",
                ),
            ),
        ),
        id="duplicate-name",
    ),
    pytest.param(
        one_page(
            infobox(name="First") + "\n" + infobox(name="Second", status="nonsense"),
            issue(
                "multiple-infoboxes",
                "",
                "warning",
                "The page has 2 infoboxes; only the first is read. Give each partnership its own page.",
            ),
        ),
        id="multiple-infoboxes",
    ),
    pytest.param(
        one_page(
            infobox() + "<!--\n" + infobox(name="Old draft") + "-->\n",
            issue(
                "ignored-infobox",
                "",
                "warning",
                "An infobox inside a comment is ignored by the wiki and by the bot.",
            ),
        ),
        id="ignored-infobox-comment",
    ),
    pytest.param(
        one_page(
            infobox() + "To start a page, copy <nowiki>{{Partnership | name = }}</nowiki>.\n",
            issue(
                "ignored-infobox",
                "",
                "warning",
                "An infobox inside a <nowiki> tag is ignored by the wiki and by the bot.",
            ),
        ),
        id="ignored-infobox-nowiki",
    ),
    pytest.param(
        one_page(
            "This page talks about the {{tl|Partnership}} template but has none.\n",
            issue(
                "no-infobox",
                "",
                "warning",
                "No {{Partnership}} infobox could be read from the page.",
            ),
        ),
        id="no-infobox",
    ),
    pytest.param(
        one_page(
            "<!-- " + infobox() + " -->",
            issue(
                "ignored-infobox", "", "warning", "An infobox inside a comment is ignored by the wiki and by the bot."
            ),
            issue("no-infobox", "", "warning", "No {{Partnership}} infobox could be read from the page."),
        ),
        id="only-infobox-in-comment",
    ),
    pytest.param(
        one_page(
            infobox() + "{{a|" * 16000,
            issue(
                "too-complex",
                "",
                "error",
                "The page is too complex to read: it has so many unclosed {{, [[, <!--, tags or tables "
                "that reading it would stall the bot, so its infobox was not read.",
                "Close or remove the unclosed markup (it usually follows the infobox), "
                "or move that text to another page.",
            ),
        ),
        id="too-complex",
    ),
]


@pytest.mark.parametrize("case", CASES)
def test_issue(case: Case) -> None:
    checked = check(*case.pages)
    assert checked.issues == sorted_issues(list(case.expected))


def test_cases_cover_every_code_the_validator_emits() -> None:
    codes = {i.code for param in CASES for case in param.values if isinstance(case, Case) for i in case.expected}
    assert codes == {
        "missing-required",
        "unknown-value",
        "bad-date",
        "bad-url",
        "bad-title",
        "bad-yesno",
        "unknown-parameter",
        "positional-parameter",
        "duplicate-parameter",
        "end-before-start",
        "duplicate-name",
        "multiple-infoboxes",
        "ignored-infobox",
        "no-infobox",
        "too-complex",
    }


def test_errors_and_warnings_are_counted() -> None:
    checked = check((TITLE, infobox("| colour = blue", start="spring", critical="perhaps")))
    assert [i.severity for i in checked.issues] == ["warning", "error", "error"]
    assert checked.errors == 2


def test_record_keeps_every_valid_value_when_some_are_bad() -> None:
    values = values_of(infobox(start="spring 2010", end="2012", website="kiwix.org", type="content, telepathy"))
    assert values == {
        "name": "Example",
        "partner": ("Example Museum",),
        "type": ("content",),
        "lead": "volunteers",
        "status": "active",
        "end": "2012",
    }


def test_first_infobox_is_the_record() -> None:
    checked = check((TITLE, infobox(name="First") + infobox(name="Second")))
    assert [r.name for r in checked.records] == ["First"]


def test_page_without_infobox_has_no_record() -> None:
    assert check((TITLE, "No infobox.")).records == ()


# ---------------------------------------------------------------------------
# Normalisation
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("WMF", "foundation"),
        ("wmf", "foundation"),
        ("Wikimedia Foundation", "foundation"),
        ("the  wikimedia   foundation", "foundation"),
        ("The_Wikimedia_Foundation", "foundation"),
        ("The Wikimedia Foundation", "foundation"),  # the label
        ("FOUNDATION", "foundation"),
        ("external partner", "partner"),
        ("Community", "volunteers"),
        ("local chapter", "chapter"),
    ],
)
def test_choice_synonyms_labels_and_case(written: str, canonical: str) -> None:
    values = values_of(infobox(lead=written, chapter="Wikimedia CH"))
    assert values["lead"] == canonical


def test_list_of_choices_normalised_and_deduplicated() -> None:
    values = values_of(infobox(type="Content Sources, TECH; mobility,content,  in kind "))
    assert values["type"] == ("content", "technology", "innovation", "in-kind")


@pytest.mark.parametrize(
    ("written", "items"),
    [
        ("Kiwix; Orange", ("Kiwix", "Orange")),
        ("Kiwix;Orange;", ("Kiwix", "Orange")),
        ("Kiwix\nOrange", ("Kiwix", "Orange")),
        ("\n* Kiwix\n* Orange\n", ("Kiwix", "Orange")),
        ("\n# Kiwix\n#Orange; Wikimedia CH\n", ("Kiwix", "Orange", "Wikimedia CH")),
        ("Kiwix; ; Kiwix", ("Kiwix",)),
        ("Kiwix, the offline reader", ("Kiwix, the offline reader",)),  # a comma is not a partner separator
    ],
)
def test_lists_split_on_separators_new_lines_and_bullets(written: str, items: tuple[str, ...]) -> None:
    assert values_of(infobox(partner=written))["partner"] == items


def test_page_lists_accept_links_and_normalise_titles() -> None:
    values = values_of(
        infobox(
            related="[[Partnerships/Kiwix|Kiwix]]; [[partnerships/Orange]]; Partnerships/One_Laptop_per_Child",
            recommendation="[[:Task force/Recommendations/Partnerships 1]]",
        )
    )
    assert values["related"] == ("Partnerships/Kiwix", "Partnerships/Orange", "Partnerships/One Laptop per Child")
    assert values["recommendation"] == ("Task force/Recommendations/Partnerships 1",)


@pytest.mark.parametrize(
    ("written", "title"),
    [
        ("[[Page|label]]", "Page"),
        ("[[Page]]", "Page"),
        ("[[page|Label with spaces]]", "Page"),
        ("  Some_page  ", "Some page"),
        ("[[Page|label]] ", "Page"),
        ("Page|label", None),
        ("[[Page", None),
        ("A{b}", None),
        ("", None),
        ("x" * 256, None),
    ],
)
def test_normalise_title(written: str, title: str | None) -> None:
    assert normalise_title(written.strip()) == title


@pytest.mark.parametrize(
    ("written", "flag"),
    [
        *[(word, True) for word in ("yes", "Yes", "Y", "true", "1")],
        *[(word, False) for word in ("no", "NO", "n", "False", "0")],
    ],
)
def test_yes_no_becomes_a_boolean(written: str, flag: bool) -> None:
    record = record_of(infobox(best_practice=written))
    assert record.values["best_practice"] is flag
    assert record.flag("best_practice") is flag


@pytest.mark.parametrize("written", ["2009", "2009-04", "2009-04-22", "2012-02-29", "2010-12-31"])
def test_dates_accepted(written: str) -> None:
    assert normalise_date(written) == written
    assert values_of(infobox(start=written))["start"] == written


@pytest.mark.parametrize(
    "written",
    [
        "2010-13",
        "2010-00",
        "2010-02-30",
        "2011-02-29",
        "2010-04-31",
        "2010-01-00",
        "2009-4",
        "09",
        "2009/04",
        "April 2009",
    ],
)
def test_dates_rejected(written: str) -> None:
    assert normalise_date(written) is None
    assert issues_of(infobox(start=written)) == [("bad-date", "start")]


@pytest.mark.parametrize("written", ["https://www.kiwix.org/", "http://example.org/a?b=c#d"])
def test_urls_accepted(written: str) -> None:
    assert values_of(infobox(website=written))["website"] == written


@pytest.mark.parametrize("written", ["www.kiwix.org", "ftp://example.org/", "https://", "https://exa mple.org"])
def test_urls_rejected(written: str) -> None:
    assert issues_of(infobox(website=written)) == [("bad-url", "website")]


def test_empty_optional_fields_are_left_out() -> None:
    values = values_of(infobox(start="", website="", best_practice="", related=""))
    assert set(values) == set(DEFAULTS)


# ---------------------------------------------------------------------------
# Suggestions
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "suggestion"),
    [("parnter", "partner"), ("stauts", "status"), ("webiste", "website"), ("recomendation", "recommendation")],
)
def test_misspelt_parameter_suggestion(written: str, suggestion: str) -> None:
    issues = [i for i in check((TITLE, infobox(f"| {written} = x"))).issues if i.code == "unknown-parameter"]
    assert [(i.field, i.suggestion) for i in issues] == [(written, suggestion)]
    assert issues[0].message.endswith(f"Did you mean “{suggestion}”?")


@pytest.mark.parametrize(
    ("field", "written", "canonical"),
    [
        ("lead", "foundaton", "foundation"),
        ("lead", "externl partner", "partner"),  # close to a synonym: the canonical value is suggested
        ("type", "content sourses", "content"),
        ("type", "mobil", "innovation"),
        ("status", "ongoin", "active"),
    ],
)
def test_close_choice_suggests_the_canonical_value(field: str, written: str, canonical: str) -> None:
    text = infobox(f"| {field} = {written}", drop=(field,))
    issues = [i for i in check((TITLE, text)).issues if i.code == "unknown-value"]
    assert [(i.field, i.suggestion) for i in issues] == [(field, canonical)]


def test_no_suggestion_when_nothing_is_close() -> None:
    (found,) = [i for i in check((TITLE, infobox(type="content, telepathy"))).issues if i.code == "unknown-value"]
    assert found.suggestion == ""
    assert did_you_mean("zzzz", SCHEMA.parameter_names) == ""


# ---------------------------------------------------------------------------
# Rules across fields and records
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2009-05", "2009"),
        ("2009-05-20", "2009-05"),
        ("2009", "2009-01-01"),
        ("2009-05-20", "2009-05-20"),
        ("2009", "2010"),
    ],
)
def test_end_overlapping_start_is_not_before_it(start: str, end: str) -> None:
    assert issues_of(infobox(start=start, end=end)) == []


def test_end_before_start_not_checked_when_a_date_is_bad() -> None:
    assert issues_of(infobox(start="2011", end="last year")) == [("bad-date", "end")]


def test_duplicate_name_first_page_by_page_id_keeps_it() -> None:
    older = PageSnapshot("Partnerships/Kiwix", infobox(name="Kiwix offline Wikipedia"), pageid=7)
    newer = PageSnapshot("Partnerships/Kiwix again", infobox(name="kiwix offline wikipedia"), pageid=30)
    newest = PageSnapshot("Partnerships/Kiwix (2)", infobox(name="Kiwix offline Wikipedia"), pageid=31)
    checked = check_pages([newest, newer, older], SCHEMA, SCHEMA.template_names)
    assert [(i.page, i.code, i.field) for i in checked.issues] == [
        ("Partnerships/Kiwix (2)", "duplicate-name", "name"),
        ("Partnerships/Kiwix again", "duplicate-name", "name"),
    ]
    assert all("“Partnerships/Kiwix”" in i.message for i in checked.issues)
    assert [r.title for r in checked.records] == [older.title, newer.title, newest.title]


def test_validate_records_first_in_given_order_keeps_the_name() -> None:
    first = Partnership("A", {"name": "Same"})
    second = Partnership("B", {"name": "Same"})
    other = Partnership("C", {"name": "Other"})
    unnamed = Partnership("D", {})
    assert [(i.page, i.code) for i in validate_records([first, other, second, unnamed], SCHEMA)] == [
        ("B", "duplicate-name")
    ]
    assert [(i.page, i.code) for i in validate_records([second, first], SCHEMA)] == [("A", "duplicate-name")]


# ---------------------------------------------------------------------------
# Aliases
# ---------------------------------------------------------------------------


def test_aliases_set_their_field() -> None:
    values = values_of(
        infobox(
            "| partners = Kiwix; Orange",
            "| types = technology",
            "| recommendations = Task force/Recommendations/Partnerships 1",
            drop=("partner", "type"),
        )
    )
    assert values["partner"] == ("Kiwix", "Orange")
    assert values["type"] == ("technology",)
    assert values["recommendation"] == ("Task force/Recommendations/Partnerships 1",)


def test_name_and_alias_both_given_record_matches_what_the_infobox_shows() -> None:
    """Template:Partnership shows {{{partner|{{{partners|}}}}}}: the field's own name wins, wherever it is."""
    text = infobox("| partners = Orange", partner="Kiwix")
    checked = check((TITLE, text))
    assert [(i.code, i.field) for i in checked.issues] == [("duplicate-parameter", "partner")]
    assert checked.records[0].values["partner"] == ("Kiwix",)


# ---------------------------------------------------------------------------
# Validation only reads
# ---------------------------------------------------------------------------


def test_validation_never_modifies_page_text() -> None:
    text = infobox(
        "| parnter = x",
        "| Kiwix",
        "<!-- a volunteer's note -->",
        "| status = ongoing",
        lead="WMF",
        type="Content Sources, mobility",
        start="spring 2010",
        related="[[partnerships/Orange|Orange]]",
    )
    original = str(text)
    snapshot = PageSnapshot(TITLE, text, revid=5, pageid=1)
    parsed = parse_page(snapshot, SCHEMA.template_names)
    boxes_before = parsed.infoboxes
    record, issues = validate_page(TITLE, parsed, SCHEMA)
    assert issues
    assert record is not None and record.values["lead"] == "foundation"
    check_pages([snapshot], SCHEMA, SCHEMA.template_names)
    assert snapshot == PageSnapshot(TITLE, original, revid=5, pageid=1)
    assert parsed.infoboxes == boxes_before
    assert parse_page(snapshot, SCHEMA.template_names) == parsed


def test_validate_infobox_works_on_a_bare_infobox() -> None:
    box = Infobox(
        title=TITLE,
        template="Partnership",
        params=(
            Parameter("name", "Bare"),
            Parameter("partner", "A; B"),
            Parameter("type", "tech"),
            Parameter("lead", "WMF"),
            Parameter("status", "done"),
            Parameter("critical", "yes"),
        ),
    )
    record, issues = validate_infobox(box, SCHEMA)
    assert issues == []
    assert record == Partnership(
        TITLE,
        {
            "name": "Bare",
            "partner": ("A", "B"),
            "type": ("technology",),
            "lead": "foundation",
            "status": "completed",
            "critical": True,
        },
    )


def test_a_required_field_given_twice_is_missing_when_the_one_shown_is_empty() -> None:
    """MediaWiki shows the last of two equal parameters: an earlier value does not fill the field."""
    found = issues_of(infobox("| partner = "))
    assert ("missing-required", "partner") in found
    assert ("duplicate-parameter", "partner") in found
    assert ("missing-required", "partner") not in issues_of(infobox("| partner = Orange"))
