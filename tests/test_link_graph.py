"""Cross-linking on fixture pages: the link graph, link issues, and fixes that keep the page's own style."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bots.config import load_config
from bots.core.links.fixes import Fix, apply_fixes
from bots.core.links.graph import build_graph, normalise_partner
from bots.core.links.states import (
    PageState,
    follow,
    follow_redirects,
    lookup_from_states,
    redirect_target,
    states_from_snapshots,
)
from bots.core.pipeline import Checked, check_pages, recommendation_pages, render_generated
from bots.core.records.items import item_spans
from bots.core.records.model import PageSnapshot

CONFIG = load_config()
SCHEMA = CONFIG.schema
NAMES = SCHEMA.template_names


def box(name: str, partner: str = "", type_: str = "content", **extra: str) -> str:
    lines = {
        "name": name,
        "partner": partner or f"Museum of {name}",
        "type": type_,
        "lead": "volunteers",
        "status": "active",
        **extra,
    }
    return "{{Partnership\n" + "".join(f"| {k} = {v}\n" for k, v in lines.items()) + "}}\nText.\n"


def check(pages: dict[str, str], others: dict[str, str] | None = None, moved: dict[str, str] | None = None) -> Checked:
    """Check the infobox pages; ``others`` are further pages on the wiki (no infobox, redirects),
    ``moved`` where the move log says the page at a redirect's title went."""
    snaps = [PageSnapshot(t, text, pageid=i + 1) for i, (t, text) in enumerate(pages.items())]
    wiki = states_from_snapshots([*snaps, *(PageSnapshot(t, x) for t, x in (others or {}).items())])
    wiki.update({t: replace(wiki[t], moved_to=to) for t, to in (moved or {}).items()})
    return check_pages(snaps, SCHEMA, NAMES, lookup_from_states(wiki))


def codes(checked: Checked) -> list[tuple[str, str, str]]:
    return [(i.page, i.field, i.code) for i in checked.issues]


# The link graph and its issues
# ---------------------------------------------------------------------------


def test_two_sided_related_links_are_fine() -> None:
    checked = check({"P/A": box("A", related="P/B"), "P/B": box("B", related="P/A")})
    assert codes(checked) == []
    assert checked.links.fixes == ()


def test_one_sided_related_link_is_reported_on_the_linking_page_and_fixed_on_the_other() -> None:
    checked = check({"P/A": box("A", related="P/B"), "P/B": box("B")})
    assert codes(checked) == [("P/A", "related", "related-not-reciprocal")]
    (issue,) = checked.issues
    assert issue.message == (
        "“P/B” does not list this page in its related field, so the link goes one way only. "
        "Add “P/A” to the related field of “P/B”."
    )
    assert checked.links.fixes == (Fix("P/B", "related", "add", "P/A", why="P/A lists this page"),)


def test_link_to_a_redirect_names_the_target_and_is_replaced() -> None:
    checked = check(
        {"P/A": box("A", related="P/Old"), "P/New": box("New", related="P/A")},
        {"P/Old": "#REDIRECT [[P/New]]\n"},
        moved={"P/Old": "P/New"},
    )
    assert codes(checked) == [("P/A", "related", "link-to-redirect")]
    assert "a redirect to “P/New”" in checked.issues[0].message
    assert checked.issues[0].suggestion == "P/New"
    assert checked.links.fixes == (Fix("P/A", "related", "replace", "P/New", "P/Old", "page moved"),)


def test_a_double_redirect_is_reported_with_the_chain_and_bypassed_to_its_end() -> None:
    checked = check(
        {"P/A": box("A", related="P/Oldest"), "P/New": box("New", related="P/A")},
        {"P/Oldest": "#REDIRECT [[P/Old]]\n", "P/Old": "#REDIRECT [[P/Older]]", "P/Older": "#REDIRECT [[P/New]]"},
        moved={"P/Oldest": "P/New"},
    )
    assert codes(checked) == [("P/A", "related", "link-to-double-redirect")]
    issue = checked.issues[0]
    assert "a double redirect (“P/Oldest” → “P/Old” → “P/Older” → “P/New”)" in issue.message
    assert issue.message.endswith("Link “P/New” instead.")
    assert issue.suggestion == "P/New"
    assert checked.links.fixes == (
        Fix("P/A", "related", "replace", "P/New", "P/Oldest", "page moved, double redirect"),
    )
    fixed = apply_fixes(box("A", related="[[P/Oldest]]"), checked.links.fixes, SCHEMA, NAMES)
    assert fixed is not None and "| related = [[P/New]]\n" in fixed[0]


