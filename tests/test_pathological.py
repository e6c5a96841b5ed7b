"""No page costs much more to read than a plain page of its size (issue 16, item 1).

mwparserfromhell's tokenizer is quadratic on unclosed constructs (64 KB of ``{{a|`` took 93 s),
and its C code cannot be interrupted. Each page of the corpus is read in a child process,
timed by this test against a simple page of the same size read the same way, and stopped
when over budget, so a regression fails in seconds instead of hanging.
"""

from __future__ import annotations

import multiprocessing
import random
import re
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import cast

import jinja2
import pytest

from bots.core.links.fixes import apply_fixes
from bots.core.links.states import redirect_target
from bots.core.lists.fill import ListNames, fill_page, holds_list
from bots.core.pages.markers import UPDATED_RE, UPDATED_START
from bots.core.records.model import PageSnapshot
from bots.core.records.parse import parse_page
from bots.core.records.validate import validate_page
from bots.core.upkeep.maintenance import normalise, rename_parameter
from bots.core.upkeep.migrate import Migration, TableMapping, migrate_templates, table_rows
from tests.support import SCHEMA, infobox

#: A pathological page may cost this many times the simple page of its size (a page dense with
#: closed templates costs mwparserfromhell several times plain prose; a quadratic one thousands of times).
TIMES_THE_SIMPLE_PAGE = 10
#: The simple page is timed at this size; a larger page's reference is scaled linearly from it
#: (mwparserfromhell is, if anything, worse than linear, so the scaled budget is the stricter one).
REFERENCE_SIZE = 128 * 1024
KB = 1024
MB = 1024 * KB
INFOBOX = infobox()
PROSE = "Some text with a [[link]], a {{tl|template}}, an [http://example.org external link] and <b>bold</b>.\n"


