"""Issue 19's bench figure from the wiki's answers (scripts/bench_findings.py): what one new finding re-renders."""

from __future__ import annotations

import json
from pathlib import Path

import scripts.bench_findings
from scripts.bench_findings import HEADER, RerenderFigure, findings_edits, has_finding
from tests.test_architecture import impurities

MODULE = "Module:Partnership"


def test_the_figure_is_computed_without_reaching_the_wiki_or_the_disk() -> None:
    path = Path(scripts.bench_findings.__file__)
    assert impurities(path.read_text(encoding="utf-8"), str(path)) == []


def test_only_the_findings_pages_among_the_bots_contributions_count_oldest_first() -> None:
    newest_first = [
        {"title": "Module:Partnership/findings/18.json"},
        {"title": "User:PartnershipBot/Status"},
        {"title": "Partnerships/Overview"},
        {"title": "Module:Partnership/findings.json"},
        {"title": "Module:Partnership/findings/3.json"},
        {"title": "Module:Partnership"},
    ]
    assert findings_edits(newest_first, MODULE) == [
        "Module:Partnership/findings/3.json",
        "Module:Partnership/findings.json",
        "Module:Partnership/findings/18.json",
    ]
    assert findings_edits([], MODULE) == []


def test_a_shard_holds_the_new_finding_only_under_its_page_and_code() -> None:
    text = json.dumps({"Partnerships/A": [{"code": "related-not-reciprocal", "field": "related"}]})
    assert has_finding(text, "Partnerships/A", "related-not-reciprocal")
    assert not has_finding(text, "Partnerships/A", "possible-duplicate")
    assert not has_finding(text, "Partnerships/B", "related-not-reciprocal")
    assert not has_finding("", "Partnerships/A", "related-not-reciprocal")
    assert not has_finding("[1, 2]", "Partnerships/A", "related-not-reciprocal")
    assert not has_finding('{"Partnerships/A": "x"}', "Partnerships/A", "related-not-reciprocal")


def test_the_pages_to_re_render_are_the_saved_shards_transclusions_each_counted_once() -> None:
    embedded = {
        "Module:Partnership/findings/18.json": [{"title": f"Partnerships/P{n}"} for n in range(38)],
        "Module:Partnership/findings/3.json": [{"title": "Partnerships/P0"}, {"title": "Partnerships/Q"}],
    }
    saved = ["Module:Partnership/findings/18.json", "Module:Partnership/findings/3.json"]
    figure = RerenderFigure.from_answers(10_000, saved, embedded, 41.26)
    assert len(figure.readers) == 39
    assert figure.share == 0.0039
    assert figure.row() == "| 10,000 | 2 (18.json, 3.json) | 39 | 0.39% | 41.3 |"
    assert figure.row().count("|") == HEADER[0].count("|")


def test_a_run_that_saved_no_findings_page_re_renders_nothing() -> None:
    figure = RerenderFigure.from_answers(1_000, [], {}, 2.0)
    assert figure.readers == frozenset()
    assert figure.share == 0.0
    assert figure.row() == "| 1,000 | 0 (none) | 0 | 0.00% | 2.0 |"
    assert RerenderFigure.from_answers(0, [], {}, 0.0).share == 0.0
