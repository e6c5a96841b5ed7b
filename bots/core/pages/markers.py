"""Every mark the bot writes on a page and reads back on a later run: its one writer and its one reader.

The bot keeps what it needs to know between runs on the pages themselves, in comments and a
span that readers of the page do not see (or see as plain text). Each mark here has a writer
(the exact bytes saved to the wiki: tests assert them, so they never change by accident) and a
reader. The readers run on whole pages that anyone can edit, so none of them may cost more than
linear time: they use ``str.find`` and walk forward, never a backtracking regex (a regex that
tries every start and scans to its line's end took 37 s on 608 KB of repeated "last updated"
openers). Each reader finds exactly what the regex it replaced found, look-alikes included
(tests/test_markers.py compares them). No other module of bots/ holds a mark's text or a regex
for one (the same test scans for them).

The marks:

- the region markers, around the part of a generated page that the bot owns (their text is
  configured: config/pages.yaml ``region:``);
- the "last updated" span at the end of a generated page's region;
- the status line at the end of the status page's region: the last result's key and save time;
- the hub's list of its subpages, and the rows markers by which the mass-removal guard counts
  rows it cannot see (on subpages, in row templates, cut for size);
- the list query fingerprint on the first line of a filled ``{{Partnership list}}`` region;
- written for readers and never read back: the mark after a value with a problem (issue 18).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass


def _is_word(char: str) -> bool:
    """What the regex ``\\w`` matches in a str pattern: a Unicode letter, digit or number, or "_"."""
    return char.isalnum() or char == "_"


def _run_end(text: str, pos: int, keep: Callable[[str], bool]) -> int:
    """The end of the run of characters from ``pos`` for which ``keep(char)`` is true."""
    while pos < len(text) and keep(text[pos]):
        pos += 1
    return pos


def _on_one_line(text: str, opener: str, closer: str) -> Iterator[tuple[int, int, int]]:
    """(start, body start, closer start) of each ``opener .*? closer`` on one line, as ``re.finditer`` finds them.

    Linear: each ``find`` starts where the last one stopped, and the next closer and the next
    line end are searched for again only once the start has passed them.
    """
    pos, close, newline = 0, -1, -1
    while (begin := text.find(opener, pos)) >= 0:
        body = begin + len(opener)
        if close < body and (close := text.find(closer, body)) < 0:
            return
        if newline < body and (newline := text.find("\n", body)) < 0:
            newline = len(text)
        if newline < close:
            pos = newline + 1  # no opener before this line's end has a closer on its line
            continue
        pos = close + len(closer)
        yield begin, body, close


# --- the region markers -------------------------------------------------------------------
# Written by bots.core.pages.regions.replace_region around each generated page's region (and
# the status page's); read through find_region (bots.core.pages.regions, bots.wiki,
# bots.core.pages.render_state) to find the region again. Text outside them is the volunteers'.
# Their text is in config/pages.yaml (bots.core.settings.pages_config checks it is one HTML comment).


class RegionError(Exception):
    """The markers on a page are not in a state the bot can safely edit."""


def wrap_region(block: str, start: str, end: str) -> str:
    """A region: its body ``block`` between the start and end markers."""
    return f"{start}{block}{end}"


def find_region(text: str, start: str, end: str) -> tuple[int, int] | None:
    """Offsets of the region's body (between the markers), or None if there is none.

    Raises RegionError when a marker is missing, repeated, or out of order, since
    guessing there could duplicate a list or swallow a volunteer's text.
    """
    starts, ends = text.count(start), text.count(end)
    if starts == 0 and ends == 0:
        return None
    if starts != 1 or ends != 1:
        problems = []
        if starts != 1:
            problems.append(f"the start marker {start} appears {starts} times")
        if ends != 1:
            problems.append(f"the end marker {end} appears {ends} times")
        raise RegionError(
            "; ".join(problems) + ". Each must appear exactly once. Restore the missing marker "
            "(or remove the stray one) by hand, then run the bot again."
        )
    body_start = text.index(start) + len(start)
    body_end = text.index(end)
    if body_end < body_start:
        raise RegionError(f"the end marker {end} comes before the start marker {start}. Put them in order by hand.")
    return body_start, body_end


# --- the "last updated" span --------------------------------------------------------------
# Written by every page template (``<< updated >>``, from bots.core.pages.render.page_context);
# read by bots.core.pages.regions.same_apart_from_timestamp (a region that differs only in it is
# not saved) and bots.core.pages.size.fit_to_size (a cut page keeps it at its end).

UPDATED_START = '<span class="partnership-bot-updated">'
UPDATED_END = "</span>"


def updated_span(when: str) -> str:
    """The line saying when the page was last generated."""
    return f"{UPDATED_START}Last updated: {when}.{UPDATED_END}"


@dataclass(frozen=True)
class UpdatedMarker:
    """One "last updated" span found by UPDATED_RE, as much of an ``re.Match`` as callers use."""

    text: str
    begin: int
    finish: int

    def group(self, index: int = 0) -> str:
        return self.text[self.begin : self.finish]

    def start(self) -> int:
        return self.begin

    def end(self) -> int:
        return self.finish


class UpdatedMarkers:
    """The "last updated" spans: what ``re.compile(r'<span class="partnership-bot-updated">.*?</span>')`` finds.

    Same matches as that regex, in linear time: the regex tries every start marker and scans
    to the end of its line, so a long line of repeated markers costs quadratic time (37 s on
    608 KB).
    """

    def finditer(self, text: str) -> Iterator[UpdatedMarker]:
        for begin, _, close in _on_one_line(text, UPDATED_START, UPDATED_END):
            yield UpdatedMarker(text, begin, close + len(UPDATED_END))

    def search(self, text: str) -> UpdatedMarker | None:
        return next(self.finditer(text), None)

    def sub(self, replacement: str, text: str) -> str:
        parts, pos = [], 0
        for marker in self.finditer(text):
            parts += [text[pos : marker.start()], replacement]
            pos = marker.end()
        return "".join(parts) + text[pos:]


UPDATED_RE = UpdatedMarkers()


# --- the status line ----------------------------------------------------------------------
# Written by bots.core.pages.status.render_status at the end of the status page's region; read
# by bots.core.pages.status.status_save_reason on the next run: a run whose result is the same
# (same key) saves the status page only once per heartbeat, so a quiet run makes no edit.

_STATUS_OPEN = "<!-- partnership-bot-status result:"
_STATUS_SAVED = " saved:"
_COMMENT_CLOSE = " -->"


def status_line(result_key: str, saved: str) -> str:
    """The hidden line: the key of the run's result and when the status was saved (ISO 8601)."""
    return f"{_STATUS_OPEN}{result_key}{_STATUS_SAVED}{saved}{_COMMENT_CLOSE}"


