"""Keep a generated page under MediaWiki's size limit (2 MiB by default; contenttoobig past it).

The last resort after long lists are split into subpages (bots.core.pages.subpages): a region
body still over the configured size (a page without `split:`, or one part too big) is
cut at the last line that ends outside any table and still fits, and a note says how
much is not shown. The cut depends only on the body, so a quiet run renders
the same cut page and makes no edit.
"""

from __future__ import annotations

from bots.core.pages.markers import UPDATED_RE


def fit_to_size(body: str, max_bytes: int, pages_file: str = "config/pages.yaml") -> str:
    """``body`` if it fits in ``max_bytes`` (UTF-8), else its longest whole-table prefix that does, with a note
    (naming ``pages_file``, the pages.yaml in use)."""
    size = len(body.encode("utf-8"))
    if size <= max_bytes:
        return body
    updated = UPDATED_RE.search(body)
    tail = f"\n\n{updated.group(0)}\n" if updated else "\n"
    lines = (body[: updated.start()] if updated else body).splitlines(keepends=True)
    budget = max_bytes - 600 - len(tail.encode("utf-8"))
    used, depth, cut = 0, 0, 0
    for number, line in enumerate(lines, 1):
        used += len(line.encode("utf-8"))
        if used > budget:
            break
        stripped = line.lstrip()
        if stripped.startswith("{|"):
            depth += 1
        elif stripped.startswith("|}"):
            depth = max(0, depth - 1)
        if depth == 0:
            cut = number
    shown = "".join(lines[:cut]).rstrip()
    note = (
        f"''This list is too long for one page ({size:,} bytes; the bot's limit is {max_bytes:,}): "
        f"the last {len(lines) - cut:,} of {len(lines):,} lines are not shown. "
        f"Give this page a <code>split:</code> in {pages_file}, or split it finer (more <code>ranges</code>), "
        "to show every line.''"
    )
    return f"{shown}\n\n{note}{tail}"
