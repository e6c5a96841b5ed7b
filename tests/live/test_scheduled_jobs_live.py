"""Every job of config/toolforge/jobs.yaml takes the same run lock, so no two of them overlap."""

from __future__ import annotations

import os
from typing import Any

import pytest

from bots.state.lock import RunLock
from tests.live.conftest import LiveWiki, output
from tests.support import JOBS


@pytest.mark.parametrize("job", JOBS, ids=[job["name"] for job in JOBS])
def test_a_job_exits_4_while_another_holds_the_default_run_lock(wiki: LiveWiki, job: dict[str, Any]) -> None:
    _wrapper, module, *args = job["command"].split()
    lock = wiki.dev.pywikibot_dir / "partnership-update.lock"
    with RunLock(lock):
        result = wiki.run(module, *args)
    text = output(result)
    assert result.returncode == 4, text
    last = text.rstrip().splitlines()[-1]
    assert "Exit 4: another run is in progress" in last and f"pid {os.getpid()} " in last, text
    assert "Traceback" not in text, text
