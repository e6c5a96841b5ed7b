"""Where bots.crosslink writes, and which related links it adds, on the local wiki (issue 16, items 4 and 8).

Each test has a sandbox (tests.live.sandbox): its own infobox, settings and
pywikibot folder (so its own memory of related pairs), so that a run over every
partnership page sees only the test's pages, as the daily run sees the wiki.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.live.conftest import LiveWiki, output
from tests.live.sandbox import Sandbox, make_sandbox


def sandbox(wiki: LiveWiki, tmp_path: Path, request: pytest.FixtureRequest, max_links: int | None = None) -> Sandbox:
    name = "Scope " + request.node.name.removeprefix("test_")[:40].replace("_", " ")
    box = make_sandbox(wiki, tmp_path, name)
    if max_links is not None:
        pages_file = box.config_dir / "pages.yaml"
        pages = yaml.safe_load(pages_file.read_text(encoding="utf-8"))
        pages["crosslink"]["max_links_per_page"] = max_links
        pages_file.write_text(yaml.safe_dump(pages, allow_unicode=True), encoding="utf-8")
    return box


def crosslink(box: Sandbox) -> str:
    """One crosslink run over every partnership page of the sandbox, as the scheduled job runs it."""
    result = box.run("bots.crosslink", "-always")
    text = output(result)
    assert result.returncode == 0, text
    assert "Traceback" not in text, text
    return text


def revisions(box: Sandbox, titles: list[str]) -> dict[str, int]:
    return {title: box.wiki.api.revid(title) for title in titles}


def test_a_record_naming_a_template_and_a_user_page_makes_the_bot_edit_neither(
    wiki: LiveWiki, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """`related = Template:.../preload; User:Victim/Draft`: both hold the infobox, neither is a partnership page."""
    box = sandbox(wiki, tmp_path, request)
    preload, draft = f"Template:{box.template}/preload", f"User:Victim/{box.name} draft"
    attacker = box.title("Attacker")
    wiki.api.edit(preload, box.partnership(0) + "<noinclude>What the form's new pages start with.</noinclude>\n")
    wiki.api.edit(draft, box.partnership(1))
    wiki.api.edit(attacker, box.partnership(2, related=f"{preload}; {draft}"))
    before = revisions(box, [preload, draft, attacker])

    text = crosslink(box)
    assert revisions(box, list(before)) == before, text
    assert ", 0 saved," in text and "0 can be fixed on 0 pages" in text
    for target in (preload, draft):
        assert f"related links to “{target}”, which is not a partnership page" in text

    report = box.run("bots.validate", "--format", "json")
    issues = [(i["page"], i["code"]) for i in json.loads(report.stdout)["issues"]]
    assert issues.count((attacker, "related-not-partnership-page")) == 2, output(report)


def test_a_related_entry_a_volunteer_removed_is_not_added_back(
    wiki: LiveWiki, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    box = sandbox(wiki, tmp_path, request)
    a, b, c, d, e = (box.title(name) for name in "ABCDE")
    wiki.api.edit(a, box.partnership(1, related=b))
    wiki.api.edit(b, box.partnership(2, related=a))
    wiki.api.edit(c, box.partnership(3, related=d))
    wiki.api.edit(d, box.partnership(4))
    first = crosslink(box)
    assert ", 1 saved," in first, "on the first run, a one-way link is a new one"
    assert c in box.wiki.api.text(d)

    wiki.api.edit(b, box.partnership(2))  # the volunteer of B ends the relation on B's page
    before = revisions(box, [a, b, c, d])
    for _run in range(2):
        text = crosslink(box)
        assert revisions(box, list(before)) == before, text
        assert a not in wiki.api.text(b)
        assert f"“{b}” no longer lists this page in its related field" in text
        assert f"[[{a}]]" in text, "the run names the page that still lists the other"

    wiki.api.edit(e, box.partnership(5, related=a))  # a new link after the bot remembers: still made
    text = crosslink(box)
    assert ", 1 saved," in text
    assert e in wiki.api.text(a)
    assert a not in wiki.api.text(b)
    assert "nothing remembered yet" in first and "nothing remembered" not in text


def test_a_record_with_errors_listing_25_pages_makes_no_edit(
    wiki: LiveWiki, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    box = sandbox(wiki, tmp_path, request)
    volunteers = box.add_partnerships(25)
    spam = box.title("Spam")
    wiki.api.edit(spam, box.partnership(99, related="; ".join(volunteers), status="nonsense"))
    before = revisions(box, volunteers)

    text = crosslink(box)
    assert ", 0 saved," in text, text
    assert revisions(box, volunteers) == before
    # The errors hold the links back (and not the fan-out limit, which would say so).
    assert f"[[{spam}]]" in text and "This page has errors (see the validation report)" in text
    assert "one run adds at most" not in text


def test_a_fan_out_over_the_limit_is_reported_and_not_made(
    wiki: LiveWiki, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    box = sandbox(wiki, tmp_path, request, max_links=2)
    targets = box.add_partnerships(5)
    wide, narrow = box.title("Wide"), box.title("Narrow")
    wiki.api.edit(wide, box.partnership(10, related="; ".join(targets[:3])))
    wiki.api.edit(narrow, box.partnership(11, related="; ".join(targets[3:])))
    text = crosslink(box)
    assert ", 2 saved," in text, text
    assert all(narrow in wiki.api.text(t) for t in targets[3:]), "within the limit, the links are made"
    assert not any(wide in wiki.api.text(t) for t in targets[:3])
    assert f"[[{wide}]]" in text and "one run adds at most 2 links from one page" in text
