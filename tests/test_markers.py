"""The marks the bot writes on pages and reads back (bots.core.pages.markers).

Each mark round-trips, its bytes are those the bot always wrote, its reader finds what the
regex it replaced found (look-alikes in volunteers' text included) in linear time, and no
other module of bots/ holds a mark's text or a regex for one.
"""

from __future__ import annotations

import ast
import random
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bots.core.pages.markers import (
    UPDATED_RE,
    UPDATED_START,
    RegionError,
    cut_rows_marker,
    find_region,
    list_query_marker,
    marker_rows,
    read_status_line,
    region_fingerprint,
    status_line,
    subpage_keys,
    subpage_rows_marker,
    subpages_marker,
    template_rows_marker,
    updated_span,
    wrap_region,
)

ROOT = Path(__file__).resolve().parent.parent
START = "<!-- BEGIN PARTNERSHIP BOT REGION: the bot rewrites everything up to the END marker; edit outside it -->"
END = "<!-- END PARTNERSHIP BOT REGION -->"

# --- what the bot read before bots.core.pages.markers: the reference for its readers -------

OLD_STATUS = re.compile(r"<!-- partnership-bot-status result:(\w+) saved:(\S+) -->")
OLD_SUBPAGES = re.compile(r"<!-- partnership-bot subpages: (.*?) -->")
OLD_ROWS = re.compile(
    r"^<!-- partnership-bot rows (?:on subpages|in row templates|cut for size): (\d+) -->$", re.MULTILINE
)
OLD_LIST_QUERY = re.compile(r"<!-- list query ([0-9a-f]{8})\b")


def old_status(body: str) -> tuple[str, str] | None:
    found = OLD_STATUS.search(body)
    return None if found is None else (found[1], found[2])


def old_subpage_keys(region: str) -> tuple[str, ...] | None:
    found = OLD_SUBPAGES.search(region)
    if found is None:
        return None
    return tuple(key.strip() for key in found.group(1).split(" | ") if key.strip())


def old_rows(body: str) -> int:
    return sum(int(found.group(1)) for found in OLD_ROWS.finditer(body))


def old_fingerprint(body: str) -> str:
    found = OLD_LIST_QUERY.search(body)
    return found.group(1) if found else ""


# --- the bytes written ----------------------------------------------------------------------


def test_each_mark_is_written_as_the_bot_always_wrote_it() -> None:
    assert wrap_region("\nrows\n", START, END) == f"{START}\nrows\n{END}"
    assert (
        updated_span("7 December 2026") == '<span class="partnership-bot-updated">Last updated: 7 December 2026.</span>'
    )
    assert (
        status_line("0123456789abcdef", "2026-12-07T06:00:00+00:00")
        == "<!-- partnership-bot-status result:0123456789abcdef saved:2026-12-07T06:00:00+00:00 -->"
    )
    assert subpages_marker(["A", "B", "T-Tg"]) == "<!-- partnership-bot subpages: A | B | T-Tg -->"
    assert subpage_rows_marker(12) == "<!-- partnership-bot rows on subpages: 12 -->"
    assert template_rows_marker(3) == "<!-- partnership-bot rows in row templates: 3 -->"
    assert cut_rows_marker(0) == "<!-- partnership-bot rows cut for size: 0 -->"
    assert list_query_marker("1a2b3c4d") == "<!-- list query 1a2b3c4d: filled by the bot, edits here are replaced -->"


# --- write, then read -------------------------------------------------------------------------


def test_each_mark_reads_back_what_was_written() -> None:
    region = wrap_region("\nrows\n", START, END)
    page = f"Volunteers' text\n{region}\nMore\n"
    span = find_region(page, START, END)
    assert span is not None and page[span[0] : span[1]] == "\nrows\n"
    line = updated_span("7 December 2026")
    found = UPDATED_RE.search(f"{{| class=wikitable\n|}}\n\n{line}\n")
    assert found is not None and found.group(0) == line
    assert read_status_line(f"|}}\n{status_line('ab12', '2026-12-07T06:00:00+00:00')}") == (
        "ab12",
        "2026-12-07T06:00:00+00:00",
    )
    assert subpage_keys(f"table\n{subpages_marker(['A', 'B-C', 'Other'])}\n") == ("A", "B-C", "Other")
    assert subpage_keys(subpages_marker([])) == ()
    rows = "\n".join([subpage_rows_marker(40), "* a row", template_rows_marker(2), cut_rows_marker(7)])
    assert marker_rows(rows) == 49
    assert region_fingerprint(f"\n{list_query_marker('0badf00d')}\n* a row\n") == "0badf00d"


