"""The one fingerprint of the bot's code: every module of bots/, by path and bytes.

Whatever the code decides (a page's record and problems in the revision cache, the
generated pages in the render state, a quiet run's shortcut) is trusted from an
earlier run only while this fingerprint is unchanged. A deploy that changes any
module therefore derives every record again from its cached text (no request) and
renders again: about a second per 1,000 pages, in exchange for never trusting a
result that other code produced.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

BOTS_DIR = Path(__file__).resolve().parents[1]


def code_fingerprint() -> str:
    """The fingerprint of every ``*.py`` below :data:`BOTS_DIR` (its path and its bytes)."""
    digest = hashlib.sha256()
    for path in sorted(BOTS_DIR.rglob("*.py")):
        digest.update(path.relative_to(BOTS_DIR).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()[:16]
