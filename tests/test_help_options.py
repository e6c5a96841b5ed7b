"""Every bot and script answers -help (pywikibot's spelling) with its documentation, and exit code 0."""

from __future__ import annotations

import importlib

import pytest

from tests.support import command_modules

MODULES = command_modules()


def test_every_bot_and_script_is_found() -> None:
    assert len(MODULES) >= 10


@pytest.mark.parametrize("module", MODULES)
def test_help_prints_the_documentation(module: str, capsys: pytest.CaptureFixture[str]) -> None:
    bot = importlib.import_module(module)
    try:
        code = bot.main("-help")
    except SystemExit as exit:  # argparse ends the process itself
        code = exit.code
    assert code == 0
    first_line = (bot.__doc__ or "").strip().splitlines()[0]
    assert first_line in capsys.readouterr().out
