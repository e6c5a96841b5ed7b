"""setup.cfg's console scripts: each names a function that exists, and every bot and script has one."""

from __future__ import annotations

import importlib
from pathlib import Path

from tests.support import CHECKOUT_TOOLS, console_scripts

PROJECT = Path(__file__).resolve().parent.parent


def test_every_console_script_names_a_function() -> None:
    for command, target in console_scripts().items():
        module, _, function = target.partition(":")
        assert callable(getattr(importlib.import_module(module), function, None)), (command, target)


def test_every_bot_and_script_with_a_console_main_is_a_command() -> None:
    targets = set(console_scripts().values())
    modules = [
        f"{path.parent.name}.{path.stem}"
        for folder in ("bots", "scripts")
        for path in sorted((PROJECT / folder).glob("*.py"))
        if "\ndef console_main(" in path.read_text(encoding="utf-8")
        and f"{path.parent.name}.{path.stem}" not in CHECKOUT_TOOLS
    ]
    assert len(modules) >= 10
    assert [m for m in modules if f"{m}:console_main" not in targets] == []
