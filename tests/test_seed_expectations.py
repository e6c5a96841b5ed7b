"""The sample pages of scripts/devwiki-seed.yaml get exactly the problems their `expect` lists.

Only pages with the infobox are checked, as on the wiki (the bot reads the pages that
transclude it); all of them are checked together, so rules across pages (unique names) apply.
"""

from __future__ import annotations

from typing import Any

import pytest

from bots.core.pipeline import Checked
from bots.core.records.model import PageSnapshot
from tests.seedpages import checked_seed, code_severities, has_infobox, load_seed, seed_snapshots

SEED = load_seed()


@pytest.fixture(scope="module")
def read() -> list[PageSnapshot]:
    return seed_snapshots()


@pytest.fixture(scope="module")
def with_box(read: list[PageSnapshot]) -> frozenset[str]:
    return frozenset(snap.title for snap in read)


@pytest.fixture(scope="module")
def checked() -> Checked:
    return checked_seed()


def expected(page: dict[str, Any]) -> set[tuple[str, str]]:
    return {(item["code"], item["field"]) for item in page["expect"]}


def test_seed_is_well_formed() -> None:
    titles = [page["title"] for page in SEED]
    assert len(titles) == len(set(titles))
    for page in SEED:
        assert set(page) == {"title", "text", "expect"}, page["title"]
        assert isinstance(page["expect"], list), page["title"]
        for item in page["expect"]:
            assert set(item) == {"code", "field"}, page["title"]


def test_pages_without_infobox_expect_nothing(with_box: frozenset[str]) -> None:
    without = [page for page in SEED if page["title"] not in with_box]
    assert without, "the seed has pages without an infobox (task force and recommendation pages)"
    assert [page["title"] for page in without if page["expect"]] == []


def test_seed_has_valid_and_invalid_pages(with_box: frozenset[str]) -> None:
    pages = [page for page in SEED if page["title"] in with_box]
    assert sum(1 for page in pages if not page["expect"]) >= 20
    assert sum(1 for page in pages if page["expect"]) >= 10


@pytest.mark.parametrize("page", SEED, ids=[page["title"] for page in SEED])
def test_seed_page_gets_exactly_its_expected_issues(
    page: dict[str, Any], with_box: frozenset[str], checked: Checked
) -> None:
    if page["title"] not in with_box:
        assert page["expect"] == []
        return
    got = {(issue.code, issue.field) for issue in checked.issues if issue.page == page["title"]}
    assert got == expected(page)


def test_no_issue_on_a_page_outside_the_seed(checked: Checked) -> None:
    titles = {page["title"] for page in SEED}
    assert {issue.page for issue in checked.issues} <= titles


def test_every_seed_page_with_the_infobox_yields_a_record(checked: Checked) -> None:
    record_titles = {record.title for record in checked.records}
    for page in SEED:
        if has_infobox(page["text"]):
            assert page["title"] in record_titles


def test_a_list_query_is_not_an_infobox() -> None:
    """The task force's pages hold ``{{partnership list|...}}``: not records, whatever the case of the name."""
    with_lists = [page for page in SEED if "{{partnership list" in page["text"].lower()]
    assert with_lists
    assert [page["title"] for page in with_lists if has_infobox(page["text"])] == []
    assert has_infobox("{{Infobox partnership|name=A}}") and not has_infobox("<!-- {{Partnership|name=A}} -->")


def test_each_problem_code_has_one_severity() -> None:
    """So that a code alone says whether it keeps a page out of the generated lists."""
    severities = code_severities()
    assert set(severities.values()) == {"error", "warning"}
    assert {item["code"] for page in SEED for item in page["expect"]} == set(severities)
