"""Issue 18, items 4 and 5, in the pure core: records with problems are listed, marked; regions say so."""

from __future__ import annotations

import re

from bots.config import load_config
from bots.core.lists.fill import fill_page, listable, listed_marks
from bots.core.pages.guard import EDIT_QUERY_INSTEAD, hand_edit_note
from bots.core.pages.render import ProblemMarks, display, escape_wikitext, html_headings, report_anchor
from bots.core.pages.status import RunStatus, render_status
from bots.core.pipeline import check_pages, render_generated, report_of
from bots.core.records.model import Issue, PageSnapshot, Partnership
from bots.core.records.parse import parse_page
from bots.core.records.validate import validate_page
from bots.state.cache import result_from_json, result_to_json
from tests.support import SCHEMA, TITLE, infobox

CONFIG = load_config()
REPORT = CONFIG.pages.title_of("report")
INDEX = CONFIG.pages.title_of("index")
BAD = infobox("| start = March 2012", "| website = www.example.org", status="on hold", type="content, gardening")


def validated(text: str) -> tuple[Partnership, list[Issue]]:
    record, issues = validate_page(TITLE, parse_page(PageSnapshot(TITLE, text), SCHEMA.template_names), SCHEMA)
    assert record is not None
    return record, issues


def test_the_record_keeps_the_text_of_values_that_are_not_valid_and_validation_reports_as_before() -> None:
    record, issues = validated(BAD)
    assert record.written == {
        "start": "March 2012",
        "website": "www.example.org",
        "status": "on hold",
        "type": "content, gardening",
    }
    assert "start" not in record.values and record.values["type"] == ("content",)
    assert {issue.field for issue in issues} == {"start", "website", "status", "type"}
    assert validated(infobox())[0].written == {}


def test_the_revision_cache_keeps_the_written_values() -> None:
    record, issues = validated(BAD)
    again, _ = result_from_json(result_to_json((record, issues)))
    assert again == record and again is not None and again.written == record.written


def test_a_value_that_is_not_valid_is_shown_as_written_escaped_and_marked() -> None:
    record, issues = validated(infobox("| start = [[March]] 2012"))
    marks = ProblemMarks.of(issues, SCHEMA, lambda page: REPORT)
    assert display(SCHEMA, record, "start", marks) == (
        "&#91;&#91;March&#93;&#93; 2012 "
        f'<small class="partnership-problem">[[:{REPORT}#{report_anchor(TITLE)}|⚠ problem]]</small>'
    )
    assert display(SCHEMA, record, "name", marks) == "Example"


def test_report_anchors_are_distinct_and_safe() -> None:
    titles = ["A/B", "A B", "A_B", "A.B", "A.2FB", "Ä/β", 'X"<y>']
    anchors = [report_anchor(t) for t in titles]
    assert len(set(anchors)) == len(titles)
    assert all(re.fullmatch(r"problems-[\w.-]+", a) for a in anchors), anchors
    assert report_anchor("Partnerships/Bad date") == "problems-Partnerships.2FBad.20date"


def pages(texts: dict[str, str]) -> list[PageSnapshot]:
    return [PageSnapshot(title, text, pageid=n + 1) for n, (title, text) in enumerate(texts.items())]


CHECKED = check_pages(
    pages(
        {
            "P/Good": infobox(name="Good one"),
            "P/Bad": infobox("| start = March 2012", name="Bad one", lead="chapter"),
            "P/Unreadable": "No infobox here, only <nowiki>{{Partnership|name=x}}</nowiki>.",
        }
    ),
    SCHEMA,
    SCHEMA.template_names,
)


def test_every_summary_lists_the_record_with_errors_and_counts_only_the_unreadable_page() -> None:
    bodies = render_generated(CHECKED, CONFIG, "now")
    index = bodies[INDEX][0]
    (row,) = [line for line in index.splitlines() if line.startswith("| [[:P/Bad|")]
    mark = f'<small class="partnership-problem">[[:{REPORT}#{report_anchor("P/Bad")}|⚠ problem]]</small>'
    assert f"|| March 2012 {mark}" in row
    assert f"A chapter ( {mark})" in row  # chapter is required when lead=chapter: marked though empty
    by_type = bodies[CONFIG.pages.title_of("by_type")][0]
    assert f"since March 2012 {mark}" in by_type
    for key in ("index", "by_type", "by_lead", "overview", "partners"):
        assert "[[:P/Bad|" in bodies[CONFIG.pages.title_of(key)][0], key
    assert "1 page whose infobox cannot be read at all is not listed" in index
    assert f'<span id="{report_anchor("P/Bad")}"></span>[[:P/Bad|' in bodies[REPORT][0]


def test_lists_show_records_with_errors_marked() -> None:
    records = listable(CHECKED)
    assert {r.title for r in records} == {"P/Good", "P/Bad"}
    marks = listed_marks(CHECKED, CONFIG.pages, SCHEMA)
    query = "{{Partnership list|format=list|columns=name, start}}"
    plan = fill_page(
        PageSnapshot("L", f"{query}{{{{Partnership list end}}}}"), records, SCHEMA, CONFIG.environment(), marks=marks
    )
    assert plan.text is not None
    assert f'March 2012 <small class="partnership-problem">[[:{REPORT}#{report_anchor("P/Bad")}|' in plan.text


def test_the_marks_link_to_the_reports_subpage_when_it_is_split() -> None:
    split = report_of(CONFIG.pages, {REPORT: ("<!-- partnership-bot subpages: A | B -->", "")})
    assert split("Partnerships/Bad date") == f"{REPORT}/B"
    assert report_of(CONFIG.pages, {})("Partnerships/Bad date") == REPORT


def test_headings_become_html_and_other_lines_stay() -> None:
    text = "== Type ==\n=== A [[:x|y]] ===\n== not closed\na == b == c\n{| class=x\n|}"
    assert html_headings(text) == ("<h2>Type</h2>\n<h3>A [[:x|y]]</h3>\n== not closed\na == b == c\n{| class=x\n|}")


def test_the_hand_edit_note_of_a_list_says_where_to_edit() -> None:
    note = hand_edit_note(("Vandal",), "the list X", EDIT_QUERY_INSTEAD)
    assert "(edited by Vandal)" in note and note.endswith("edit the list's query or the partnership pages instead")


def test_the_status_page_offers_one_line_to_transclude() -> None:
    body = render_status(
        RunStatus(started="2024-01-02 03:04 UTC", duration=1.0, version="1", records=5, problems=2, errors=1)
    )
    (line,) = re.findall(r"<onlyinclude>(.*?)</onlyinclude>", body, re.S)
    assert line == "''The bot last reported on 2024-01-02 03&#58;04 UTC: done; 5 records, 2 problems (1 errors).''"


def test_the_line_says_when_the_bot_runs_as_configured() -> None:
    status = RunStatus(started="2024-01-02", duration=1.0, version="1", records=5)
    body = render_status(status, schedule="every hour [[x]]")
    (line,) = re.findall(r"<onlyinclude>(.*?)</onlyinclude>", body, re.S)
    assert line.endswith(f" It runs {escape_wikitext('every hour [[x]]')}.''")
    assert "every hour" in load_config().pages.status_schedule  # config/pages.yaml says it
