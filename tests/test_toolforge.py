"""The Toolforge jobs files, the Procfile and the wrapper: what `toolforge jobs load`, the Build
Service and the job pods need, checked with the jobs CLI's own loader (toolforge-jobs-cli)."""

from __future__ import annotations

import io
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from bots.config import PROJECT_DIR
from tests.support import JOBS

TOOLFORGE = PROJECT_DIR / "config" / "toolforge"
BUILD_SERVICE_JOBS: list[dict[str, Any]] = yaml.safe_load(
    (TOOLFORGE / "build-service-jobs.yaml").read_text(encoding="utf-8")
)
JOBS_FILES = {"jobs.yaml": JOBS, "build-service-jobs.yaml": BUILD_SERVICE_JOBS}
ALL_JOBS = [(file, job) for file, jobs in JOBS_FILES.items() for job in jobs]
#: The Build Service's image of the tool (`toolforge build start` names it after the tool).
TOOL_IMAGE = "tool-partnership-bot/tool-partnership-bot:latest"
WRAPPER = "./partnership-bot/config/toolforge/run.sh"


def procfile() -> dict[str, str]:
    """The Procfile's entries: process type -> command."""
    lines = (PROJECT_DIR / "Procfile").read_text(encoding="utf-8").splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


@pytest.mark.parametrize(("file", "job"), ALL_JOBS, ids=[f"{file}:{job['name']}" for file, job in ALL_JOBS])
def test_the_jobs_cli_loads_each_job(file: str, job: dict[str, Any], caplog: pytest.LogCaptureFixture) -> None:
    """What `toolforge jobs load` does with each entry, up to the request: its parser and its checks."""
    from jobs_cli import cli  # the jobs CLI's own loader: an unknown key or a wrong value fails here

    args = cli.arg_parser(["run", *cli._job_to_arg_parser_args(dict(job))])
    payload = cli.get_api_payload(args)
    assert not [r.getMessage() for r in caplog.records if r.levelname != "INFO"], "the loader drops nothing"
    assert payload["emails"] == "onfailure"
    assert payload["filelog"] is False, "no-filelog: the output goes to `toolforge jobs logs`, no file grows"
    if payload["job_type"] == "scheduled":
        assert payload["timeout"] == 50 * 60, "the jobs framework stops a run after 50 minutes"
        assert len(job["schedule"].split()) == 5
    else:
        assert payload["job_type"] == "continuous"


@pytest.mark.parametrize("file", list(JOBS_FILES))
def test_job_names_are_distinct_and_follow_the_procfile(file: str) -> None:
    names = [job["name"] for job in JOBS_FILES[file]]
    assert len(set(names)) == len(names)
    assert all(len(name) <= 52 and re.fullmatch(r"[a-z0-9-]+", name) for name in names)
    entries = procfile()
    for job in JOBS_FILES[file]:
        entry = entries[job["name"].removeprefix("partnership-")]
        if file == "build-service-jobs.yaml":
            assert job["command"] == job["name"].removeprefix("partnership-"), "runs its Procfile entry"
            assert job["image"] == TOOL_IMAGE and job["mount"] == "all", "the state lives on the NFS home"
        else:
            wrapper, *module_and_args = job["command"].split()
            assert wrapper == WRAPPER, "commands run from the tool's home"
            assert job["image"] == "python3.11"
            assert entry == " ".join(["python", "-m", *module_and_args]), "both paths run the same"


def test_each_procfile_entry_runs_a_bot_unattended() -> None:
    entries = procfile()
    assert {"update", "update-full", "crosslink", "follow"} <= set(entries)
    for entry in entries.values():
        python, dash_m, module, *args = entry.split()
        assert (python, dash_m) == ("python", "-m")
        assert (PROJECT_DIR / module.replace(".", "/")).with_suffix(".py").exists()
        assert "-always" in args, "an unattended run cannot answer questions"


