"""How the bots read and edit list values (issue 16, items 9, 10, 11 and 15), on fixture text.

Each edit is parsed, made and printed back, and the whole text compared: a volunteer's
comments, link brackets, entities and layout must come out as they went in.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from bots.config import load_config
from bots.core.links.fixes import Fix, apply_fixes
from bots.core.links.states import PageState, lookup_from_states, move_destination, states_from_snapshots
from bots.core.pipeline import check_pages
from bots.core.records.fields import canonical_value
from bots.core.records.items import split_list
from bots.core.records.model import PageSnapshot
from bots.core.records.parse import parse_page
from bots.core.records.validate import validate_page
from bots.core.upkeep.maintenance import normalise, rename_parameter

SCHEMA = load_config().schema
NAMES = list(SCHEMA.template_names)


def box(**values: str) -> str:
    lines = {"name": "A", "partner": "Kiwix", "type": "content", "lead": "volunteers", "status": "active", **values}
    return "{{Partnership\n" + "".join(f"| {k} = {v}\n" for k, v in lines.items()) + "}}\nText.\n"


# Item 11: one splitting function, never inside an entity, a link, a template, a comment or a tag
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "items"),
    [
        ("AT&amp;T; Procter &amp; Gamble", ["AT&amp;T", "Procter &amp; Gamble"]),
        ("x&#59;y; &#x3B;z; w", ["x&#59;y", "&#x3B;z", "w"]),
        ("[[P/A;B|a;b]]; C", ["[[P/A;B|a;b]]", "C"]),
        ("[https://example.org/a;b the a;b site]; C", ["[https://example.org/a;b the a;b site]", "C"]),
        ("Kiwix {{lang|fr|a;b}}; Orange", ["Kiwix {{lang|fr|a;b}}", "Orange"]),
        ("Kiwix <!-- a;b -->; Orange", ["Kiwix", "Orange"]),
        ("Kiwix<ref>Annual report; p. 4</ref>; Orange", ["Kiwix<ref>Annual report; p. 4</ref>", "Orange"]),
        ("'''Kiwix'''; ''Orange''", ["'''Kiwix'''", "''Orange''"]),
        ("\n* [[P/B]]\n* P/C <!-- c -->\n", ["[[P/B]]", "P/C"]),
    ],
)
def test_lists_split_on_the_text_as_the_wiki_shows_it(value: str, items: list[str]) -> None:
    assert split_list(value, ";") == items


@pytest.mark.parametrize(
    "value",
    ["Kiwix; Orange", " * a ;; b ,c\n# d\n\n*#  e ", "* # x; ##y", "a,b;c", "", " ; ", "O'Reilly; ''x; y''"],
)
def test_values_without_markup_split_as_before(value: str) -> None:
    """The rule before the one splitting function: separators and lines, then spaces, bullets, spaces."""
    for separators in (";", ",;"):
        text = value
        for separator in separators:
            text = text.replace(separator, "\n")
        before = [i for i in (line.strip().lstrip("*#").strip() for line in text.split("\n")) if i]
        assert split_list(value, separators) == before


def test_validation_reads_the_issue_example_as_two_partners() -> None:
    text = box(partner="AT&amp;T; Procter &amp; Gamble")
    record, issues = validate_page("P", parse_page(PageSnapshot("P", text), NAMES), SCHEMA)
    assert record is not None and issues == []
    assert record.items("partner") == ("AT&amp;T", "Procter &amp; Gamble")


def test_normalise_does_not_split_an_entity() -> None:
    text = box(partner="AT&amp;T; Procter &amp; Gamble")
    outcome = normalise(text, "P", NAMES, SCHEMA)
    assert (outcome.text, outcome.issues, outcome.changes) == (text, (), ())
    assert canonical_value(SCHEMA.field("partner"), "AT&amp;T;Procter &amp; Gamble") == (
        "AT&amp;T; Procter &amp; Gamble",
        "",
    )
    messy = box(partner="AT&amp;T;Procter &amp; Gamble;AT&amp;T")
    assert normalise(messy, "P", NAMES, SCHEMA).text == text


def test_crosslink_finds_and_renames_an_item_with_an_entity() -> None:
    text = box(related="P/AT&amp;T; P/C")
    fix = Fix("P", "related", "replace", "P/AT and T", "P/AT&amp;T", "page moved")
    result = apply_fixes(text, [fix], SCHEMA, NAMES)
    assert result is not None and result[0] == box(related="P/AT and T; P/C")
    added = apply_fixes(text, [Fix("P", "related", "add", "P/B")], SCHEMA, NAMES)
    assert added is not None and added[0] == box(related="P/AT&amp;T; P/C; P/B")


# Item 10: every edit keeps the volunteer's comments and link form
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            "[[Partnerships/X]] <!-- keep: agreed on talk page -->",
            "[[Partnerships/Y]] <!-- keep: agreed on talk page -->",
        ),
        ("<!-- first --> [[Partnerships/X|the X]]; P/B", "<!-- first --> [[Partnerships/Y|the X]]; P/B"),
        ("P/B; Partnerships/<!-- old name -->X", "P/B; Partnerships/Y <!-- old name -->"),
        ("\n* [[Partnerships/X]] <!-- a; b -->\n* P/B\n", "\n* [[Partnerships/Y]] <!-- a; b -->\n* P/B\n"),
        ("[[:Partnerships/X]]", "[[:Partnerships/Y]]"),
    ],
)
def test_renaming_a_moved_target_keeps_comments_and_brackets(before: str, after: str) -> None:
    fix = Fix("P", "related", "replace", "Partnerships/Y", "Partnerships/X", "page moved")
    result = apply_fixes(box(related=before), [fix], SCHEMA, NAMES)
    assert result is not None and result[0] == box(related=after)
    assert apply_fixes(result[0], [fix], SCHEMA, NAMES) is None, "a second run changes nothing"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("P/Old <!-- moved in May -->; P/New", "<!-- moved in May --> P/New"),
        ("P/New <!-- ours -->; P/Old <!-- theirs -->", "P/New <!-- ours --> <!-- theirs -->"),
        ("P/New;<!-- why --> P/Old", "P/New <!-- why -->"),
        ("\n* [[P/New]]\n* [[P/Old]]\n", "\n* [[P/New]]\n"),
    ],
)
def test_dropping_a_redirect_already_listed_by_its_target_keeps_the_comments(before: str, after: str) -> None:
    fix = Fix("P", "related", "replace", "P/New", "P/Old", "page moved")
    result = apply_fixes(box(related=before), [fix], SCHEMA, NAMES)
    assert result is not None and result[0] == box(related=after)


def test_adding_after_an_item_with_a_comment_keeps_the_comment_with_its_item() -> None:
    before = "[[P/B]] <!-- agreed -->; P/C <!-- x -->"
    result = apply_fixes(box(related=before), [Fix("P", "related", "add", "P/A")], SCHEMA, NAMES)
    assert result is not None and result[0] == box(related=before + "; P/A")


ALIGNED = "{{Partnership\n| name    = A\n| org     = Kiwix\n| partner = Kiwix\n| status  = active\n}}\n"


@pytest.mark.parametrize(
    ("org", "partner", "merged"),
    [
        ("Kiwix <!-- from the old infobox -->", "Kiwix", "Kiwix <!-- from the old infobox -->"),
        ("Kiwix", "<!-- fill in -->", "Kiwix <!-- fill in -->"),
        ("<!-- was here -->", "Kiwix", "Kiwix <!-- was here -->"),
        ("Kiwix <!-- a -->", "Kiwix <!-- b -->", "Kiwix <!-- b --> <!-- a -->"),
        ("Kiwix <!-- same -->", "Kiwix <!-- same -->", "Kiwix <!-- same -->"),
    ],
)
def test_rename_parameter_keeps_the_comments_of_a_merged_value(org: str, partner: str, merged: str) -> None:
    text = ALIGNED.replace("= Kiwix\n| partner = Kiwix", f"= {org}\n| partner = {partner}")
    outcome = rename_parameter(text, "P", NAMES, "org", "partner", SCHEMA)
    assert outcome.issues == ()
    assert outcome.text == ALIGNED.replace("| org     = Kiwix\n| partner = Kiwix", f"| partner = {merged}")


# Item 15: a filled or added parameter keeps the page's own layout
# ---------------------------------------------------------------------------------------------

ADD = Fix("P", "related", "add", "Partnerships/X")


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            "{{Partnership\n| name           = X\n| related        =\n}}",
            "{{Partnership\n| name           = X\n| related        = Partnerships/X\n}}",
        ),
        (
            "{{Partnership\n  | name           = X\n  | related        =\n  }}",
            "{{Partnership\n  | name           = X\n  | related        = Partnerships/X\n  }}",
        ),
        ("{{Partnership\n|name=X\n|related=\n}}", "{{Partnership\n|name=X\n|related=Partnerships/X\n}}"),
        (
            "{{Partnership\n| name = X\n| related = <!-- partnership pages -->\n}}",
            "{{Partnership\n| name = X\n| related = Partnerships/X <!-- partnership pages -->\n}}",
        ),
        (
            "{{Partnership\n  | name   = X\n  | status = a\n}}",
            "{{Partnership\n  | name   = X\n  | status = a\n  | related = Partnerships/X\n}}",
        ),
        (
            "{{Partnership\n| name = X\n| status = a\n  }}",
            "{{Partnership\n| name = X\n| status = a\n| related = Partnerships/X\n  }}",
        ),
        (
            "{{Partnership\n\t| name = X\n\t| status = a <!-- c -->\n\n}}",
            "{{Partnership\n\t| name = X\n\t| status = a <!-- c -->\n\t| related = Partnerships/X\n\n}}",
        ),
        (
            "{{Partnership\n| name   = X\n| status = a}}",
            "{{Partnership\n| name   = X\n| status = a\n| related = Partnerships/X}}",
        ),
        ("{{Partnership|name=X|status=a}}", "{{Partnership|name=X|status=a|related=Partnerships/X}}"),
        ("{{Partnership\n  |name=X\n}}", "{{Partnership\n  |name=X\n  |related=Partnerships/X\n}}"),
    ],
)
def test_adding_keeps_the_page_layout(before: str, after: str) -> None:
    result = apply_fixes(before, [ADD], SCHEMA, NAMES)
    assert result is not None and result[0] == after
    assert apply_fixes(after, [ADD], SCHEMA, NAMES) is None


# Item 9: only a redirect that a page move left, to a partnership page, is bypassed
# ---------------------------------------------------------------------------------------------


def checked_links(moved: dict[str, str], target_text: str = "") -> tuple[list[tuple[str, str]], list[Fix]]:
    """P/A lists P/X, a redirect to P/Y: a partnership page, or a page with ``target_text``."""
    pages = {"P/A": box(name="A", related="P/X <!-- keep -->")}
    others = {"P/X": "#REDIRECT [[P/Y]]\n"}
    if target_text:
        others["P/Y"] = target_text
    else:
        pages["P/Y"] = box(name="Y", related="P/A")
    snaps = [PageSnapshot(t, text, pageid=i + 1) for i, (t, text) in enumerate(pages.items())]
    wiki = states_from_snapshots([*snaps, *(PageSnapshot(t, x) for t, x in others.items())])
    wiki.update({t: replace(wiki[t], moved_to=to) for t, to in moved.items()})
    checked = check_pages(snaps, SCHEMA, NAMES, lookup_from_states(wiki))
    return [(i.code, i.message) for i in checked.issues], list(checked.links.fixes)


def test_a_redirect_no_move_made_is_reported_and_not_bypassed() -> None:
    issues, fixes = checked_links(moved={})
    assert fixes == []
    assert issues == [
        (
            "link-to-redirect",
            "related links to “P/X”, a redirect to “P/Y” that no page move made: check the history of “P/X” "
            "(a redirect typed over a page may be vandalism), then link the right page. "
            "The bot leaves this link as it is.",
        )
    ]


def test_a_redirect_whose_page_was_moved_elsewhere_is_not_bypassed() -> None:
    """The page was moved to P/Z, but the redirect now leads to P/Y: edited after the move."""
    assert checked_links(moved={"P/X": "P/Z"})[1] == []


def test_a_moved_page_is_bypassed_only_when_it_is_a_partnership_page() -> None:
    assert checked_links(moved={"P/X": "P/Y"})[1] == [Fix("P/A", "related", "replace", "P/Y", "P/X", "page moved")]
    issues, fixes = checked_links(moved={"P/X": "P/Y"}, target_text="A user page.")
    assert fixes == []
    assert [code for code, _ in issues] == ["link-to-redirect"]
    assert "which was moved to “P/Y”, not one of the partnership pages read" in issues[0][1]
    # The infobox moves with the page: a copy outside the partnership pages (not a record) is not one either.
    assert checked_links(moved={"P/X": "P/Y"}, target_text=box(name="Y", related="P/A"))[1] == []


def test_the_vandal_redirect_of_the_issue_writes_nothing() -> None:
    vandalised = {
        "Partnerships/X": PageState("Partnerships/X", True, "User:Vandal"),
        "User:Vandal": PageState("User:Vandal", True, text="Hello."),
    }
    records = [
        PageSnapshot(f"Partnerships/{n}", box(name=n, related="Partnerships/X"), pageid=i) for i, n in enumerate("AB")
    ]
    checked = check_pages(records, SCHEMA, NAMES, lookup_from_states(vandalised))
    assert checked.links.fixes == ()
    moved = {**vandalised, "Partnerships/X": replace(vandalised["Partnerships/X"], moved_to="User:Vandal")}
    checked = check_pages(records, SCHEMA, NAMES, lookup_from_states(moved))
    assert checked.links.fixes == (), "a page moved to a user page is not a partnership page"


@pytest.mark.parametrize(
    ("log", "title", "now_at"),
    [
        ({}, "A", ""),
        ({"A": [(1, "B")]}, "A", "B"),
        ({"A": [(1, "B")], "B": [(2, "C")]}, "A", "C"),
        ({"A": [(1, "B")], "B": [(2, "C")], "C": [(3, "D")]}, "A", "D"),
        # moved back: the page is at A again, and the redirect at B leads to it
        ({"A": [(1, "B")], "B": [(2, "A")]}, "B", "A"),
        ({"A": [(1, "B")], "B": [(2, "A")]}, "A", ""),
        # back and forth: the move out of A that left its redirect is the latest one
        ({"A": [(1, "B"), (3, "B")], "B": [(2, "A")]}, "A", "B"),
        # a later page at A moved elsewhere: its redirect follows that move, not the first page's
        ({"A": [(1, "B"), (4, "C")], "B": [(2, "E")]}, "A", "C"),
        # a move out of B before the page arrived there belongs to another page
        ({"A": [(5, "B")], "B": [(2, "X")]}, "A", "B"),
    ],
)
def test_the_move_log_is_followed_to_where_the_page_is_now(
    log: dict[str, list[tuple[int, str]]], title: str, now_at: str
) -> None:
    assert move_destination(title, lambda t: log.get(t, [])) == now_at
