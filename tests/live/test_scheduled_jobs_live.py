"""Every scheduled job of config/toolforge/jobs.yaml takes the same run lock, so no two of them overlap.

A job that finds the lock held is no failure (the run that holds it is doing the work): it
exits 0 with one line, so the jobs framework's `emails: onfailure` mails only real failures.
(The continuous follow job skips a round while another holds it: tests/live/test_follow_live.py.)
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from bots.state.lock import RunLock
from tests.live.conftest import LiveWiki, output
from tests.support import SCHEDULED_JOBS


@pytest.mark.parametrize("job", SCHEDULED_JOBS, ids=[job["name"] for job in SCHEDULED_JOBS])
def test_a_job_exits_0_in_one_line_while_another_holds_the_default_run_lock(
    wiki: LiveWiki, job: dict[str, Any]
) -> None:
    _wrapper, module, *args = job["command"].split()
    lock = wiki.dev.pywikibot_dir / "partnership-update.lock"
    with RunLock(lock):
        result = wiki.run(module, *args)
    text = output(result)
    assert result.returncode == 0, text
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    assert "Exit 0: another run is in progress" in lines[0] and f"pid {os.getpid()} " in lines[0], text