def test_the_build_service_installs_the_lock_file_for_the_tested_python() -> None:
    """The buildpack installs requirements.txt (the pinned set) on the Python of .python-version."""
    assert (PROJECT_DIR / ".python-version").read_text(encoding="utf-8").strip() == "3.11"
    assert "requirements.txt" in (TOOLFORGE / "run.sh").read_text(encoding="utf-8")


def documented_commands() -> list[list[str]]:
    """Every `toolforge ...` command in docs/toolforge.md's code blocks, as its words."""
    text = (PROJECT_DIR / "docs" / "toolforge.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^ *```(?:sh|console)?\n(.*?)^ *```", text, re.M | re.S)
    commands = []
    for block in blocks:
        for line in block.replace("\\\n", " ").splitlines():
            words = shlex.split(line, comments=True)
            if words[:1] == ["toolforge"]:
                commands.append(words[1:])
    return commands


def test_the_docs_name_jobs_envvars_and_build_commands() -> None:
    kinds = {words[0] for words in documented_commands()}
    assert kinds == {"jobs", "envvars", "build"}


@pytest.mark.parametrize("words", [w for w in documented_commands() if w[0] == "jobs"], ids=" ".join)
def test_each_documented_jobs_command_is_one_the_jobs_cli_accepts(words: list[str]) -> None:
    from jobs_cli import cli

    args = cli.arg_parser(words[1:])
    if args.operation == "run":
        cli.get_api_payload(args)
        if args.image.startswith("tool-"):
            assert args.image == TOOL_IMAGE
            entry = args.command.split()[0]
            assert entry in procfile() or entry == "launcher", "a Procfile entry, or `launcher` and a command"
    if args.operation == "load":
        assert (TOOLFORGE / Path(args.file).name).exists()


@pytest.mark.parametrize("words", [w for w in documented_commands() if w[0] == "envvars"], ids=" ".join)
def test_each_documented_envvars_command_is_one_the_envvars_cli_accepts(
    words: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from toolforge_envvars_cli.cli import toolforge_envvars

    monkeypatch.setattr(sys, "stdin", io.StringIO())  # `create NAME` reads the value from standard input
    command = toolforge_envvars.get_command(toolforge_envvars.context_class(toolforge_envvars), words[1])
    assert command is not None, words
    context = command.make_context(words[1], words[2:])
    name = context.params.get("envvar_name")
    # The envvars service's rule for names (it refuses others).
    assert name is None or re.fullmatch(r"[A-Z_][A-Z_0-9]{3,}", name), name


#: toolforge-builds-cli's subcommands (0.0.24). Its package cannot be installed beside the bot's own
#: dependencies (it pins urllib3<2 for Python 3.11; its releases for urllib3 2 need Python 3.13),
#: so its parser is not run here: the documented build commands are only checked to be among these.
BUILD_SUBCOMMANDS = {"start", "logs", "list", "cancel", "delete", "show", "quota", "clean"}


def test_each_documented_build_command_is_a_subcommand_of_the_build_cli() -> None:
    for words in documented_commands():
        if words[0] == "build":
            assert words[1] in BUILD_SUBCOMMANDS, words


def fake_image(tmp_path: Path, version: str) -> Path:
    """A PATH folder whose python3 makes a venv that runs this interpreter and logs each pip install."""
    folder = tmp_path / "bin"
    folder.mkdir(exist_ok=True)
    python3 = folder / "python3"
    python3.write_text(
        f"""#!/usr/bin/env bash
if [ "$1" = -VV ]; then echo "Python {version}"; exit; fi
# python3 -m venv --clear DIR
venv="${{@: -1}}"
rm -rf "$venv" && mkdir -p "$venv/bin"
printf '#!/usr/bin/env bash\\nexec {sys.executable} "$@"\\n' >"$venv/bin/python"
printf '#!/usr/bin/env bash\\necho "pip $*" >>"{tmp_path}/pip.log"\\n' >"$venv/bin/pip"
chmod +x "$venv/bin/python" "$venv/bin/pip"
""",
        encoding="utf-8",
    )
    python3.chmod(0o755)
    return folder


def checkout(tmp_path: Path) -> Path:
    """A checkout with this run.sh, the bots (their config is found from their real folder) and a lock
    file of its own, so that a test can change it."""
    repo = tmp_path / "repo"
    (repo / "config" / "toolforge").mkdir(parents=True)
    shutil.copy(TOOLFORGE / "run.sh", repo / "config" / "toolforge" / "run.sh")
    (repo / "bots").symlink_to(PROJECT_DIR / "bots")
    (repo / "requirements.txt").write_text("pywikibot==11.0 --hash=sha256:0\n", encoding="utf-8")
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "user-config.py").write_text("family = 'wikipedia'\nmylang = 'en'\n")
    return repo


