"""Guards against saves that would hurt a generated page: mass removal and empty reads.

A bot that regenerates lists can blank one when the API returned half the data.
These pure checks compare what the bot is about to write with what is on the wiki.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bots.core.pages.markers import marker_rows
from bots.core.records.words import DEFAULT_WORDS, Words

#: A list item (``*``, ``#``, ``;`` or ``:`` at the start of a line) or a table row
#: separator (``|-``); the first row of a table may lack a separator, so a table's data
#: cell lines (``|`` not followed by ``-``, ``}`` or ``+``) that directly follow the
#: header are counted through :func:`count_rows`.
_LIST_ITEM = re.compile(r"^[*#;:]")
_ROW_SEPARATOR = re.compile(r"^\|-")
_DATA_LINE = re.compile(r"^\|(?![-}+])")
_TABLE_START = re.compile(r"^\{\|")


def count_rows(body: str) -> int:
    """The rows of a region body: its list items plus its table rows.

    A table row is a ``|-`` separator, or the data lines of a first row that has no
    separator before it. Header lines (``!``), captions and text are not rows. A hub's
    rows include those of its subpages, as its marker says: a page split into subpages
    keeps its rows, and a hub whose subpages would lose many is refused like a page.
    A list's row template calls and the rows a size cut left out count as their markers say
    (bots.core.pages.markers: the rows markers).
    """
    rows = marker_rows(body)
    in_first_row = False
    for raw in body.splitlines():
        line = raw.lstrip()
        if _TABLE_START.match(line):
            in_first_row = True
        elif _ROW_SEPARATOR.match(line) or (in_first_row and _DATA_LINE.match(line)):
            rows += 1
            in_first_row = False
        elif _LIST_ITEM.match(line):
            rows += 1
    return rows


def mass_removal_reason(
    old_body: str, new_body: str, max_removed_share: float, *, min_removed: int = 1, where: str = "on the page"
) -> str | None:
    """Why the new body must not replace the old one (None: it may).

    Refuses when more than ``max_removed_share`` of the old body's rows would go, and
    at least ``min_removed`` rows. ``where`` names the rows' place in the message.
    """
    old_rows, new_rows = count_rows(old_body), count_rows(new_body)
    removed = old_rows - new_rows
    if old_rows == 0 or removed <= 0 or removed < min_removed:
        return None
    share = removed / old_rows
    if share <= max_removed_share:
        return None
    return (
        f"this run would remove {removed} of the {old_rows} rows {where} ({share:.0%}, more than the "
        f"{max_removed_share:.0%} allowed). That usually means the wiki returned incomplete data. "
        "Check the pages read, then run again with -force if the removal is right."
    )


def empty_read_reason(pages_read: int, words: Words = DEFAULT_WORDS) -> str | None:
    """Why no generated page may be saved after reading ``pages_read`` pages (None: carry on)."""
    if pages_read > 0:
        return None
    return (
        f"no {words.noun} page was read at all, so every generated list would be empty. "
        "Not saving anything: check that the infobox template exists and is used, and the namespaces in pages.yaml."
    )


# --- the bot's own last save -------------------------------------------------------------


@dataclass(frozen=True)
class OwnSave:
    """A page's text as the bot itself last saved it, and who edited the page after that save."""

    text: str
    revid: int = 0
    #: The users who saved the page after the bot's save, newest first (the bot itself left out).
    editors: tuple[str, ...] = ()


def edited_by_hand(current: str, own_body: str | None) -> bool:
    """True if the region on the page differs from the body the bot last saved there (None: not known)."""
    return own_body is not None and current.strip() != own_body.strip()


def edit_records_instead(words: Words = DEFAULT_WORDS) -> str:
    """Where to edit instead of a generated page's region (the end of a hand edit's note)."""
    return f"to change it, edit the {words.noun} pages instead"


def edit_query_instead(words: Words = DEFAULT_WORDS) -> str:
    """Where to edit instead of a volunteers' list."""
    return f"to change it, edit the list's query or the {words.noun} pages instead"


#: The notes' ends in the default words.
EDIT_RECORDS_INSTEAD = edit_records_instead()
EDIT_QUERY_INSTEAD = edit_query_instead()


def hand_edit_note(editors: Sequence[str], where: str = "the bot's region", instead: str = EDIT_RECORDS_INSTEAD) -> str:
    """One sentence for the run output and the edit summary: someone edited the bot's region by hand,
    who (so that the save that undoes it names them), and where to edit instead."""
    shown = ", ".join(editors[:5]) + (f" and {len(editors) - 5} more" if len(editors) > 5 else "")
    by = f" (edited by {shown})" if shown else ""
    return f"{where} was edited by hand since the bot's last save{by}; the bot's text replaces those edits: {instead}"


def own_removal_reason(
    current: str,
    new_body: str,
    own_body: str | None,
    max_removed_share: float,
    *,
    min_removed: int = 1,
    where: str = "on the page",
) -> str | None:
    """The mass-removal guard measured against what the bot itself last wrote (None: the save may go on).

    Rows a human typed into the region are not the bot's: when the region differs from the
    body the bot last saved (``own_body``), the new body is compared with that body, so junk
    rows added by hand cannot freeze the page, while a new body that loses most of the bot's
    own rows (an incomplete read) is still refused. With ``own_body`` None (the bot never
    saved the region, or its save cannot be found) the comparison is with the region as it is.
    """
    if not edited_by_hand(current, own_body):
        return mass_removal_reason(current, new_body, max_removed_share, min_removed=min_removed, where=where)
    assert own_body is not None
    reason = mass_removal_reason(
        own_body, new_body, max_removed_share, min_removed=min_removed, where=f"{where} as the bot last saved it"
    )
    if reason is None:
        return None
    return f"{reason} (The region was also edited by hand since; the comparison is with the bot's own last save.)"