def test_redirect_loops_and_redirects_to_missing_pages_are_reported_and_not_fixed() -> None:
    checked = check(
        {"P/A": box("A", related="P/Loop", recommendation="Rec/Gone")},
        {"P/Loop": "#REDIRECT [[P/Back]]", "P/Back": "#REDIRECT [[P/Loop]]", "Rec/Gone": "#REDIRECT [[Rec/Nowhere]]"},
    )
    assert codes(checked) == [
        ("P/A", "recommendation", "link-to-missing-page"),
        ("P/A", "related", "link-to-redirect-loop"),
    ]
    assert "a redirect to “Rec/Nowhere”, which does not exist" in checked.issues[0].message
    assert "a redirect that never reaches a page: the redirects from “P/Back” on lead round in a loop" in (
        checked.issues[1].message
    )
    assert checked.links.fixes == ()


def test_following_redirects() -> None:
    redirects = {"A": "B", "B": "C", "Self": "Self", "X": "Y", "Y": "X"}
    assert follow("A", redirects) == ("C", ("B",))
    assert follow("B", redirects) == ("C", ())
    assert follow("Self", redirects) is None
    assert follow("X", redirects) is None
    states = follow_redirects({t: PageState(t, True, to) for t, to in redirects.items()})
    assert (states["A"].redirect_to, states["A"].via, states["A"].loop) == ("C", ("B",), False)
    assert (states["X"].redirect_to, states["X"].loop) == ("Y", True)


def test_a_moved_page_still_lists_the_old_title_of_the_linking_page() -> None:
    """B lists A by its old title: the link is two-sided through the redirect, only the redirect is reported."""
    checked = check(
        {"P/A": box("A", related="P/B"), "P/B": box("B", related="P/Old A")},
        {"P/Old A": "#redirect [[P/A]]"},
    )
    assert codes(checked) == [("P/B", "related", "link-to-redirect")]


def test_missing_pages_and_pages_without_infobox() -> None:
    checked = check(
        {"P/A": box("A", related="P/Nowhere; Task force", recommendation="Rec/Missing")},
        {"Task force": "No infobox here."},
    )
    assert codes(checked) == [
        ("P/A", "recommendation", "link-to-missing-page"),
        ("P/A", "related", "link-to-missing-page"),
        ("P/A", "related", "related-without-infobox"),
    ]
    assert checked.links.fixes == ()


def test_related_target_outside_the_checked_pages_is_read_from_its_text() -> None:
    """As with bots.validate -page:A: B was not checked, its infobox text says whether it links back."""
    checked = check({"P/A": box("A", related="P/B")}, {"P/B": box("B", related="P/A")})
    assert codes(checked) == []


def test_without_a_lookup_links_are_not_judged() -> None:
    snaps = [PageSnapshot("P/A", box("A", related="P/Nowhere"), pageid=1)]
    assert check_pages(snaps, SCHEMA, NAMES).issues == ()


@pytest.mark.parametrize(
    ("partners", "types", "related", "flagged"),
    [
        (("Orange", "orange "), ("outreach", "outreach, revenue"), "", True),
        (("Orange", "Orange S.A.; Kiwix"), ("content", "technology"), "", False),
        (("Yahoo!", "yahoo"), ("technology", "technology"), "P/First", False),
        (("Bibliothèque nationale", "Bibliotheque Nationale"), ("content", "content"), "", True),
    ],
)
def test_possible_duplicate_needs_a_partner_and_a_type_in_common_and_no_related_link(
    partners: tuple[str, str], types: tuple[str, str], related: str, flagged: bool
) -> None:
    first = box("First", partners[0], types[0], related="P/Second" if related else "")
    second = box("Second", partners[1], types[1], related=related)
    checked = check({"P/First": first, "P/Second": second})
    duplicates = [i for i in checked.issues if i.code == "possible-duplicate"]
    assert [(i.page, i.field, i.suggestion) for i in duplicates] == (
        [("P/Second", "partner", "P/First")] if flagged else []
    )


def test_records_with_errors_are_not_compared_for_duplicates() -> None:
    checked = check({"P/A": box("A", "Orange"), "P/B": box("B", "Orange", start="spring")})
    assert [i.code for i in checked.issues] == ["bad-date"]


def test_partner_names_are_normalised() -> None:
    assert normalise_partner("The  Bibliothèque nationale de France") == "bibliotheque nationale de france"
    assert normalise_partner("Yahoo!") == normalise_partner("yahoo")


