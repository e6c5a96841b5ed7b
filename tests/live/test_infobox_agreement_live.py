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

from collections import Counter
from html.parser import HTMLParser
from typing import Any

from bots.config import load_config
from bots.core.onwiki.lua import problem_codes
from bots.core.records.model import PageSnapshot
from bots.core.records.parse import parse_page
from bots.core.records.validate import validate_page
from tests.live.conftest import LiveWiki
from tests.mutations import mutants

SCHEMA = load_config().schema
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


def expected(title: str, text: str) -> set[tuple[str, str, str]]:
    """What bots.validate finds in ``text`` that needs only the page, worded as the module shows it."""
    _, issues = validate_page(title, parse_page(PageSnapshot(title=title, text=text), SCHEMA.template_names), SCHEMA)
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
