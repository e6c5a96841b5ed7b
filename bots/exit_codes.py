"""Exit codes of every bot and script (bots.cli re-exports them); no imports, so that bots.wiki can use them too."""

from __future__ import annotations

#: The run did what it was asked.
DONE = 0
#: A page was refused or could not be saved, a problem was found, or the wiki could not be reached.
REFUSED = 1
#: Bad options or configuration: nothing was asked of the wiki.
BAD_OPTIONS = 2
#: Switched off on the wiki (the shutoff page), before or during the run.
SWITCHED_OFF = 3
#: Another run holds the run lock: not a failure, the run that holds it is doing the work, so a
#: scheduler that mails on failure (Toolforge's `emails: onfailure`) stays quiet on a routine collision.
ALREADY_RUNNING = DONE


def run_exit_code(switched_off: bool, refused: bool) -> int:
    """The exit code of a run that edits: switched off mid-run wins over refusals, which win over done."""
    if switched_off:
        return SWITCHED_OFF
    return REFUSED if refused else DONE
