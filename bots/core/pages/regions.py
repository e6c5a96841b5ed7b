"""Apply new content to page text: the bot-owned region between two markers.

Text outside the region is the volunteers' and is returned byte for byte.
"""

from __future__ import annotations

from bots.core.pages.markers import UPDATED_RE, find_region, wrap_region


def region_body(text: str, start: str, end: str) -> str | None:
    span = find_region(text, start, end)
    return None if span is None else text[span[0] : span[1]]


def replace_region(text: str, body: str, start: str, end: str) -> str:
    """The page text with the region's body replaced (the region appended if absent)."""
    span = find_region(text, start, end)
    block = f"\n{body.strip()}\n"
    if span is None:
        separator = "" if not text or text.endswith("\n\n") else ("\n" if text.endswith("\n") else "\n\n")
        return f"{text}{separator}{wrap_region(block, start, end)}\n"
    return text[: span[0]] + block + text[span[1] :]


def same_apart_from_timestamp(old: str, new: str) -> bool:
    """True if two region bodies differ at most in their "last updated" line."""
    return UPDATED_RE.sub("", old).strip() == UPDATED_RE.sub("", new).strip()