def filled(pattern: str, size: int, head: str = INFOBOX, tail: str = "") -> str:
    """``head``, then ``pattern`` repeated, then ``tail``: ``size`` characters in all."""
    body = size - len(head) - len(tail)
    return head + (pattern * (body // len(pattern) + 1))[:body] + tail


def simple_page(size: int) -> str:
    return filled(PROSE, size)


def random_openers(size: int) -> str:
    pieces = ["{{a|", "{{{a|", "[[", "[http://a ", "<!--", "<ref>", "<div>", "\n{|\n", "<nowiki>", "x", "}}", "]]"]
    rng = random.Random(16)
    return INFOBOX + "".join(rng.choice(pieces) for _ in range(size // 4))[: size - len(INFOBOX)]


def nested(depth: int, size: int) -> str:
    """Templates nested ``depth`` deep, closed, repeated to ``size``."""
    return filled("{{a|" * depth + "x" + "}}" * depth + "\n", size)


#: name -> page maker(size). Each is a page with a valid infobox first, then the pathological rest.
CORPUS: dict[str, Callable[[int], str]] = {
    "unclosed-templates": lambda n: filled("{{a|", n),
    "unclosed-template-lines": lambda n: filled("{{a|\n", n),
    "unclosed-arguments": lambda n: filled("{{{a|", n),
    "unclosed-links": lambda n: filled("[[", n),
    "unclosed-link-labels": lambda n: filled("[[a|", n),
    "unclosed-external-links": lambda n: filled("[http://a ", n),
    "unclosed-comments": lambda n: filled("<!--", n),
    "unclosed-nowiki": lambda n: filled("<nowiki>", n),
    "unclosed-refs": lambda n: filled("<ref>", n),
    "unclosed-divs": lambda n: filled("<div>", n),
    "unclosed-paragraphs": lambda n: filled("<p>", n),
    "unclosed-tables": lambda n: filled("{|\n", n),
    "comment-inside-templates": lambda n: filled("{{a|<!--}}", n),
    "ref-inside-templates": lambda n: filled("{{a|<ref>}}", n),
    "half-closed-templates": lambda n: filled("{{a|", n // 2) + "}}" * (n // 4),
    "deeply-nested-templates": lambda n: nested(200, n),
    "nested-templates": lambda n: nested(20, n),
    "line-breaks": lambda n: filled("<br>", n),
    "long-line": lambda n: filled(PROSE.strip() + " ", n),
    "unclosed-updated-markers": lambda n: filled(UPDATED_START, n),
    "updated-markers": lambda n: filled(UPDATED_START + "Last updated</span> ", n),
    "random-openers": random_openers,
}

#: The issue's example and the worst kinds, at the wiki's 2 MB page limit.
AT_THE_LIMIT = ["unclosed-templates", "unclosed-comments", "unclosed-updated-markers", "random-openers"]


def _read(text: str) -> object:
    """Whether the page gave a record, and the codes of its issues."""
    record, issues = validate_page("Partnerships/Slow", parse_page(PageSnapshot("P", text), ["Partnership"]), SCHEMA)
    return record is not None, sorted({issue.code for issue in issues})


def _strip_markers(text: str) -> object:
    return len(UPDATED_RE.sub("", text))


def _send(work: Callable[[str], object], text: str, sender: Connection) -> None:
    sender.send(work(text))


#: The last result a child sent back (timed_in_child).
RESULTS: dict[str, object] = {}


def timed_in_child(work: Callable[[str], object], text: str, limit: float) -> float:
    """Seconds ``work(text)`` took in a forked child (its result in RESULTS); ``limit`` * 2 if stopped at ``limit``."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    began = time.perf_counter()
    child = context.Process(target=_send, args=(work, text, sender))
    child.start()
    ready = receiver.poll(limit)
    took = time.perf_counter() - began
    if not ready:
        child.kill()
        child.join()
        return 2 * limit
    RESULTS["last"] = receiver.recv()
    child.join()
    assert child.exitcode == 0
    return took


_REFERENCE: dict[tuple[str, int], float] = {}


def reference(work: Callable[[str], object], size: int) -> float:
    """The time of ``work`` on the simple page of ``size`` (the faster of two runs at REFERENCE_SIZE, scaled)."""
    key = (work.__name__, REFERENCE_SIZE)
    if key not in _REFERENCE:
        _REFERENCE[key] = min(timed_in_child(work, simple_page(REFERENCE_SIZE), 600) for _ in range(2))
    return _REFERENCE[key] * size / REFERENCE_SIZE


def within(work: Callable[[str], object], text: str, budget: float) -> float:
    """The time ``work(text)`` took, the better of two tries when the first is over (the machine is shared)."""
    took = timed_in_child(work, text, budget)
    return took if took <= budget else min(took, timed_in_child(work, text, budget))


CASES = [pytest.param(name, 128 * KB, id=f"{name}-128KB") for name in CORPUS] + [
    pytest.param(name, 2 * MB, id=f"{name}-2MB") for name in AT_THE_LIMIT
]


@pytest.mark.parametrize(("name", "size"), CASES)
def test_no_page_costs_much_more_to_read_than_a_simple_page(name: str, size: int) -> None:
    text = CORPUS[name](size)
    assert len(text) == size
    budget = TIMES_THE_SIMPLE_PAGE * reference(_read, size)
    took = within(_read, text, budget)
    assert took <= budget, f"{name} ({size:,} characters) took {took:.2f} s, budget {budget:.2f} s"
    # Read in time, or reported: never a page silently without its record.
    has_record, codes = cast(tuple[bool, list[str]], RESULTS["last"])
    assert has_record or codes == ["too-complex"], (name, codes)


def test_the_simple_page_is_read() -> None:
    record, issues = validate_page(
        "Partnerships/Simple", parse_page(PageSnapshot("P", simple_page(64 * KB)), ["Partnership"]), SCHEMA
    )
    assert record is not None
    assert not [i for i in issues if i.severity == "error"]


def test_a_stalling_tail_after_a_valid_infobox_is_reported() -> None:
    """The issue's page: a valid infobox, then ``{{a|`` 16,000 times."""
    record, issues = validate_page(
        "Partnerships/Slow", parse_page(PageSnapshot("P", INFOBOX + "{{a|" * 16000), ["Partnership"]), SCHEMA
    )
    assert record is None
    assert [(i.page, i.code, i.severity) for i in issues] == [("Partnerships/Slow", "too-complex", "error")]
    assert "too complex to read" in issues[0].message


@pytest.mark.parametrize("size", [608 * KB, 2 * MB])
def test_updated_markers_are_found_in_linear_time(size: int) -> None:
    """Unclosed "last updated" markers on one line cost the regex quadratic time (37 s on 608 KB)."""
    simple = filled(UPDATED_START + "Last updated</span> ", size, head="")
    budget = TIMES_THE_SIMPLE_PAGE * min(timed_in_child(_strip_markers, simple, 600) for _ in range(2))
    took = within(_strip_markers, filled(UPDATED_START, size, head=""), budget)
    assert took <= budget


MARKER_PIECES = [UPDATED_START, "</span>", "\n", "x", "<span>", "</span", "<", ">"]


def test_updated_markers_match_what_the_regex_matched() -> None:
    regex = re.compile(r'<span class="partnership-bot-updated">.*?</span>')
    rng = random.Random(16)
    for _ in range(5000):
        text = "".join(rng.choice(MARKER_PIECES) for _ in range(rng.randint(0, 12)))
        assert UPDATED_RE.sub("#", text) == regex.sub("#", text), text
        ours, theirs = UPDATED_RE.search(text), regex.search(text)
        assert (ours is None) == (theirs is None), text
        if ours is not None and theirs is not None:
            assert (ours.group(0), ours.start(), ours.end()) == (theirs.group(0), theirs.start(), theirs.end())


STALLING = INFOBOX + "{{a|" * 16000 + "\n== Partnership list ==\n{{Partnership list}}\n{{Partnership list end}}\n"


def test_every_reader_of_whole_pages_refuses_a_stalling_page_quickly() -> None:
    """Lists, maintenance, migration, cross-linking and redirects read pages through bounded_parse too."""
    title = "Partnerships/Slow"
    names = SCHEMA.template_names
    began = time.perf_counter()
    plan = fill_page(PageSnapshot(title, STALLING), [], SCHEMA, jinja2.Environment(), ListNames.of(SCHEMA))
    assert plan.text is None and [i.code for i in plan.issues] == ["too-complex"]
    assert holds_list(STALLING, ListNames.of(SCHEMA))
    renamed = rename_parameter(STALLING, title, names, "name", "title", SCHEMA)
    normalised = normalise(STALLING, title, names, SCHEMA)
    migrated = migrate_templates(STALLING, title, Migration(templates=()), SCHEMA, names)
    for outcome in (renamed, normalised, migrated):
        assert outcome.text == STALLING and [(i.page, i.code) for i in outcome.issues] == [(title, "too-complex")]
    rows, issues = table_rows(STALLING, title, TableMapping(columns=(("Name", "name"),), title="Name"))
    assert rows == [] and [i.code for i in issues] == ["too-complex"]
    assert redirect_target("#REDIRECT [[Elsewhere]]" + "{{a|" * 16000) == ""
    assert apply_fixes(STALLING, [], SCHEMA, names) is None
    # Each refusal costs a scan, not a parse: all of them well under what parsing one page took (93 s).
    assert time.perf_counter() - began < 10 * reference(_read, len(STALLING))
