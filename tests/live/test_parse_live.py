"""Pages the bot's parser and MediaWiki's read differently, on the local wiki (issue 16, items 1 and 13)."""

from __future__ import annotations

from pathlib import Path

from tests.live.conftest import LiveWiki, output
from tests.live.sandbox import make_sandbox


def report_section(report: str, title: str) -> str:
    """The report's section of one page ('' if the page is not in the report)."""
    parts = report.split(f"=== [[:{title}|", 1)
    return parts[1].split("\n===", 1)[0] if len(parts) == 2 else ""


def test_a_page_that_would_stall_the_parser_is_reported_and_the_run_goes_on(wiki: LiveWiki, tmp_path: Path) -> None:
    """The issue's page: a valid infobox, then ``{{a|`` 16,000 times (93 s to parse before)."""
    box = make_sandbox(wiki, tmp_path, "stall")
    others = box.add_partnerships(2)
    slow = "Reliab/stall/Slow"
    wiki.api.edit(slow, box.partnership(9) + "{{a|" * 16000)
    embedding = wiki.api.call(action="query", list="embeddedin", eititle=f"Template:{box.template}", eilimit="max")
    assert slow in {p["title"] for p in embedding["query"]["embeddedin"]}, "the wiki reads the infobox"
    result = box.run("bots.update", "-always", timeout=240)
    log = output(result)
    assert result.returncode == 0, log
    assert "3 pages read" in log
    report = wiki.api.text(box.title("report"))
    section = report_section(report, slow)
    assert "<code>too-complex</code>" in section and "too complex to read" in section, report
    index = wiki.api.text(box.title("index"))
    for title in others:
        assert f"[[:{title}|" in index and not report_section(report, title)
    assert f"[[:{slow}|" not in index
