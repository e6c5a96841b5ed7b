"""Apply new content to page text: the bot-owned region between two markers.

Text outside the region is the volunteers' and is returned byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass


class RegionError(Exception):
    """The markers on a page are not in a state the bot can safely edit."""


UPDATED_START = '<span class="partnership-bot-updated">'
UPDATED_END = "</span>"


@dataclass(frozen=True)
class UpdatedMarker:
    """One "last updated" line found by UPDATED_RE, as much of an ``re.Match`` as callers use."""

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
    608 KB). Here each ``find`` starts where the last one stopped.
    """

    def finditer(self, text: str) -> Iterator[UpdatedMarker]:
        pos, close, newline = 0, -1, -1
        while (begin := text.find(UPDATED_START, pos)) >= 0:
            body = begin + len(UPDATED_START)
            if close < body and (close := text.find(UPDATED_END, body)) < 0:
                return
            if newline < body and (newline := text.find("\n", body)) < 0:
                newline = len(text)
            if newline < close:
                pos = newline + 1  # no start before this line's end has a closing tag on its line
                continue
            pos = close + len(UPDATED_END)
            yield UpdatedMarker(text, begin, pos)

    def search(self, text: str) -> UpdatedMarker | None:
        return next(self.finditer(text), None)

    def sub(self, replacement: str, text: str) -> str:
        parts, pos = [], 0
        for marker in self.finditer(text):
            parts += [text[pos : marker.start()], replacement]
            pos = marker.end()
        return "".join(parts) + text[pos:]


UPDATED_RE = UpdatedMarkers()


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


def region_body(text: str, start: str, end: str) -> str | None:
    span = find_region(text, start, end)
    return None if span is None else text[span[0] : span[1]]


def replace_region(text: str, body: str, start: str, end: str) -> str:
    """The page text with the region's body replaced (the region appended if absent)."""
    span = find_region(text, start, end)
    block = f"\n{body.strip()}\n"
    if span is None:
        separator = "" if not text or text.endswith("\n\n") else ("\n" if text.endswith("\n") else "\n\n")
        return f"{text}{separator}{start}{block}{end}\n"
    return text[: span[0]] + block + text[span[1] :]


def same_apart_from_timestamp(old: str, new: str) -> bool:
    """True if two region bodies differ at most in their "last updated" line."""
    return UPDATED_RE.sub("", old).strip() == UPDATED_RE.sub("", new).strip()
