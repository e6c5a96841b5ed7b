"""One schema, two validators: the Lua infobox's preview and bots.validate agree, page by page, word for word.

300 pages made from the sample pages with volunteers' mistakes (tests/mutations.py) are
previewed by the local wiki (action=parse with preview), and the problems the module shows
(class="partnership-problem", data-field, data-code, and the message a reader sees) must be
exactly the problems bots.validate finds in the same text that need only the page, in the
same words. Left out, on both sides:
a doubled parameter (the module is given the last value only, as every template is) and the
page-level findings (no infobox, several infoboxes), which are not the infobox's to show.

Lists are split alike on both sides (bots/core/records/items.py, the module's split): the
corpus writes lists with ``<br>``, bullets, a separator inside a link or a ref. A second run
puts in place a module made from the schema with ``<br>`` as a separator of every list and
Wikipedia's list templates, and stand-ins of those templates that expand as Wikipedia's do
(a div around the bullets; a div around an HTML list): the module sees only what they expand
to, bots.validate only the template's parameters, and both find the same items.

A third run does the same for a schema whose fields read wikitext as Wikipedia's editors write
it (tests/data/museum: numbers, dates, URLs, images and coordinates in templates, links, refs),
the date, URL and coordinates templates expanded by the wiki's stand-ins; a hidden field is read
and checked alike, and a field left out takes its default on both sides (the New museum's
visitor figure is of 2019 by default, before it was established).
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from bots.config import load_config, onwiki_templates
from bots.core.onwiki.infobox import environment, lua_module, partners_of
from bots.core.onwiki.lua import problem_codes
from bots.core.records.items import separator_strings
from bots.core.records.model import PageSnapshot
from bots.core.records.parse import parse_page
from bots.core.records.schema import Schema
from bots.core.records.validate import validate_page
from scripts.devwiki import ADMIN_USER, PROJECT_DIR
from tests.live.conftest import LiveWiki, output
from tests.mutations import mutants

CONFIG = load_config()
SCHEMA = CONFIG.schema
#: A schema whose fields read wikitext as Wikipedia's editors write it (issue 20), and pages in its style.
MUSEUM_DIR = PROJECT_DIR / "tests" / "data" / "museum"
MUSEUM = load_config(MUSEUM_DIR).schema
MUSEUM_PAGES = 200
#: Each rule at least this many times among the museum pages (the corpus is smaller).
MUSEUM_MIN_CASES = 3
MUSEUM_SAMPLES = [
    (
        "Museums/Louvre",
        "{{Infobox museum\n| name = Louvre\n| established = {{Start date|1793|08|10|df=y}}\n"
        "| visitors = {{decrease}} 8,700,000 (2023)<ref>{{cite news|title=Visitors}}</ref>\n"
        "| area = 72,735\n| website = {{URL|https://www.louvre.fr/en}}\n| kind = [[Art museum]]\n"
        "| image = [[File:Louvre Museum Wikimedia Commons.jpg|thumb|The pyramid]]\n"
        "| coordinates = {{coord|48|51|40|N|2|20|08|E|type:landmark}}\n| reopened = 1993\n"
        "| architect = [[I. M. Pei]] (pyramid)\n| collections = [[Egyptian art]]; [[Greek art|Greek]]\n}}\n",
    ),
    (
        "Museums/Saint Louis Art Museum",
        "{{Museum\n| name = Saint Louis Art Museum\n| established = 1879\n| visitors = 861,000\n"
        "| website = [https://www.slam.org/ slam.org]\n| kind = art gallery\n"
        "| architect = [[Cass Gilbert]] ([[HOK (firm)|HOK]])\n}}\n",
    ),
    (
        "Museums/Oslo Museum",
        "{{Museum|name=Oslo Museum|established=April 13, 1870|closed=March 2012|website=www.oslomuseum.no"
        "|kind=history|visitors={{increase}} 95,000<ref>Annual report</ref>|visitors_year=2011"
        "|coordinates=59.9139, 10.7522|image=Oslo Bymuseum.jpg}}\n",
    ),
    (
        "Museums/New museum",
        "{{Museum\n| name = New museum\n| established = {{Start date|2021|6|1}}\n| visitors = 12,000\n"
        "| coordinates = {{coord|59.91|10.75}}\n| image = File:New museum.png\n}}\n",
    ),
    (
        "Museums/Science hall",
        "{{Museum\n| name = Science hall\n| established = {{Start date and age|1901|5}}\n"
        "| kind = [[Science museum|science]]\n| collections = Steam engines\n| area = 5,000 m²\n}}\n",
    ),
]
PAGES = 300
#: The schema as a wiki with Wikipedia's list templates would write it: <br> ends an item in every list.
LIST_SCHEMA = replace(
    SCHEMA,
    fields=tuple(
        replace(
            spec,
            separators=(*separator_strings(spec.separators), "<br>"),
            list_templates=("plainlist", "plain list", "unbulleted list", "ubl"),
        )
        if spec.multiple
        else spec
        for spec in SCHEMA.fields
    ),
)
#: Stand-ins of Wikipedia's list templates, expanding as theirs do (Template:Plainlist; Module:List's ubl).
LIST_TEMPLATES = {
    "Template:Plainlist": '<div class="plainlist">{{{1|}}}</div>',
    "Template:Plain list": "#REDIRECT [[Template:Plainlist]]",
    "Template:Unbulleted list": '<div class="plainlist"><ul>'
    + "".join(f"{{{{#if:{{{{{{{n}|}}}}}}|<li>{{{{{{{n}}}}}}}</li>}}}}" for n in range(1, 7))
    + "</ul></div>",
    "Template:Ubl": "#REDIRECT [[Template:Unbulleted list]]",
}
LIST_PAGES = 120
#: Found by bots.validate, not visible to a module (it reads frame.args, where only the last value is).
BOT_ONLY = {"duplicate-parameter"}
#: The single-page rules the corpus must exercise, each at least MIN_CASES times: all the module shows.
RULES = set(problem_codes(SCHEMA)) - BOT_ONLY
MIN_CASES = 10


class Problems(HTMLParser):
    """(field, code, text) of every element with class partnership-problem, its text as a reader sees it."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str]] = []
        self._open: list[str] = []  # the text of the problem being read, while inside it
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if self._depth:
            self._depth += tag == "div"
        elif "partnership-problem" in values.get("class", "").split():
            self.found.append((values.get("data-field", ""), values.get("data-code", ""), ""))
            self._open, self._depth = [], 1

    def handle_endtag(self, tag: str) -> None:
        if self._depth and tag == "div":
            self._depth -= 1
            if not self._depth:
                field, code, _ = self.found[-1]
                self.found[-1] = (field, code, " ".join("".join(self._open).split()))

    def handle_data(self, data: str) -> None:
        if self._depth:
            self._open.append(data)


