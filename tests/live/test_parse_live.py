"""Pages the bot's parser and MediaWiki's read differently, on the local wiki (issue 16, items 1 and 13)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.live.conftest import LiveWiki, output
from tests.live.sandbox import Sandbox, make_sandbox


def report_section(report: str, title: str) -> str:
    """The report's section of one page ('' if the page is not in the report)."""
    parts = report.split(f"</span>[[:{title}|", 1)  # <h3><span id=...></span>[[:title|...]]</h3>
    return parts[1].split("\n<h3>", 1)[0] if len(parts) == 2 else ""


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


def transcluding(wiki: LiveWiki, template: str) -> set[str]:
    """The pages MediaWiki counts as using the template (list=embeddedin): the pages the bots read."""
    return {snap.title for snap in wiki.api.transcluding(template, [0])}


def validate_pages(box: Sandbox, *titles: str) -> dict[str, list[str]]:
    """bots.validate on ``titles``: page -> the codes of its problems."""
    result = box.run("bots.validate", "-format:json", *(f"-page:{t}" for t in titles))
    found: dict[str, list[str]] = {title: [] for title in titles}
    for issue in json.loads(result.stdout)["issues"]:
        found.setdefault(issue["page"], []).append(issue["code"])
    return found


#: Values create_pages refuses: each makes MediaWiki read the infobox otherwise than it is written.
UNSAFE = {
    "comment": "Kiwix <!-- to check",
    "link": "[[Kiwix",
    "template": "{{lang|fr",
    "includeonly": "<includeonly>Kiwix</includeonly>",
    "nowiki": "<nowiki>Kiwix",
    "pre": "<pre>Kiwix",
}
#: Of those, the ones that hide the infobox from MediaWiki altogether.
HIDE_THE_INFOBOX = {"comment", "link", "template"}
#: What the wiki shows of the others: not the value as written.
SHOWN_BY_THE_WIKI = {"includeonly": "", "nowiki": "&lt;nowiki&gt;Kiwix", "pre": "<pre>Kiwix</pre>"}


def test_create_pages_refuses_values_mediawiki_would_read_otherwise(wiki: LiveWiki, tmp_path: Path) -> None:
    box = make_sandbox(wiki, tmp_path, "agree")
    # The infobox shows its partner value, so that the wiki's reading of it can be seen.
    wiki.api.edit(f"Template:{box.template}", '<div class="partner">{{{partner|}}}</div>')
    rows = tmp_path / "rows.csv"
    valid = "[[Kiwix]]; Orange <b>Labs</b> <nowiki>{{</nowiki>"
    lines = ["name,partner,type,lead,status"]
    lines += [f'Agree {kind},"{value}",content,volunteers,active' for kind, value in UNSAFE.items()]
    lines.append(f'Agree valid,"{valid}",content,volunteers,active')
    rows.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = box.run("scripts.create_pages", "-always", f"-file:{rows}", "-title:Reliab/agree/{name}")
    log = output(result)
    assert result.returncode == 1, log
    for line, kind in enumerate(UNSAFE, 2):
        assert f"{rows}, line {line} partner: The value of partner would change how the wiki reads the page" in log
        assert wiki.api.revid(f"Reliab/agree/Agree {kind}") == 0, kind
    # MediaWiki agrees: the valid row's page uses the infobox and shows the value as written;
    # written by hand, each refused value hides the infobox, or the wiki shows it otherwise than written
    # (hidden, its tag as text, or its tag closed where the value did not close it).
    for kind, value in UNSAFE.items():
        wiki.api.edit(f"Reliab/agree/By hand {kind}", box.partnership(1, partner=value))
    used = transcluding(wiki, box.template)
    assert "Reliab/agree/Agree valid" in used
    shown = wiki.api.parse("Reliab/agree/Agree valid")["text"]
    assert ">Kiwix</a>; Orange <b>Labs</b> {{</div>" in shown
    for kind in UNSAFE:
        title = f"Reliab/agree/By hand {kind}"
        if kind in HIDE_THE_INFOBOX:
            assert title not in used, kind
            continue
        assert title in used, kind
        partner = wiki.api.parse(title)["text"].split('class="partner">', 1)[1].split("</div>", 1)[0]
        assert partner.strip() == SHOWN_BY_THE_WIKI[kind] != UNSAFE[kind], kind


