"""Guards against saves that would hurt a generated page: mass removal and empty reads.

A bot that regenerates lists can blank one when the API returned half the data.
These pure checks compare what the bot is about to write with what is on the wiki.
"""

from __future__ import annotations

import re

#: A list item (``*``, ``#``, ``;`` or ``:`` at the start of a line) or a table row
#: separator (``|-``); the first row of a table may lack a separator, so a table's data
#: cell lines (``|`` not followed by ``-``, ``}`` or ``+``) that directly follow the
#: header are counted through :func:`count_rows`.
_LIST_ITEM = re.compile(r"^[*#;:]")
_ROW_SEPARATOR = re.compile(r"^\|-")
_DATA_LINE = re.compile(r"^\|(?![-}+])")
_TABLE_START = re.compile(r"^\{\|")
#: A hub of subpages (bots.core.subpages) says how many rows its subpages hold.
_SUBPAGE_ROWS = re.compile(r"^<!-- partnership-bot rows on subpages: (\d+) -->$", re.MULTILINE)


def subpage_rows_marker(rows: int) -> str:
    """The line by which a hub counts the rows of its subpages as its own (see count_rows)."""
    return f"<!-- partnership-bot rows on subpages: {rows} -->"


def count_rows(body: str) -> int:
    """The rows of a region body: its list items plus its table rows.

    A table row is a ``|-`` separator, or the data lines of a first row that has no
    separator before it. Header lines (``!``), captions and text are not rows. A hub's
    rows include those of its subpages, as its marker says: a page split into subpages
    keeps its rows, and a hub whose subpages would lose many is refused like a page.
    """
    rows = sum(int(found.group(1)) for found in _SUBPAGE_ROWS.finditer(body))
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


def empty_read_reason(pages_read: int) -> str | None:
    """Why no generated page may be saved after reading ``pages_read`` pages (None: carry on)."""
    if pages_read > 0:
        return None
    return (
        "no partnership page was read at all, so every generated list would be empty. "
        "Not saving anything: check that the infobox template exists and is used, and the namespaces in pages.yaml."
    )