def shown(wiki: LiveWiki, title: str, text: str) -> set[tuple[str, str, str]]:
    """What the infobox shows in a preview of ``text`` as page ``title``: (field, code, "field: message")."""
    answer: dict[str, Any] = wiki.api.call(
        post=True, action="parse", title=title, text=text, prop="text", preview="1", disablelimitreport="1"
    )
    parser = Problems()
    parser.feed(answer["parse"]["text"])
    return set(parser.found)


def expected(title: str, text: str, schema: Schema = SCHEMA) -> set[tuple[str, str, str]]:
    """What bots.validate finds in ``text`` that needs only the page, worded as the module shows it."""
    _, issues = validate_page(title, parse_page(PageSnapshot(title=title, text=text), schema.template_names), schema)
    return {
        (issue.field, issue.code, " ".join(f"{issue.field}: {issue.message}".split()))
        for issue in issues
        if issue.field and issue.code not in BOT_ONLY
    }


def disagreements(
    wiki: LiveWiki,
    samples: list[tuple[str, str]],
    schema: Schema,
    pages: int,
    cases: Counter[str],
    seed: int = 18,
    folder: str = "Partnerships",
) -> list[str]:
    """Each mutant page whose preview shows other problems than bots.validate finds; ``cases`` counts the codes."""
    found = []
    for number, mutant in enumerate(mutants(samples, schema, pages, seed=seed)):
        title = f"{folder}/Agreement test {number}"
        want = expected(title, mutant.text, schema)
        cases.update(code for _, code, _ in want)
        cases.update(f"mutation:{value}" for value in mutant.mutations)
        got = shown(wiki, title, mutant.text)
        if got != want:
            found.append(
                f"{mutant.source} with {', '.join(mutant.mutations)}: "
                f"only the bot: {sorted(want - got)}; only the module: {sorted(got - want)}"
            )
    return found


