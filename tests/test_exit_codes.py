"""Exit codes of the bots that edit: one function decides them (bots.cli.run_exit_code)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bots.cli import DONE, REFUSED, SWITCHED_OFF, run_exit_code

PROJECT = Path(__file__).parents[1]


@pytest.mark.parametrize(
    ("switched_off", "refused", "code"),
    [(False, False, DONE), (False, True, REFUSED), (True, False, SWITCHED_OFF), (True, True, SWITCHED_OFF)],
)
def test_switched_off_mid_run_wins_over_refusals(switched_off: bool, refused: bool, code: int) -> None:
    assert run_exit_code(switched_off=switched_off, refused=refused) == code


def test_no_bot_computes_its_exit_code_from_the_bot_class_itself() -> None:
    """Every bot and script asks its SaveIfChangedBot for the exit code (bot.exit_code()), and
    returns SWITCHED_OFF, not a bare 3, when the shutoff page says stop before the run."""
    sources = [*PROJECT.glob("bots/*.py"), *PROJECT.glob("scripts/*.py")]
    by_hand = re.compile(r"return .*\bbot\.(refused|switched_off)\b|^\s+return 3$", re.M)
    offenders = [
        f"{path.relative_to(PROJECT)}: {m.group(0).strip()}"
        for path in sources
        for m in by_hand.finditer(path.read_text())
    ]
    assert offenders == []
    users = [path.name for path in sources if "bot.exit_code(" in path.read_text()]
    assert {"update.py", "crosslink.py", "validate.py", "install_templates.py", "_common.py"} <= set(users)


MAINTENANCE_SCRIPTS = ["create_pages.py", "export.py", "migrate.py", "normalise.py", "rename_parameter.py"]


@pytest.mark.parametrize("name", MAINTENANCE_SCRIPTS)
def test_maintenance_scripts_name_their_exit_codes(name: str) -> None:
    """bots.cli's DONE, REFUSED, BAD_OPTIONS, SWITCHED_OFF, not bare numbers."""
    source = (PROJECT / "scripts" / name).read_text()
    assert re.findall(r"^\s+return \d+$", source, re.M) == []
