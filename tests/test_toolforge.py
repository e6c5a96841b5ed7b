"""The Toolforge jobs file and its wrapper: what `toolforge jobs load` and the job pods need."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from bots.config import PROJECT_DIR
from tests.support import JOBS

TOOLFORGE = PROJECT_DIR / "config" / "toolforge"
#: The keys the jobs framework's `load` accepts (tjf_cli's KNOWN_YAML_KEYS).
KNOWN_KEYS = {
    "name", "command", "schedule", "continuous", "image", "mem", "cpu", "retry", "emails", "wait",
    "no-filelog", "filelog-stdout", "filelog-stderr",
}  # fmt: skip


@pytest.mark.parametrize("job", JOBS, ids=[job["name"] for job in JOBS])
def test_each_job_is_one_the_jobs_framework_accepts(job: dict[str, Any]) -> None:
    assert set(job) <= KNOWN_KEYS, set(job) - KNOWN_KEYS
    assert {"name", "command", "image", "schedule", "emails", "filelog-stdout", "filelog-stderr"} <= set(job)
    assert len(job["name"]) <= 52 and job["name"].replace("-", "").isalnum() and job["name"].islower()
    assert len(job["schedule"].split()) == 5
    assert job["emails"] in ("none", "all", "onfinish", "onfailure")
    wrapper, module, *args = job["command"].split()
    assert wrapper == "./partnership-bot/config/toolforge/run.sh", "commands run from the tool's home"
    assert (PROJECT_DIR / module.replace(".", "/")).with_suffix(".py").exists()
    assert "-always" in args, "an unattended run cannot answer questions"


def test_job_names_and_logs_are_distinct() -> None:
    assert len({job["name"] for job in JOBS}) == len(JOBS)
    logs = [job[key] for job in JOBS for key in ("filelog-stdout", "filelog-stderr")]
    assert len(set(logs)) == len(logs)


def wrapper(*args: str, config: Path) -> subprocess.CompletedProcess[str]:
    home = config.parent / "home"
    home.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "HOME": str(home),
        "PYWIKIBOT_DIR": str(config),
        "PARTNERSHIP_VENV": str(PROJECT_DIR / ".venv"),
    }
    return subprocess.run(
        [str(TOOLFORGE / "run.sh"), *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_the_wrapper_runs_the_bot_with_its_config_folder(tmp_path: Path) -> None:
    (tmp_path / "user-config.py").write_text("family = 'wikipedia'\nmylang = 'en'\n")
    result = wrapper("bots.update", "-help", config=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Exit codes" in result.stdout and "4  another run" in result.stdout


def test_the_wrapper_refuses_to_run_without_a_config_folder(tmp_path: Path) -> None:
    result = wrapper("bots.update", "-always", config=tmp_path / "missing")
    assert result.returncode == 2
    assert "user-config.py" in result.stderr
