"""Volunteers' lists are cut to keep their page under the wiki's size limit (issue 16, item 3).

90 lists with wide columns on one page made every run fail with contenttoobig. A page
that would pass the limit has its longest lists cut, each with a visible note and a
problem for the report; the guard counts the rows a cut leaves out; the cut is stable.
"""

from __future__ import annotations

from bots.config import load_config
from bots.core.lists.fill import ListNames, fill_page, list_plan
from bots.core.pages.guard import count_rows
from bots.core.pipeline import check_pages
from bots.core.records.model import PageSnapshot, Partnership

CONFIG = load_config()
SCHEMA = CONFIG.schema
ENV = CONFIG.environment()
NAMES = ListNames.of(SCHEMA)
WIDE = "{{Partnership list|columns=name, partner, type, lead, status, start, end|sort=start desc}}"
END = "{{Partnership list end}}"


def records(count: int) -> list[Partnership]:
    pages = [
        PageSnapshot(
            f"Partnerships/Record number {n:03}",
            f"{{{{Partnership\n| name = A partnership with a rather long name, number {n:03}\n"
            f"| partner = Partner organisation {n:03}; Another partner {n:03}\n| type = content, outreach\n"
            f"| lead = chapter\n| status = active\n| start = {2000 + n % 20}\n}}}}\n",
            pageid=n + 1,
        )
        for n in range(count)
    ]
    checked = check_pages(pages, SCHEMA, SCHEMA.template_names)
    assert len(checked.records) == count
    return list(checked.records)


RECORDS = records(60)
SMALL = "{{Partnership list|format=list|columns=name|limit=3}}"
PAGE = "Intro.\n" + "".join(f"== List {n} ==\n{WIDE}\n{END}\n" for n in range(6)) + f"{SMALL}\n{END}\nOutro.\n"


def size(text: str) -> int:
    return len(text.encode("utf-8"))


def test_a_page_within_the_limit_is_not_cut() -> None:
    whole = fill_page(PageSnapshot("Vol", PAGE), RECORDS, SCHEMA, ENV, NAMES)
    assert whole.text is not None
    assert fill_page(PageSnapshot("Vol", PAGE), RECORDS, SCHEMA, ENV, NAMES, size(whole.text)) == whole


def test_lists_that_would_pass_the_limit_are_cut_with_a_note_and_a_problem() -> None:
    whole = fill_page(PageSnapshot("Vol", PAGE), RECORDS, SCHEMA, ENV, NAMES).text
    assert whole is not None and size(whole) > 60_000
    limit = 30_000
    plan = fill_page(PageSnapshot("Vol", PAGE), RECORDS, SCHEMA, ENV, NAMES, limit)
    assert plan.text is not None and limit - 2_000 < size(plan.text) <= limit
    assert plan.text.startswith("Intro.\n== List 0 ==\n") and plan.text.endswith(f"{END}\nOutro.\n")
    notes = plan.text.count("''This list was cut: the page would pass the wiki's size limit of 30,000 bytes")
    cut = [i for i in plan.issues if i.code == "list-cut-for-size"]
    assert notes == len(cut) >= 3
    assert all(i.page == "Vol" and i.severity == "warning" and "30,000 bytes" in i.message for i in cut)
    assert "Narrow the list's query" in cut[0].message and "(list 1 of 7 on the page)" in cut[0].message
    # every list keeps its rows for the guard (shown or counted as cut), the short one is whole
    assert [count_rows(r.new) for r in plan.regions] == [60] * 6 + [3]
    # the long lists share the room alike; the short one stays whole
    shown = {i.message.split("first ")[1].split(" of")[0] for i in cut}
    assert len(cut) == 6 and len(shown) == 1 and 0 < int(shown.pop()) < 60
    assert "This list was cut" not in plan.regions[6].new
    assert plan.text.count("{{Partnership list end}}") == 7
    # stable: the next run on the cut page makes no change, and the guard lets it through
    again = list_plan(PageSnapshot("Vol", plan.text), RECORDS, SCHEMA, ENV, NAMES, 0.2, max_bytes=limit)
    assert again.text == plan.text and not again.refused


def test_a_cut_list_is_still_guarded_against_a_bad_read() -> None:
    limit = 30_000
    cut = fill_page(PageSnapshot("Vol", PAGE), RECORDS, SCHEMA, ENV, NAMES, limit).text
    assert cut is not None
    bad_read = list_plan(PageSnapshot("Vol", cut), RECORDS[:5], SCHEMA, ENV, NAMES, 0.2, max_bytes=limit)
    assert bad_read.refused and "would remove 55 of the 60 rows" in bad_read.reason


def test_a_page_too_long_without_its_lists_is_left_alone() -> None:
    text = "x" * 12_000 + f"\n{WIDE}\n{END}\n"
    plan = fill_page(PageSnapshot("Vol", text), RECORDS, SCHEMA, ENV, NAMES, 10_000)
    assert plan.text is None and "longer than the wiki's size limit of 10,000 bytes" in plan.reason
    assert [i.code for i in plan.issues][-1] == "list-page-too-long"