def test_graph_ties_records_to_recommendations_partners_and_chapters() -> None:
    checked = check(
        {
            "P/A": box("A", "Kiwix; Orange", recommendation="Rec/1; Rec/Old", lead="chapter", chapter="Wikimedia CH"),
            "P/B": box("B", "kiwix", recommendation="Rec/1"),
        },
        {"Rec/1": "Text.", "Rec/Old": "#REDIRECT [[Rec/1]]"},
    )
    graph = build_graph(checked.records, checked.links.states)
    assert {t: [r.title for r in rs] for t, rs in graph.supporters.items()} == {"Rec/1": ["P/A", "P/B"]}
    assert [(p.name, [r.title for r in p.records]) for p in graph.partners] == [
        ("Kiwix", ["P/A", "P/B"]),
        ("Orange", ["P/A"]),
    ]
    assert {c: [r.title for r in rs] for c, rs in graph.chapters.items()} == {"Wikimedia CH": ["P/A"]}


def test_redirect_target_from_text() -> None:
    assert redirect_target("#REDIRECT [[Partnerships/New_name#Top]]\n") == "Partnerships/New name"
    assert redirect_target("#redirect[[a]]") == "A"
    assert redirect_target("Text with [[Link]]") == ""
    assert states_from_snapshots([PageSnapshot("X", "#REDIRECT [[Y]]")]) == {"X": PageState("X", True, "Y")}


# Fixes: only the parameter changes, in the page's own style
# ---------------------------------------------------------------------------

ADD_A = Fix("P", "related", "add", "P/A")


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            "{{Partnership\n| name        = X\n| status      = a\n}}\nText.\n",
            "{{Partnership\n| name        = X\n| status      = a\n| related     = P/A\n}}\nText.\n",
        ),
        ("{{Partnership\n|name=X\n|status=a\n}}", "{{Partnership\n|name=X\n|status=a\n|related=P/A\n}}"),
        (
            "{{Partnership\n| name = X\n| related = P/B\n| source = s\n}}",
            "{{Partnership\n| name = X\n| related = P/B; P/A\n| source = s\n}}",
        ),
        ("{{Partnership\n|related=P/B;P/C\n}}", "{{Partnership\n|related=P/B;P/C;P/A\n}}"),
        ("{{Partnership\n| related =\n* [[P/B]]\n|x=y}}", "{{Partnership\n| related =\n* [[P/B]]\n* [[P/A]]\n|x=y}}"),
        (
            "{{Partnership\n| related =\n* [[P/B]]\n* P/C\n| x = y}}",
            "{{Partnership\n| related =\n* [[P/B]]\n* P/C\n* P/A\n| x = y}}",
        ),
        ("{{Partnership\n| related = \n| x = y}}", "{{Partnership\n| related = P/A\n| x = y}}"),
        (
            "Intro {{Other|related=P/Z}}\n{{partnership |related = P/B <!-- keep; this -->|x=y}} end",
            "Intro {{Other|related=P/Z}}\n{{partnership |related = P/B <!-- keep; this -->; P/A|x=y}} end",
        ),
    ],
)
def test_adding_a_related_entry_keeps_the_page_style(before: str, after: str) -> None:
    result = apply_fixes(before, [ADD_A], SCHEMA, NAMES)
    assert result is not None
    assert result[0] == after
    assert result[1] == ["related: add [[P/A]] ()"]
    assert apply_fixes(after, [ADD_A], SCHEMA, NAMES) is None, "a second run changes nothing"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("{{Partnership\n| related = P/Old; P/B\n}}", "{{Partnership\n| related = P/New; P/B\n}}"),
        ("{{Partnership\n|related=[[P/Old|the old one]]\n}}", "{{Partnership\n|related=[[P/New|the old one]]\n}}"),
        ("{{Partnership\n| related = P/old_Name\n}}", "{{Partnership\n| related = P/New\n}}"),
        ("{{Partnership\n| related = P/Old; P/New\n}}", "{{Partnership\n| related = P/New\n}}"),
        ("{{Partnership\n| related = P/New; P/Old\n}}", "{{Partnership\n| related = P/New\n}}"),
    ],
)
def test_replacing_a_redirect_by_its_target(before: str, after: str) -> None:
    fix = Fix("P", "related", "replace", "P/New", "P/Old" if "old_Name" not in before else "P/old Name")
    result = apply_fixes(before, [fix], SCHEMA, NAMES)
    assert result is not None and result[0] == after
    assert apply_fixes(after, [fix], SCHEMA, NAMES) is None


