"""One schema, two validators: the Lua infobox's preview and bots.validate agree, page by page, word for word.

300 pages made from the sample pages with volunteers' mistakes (tests/mutations.py) are
previewed by the local wiki (action=parse with preview), and the problems the module shows
(class="partnership-problem", data-field, data-code, and the message a reader sees) must be
exactly the problems bots.validate finds in the same text that need only the page, in the
same words. Left out, on both sides:
a doubled parameter (the module is given the last value only, as every template is) and the
page-level findings (no infobox, several infoboxes), which are not the infobox's to show.
"""

from __future__ import annotations

import shutil
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from bots.config import load_config
from bots.core.onwiki.lua import problem_codes
from bots.core.records.model import PageSnapshot
from bots.core.records.parse import parse_page
from bots.core.records.schema import Schema
from bots.core.records.validate import validate_page
from scripts.devwiki import PROJECT_DIR
from tests.live.conftest import LiveWiki, output
from tests.mutations import mutants

SCHEMA = load_config().schema
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
        "|kind=history|visitors={{increase}} 95,000<ref>Annual report</ref>}}\n",
    ),
    (
        "Museums/Science hall",
        "{{Museum\n| name = Science hall\n| established = {{Start date and age|1901|5}}\n"
        "| kind = [[Science museum|science]]\n| collections = Steam engines\n| area = 5,000 m²\n}}\n",
    ),
]
PAGES = 300
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


def test_the_preview_shows_exactly_the_single_page_problems_bots_validate_finds(
    wiki: LiveWiki, seed: list[dict[str, Any]]
) -> None:
    samples = [(page["title"], page["text"]) for page in seed if "{{" + SCHEMA.template in page["text"]]
    cases: Counter[str] = Counter()
    disagreements = []
    for number, mutant in enumerate(mutants(samples, SCHEMA, PAGES)):
        title = f"Partnerships/Agreement test {number}"
        want = expected(title, mutant.text)
        cases.update(code for _, code, _ in want)
        got = shown(wiki, title, mutant.text)
        if got != want:
            disagreements.append(
                f"{mutant.source} with {', '.join(mutant.mutations)}: "
                f"only the bot: {sorted(want - got)}; only the module: {sorted(got - want)}"
            )
    assert disagreements == [], f"{len(disagreements)} of {PAGES} pages disagree:\n" + "\n".join(disagreements[:20])
    assert {rule: cases[rule] for rule in RULES if cases[rule] < MIN_CASES} == {}, cases


def test_the_preview_and_bots_validate_agree_on_values_written_as_wikipedia_writes_them(
    wiki: LiveWiki, tmp_path: Path
) -> None:
    """The museum schema: dates, URLs, numbers and pages in wikitext, their templates expanded by the wiki."""
    settings = tmp_path / "museum"
    shutil.copytree(MUSEUM_DIR, settings)
    result = wiki.run("scripts.install_templates", "-always", f"-settings:{settings}")
    assert result.returncode == 0, output(result)
    cases: Counter[str] = Counter()
    disagreements = []
    for number, mutant in enumerate(mutants(MUSEUM_SAMPLES, MUSEUM, MUSEUM_PAGES, seed=22)):
        title = f"Museums/Agreement test {number}"
        want = expected(title, mutant.text, MUSEUM)
        cases.update(code for _, code, _ in want)
        cases.update(mutant.mutations)
        got = shown(wiki, title, mutant.text)
        if got != want:
            disagreements.append(
                f"{mutant.source} with {', '.join(mutant.mutations)}: "
                f"only the bot: {sorted(want - got)}; only the module: {sorted(got - want)}"
            )
    assert disagreements == [], f"{len(disagreements)} of {MUSEUM_PAGES} pages disagree:\n" + "\n".join(
        disagreements[:20]
    )
    rules = set(problem_codes(MUSEUM)) - BOT_ONLY
    assert {rule: cases[rule] for rule in rules if cases[rule] < MUSEUM_MIN_CASES} == {}, cases
    assert cases["wikitext-value"] >= MIN_CASES, cases