def test_no_mark_reads_as_nothing() -> None:
    assert find_region("no markers", START, END) is None
    assert UPDATED_RE.search("Last updated: today.") is None
    assert read_status_line("") is None
    assert subpage_keys(None) is None and subpage_keys("") is None
    assert marker_rows("* a\n* b\n") == 0
    assert region_fingerprint("* a row") == ""


def test_a_region_marker_twice_or_out_of_order_is_an_error() -> None:
    with pytest.raises(RegionError, match="appears 2 times"):
        find_region(f"{START}{START}{END}", START, END)
    with pytest.raises(RegionError, match="comes before"):
        find_region(f"{END}{START}", START, END)


# --- look-alikes in volunteers' text ------------------------------------------------------------


def test_look_alikes_are_ignored_as_before() -> None:
    # A rows marker counts only on a line of its own: typed in a sentence it is a volunteer's text.
    inline = f"See {subpage_rows_marker(500)} here\n{template_rows_marker(2)} and more"
    assert marker_rows(inline) == old_rows(inline) == 0
    # Not a query fingerprint: upper case, too short, or followed by more of a word.
    for text in (
        "<!-- list query 1A2B3C4D",
        "<!-- list query 1a2b3c",
        "<!-- list query 1a2b3c4d5",
        "<!-- list query 1a2b3c4d_",
    ):
        assert region_fingerprint(text) == old_fingerprint(text) == "", text
    # A subpages marker broken over two lines names no subpages; the next whole one does.
    broken = "<!-- partnership-bot subpages: A\n | B -->\n<!-- partnership-bot subpages: C | D -->"
    assert subpage_keys(broken) == old_subpage_keys(broken) == ("C", "D")
    # A status line with white space in its key or without its time is no status line.
    for text in (
        "<!-- partnership-bot-status result:a b saved:now -->",
        "<!-- partnership-bot-status result:ab saved: -->",
    ):
        assert read_status_line(text) is None and old_status(text) is None, text


def random_texts(pieces: list[str], seed: int, count: int = 4000) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 14))) for _ in range(count)]


STATUS_PIECES = [
    "<!-- partnership-bot-status result:",
    " saved:",
    " -->",
    "-->",
    "ab12",
    "_",
    "é",
    "٣",
    "2026-12-07T06:00:00+00:00",
    " ",
    "\t",
    "\n",
    "\u00a0",
    "<",
]
SUBPAGES_PIECES = ["<!-- partnership-bot subpages: ", " | ", "|", "A", "T-Tg", " -->", "-->", " ", "\n", "x"]
ROWS_PIECES = [
    "<!-- partnership-bot rows ",
    "on subpages",
    "in row templates",
    "cut for size",
    ": ",
    ":",
    "12",
    "٣",
    "x",
    " -->",
    "-->",
    " ",
    "\n",
    "\r",
    "* ",
]
QUERY_PIECES = ["<!-- list query ", "1a2b3c4d", "1a2b", "0f", "A", "g", "_", "é", " ", ":", "\n", "-->"]


@pytest.mark.parametrize(
    ("ours", "theirs", "pieces"),
    [
        (read_status_line, old_status, STATUS_PIECES),
        (subpage_keys, old_subpage_keys, SUBPAGES_PIECES),
        (marker_rows, old_rows, ROWS_PIECES),
        (region_fingerprint, old_fingerprint, QUERY_PIECES),
    ],
    ids=["status", "subpages", "rows", "list-query"],
)
def test_each_reader_finds_what_its_old_regex_found(
    ours: Callable[[str], object], theirs: Callable[[str], object], pieces: list[str]
) -> None:
    for text in random_texts(pieces, seed=17):
        assert ours(text) == theirs(text), repr(text)


# --- linear time ------------------------------------------------------------------------------

MB = 1024 * 1024


