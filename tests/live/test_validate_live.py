"""bots.validate against the local wiki seeded with scripts/devwiki-seed.yaml.

The wiki is shared with the other live test files, which may have run before
these: every test that needs the wiki in a given state brings it there, and
compares revision ids before and after within itself.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterable, Iterator
from typing import Any

import pytest

from bots.config import load_config
from tests.live.conftest import LiveWiki, output, switched_off
from tests.seedpages import infobox_pages

CONFIG = load_config()
TITLES = {page.key: page.title for page in CONFIG.pages.generated}
REPORT = TITLES["report"]
START, END = CONFIG.pages.region_start, CONFIG.pages.region_end
ISSUE_KEYS = {"page", "field", "code", "severity", "message", "suggestion"}


def expected_problems(pages: Iterable[dict[str, Any]]) -> list[tuple[str, str, str]]:
    return sorted((p["title"], e["code"], e["field"]) for p in pages for e in p["expect"])


def found_problems(report: dict[str, Any]) -> list[tuple[str, str, str]]:
    return sorted((i["page"], i["code"], i["field"]) for i in report["issues"])


def revids(wiki: LiveWiki, titles: Iterable[str]) -> dict[str, int]:
    """The latest revision id of each page (0 if missing), 50 titles per request."""
    titles = sorted(set(titles))
    ids: dict[str, int] = {}
    for i in range(0, len(titles), 50):
        chunk = titles[i : i + 50]
        result = wiki.api.call(action="query", prop="revisions", titles="|".join(chunk), rvprop="ids")
        for page in result["query"]["pages"]:
            ids[page["title"]] = 0 if page.get("missing") else int(page["revisions"][0]["revid"])
    assert len(ids) == len(titles), set(titles) - set(ids)
    return ids


@pytest.fixture
def no_edit(wiki: LiveWiki, seed: list[dict[str, Any]]) -> Iterator[None]:
    """Fails the test if any generated or seeded page got a new revision during it."""
    titles = [*TITLES.values(), *(p["title"] for p in seed)]
    before = revids(wiki, titles)
    yield
    assert revids(wiki, titles) == before, "bots.validate must not edit without -report"


def run_validate(wiki: LiveWiki, *args: str, expect_exit: int) -> subprocess.CompletedProcess[str]:
    result = wiki.run("bots.validate", *args)
    assert result.returncode == expect_exit, output(result)
    assert "Traceback" not in output(result), output(result)
    return result


def run_json(wiki: LiveWiki, *args: str, expect_exit: int) -> dict[str, Any]:
    """Run with --format json; standard output must be one JSON document and nothing else."""
    result = run_validate(wiki, "--format", "json", *args, expect_exit=expect_exit)
    report: dict[str, Any] = json.loads(result.stdout)
    assert set(report) == {"pages_checked", "errors", "warnings", "issues"}
    for issue in report["issues"]:
        assert set(issue) == ISSUE_KEYS, issue
    keys = [(i["page"], i["field"], i["code"], i["message"]) for i in report["issues"]]
    assert keys == sorted(keys), "issues must be sorted by page, field, code and message"
    assert report["errors"] == sum(1 for i in report["issues"] if i["severity"] == "error")
    assert report["warnings"] == sum(1 for i in report["issues"] if i["severity"] == "warning")
    return report


@pytest.mark.usefixtures("no_edit")
def test_json_over_all_pages_lists_exactly_the_seeded_problems(wiki: LiveWiki, seed: list[dict[str, Any]]) -> None:
    report = run_json(wiki, expect_exit=1)
    assert report["pages_checked"] == len(infobox_pages(seed))
    assert found_problems(report) == expected_problems(seed)
    assert report["errors"] > 0


@pytest.mark.usefixtures("no_edit")
def test_text_over_all_pages_groups_problems_by_page(wiki: LiveWiki, seed: list[dict[str, Any]]) -> None:
    result = run_validate(wiki, expect_exit=1)
    lines = result.stdout.splitlines()
    with_problems = [p["title"] for p in seed if p["expect"]]
    assert [line for line in lines if line and not line.startswith(" ") and "checked:" not in line] == sorted(
        with_problems
    )
    problems = sum(len(p["expect"]) for p in seed)
    assert sum(1 for line in lines if line.startswith(("  error ", "  warning "))) == problems
    assert lines[-1].startswith(f"{len(infobox_pages(seed))} pages checked: ")
    assert lines[-1].endswith(f"on {len(with_problems)} pages.")
    assert "Read " not in result.stdout, "progress messages belong on standard error"


@pytest.mark.usefixtures("no_edit")
def test_a_valid_page_has_no_issues(wiki: LiveWiki) -> None:
    report = run_json(wiki, "-page:Partnerships/PediaPress books", expect_exit=0)
    assert report == {"pages_checked": 1, "errors": 0, "warnings": 0, "issues": []}
    text = run_validate(wiki, "-page:Partnerships/PediaPress books", expect_exit=0).stdout
    assert text.strip() == "1 page checked: 0 errors, 0 warnings on 0 pages."


@pytest.mark.usefixtures("no_edit")
def test_an_unknown_status_names_the_field_and_the_valid_values(wiki: LiveWiki) -> None:
    title = "Partnerships/Example: Unknown status"
    result = run_validate(wiki, f"-page:{title}", expect_exit=1)
    allowed = ", ".join(choice.label for choice in CONFIG.schema.field("status").choices)
    lines = result.stdout.splitlines()
    assert lines[0] == title
    assert lines[1].startswith("  error   status: “paused” is not a known status.")
    assert f" Allowed: {allowed}." in lines[1]
    assert lines[-1] == "1 page checked: 1 error, 0 warnings on 1 page."


@pytest.mark.usefixtures("no_edit")
def test_a_prefixindex_checks_just_those_pages(wiki: LiveWiki, seed: list[dict[str, Any]]) -> None:
    prefix = "Partnerships/Example: Bad"
    pages = [p for p in seed if p["title"].startswith(prefix)]
    assert len(pages) == 3
    report = run_json(wiki, f"-prefixindex:{prefix}", expect_exit=1)
    assert report["pages_checked"] == len(pages)
    assert found_problems(report) == expected_problems(pages)


@pytest.mark.usefixtures("no_edit")
def test_a_page_without_the_infobox_gets_a_warning_only(wiki: LiveWiki) -> None:
    report = run_json(wiki, "-page:Task force/Alliances and partnerships", expect_exit=0)
    assert [(i["code"], i["severity"]) for i in report["issues"]] == [("no-infobox", "warning")]


@pytest.mark.usefixtures("no_edit")
def test_a_missing_page_is_reported_without_a_traceback(wiki: LiveWiki) -> None:
    title = "Partnerships/No such partnership"
    result = run_validate(wiki, f"-page:{title}", "-page:Partnerships/PediaPress books", expect_exit=1)
    lines = result.stdout.splitlines()
    assert lines[0] == title
    assert "no page with this title" in lines[1]
    assert lines[-1] == "2 pages checked: 1 error, 0 warnings on 1 page."
    report = run_json(wiki, f"-page:{title}", expect_exit=1)
    assert [(i["page"], i["code"]) for i in report["issues"]] == [(title, "missing-page")]


@pytest.mark.usefixtures("no_edit")
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-nosuchoption"], "Unknown option '-nosuchoption'"),
        (["--format", "xml"], "Unknown format 'xml'"),
        (["stray"], "Unexpected argument 'stray'"),
        (["-report", "-page:Partnerships/PediaPress books"], "-report rewrites the whole validation report"),
    ],
)
def test_bad_options_exit_2(wiki: LiveWiki, args: list[str], message: str) -> None:
    result = run_validate(wiki, *args, expect_exit=2)
    assert result.stdout == ""
    assert message in result.stderr


def test_report_is_left_alone_when_current(wiki: LiveWiki, seed: list[dict[str, Any]]) -> None:
    """After the main job, the report validate would write is the same, so nothing is saved."""
    update = wiki.run("bots.update", "-always")
    assert update.returncode == 0, output(update)
    before = revids(wiki, [*TITLES.values(), *(p["title"] for p in seed)])
    result = run_validate(wiki, "-report", "-always", "--format", "json", expect_exit=1)
    assert found_problems(json.loads(result.stdout)) == expected_problems(seed)
    assert f"No change on [[{REPORT}]]" in result.stderr
    assert revids(wiki, before) == before


def test_report_simulate_saves_nothing_and_report_rewrites_only_the_report(wiki: LiveWiki) -> None:
    text = wiki.api.text(REPORT)
    start, end = text.index(START), text.index(END)
    wiki.api.edit(REPORT, text[:start] + text[start:end].replace("pages read", "pages (stale) read", 1) + text[end:])
    before = revids(wiki, TITLES.values())
    result = run_validate(wiki, "-report", "-always", "-simulate", expect_exit=1)
    assert "(stale)" in result.stderr, "-simulate shows the diff"
    assert revids(wiki, TITLES.values()) == before
    run_validate(wiki, "-report", "-always", expect_exit=1)
    after = revids(wiki, TITLES.values())
    assert after[REPORT] > before[REPORT]
    assert {t: r for t, r in after.items() if t != REPORT} == {t: r for t, r in before.items() if t != REPORT}
    assert "(stale)" not in wiki.api.text(REPORT)


def test_report_honours_the_shutoff_page(wiki: LiveWiki, seed: list[dict[str, Any]]) -> None:
    with switched_off(wiki, "stop: testing the validator") as shutoff:
        before = revids(wiki, TITLES.values())
        result = run_validate(wiki, "-report", "-always", expect_exit=3)
        assert "switched off" in result.stderr and shutoff in result.stderr
        assert revids(wiki, TITLES.values()) == before
        run_validate(wiki, "-page:Partnerships/PediaPress books", expect_exit=0)
