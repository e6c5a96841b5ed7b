"""The render state's file: what the generated pages were last rendered from (bots.core.pages.render_state).

A small JSON file next to the revision cache, replaced whole (written beside it,
then renamed over it), so that a run that dies leaves the last state or none.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from bots.core.pages.render_state import FORMAT, RenderState


def load_render_state(path: Path) -> RenderState | None:
    """The last run's state; None when there is none or it cannot be read (the run then renders)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return None
        return RenderState(str(data["fingerprint"]), {str(t): int(r) for t, r in data["revisions"].items()})
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def save_render_state(path: Path, state: RenderState) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    data = {"format": FORMAT, "fingerprint": state.fingerprint, "revisions": dict(sorted(state.revisions.items()))}
    temporary.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(temporary, path)