def test_the_parameter_the_infobox_shows_is_edited() -> None:
    """recommendation over its alias; the last of two."""
    text = "{{Partnership\n|recommendations=R/Old\n|recommendation=R/Old\n|recommendation=R/Old\n}}"
    result = apply_fixes(text, [Fix("P", "recommendation", "replace", "R/New", "R/Old")], SCHEMA, NAMES)
    assert result is not None
    assert result[0] == "{{Partnership\n|recommendations=R/Old\n|recommendation=R/Old\n|recommendation=R/New\n}}"


def test_no_infobox_no_change() -> None:
    assert apply_fixes("Just text.", [ADD_A], SCHEMA, NAMES) is None


def test_item_spans_skip_comments_links_and_templates() -> None:
    """An item's span leaves out the comments around it (issue 16, item 10: so an edit keeps them)."""
    value = " [[A|x;y]]; B {{t|1;2}} <!-- c;d -->\n* C "
    assert [value[a:b] for a, b in item_spans(value, ";")] == ["[[A|x;y]]", "B {{t|1;2}}", "C"]


# Generated pages
# ---------------------------------------------------------------------------


def test_recommendation_pages_list_the_records_supporting_them_by_type() -> None:
    checked = check(
        {
            "P/A": box("A", type_="content, outreach", recommendation="Task force/Recommendations/One"),
            "P/B": box("B", type_="revenue", recommendation="Task force/Recommendations/One"),
            "P/Broken": box("Broken", recommendation="Task force/Recommendations/One", start="soon"),
            "P/C": box("C", recommendation="Elsewhere/Main Page; Task force/Recommendations/Missing"),
        },
        {"Task force/Recommendations/One": "The recommendation.", "Elsewhere/Main Page": "Not a recommendation."},
    )
    assert recommendation_pages(checked, CONFIG) == ["Task force/Recommendations/One"]
    body, summary = render_generated(checked, CONFIG, "now")["Task force/Recommendations/One"]
    assert summary == CONFIG.pages.crosslink.recommendation_summary
    sections = body.split("\n'''")
    content = next(s for s in sections if s.startswith("Content sources'''"))
    revenue = next(s for s in sections if s.startswith("Revenue'''"))
    assert "[[:P/A|A]]" in content and "[[:P/B|" not in content
    assert "[[:P/B|B]]" in revenue
    # a record with an error is listed too, its value with a problem marked (issue 18)
    assert "[[:P/Broken|Broken]]" in body
    assert "'''3''' partnerships name this page" in body


def test_partners_page_lists_each_organisation_with_its_partnerships() -> None:
    checked = check({"P/A": box("A", "Kiwix; Orange"), "P/B": box("B", "kiwix", type_="technology")})
    body, _ = render_generated(checked, CONFIG, "now")[CONFIG.pages.title_of("partners")]
    rows = [line for line in body.splitlines() if line.startswith("| ")]
    assert rows == [
        '| <span id="partner-kiwix"></span>Kiwix || [[:P/A|A]] (Content sources); [[:P/B|B]] '
        "(Technology infrastructure) || 2",
        '| <span id="partner-orange"></span>Orange || [[:P/A|A]] (Content sources) || 1',
    ]
    assert "'''2''' organisations, '''1''' of them in more than one partnership" in body
    assert f"[[:{CONFIG.pages.title_of('partners')}|Partners]]" in body


def test_a_recommendation_page_no_record_names_any_more_gets_a_region_saying_so() -> None:
    checked = check({"P/A": box("A", recommendation="Task force/Recommendations/One")})
    region = f"{CONFIG.pages.region_start}\nold list\n{CONFIG.pages.region_end}\n"
    carrying = [
        PageSnapshot("Task force/Recommendations/One", "Text.\n" + region),
        PageSnapshot("Task force/Recommendations/Dropped", "Text.\n" + region),
        PageSnapshot("Task force/Recommendations/A record", box("R") + region),
        PageSnapshot("Elsewhere/Dropped", region),
    ]
    bodies = render_generated(checked, CONFIG, "now", carrying)
    named = [t for t in bodies if t.startswith(("Task force/Recommendations/", "Elsewhere/"))]
    assert sorted(named) == ["Task force/Recommendations/Dropped", "Task force/Recommendations/One"]
    dropped, summary = bodies["Task force/Recommendations/Dropped"]
    assert "No partnership supports this recommendation yet" in dropped
    assert "[[:P/A|" not in dropped
    assert summary == CONFIG.pages.crosslink.recommendation_summary
    assert "[[:P/A|A]]" in bodies["Task force/Recommendations/One"][0]
