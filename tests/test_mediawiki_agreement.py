"""bots.core.records.parse reads what MediaWiki shows, and notes what MediaWiki hides (issue 16, item 13).

MediaWiki runs an unclosed ``<!--`` (or <includeonly>) to the end of the page, and the page itself
does not show <includeonly> or <pre> content as wikitext; mwparserfromhell reads an unclosed
comment as text. Each hidden infobox is noted (``ignored``), so that the page is reported.
"""

from __future__ import annotations

import pytest

from bots.core.records.model import PageSnapshot
from bots.core.records.parse import hidden_from, holds_unread_infobox, parse_page
from bots.core.records.validate import validate_page
from tests.support import SCHEMA

BOX = "{{Partnership|name=A}}"


def read(text: str) -> tuple[int, tuple[str, ...]]:
    parsed = parse_page(PageSnapshot("Partnerships/A", text), ["Partnership"])
    return len(parsed.infoboxes), parsed.ignored


@pytest.mark.parametrize(
    ("text", "infoboxes", "ignored"),
    [
        pytest.param("Intro <!-- a note\n" + BOX, 0, ("unclosed",), id="after-an-unclosed-comment"),
        pytest.param("{{Partnership|name=A|partner=B <!-- C\n|type=content}}", 0, ("unclosed",), id="cut-by-one"),
        pytest.param(BOX + "\nOutro <!-- a note", 1, (), id="before-an-unclosed-comment"),
        pytest.param(BOX + "<!--\n" + BOX, 1, ("unclosed",), id="one-before-one-after"),
        pytest.param("<includeonly>" + BOX + "</includeonly>", 0, ("includeonly",), id="includeonly"),
        pytest.param("Intro <includeonly>\n" + BOX, 0, ("unclosed",), id="unclosed-includeonly"),
        pytest.param("<pre>" + BOX + "</pre>", 0, ("pre",), id="pre"),
        pytest.param("<nowiki><!--</nowiki>" + BOX, 1, (), id="comment-opener-in-nowiki-is-text"),
        pytest.param("<pre><!--</pre>" + BOX, 1, (), id="comment-opener-in-pre-is-text"),
        pytest.param("<nowiki><!--\n" + BOX, 0, ("unclosed",), id="unclosed-nowiki-is-text-the-comment-is-not"),
        pytest.param("<noinclude>" + BOX + "</noinclude>", 1, (), id="noinclude-is-shown"),
        pytest.param("<onlyinclude>" + BOX + "</onlyinclude>", 1, (), id="onlyinclude-is-shown"),
        pytest.param("<!-- closed -->" + BOX, 1, (), id="closed-comment"),
    ],
)
def test_the_bot_reads_what_mediawiki_shows(text: str, infoboxes: int, ignored: tuple[str, ...]) -> None:
    assert read(text) == (infoboxes, ignored)


def test_where_mediawiki_stops_showing_the_page() -> None:
    assert hidden_from("a <!-- b --> c <!-- d") == len("a <!-- b --> c ")
    assert hidden_from("a <!-- b --> c") is None
    assert hidden_from("a <INCLUDEONLY> b") == 2
    assert hidden_from("<nowiki/><!--") == len("<nowiki/>")


@pytest.mark.parametrize(
    "text", ["<!---->" * 300_000 + "<nowiki>", "<nowiki>" * 300_000 + "<!--", "<includeonly>" * 200_000]
)
def test_finding_where_the_page_stops_is_linear(text: str) -> None:
    """Each closer is searched for once per stretch of text: a 2 MB page of openers is scanned in one pass."""
    assert hidden_from(text) in (None, len(text) - 4, 0)


def test_a_hidden_infobox_is_reported_with_what_to_do() -> None:
    text = "{{Partnership|name=A|partner=B <!-- C\n|type=content}}"
    _, issues = validate_page(
        "Partnerships/A", parse_page(PageSnapshot("Partnerships/A", text), ["Partnership"]), SCHEMA
    )
    assert [(i.page, i.code) for i in issues] == [
        ("Partnerships/A", "ignored-infobox"),
        ("Partnerships/A", "no-infobox"),
    ]
    assert "never closed" in issues[0].message and "Close the comment with -->" in issues[0].message


@pytest.mark.parametrize(
    ("text", "unread"),
    [
        pytest.param("Intro <!-- never closed\n" + BOX, True, id="hidden-by-an-unclosed-comment"),
        pytest.param("<includeonly>" + BOX + "</includeonly>", True, id="includeonly"),
        pytest.param("{{Partnership\n| name = A\n", True, id="never-closed"),
        pytest.param("{{template:partnership|name=A", True, id="never-closed-with-prefix"),
        pytest.param(BOX + "{{a|" * 16000, True, id="too-complex"),
        pytest.param(BOX, False, id="read"),
        pytest.param("The partnership ended; see [[Other page]].", False, id="removed"),
        pytest.param("{{Partnership list}}", False, id="another-template"),
    ],
)
def test_a_page_still_holding_an_infobox_nobody_reads_is_told_apart(text: str, unread: bool) -> None:
    """Such a page, when the wiki stops listing it, is read again to be reported (wiki.listing.unread_infobox_pages)."""
    assert holds_unread_infobox(PageSnapshot("Partnerships/A", text), ["Partnership"]) is unread