def read_status_line(body: str) -> tuple[str, str] | None:
    """(result key, saved) of the first status line in ``body``; None if there is none.

    As ``<!-- partnership-bot-status result:(\\w+) saved:(\\S+) -->`` found it: a key of word
    characters, a time without white space.
    """
    pos = 0
    while (begin := body.find(_STATUS_OPEN, pos)) >= 0:
        pos = begin + 1
        key_start = begin + len(_STATUS_OPEN)
        key_end = _run_end(body, key_start, _is_word)
        if key_end == key_start or not body.startswith(_STATUS_SAVED, key_end):
            continue
        saved_start = key_end + len(_STATUS_SAVED)
        saved_end = _run_end(body, saved_start, lambda char: not char.isspace())
        if saved_end > saved_start and body.startswith(_COMMENT_CLOSE, saved_end):
            return body[key_start:key_end], body[saved_start:saved_end]
    return None


# --- a hub's subpages ---------------------------------------------------------------------
# Written by bots.core.pages.subpages.render_page_or_split into a hub's region (templates/pages/
# _hub.wikitext prints it); read by bots.core.pages.subpages and bots.core.pipeline on the next
# run: the page is split (merged back only below merge_below_bytes), and its subpages are kept
# (a subpage is never deleted; one no longer used says where its records went).

_SUBPAGES_OPEN = "<!-- partnership-bot subpages: "
_SUBPAGES_SEPARATOR = " | "


def subpages_marker(keys: Iterable[str]) -> str:
    """The line naming a hub's subpages (their part of the title after the hub's)."""
    return f"{_SUBPAGES_OPEN}{_SUBPAGES_SEPARATOR.join(keys)}{_COMMENT_CLOSE}"


def subpage_keys(region: str | None) -> tuple[str, ...] | None:
    """The subpages a hub's region names (None: the page is one page).

    The first ``<!-- partnership-bot subpages: (.*?) -->`` on one line.
    """
    found = next(_on_one_line(region or "", _SUBPAGES_OPEN, _COMMENT_CLOSE), None)
    if found is None:
        return None
    assert region is not None
    _, body, close = found
    return tuple(key.strip() for key in region[body:close].split(_SUBPAGES_SEPARATOR) if key.strip())


