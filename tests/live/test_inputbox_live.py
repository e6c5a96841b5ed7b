"""The task force page's input boxes create a new partnership page from the infobox's preloads.

Checked as a reader's browser would see it: the forms the wiki renders (action=parse), one
opening VisualEditor (veaction=edit) on the blank infobox, one the source editor on the
infobox whose lines say what each parameter takes; the source form sent with a name must
open on "Partnerships/<name>" filled with that preload. VisualEditor's side is in
test_visualeditor_live.py, and a volunteer's whole first edit in test_browser_live.py.
"""

from __future__ import annotations

import html
import re
import urllib.parse
import urllib.request
from html.parser import HTMLParser

from bots.config import load_config, onwiki_templates
from bots.core.onwiki.infobox import onwiki_pages
from tests.live.conftest import LiveWiki

SCHEMA = load_config().schema
TASK_FORCE_PAGE = "Task force/Alliances and partnerships"
PRELOAD = f"Template:{SCHEMA.template}/preload"
#: The preload of the VisualEditor form: the same blank infobox without the hints as comments.
BLANK = f"Template:{SCHEMA.template}/blank"
PREFIX = "Partnerships/"


class Forms(HTMLParser):
    """Every <form> of a page: its attributes and its inputs' names and values."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[dict[str, str], dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms.append((values, {}))
        elif tag == "input" and self.forms and "name" in values:
            self.forms[-1][1][values["name"]] = values.get("value", "")


def create_form(page_html: str, preload: str) -> tuple[dict[str, str], dict[str, str]]:
    parser = Forms()
    parser.feed(page_html)
    (form,) = [f for f in parser.forms if f[1].get("preload") == preload]
    return form


def test_the_task_force_page_has_a_create_box_for_each_editor_with_its_preload_and_prefix(wiki: LiveWiki) -> None:
    page = wiki.api.parse(TASK_FORCE_PAGE)["text"]
    for preload, visual in ((BLANK, True), (PRELOAD, False)):
        attributes, inputs = create_form(page, preload)
        assert attributes["method"] == "get"
        assert (inputs.get("veaction") == "edit") is visual
        assert inputs["prefix"] == PREFIX
        assert "title" in inputs


def test_sending_the_box_opens_a_new_partnership_page_with_a_blank_infobox(wiki: LiveWiki) -> None:
    attributes, inputs = create_form(wiki.api.parse(TASK_FORCE_PAGE)["text"], PRELOAD)
    query = urllib.parse.urlencode({**inputs, "title": "Wikimedia and a new museum"})
    url = urllib.parse.urljoin(wiki.dev.url + "/", attributes["action"]) + "?" + query
    with urllib.request.urlopen(url, timeout=60) as response:
        landed = response.geturl()
        page = response.read().decode("utf-8")
    assert '"wgPageName":"Partnerships/Wikimedia_and_a_new_museum"' in page, landed
    assert '"wgAction":"edit"' in page
    match = re.search(r"<textarea[^>]*name=\"wpTextbox1\"[^>]*>(.*?)</textarea>", page, re.S)
    assert match, "no edit box"
    preload = onwiki_pages(SCHEMA, onwiki_templates())[PRELOAD]
    blank = re.sub(r"<noinclude>.*?</noinclude>", "", preload, flags=re.S).strip()
    assert blank.startswith("{{" + SCHEMA.template)
    assert html.unescape(match.group(1)).strip() == blank
