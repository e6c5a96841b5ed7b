"""scripts.create_pages refuses values that would change how MediaWiki reads the infobox (issue 16, item 13)."""

from __future__ import annotations

import pytest

from bots.core.upkeep.rows import markup_problem, plan_new_pages, rows_from_csv
from tests.support import SCHEMA

REFUSED = {
    "x <!-- y": "it opens a comment (<!--) that it does not close (-->), which hides the rest of the page",
    "a <!-- b --> c <!-- d": "it opens a comment (<!--) that it does not close (-->), which hides the rest of the page",
    "[[Kiwix": "it opens [[ without closing it (]])",
    "Kiwix]]": "it has a ]] without a [[ before it",
    "{{lang|fr": "it opens {{ without closing it (}})",
    "x}}": "it has a }} without a {{ before it",
    "[[a{{b]]}}": "it has a ]] without a [[ before it",
    "<nowiki>x": "it opens a <nowiki> tag that it does not close (</nowiki>)",
    "<pre>x": "it opens a <pre> tag that it does not close (</pre>)",
    "<ref>x": "it opens a <ref> tag that it does not close (</ref>)",
    "<div>x": "it opens a <div> tag that it does not close (</div>)",
    "x</span>": "it closes a <span> tag (</span>) that it did not open",
    "<b><i>x</b></i>": "it closes </b> while <i> is still open",
    "<includeonly>x</includeonly>": "it holds <includeonly>, which changes what the wiki shows of the page",
    "<noinclude>x": "it holds <noinclude>, which changes what the wiki shows of the page",
    "x</onlyinclude>": "it holds <onlyinclude>, which changes what the wiki shows of the page",
}

ACCEPTED = [
    "Kiwix; Orange",
    "[[Kiwix]]; [[Orange|the Orange foundation]]",
    "{{lang|fr|Bibliothèque}}",
    "{{{1}}}",
    "a<br>b<br/>c",
    "x <!-- a note --> y",
    "<nowiki>{{</nowiki> and <nowiki>[[x</nowiki>",
    "<ref>A source</ref><ref name=a/>",
    "<b><i>x</i></b>",
    "x < y > z",
    "https://example.org/a?b=c&d=e",
    "<!-- [[ {{ <div> -->",
]


@pytest.mark.parametrize(("value", "why"), REFUSED.items(), ids=list(REFUSED))
def test_values_that_change_how_mediawiki_reads_the_page_are_refused(value: str, why: str) -> None:
    assert markup_problem(value) == why


@pytest.mark.parametrize("value", ACCEPTED)
def test_closed_markup_is_accepted(value: str) -> None:
    assert markup_problem(value) == ""


def test_the_row_is_not_created_and_the_problem_names_the_row_the_field_and_what_is_valid() -> None:
    csv_text = (
        'name,partner,type,lead,status\nA,B <!-- C,content,volunteers,active\nD,"[[E]]",content,volunteers,active\n'
    )
    pages, issues = plan_new_pages(rows_from_csv(csv_text, "x.csv", SCHEMA), SCHEMA, [])
    assert [p.where for p in pages] == ["x.csv, line 3"]
    assert [(i.page, i.field, i.code, i.severity) for i in issues] == [
        ("x.csv, line 2", "partner", "unsafe-value", "error")
    ]
    assert issues[0].message == (
        "The value of partner would change how the wiki reads the page: it opens a comment (<!--) "
        "that it does not close (-->), which hides the rest of the page."
    )
    assert "Close every comment, link, template and tag within the value" in issues[0].suggestion


def test_a_huge_value_is_checked_in_linear_time() -> None:
    assert markup_problem("<!--" * 200_000).startswith("it opens a comment")
    assert markup_problem("<!---->" * 200_000 + "[[" * 100_000).startswith("it opens [[")
    assert markup_problem("<nowiki>" * 100_000).startswith("it opens a <nowiki>")