# --- rows the guard cannot see ------------------------------------------------------------
# Written on a line of their own: by bots.core.pages.subpages (a hub: its subpages' rows), and
# by bots.core.lists.fill (a list of row template calls: its rows; a list cut for the page's
# size: the rows not shown). Read by bots.core.pages.guard.count_rows, so that the mass-removal
# guard takes neither a split, nor row templates, nor a cut for a list that lost its rows.

_ROWS_OPEN = "<!-- partnership-bot rows "
_ON_SUBPAGES = "on subpages"
_IN_ROW_TEMPLATES = "in row templates"
_CUT_FOR_SIZE = "cut for size"


def _rows_marker(where: str, rows: int) -> str:
    return f"{_ROWS_OPEN}{where}: {rows}{_COMMENT_CLOSE}"


def subpage_rows_marker(rows: int) -> str:
    """The line by which a hub counts the rows of its subpages as its own."""
    return _rows_marker(_ON_SUBPAGES, rows)


def template_rows_marker(rows: int) -> str:
    """The line by which a list of row template calls (format=template) counts its rows."""
    return _rows_marker(_IN_ROW_TEMPLATES, rows)


def cut_rows_marker(rows: int) -> str:
    """The line by which a list cut for the page's size counts the rows it does not show."""
    return _rows_marker(_CUT_FOR_SIZE, rows)


def marker_rows(body: str) -> int:
    """The rows the rows markers of ``body`` count, together.

    A marker counts only as a whole line, as
    ``^<!-- partnership-bot rows (?:on subpages|in row templates|cut for size): (\\d+) -->$``
    (multi-line) found it: one typed inside a volunteer's line of text does not count.
    """
    total, pos = 0, 0
    while (begin := body.find(_ROWS_OPEN, pos)) >= 0:
        pos = begin + 1
        if begin > 0 and body[begin - 1] != "\n":
            continue
        where = begin + len(_ROWS_OPEN)
        kind = next((k for k in (_ON_SUBPAGES, _IN_ROW_TEMPLATES, _CUT_FOR_SIZE) if body.startswith(k, where)), None)
        if kind is None or not body.startswith(": ", where + len(kind)):
            continue
        digits = where + len(kind) + 2
        digits_end = _run_end(body, digits, str.isdecimal)
        close_end = digits_end + len(_COMMENT_CLOSE)
        if (
            digits_end > digits
            and body.startswith(_COMMENT_CLOSE, digits_end)
            and (close_end == len(body) or body[close_end] == "\n")
        ):
            total += int(body[digits:digits_end])
    return total


# --- the list query fingerprint -----------------------------------------------------------
# Written by bots.core.lists.fill on the first line of each filled {{Partnership list}} region
# (a line holding only a comment adds no space); read by the same module on the next run: the
# guard knows which query the rows were for (a changed query may remove many rows), and the
# bot's own last save of a list is found by it (bots.core.lists.fill.own_bodies).

_LIST_QUERY_OPEN = "<!-- list query "
_HEX_DIGITS = "0123456789abcdef"


def list_query_marker(fingerprint: str) -> str:
    """The first line of a filled list: the fingerprint of the query it was filled for."""
    return f"{_LIST_QUERY_OPEN}{fingerprint}: filled by the bot, edits here are replaced{_COMMENT_CLOSE}"


def region_fingerprint(body: str) -> str:
    """The fingerprint a list's region was filled for ("" when it has none).

    The first ``<!-- list query ([0-9a-f]{8})\\b``: eight lower-case hex digits, not followed by a word character.
    """
    pos = 0
    while (begin := body.find(_LIST_QUERY_OPEN, pos)) >= 0:
        pos = begin + 1
        start = begin + len(_LIST_QUERY_OPEN)
        found = body[start : start + 8]
        after = start + 8
        if (
            len(found) == 8
            and all(c in _HEX_DIGITS for c in found)
            and (after == len(body) or not _is_word(body[after]))
        ):
            return found
    return ""


# --- the marks the bot writes for readers ------------------------------------------------
# Written, never read back: a value with a problem, and the notice at the top of each region.

#: The text of a problem mark: visible, and read by screen readers (no tooltip needed).
PROBLEM_MARK_TEXT = "⚠ problem"


def problem_mark(link: str, css_class: str = "partnership-problem") -> str:
    """The mark after a value with a problem: ``link`` (to the report's entry), or the bare text without one;
    ``css_class``: the schema's (bots.core.records.words)."""
    return f' <small class="{css_class}">{link or PROBLEM_MARK_TEXT}</small>'