@pytest.mark.parametrize(
    ("reader", "opener"),
    [
        (lambda text: UPDATED_RE.sub("", text), UPDATED_START),
        (read_status_line, "<!-- partnership-bot-status result:a saved:"),
        (subpage_keys, "<!-- partnership-bot subpages: "),
        (marker_rows, "<!-- partnership-bot rows on subpages: 1"),
        (region_fingerprint, "<!-- list query 1a2b3c4"),
    ],
    ids=["updated", "status", "subpages", "rows", "list-query"],
)
def test_each_reader_takes_linear_time_on_a_page_of_unclosed_marks(
    reader: Callable[[str], object], opener: str
) -> None:
    """2 MB of marks never closed on one line: a reader that scans to the line's end from each costs hours."""
    text = opener * (2 * MB // len(opener))
    began = time.perf_counter()
    reader(text)
    assert time.perf_counter() - began < 5


# --- one module ---------------------------------------------------------------------------------

#: Text only a mark holds: no module but bots/core/pages/markers.py may write it.
MARK_TEXTS = (
    "partnership-bot",
    "<!-- list query",
    "list query {}",
    "filled by the bot, edits",
    "PARTNERSHIP BOT REGION",
)
REGEX_CALLS = {"compile", "search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split"}


def _comment_regex(pattern: str) -> bool:
    """A regex that reads a comment's text (not one that only finds where a comment opens, as a parser does)."""
    if "-->" in pattern:
        return True
    return any(pattern[found + 4 : found + 5] not in ("", "|", ")") for found in _all(pattern, "<!--"))


def _all(text: str, part: str) -> list[int]:
    return [found.start() for found in re.finditer(re.escape(part), text)]


def mark_offences(source: str) -> list[str]:
    """The mark texts and comment regexes in a module's source (docstrings included)."""
    offences = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            offences += [f"line {node.lineno}: {text!r}" for text in MARK_TEXTS if text in node.value]
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "re"
            and node.func.attr in REGEX_CALLS
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and _comment_regex(node.args[0].value)
        ):
            offences.append(f"line {node.lineno}: a regex for a comment, {node.args[0].value!r}")
    return offences


def test_no_module_but_markers_holds_a_mark() -> None:
    found = {}
    for path in sorted((ROOT / "bots").rglob("*.py")):
        offences = mark_offences(path.read_text(encoding="utf-8"))
        if offences and path != ROOT / "bots" / "core" / "pages" / "markers.py":
            found[str(path.relative_to(ROOT))] = offences
    assert not found, f"marks outside bots/core/pages/markers.py: {found}"


def test_templates_get_each_mark_from_markers() -> None:
    """A template prints a mark the code reads back from its context (``<< updated >>``), never its text."""
    found = []
    for path in sorted((ROOT / "templates").rglob("*.wikitext")):
        text = path.read_text(encoding="utf-8")
        found += [
            f"{path.relative_to(ROOT)}: {m}"
            for m in ("<!-- partnership-bot", "<!-- list query", "partnership-bot-updated")
            if m in text
        ]
    assert not found


@pytest.mark.parametrize(
    "old_code",
    [
        # bots/core/pages/guard.py, bots/core/lists/fill.py, bots/core/pages/status.py and subpages.py before
        '_SUBPAGE_ROWS = re.compile(r"^<!-- partnership-bot rows (?:on subpages|cut for size): (\\d+) -->$")',
        'def subpage_rows_marker(rows: int) -> str:\n    return f"<!-- partnership-bot rows on subpages: {rows} -->"',
        '_FINGERPRINT = re.compile(r"<!-- list query ([0-9a-f]{8})\\b")',
        '_FINGERPRINT_NOTE = "<!-- list query {}: filled by the bot, edits here are replaced -->"',
        '_MARK_RE = re.compile(r"<!-- partnership-bot-status result:(\\w+) saved:(\\S+) -->")',
        "UPDATED_START = '<span class=\"partnership-bot-updated\">'",
        # a new mark's regex, whatever its words
        'NEW = re.search(r"<!-- some new mark: (\\d+)", text)',
    ],
)
def test_the_scan_finds_marks_as_the_old_code_held_them(old_code: str) -> None:
    assert mark_offences(old_code)


def test_the_scan_leaves_a_parser_finding_where_comments_open() -> None:
    """bots.core.records.parse finds ``<!--`` as wikitext syntax, as MediaWiki does: that is no mark."""
    parser = 'TOKEN = re.compile(r"(?P<comment><!--)|\\{\\{")\nENDS = re.compile(r"<!--|<includeonly\\b", re.I)'
    assert mark_offences(parser) == []