def wrapper(
    tmp_path: Path, *args: str, version: str = "3.11.7", config: str = "config"
) -> subprocess.CompletedProcess[str]:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "HOME": str(home),
        "PATH": f"{fake_image(tmp_path, version)}:{os.environ['PATH']}",
        "PYWIKIBOT_DIR": str(tmp_path / config),
    }
    return subprocess.run(
        [str(tmp_path / "repo" / "config" / "toolforge" / "run.sh"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def pip_installs(tmp_path: Path) -> list[str]:
    log = tmp_path / "pip.log"
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


def test_the_wrapper_runs_the_bot_with_its_config_folder(tmp_path: Path) -> None:
    checkout(tmp_path)
    result = wrapper(tmp_path, "bots.update", "-help")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Exit codes" in result.stdout and "another run is in progress" in result.stdout
    assert pip_installs(tmp_path) == [f"pip install --quiet --require-hashes -r {tmp_path}/repo/requirements.txt"]


def test_the_wrapper_builds_the_venv_again_when_python_or_the_lock_file_changes(tmp_path: Path) -> None:
    repo = checkout(tmp_path)
    for version in ("3.11.7", "3.11.7", "3.13.1"):
        assert wrapper(tmp_path, "platform", version=version).returncode == 0
    assert len(pip_installs(tmp_path)) == 2, "built once, not again for the same Python, again for another"
    (repo / "requirements.txt").write_text("pywikibot==11.8 --hash=sha256:1\n", encoding="utf-8")
    result = wrapper(tmp_path, "platform", version="3.13.1")
    assert result.returncode == 0 and "building the venv" in result.stdout
    assert len(pip_installs(tmp_path)) == 3


def test_the_wrapper_refuses_to_run_without_a_config_folder(tmp_path: Path) -> None:
    checkout(tmp_path)
    result = wrapper(tmp_path, "bots.update", "-always", config="missing")
    assert result.returncode == 2
    assert "user-config.py" in result.stderr


def test_the_user_config_example_reads_the_botpassword_from_the_environment(tmp_path: Path) -> None:
    """On Toolforge `toolforge envvars` holds the credentials; pywikibot reads them through user-config.py."""
    shutil.copy(PROJECT_DIR / "user-config.py.example", tmp_path / "user-config.py")
    probe = (
        "import types, pywikibot\n"
        "from pywikibot import config\n"
        "from pywikibot.login import LoginManager\n"
        "site = types.SimpleNamespace(code=config.mylang, family=types.SimpleNamespace(name=config.family))\n"
        "manager = types.SimpleNamespace(site=site, username=config.usernames[config.family]['*'])\n"
        "LoginManager.readPassword(manager)\n"
        "print(manager.username, manager.login_name, manager.password)\n"
    )
    secrets = {
        "PARTNERSHIP_BOT_ACCOUNT": "ExampleBot",
        "PARTNERSHIP_BOTPASSWORD_NAME": "partnership-bot",
        "PARTNERSHIP_BOTPASSWORD": "s3cr3t'\"",
    }
    env = {**os.environ, "PYWIKIBOT_DIR": str(tmp_path), **secrets}
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["ExampleBot", "ExampleBot@partnership-bot", "s3cr3t'\""]
    assert not list(Path(os.environ.get("TMPDIR", "/tmp")).glob("partnership-bot-*/user-password.py")), "removed"
