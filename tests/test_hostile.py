"""Hostile and broken input (tests/data/hostile.yaml, plus a 2 MB page and a 100,000-character
value): the whole pure pipeline neither crashes nor hangs, and every problem lands in the report."""

from __future__ import annotations

import re
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bots.config import load_config
from bots.core.pages.guard import count_rows
from bots.core.pages.regions import replace_region
from bots.core.pages.render import escape_wikitext
from bots.core.pipeline import check_pages, render_generated
from bots.core.records.model import PageSnapshot
from tests.support import TWO_MEGABYTES

CONFIG = load_config()
CORPUS = Path(__file__).parent / "data" / "hostile.yaml"
BIG_VALUE = "x" * 100_000


def hostile_pages() -> list[dict[str, Any]]:
    pages: list[dict[str, Any]] = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))["pages"]
    infobox = (
        "{{Partnership\n| name = %s\n| partner = Someone\n| type = content\n| lead = volunteers\n| status = %s\n}}\n"
    )
    pages.append(
        {
            "title": "Hostile/Two megabytes",
            "text": infobox % ("Two megabytes", "active") + TWO_MEGABYTES,
            "expect": [],
        }
    )
    pages.append(
        {"title": "Hostile/Huge value", "text": infobox % (BIG_VALUE, "sometimes"), "expect": ["unknown-value"]}
    )
    return pages


@pytest.fixture(autouse=True)
def no_hang() -> Iterator[None]:
    """A safety net, not a timing test: a hang fails the test instead of stopping the suite."""

    def hung(*_: object) -> None:
        raise TimeoutError("the pipeline hung on hostile input")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(120)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def snapshots(pages: list[dict[str, Any]]) -> list[PageSnapshot]:
    return [PageSnapshot(title=p["title"], text=p["text"], revid=1, pageid=n) for n, p in enumerate(pages)]


def test_the_corpus_has_what_the_issue_asks_for() -> None:
    pages = hostile_pages()
    in_file = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))["pages"]
    assert (len(in_file), len(pages)) == (10, 12), "docs/reliability.md's count of hostile pages needs an update"
    assert any(len(p["text"]) >= 2_000_000 for p in pages)
    assert any("{{!}}" in p["text"] for p in pages) and any("<ref>" in p["text"] for p in pages)
    assert any(set("!\"$%&'()*+,-./:;=?@\\^_`~") <= set(p["title"]) for p in pages)


@pytest.mark.parametrize("page", hostile_pages(), ids=lambda p: p["title"])
def test_each_hostile_page_is_read_and_its_problems_reported(page: dict[str, Any]) -> None:
    checked = check_pages(snapshots([page]), CONFIG.schema, CONFIG.schema.template_names)
    codes = {i.code for i in checked.issues}
    assert set(page["expect"]) <= codes, (page["title"], codes)
    if not page["expect"]:
        assert not [i for i in checked.issues if i.severity == "error"], checked.issues
    bodies = render_generated(checked, CONFIG, "now")
    report = bodies[CONFIG.pages.title_of("report")][0]
    for issue in checked.issues:
        assert f"[[:{issue.page}|" in report
        assert escape_wikitext(issue.message) in report


def test_the_whole_corpus_renders_once_per_record() -> None:
    pages = [p for p in hostile_pages() if p["title"] != "Hostile/Two megabytes"]
    checked = check_pages(snapshots(pages), CONFIG.schema, CONFIG.schema.template_names)
    bodies = render_generated(checked, CONFIG, "now")
    listed = checked.records  # those with errors too (issue 18)
    index = bodies[CONFIG.pages.title_of("index")][0]
    assert count_rows(index) == len(listed) > 5
    for body, _summary in bodies.values():
        page = replace_region("Volunteer text.\n", body, CONFIG.pages.region_start, CONFIG.pages.region_end)
        assert page.count(CONFIG.pages.region_start) == 1 and page.count(CONFIG.pages.region_end) == 1
    # a record with an error is listed (issue 18): its bad status as written, marked
    assert BIG_VALUE in index and '|| sometimes <small class="partnership-problem">' in index


@pytest.mark.parametrize("value", ["ISBN 978-3-16-148410-0", "RFC 2616", "PMID 12345", "see ISBN\t0-306-40615-2"])
def test_magic_links_are_escaped(value: str) -> None:
    escaped = escape_wikitext(value)
    assert not any(f"{word} " in escaped or f"{word}\t" in escaped for word in ("ISBN", "RFC", "PMID"))


def test_the_docs_count_the_hostile_pages_right() -> None:
    doc = " ".join((Path(__file__).parents[1] / "docs" / "reliability.md").read_text(encoding="utf-8").split())
    claim = re.search(r"(\d+) hostile pages \((\d+) in the corpus file", doc)
    assert claim, "docs/reliability.md says how many hostile pages the tests cover"
    in_file = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))["pages"]
    assert (int(claim[1]), int(claim[2])) == (len(hostile_pages()), len(in_file))