def samples_of(seed: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(page["title"], page["text"]) for page in seed if "{{" + SCHEMA.template in page["text"]]


def test_the_preview_shows_exactly_the_single_page_problems_bots_validate_finds(
    wiki: LiveWiki, seed: list[dict[str, Any]]
) -> None:
    cases: Counter[str] = Counter()
    found = disagreements(wiki, samples_of(seed), SCHEMA, PAGES, cases)
    assert found == [], f"{len(found)} of {PAGES} pages disagree:\n" + "\n".join(found[:20])
    assert {rule: cases[rule] for rule in RULES if cases[rule] < MIN_CASES} == {}, cases
    assert cases["mutation:list-form"] >= MIN_CASES, cases


def test_the_preview_splits_lists_with_br_and_list_templates_as_bots_validate_does(
    wiki: LiveWiki, seed: list[dict[str, Any]], restore: Callable[[str], str]
) -> None:
    module = f"Module:{SCHEMA.template}"
    restore(module)
    for title, text in LIST_TEMPLATES.items():
        wiki.api.edit(title, text, summary="Stand-in of a list template for a test")
    wiki.api.edit(module, lua_module(LIST_SCHEMA, environment(onwiki_templates()), partners_of(CONFIG.pages)))
    cases: Counter[str] = Counter()
    try:
        found = disagreements(wiki, samples_of(seed), LIST_SCHEMA, LIST_PAGES, cases)
    finally:
        admin = wiki.api.login(ADMIN_USER, wiki.dev.secret("admin"))
        for title in LIST_TEMPLATES:
            admin.delete(title)
    assert found == [], f"{len(found)} of {LIST_PAGES} pages disagree:\n" + "\n".join(found[:20])
    assert cases["mutation:list-form"] >= MIN_CASES and cases["unknown-value"] >= MIN_CASES, cases


def test_the_preview_and_bots_validate_agree_on_values_written_as_wikipedia_writes_them(
    wiki: LiveWiki, tmp_path: Path
) -> None:
    """The museum schema: dates, URLs, numbers, pages, images and coordinates in wikitext, their templates expanded
    by the wiki; a hidden field; a default."""
    settings = tmp_path / "museum"
    shutil.copytree(MUSEUM_DIR, settings)
    result = wiki.run("scripts.install_templates", "-always", f"-settings:{settings}")
    assert result.returncode == 0, output(result)
    cases: Counter[str] = Counter()
    found = disagreements(wiki, MUSEUM_SAMPLES, MUSEUM, MUSEUM_PAGES, cases, seed=30, folder="Museums")
    assert found == [], f"{len(found)} of {MUSEUM_PAGES} pages disagree:\n" + "\n".join(found[:20])
    rules = set(problem_codes(MUSEUM)) - BOT_ONLY
    assert {rule: cases[rule] for rule in rules if cases[rule] < MUSEUM_MIN_CASES} == {}, cases
    assert cases["mutation:wikitext-value"] >= MIN_CASES, cases
    assert cases["bad-image"] and cases["bad-coordinates"] and cases["visitors_year-before-established"], cases

    # the box: the image (the words File:NAME linking to the file's page: the wiki has no files), the
    # coordinates as decimal degrees, the default marked as such, and no row of the hidden field
    title, text = MUSEUM_SAMPLES[0]
    html = wiki.api.call(action="parse", title=title, text=text, prop="text", disablelimitreport="1")["parse"]["text"]
    assert 'title="File:Louvre Museum Wikimedia Commons.jpg"' in html, html
    assert "48.861111, 2.335556" in html and "Coordinates" in html
    assert "2019" in html and 'class="partnership-default"' in html
    assert "Reopened" not in html and "1993" not in html
