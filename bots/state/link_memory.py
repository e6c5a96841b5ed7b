"""The crosslink memory: the pairs of pages that listed each other when bots.crosslink last looked.

What the pairs decide is in bots.core.links.memory. They are kept in a small SQLite
file next to the revision cache, not inside it: the revision cache is rebuilt from
scratch on ``-full`` or a format change, and a lost memory would turn every
hand-made removal back into a new link to add.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path

from bots.core.links.memory import Pair

_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS related_pairs (one TEXT NOT NULL, other TEXT NOT NULL, PRIMARY KEY (one, other));
"""


def load_pairs(path: Path, site: str) -> tuple[set[Pair] | None, str]:
    """The pairs remembered for this wiki (None if nothing is: no file, another wiki, unreadable), and why not."""
    if not path.exists():
        return None, f"nothing remembered yet at {path}"
    try:
        with closing(sqlite3.connect(path)) as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'site'").fetchone()
            if row is None or row[0] != site:
                return None, f"{path} is of another wiki"
            pairs = {(one, other) for one, other in db.execute("SELECT one, other FROM related_pairs")}
    except sqlite3.Error as exc:
        return None, f"cannot read {path} ({exc})"
    return pairs, ""


def save_pairs(path: Path, site: str, pairs: Iterable[Pair]) -> None:
    """Replace the remembered pairs, in one transaction."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path)
    try:
        with db:
            db.executescript(_TABLES)
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('site', ?)", (site,))
            db.execute("DELETE FROM related_pairs")
            db.executemany("INSERT OR IGNORE INTO related_pairs (one, other) VALUES (?, ?)", sorted(pairs))
    finally:
        db.close()
