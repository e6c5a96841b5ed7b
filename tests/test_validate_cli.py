"""bots.validate's own options and output formats, without a wiki."""

from __future__ import annotations

import io
import json

import pytest

from bots.core.records.model import Issue
from bots.validate import (
    Result,
    ValidateOptions,
    emit,
    format_json,
    format_text,
    issue_line,
    parse_own_options,
    skipped_issue,
)
from bots.wiki.read import SkippedPage

STATUS = Issue(
    "Partnerships/A",
    "status",
    "unknown-value",
    "error",
    "“paused” is not a known status. Valid values: idea, active.",
    "active",
)
PARAM = Issue(
    "Partnerships/A",
    "parnter",
    "unknown-parameter",
    "warning",
    "“parnter” is not a parameter of the infobox. Did you mean “partner”?",
    "partner",
)
NO_BOX = Issue("Partnerships/B", "", "no-infobox", "warning", "No infobox could be read from the page.")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], ValidateOptions()),
        (["--format", "json"], ValidateOptions(format="json")),
        (["--format=json"], ValidateOptions(format="json")),
        (["-format:json"], ValidateOptions(format="json")),
        (["-format", "text"], ValidateOptions(format="text")),
        (["-report"], ValidateOptions(report=True)),
        (
            ["-page:Partnerships/A: b", "-format:json", "-cat:X"],
            ValidateOptions(format="json", generator_args=("-page:Partnerships/A: b", "-cat:X")),
        ),
    ],
)
def test_own_options(args: list[str], expected: ValidateOptions) -> None:
    assert parse_own_options(args) == expected


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format"], "--format needs a value"),
        (["--format", "xml"], "Unknown format 'xml'"),
        (["-format:"], "Unknown format ''"),
        (["json"], "Unexpected argument 'json'"),
    ],
)
def test_bad_own_options(args: list[str], message: str) -> None:
    error = parse_own_options(args)
    assert isinstance(error, str) and message in error


def test_issue_line_adds_a_suggestion_only_when_the_message_lacks_it() -> None:
    assert issue_line(STATUS) == (
        "  error   status: “paused” is not a known status. Valid values: idea, active. (did you mean: active)"
    )
    assert issue_line(PARAM).endswith("Did you mean “partner”?")
    assert issue_line(NO_BOX) == "  warning No infobox could be read from the page."


def test_text_groups_by_page_and_ends_with_a_summary() -> None:
    text = format_text(Result(pages_checked=3, issues=(PARAM, STATUS, NO_BOX)))
    assert text.splitlines() == [
        "Partnerships/A",
        issue_line(PARAM),
        issue_line(STATUS),
        "",
        "Partnerships/B",
        issue_line(NO_BOX),
        "",
        "3 pages checked: 1 error, 2 warnings on 2 pages.",
    ]
    assert format_text(Result(pages_checked=1, issues=())) == "1 page checked: 0 errors, 0 warnings on 0 pages."


def test_json_is_one_document_with_every_field() -> None:
    data = json.loads(format_json(Result(pages_checked=2, issues=(STATUS, NO_BOX))))
    assert data["pages_checked"] == 2
    assert (data["errors"], data["warnings"]) == (1, 1)
    assert data["issues"][0] == {
        "page": "Partnerships/A",
        "field": "status",
        "code": "unknown-value",
        "severity": "error",
        "message": STATUS.message,
        "suggestion": "active",
    }


def test_emit_writes_one_line_per_call() -> None:
    out = io.StringIO()
    emit("a\nb", out)
    assert out.getvalue() == "a\nb\n"


def test_a_page_that_was_not_read_says_why() -> None:
    missing = skipped_issue(SkippedPage("Partnerships/Gone", missing=True))
    assert (missing.code, missing.severity, missing.suggestion) == ("missing-page", "error", "")
    moved = skipped_issue(SkippedPage("Partnerships/Old", missing=False, redirect_to="Partnerships/New"))
    assert (moved.code, moved.severity, moved.suggestion) == ("redirect", "warning", "Partnerships/New")
    assert "“Partnerships/New”" in moved.message
    loop = skipped_issue(SkippedPage("Partnerships/Loop", missing=False))
    assert (loop.code, loop.suggestion) == ("redirect", "") and "redirect" in loop.message