def test_pages_where_mediawiki_and_the_bot_disagree_on_the_infobox_are_reported(wiki: LiveWiki, tmp_path: Path) -> None:
    """Both ways: the wiki counts the page as using the infobox and the bot reads none, or the reverse."""
    box = make_sandbox(wiki, tmp_path, "disagree")
    wrapper = f"{box.template} wrapper"
    wiki.api.edit(f"Template:{wrapper}", box.partnership(1))
    pages = {
        # The wiki counts these (through another template); the bot reads no infobox on them.
        "Wrapped": "{{" + wrapper + "}}",
        "Wrapped and hidden": "{{" + wrapper + "}}\nOld text <!-- to be redone\n" + box.partnership(2),
        # The bot's parser sees an infobox on these; the wiki does not count them.
        "Hidden": "Intro <!-- a note never closed\n" + box.partnership(3),
        "Cut": box.partnership(4, partner="Kiwix <!-- to check"),
        "Include only": "<includeonly>" + box.partnership(5) + "</includeonly>",
        "Pre": "<pre>" + box.partnership(6) + "</pre>",
        "Plain": box.partnership(7),
    }
    titles = {key: f"Reliab/disagree/{key}" for key in pages}
    for key, text in pages.items():
        wiki.api.edit(titles[key], text)
    used = transcluding(wiki, box.template)
    assert {k for k in pages if titles[k] in used} == {"Wrapped", "Wrapped and hidden", "Plain"}
    # The main job reads what the wiki counts.
    result = box.run("bots.update", "-always")
    assert result.returncode == 0, output(result)
    report = wiki.api.text(box.title("report"))
    assert "<code>no-infobox</code>" in report_section(report, titles["Wrapped"])
    hidden_here = report_section(report, titles["Wrapped and hidden"])
    assert "<code>ignored-infobox</code>" in hidden_here and "<code>no-infobox</code>" in hidden_here
    assert not report_section(report, titles["Plain"])
    # bots.validate on chosen pages reads what the wiki does not count: each infobox the wiki hides is reported.
    codes = validate_pages(box, *titles.values())
    for key in ("Hidden", "Cut", "Include only", "Pre", "Wrapped and hidden"):
        assert codes[titles[key]] == ["ignored-infobox", "no-infobox"], (key, codes)
    assert codes[titles["Plain"]] == []


def test_a_record_whose_infobox_the_wiki_stops_reading_is_reported_not_dropped(wiki: LiveWiki, tmp_path: Path) -> None:
    """A volunteer's edit hides the infobox from the wiki (an unclosed comment, a lost }}): the page leaves
    the template's transclusions, and the next runs report it instead of dropping the record silently."""
    box = make_sandbox(wiki, tmp_path, "lost")
    cache = f"-cache:{tmp_path / 'cache.sqlite'}"
    kept = box.add_partnerships(15)  # so that the three pages leaving are within the mass-removal guard
    titles = {key: f"Reliab/lost/{key}" for key in ("Hidden", "Broken", "Removed")}
    for number, title in enumerate(titles.values(), 20):
        wiki.api.edit(title, box.partnership(number))
    first = box.run("bots.update", "-always", cache)
    assert first.returncode == 0, output(first)
    index = wiki.api.text(box.title("index"))
    assert all(f"[[:{title}|" in index for title in [*kept, *titles.values()])
    wiki.api.edit(titles["Hidden"], "Being redone <!-- until the partner answers\n" + box.partnership(20))
    wiki.api.edit(titles["Broken"], box.partnership(21).rstrip()[:-2])
    wiki.api.edit(titles["Removed"], f"This partnership was merged into [[{kept[0]}]].")
    assert transcluding(wiki, box.template) == set(kept)
    for _ in range(2):  # the next run too: the page stays reported until it is fixed
        result = box.run("bots.update", "-always", cache)
        log = output(result)
        assert result.returncode == 0, log
        report = wiki.api.text(box.title("report"))
        hidden = report_section(report, titles["Hidden"])
        assert "<code>ignored-infobox</code>" in hidden and "<code>no-infobox</code>" in hidden, report
        assert "<code>no-infobox</code>" in report_section(report, titles["Broken"]), report
        assert not report_section(report, titles["Removed"]) and not report_section(report, kept[0])
        assert f"[[{titles['Hidden']}]] holds the infobox where the wiki does not read it" in log
        index = wiki.api.text(box.title("index"))
        assert f"[[:{kept[0]}|" in index and f"[[:{titles['Hidden']}|" not in index
