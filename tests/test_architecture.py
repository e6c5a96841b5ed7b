"""bots/core is pure: it takes and returns data, and never reaches the disk, the wiki or the network.

Every module below bots/core is read as a syntax tree (not imported) and checked for
imports of I/O modules, of the bot's code outside the core (bots.state, bots.wiki, ...),
and for calls that read or write files. Run state lives in bots/state, the settings
files are read by bots/config.py, the wiki is talked to by bots/wiki/.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[1] / "bots" / "core"

#: Modules the core never imports (nor any of their submodules, except those of ALLOWED_SUBMODULES).
FORBIDDEN_MODULES = frozenset(
    {
        "aiohttp", "fcntl", "ftplib", "glob", "http", "httpx", "mwclient", "os", "pathlib", "pywikibot",
        "requests", "shutil", "smtplib", "socket", "sqlite3", "ssl", "subprocess", "tempfile", "urllib",
    }
)  # fmt: skip
#: Pure submodules of a forbidden module: urllib.parse splits URL strings, it opens nothing.
ALLOWED_SUBMODULES = frozenset({"urllib.parse"})
#: Methods that read or write the file system (pathlib's, and os's under other names).
FILE_METHODS = frozenset(
    {"read_text", "write_text", "read_bytes", "write_bytes", "mkdir", "unlink", "rmdir", "touch", "rglob", "iterdir"}
)
#: Module functions that read or write files, or import code by name.
FILE_FUNCTIONS = frozenset({("json", "load"), ("json", "dump"), ("io", "open"), ("importlib", "import_module")})
#: Jinja loaders that read template files; the core's environments take the templates' texts.
FILE_LOADERS = frozenset({"FileSystemLoader", "PackageLoader", "ModuleLoader"})


def _forbidden_module(name: str) -> bool:
    if any(name == allowed or name.startswith(f"{allowed}.") for allowed in ALLOWED_SUBMODULES):
        return False
    if name.split(".")[0] in FORBIDDEN_MODULES:
        return True
    return name.startswith("bots.") and not (name == "bots.core" or name.startswith("bots.core."))


def impurities(source: str, filename: str = "<source>") -> list[str]:
    """'file:line: what' for every import or call in ``source`` that makes it impure."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source, filename)):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Import):
            found += [f"{filename}:{line}: import {a.name}" for a in node.names if _forbidden_module(a.name)]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:
                if _forbidden_module(f"{node.module}.{alias.name}"):
                    found.append(f"{filename}:{line}: from {node.module} import {alias.name}")
                elif alias.name in FILE_LOADERS:
                    found.append(f"{filename}:{line}: imports {alias.name}")
        elif isinstance(node, ast.Call):
            call = node.func
            if isinstance(call, ast.Name) and call.id in ("open", "__import__"):
                found.append(f"{filename}:{line}: {call.id}()")
            elif isinstance(call, ast.Attribute) and call.attr in FILE_METHODS:
                found.append(f"{filename}:{line}: .{call.attr}()")
            elif (
                isinstance(call, ast.Attribute)
                and isinstance(call.value, ast.Name)
                and (call.value.id, call.attr)
                in {("json", "load"), ("json", "dump"), ("io", "open"), ("importlib", "import_module")}
            ):
                found.append(f"{filename}:{line}: {call.value.id}.{call.attr}()")
        elif isinstance(node, ast.Attribute) and node.attr in FILE_LOADERS:
            found.append(f"{filename}:{line}: {node.attr}")
    return sorted(set(found), key=lambda f: (f.split(":")[0], int(f.split(":")[1]), f))


def test_the_core_reads_and_writes_no_file_and_imports_no_io() -> None:
    modules = sorted(CORE.rglob("*.py"))
    assert len(modules) > 20, "the core's modules are where this test looks"
    found = [
        problem
        for module in modules
        for problem in impurities(module.read_text(encoding="utf-8"), module.relative_to(CORE.parents[1]).as_posix())
    ]
    assert found == [], "bots/core must stay pure (run state: bots/state; settings files: bots/config.py)"


@pytest.mark.parametrize(
    ("source", "caught"),
    [
        ("import sqlite3", "import sqlite3"),
        ("import os.path", "import os.path"),
        ("from os import replace", "from os import replace"),
        ("from pathlib import Path", "from pathlib import Path"),
        ("import pywikibot.pagegenerators", "import pywikibot.pagegenerators"),
        ("from subprocess import run", "from subprocess import run"),
        ("import urllib.request", "import urllib.request"),
        ("from urllib import parse, request", "from urllib import request"),
        ("from http.client import HTTPConnection", "from http.client import HTTPConnection"),
        ("import requests", "import requests"),
        ("import socket", "import socket"),
        ("from bots.state.fingerprint import code_fingerprint", "from bots.state.fingerprint import code_fingerprint"),
        ("from bots import wiki", "from bots import wiki"),
        ("text = open('f').read()", "open()"),
        ("text = path.read_text(encoding='utf-8')", ".read_text()"),
        ("path.write_text('x')", ".write_text()"),
        ("data = path.read_bytes()", ".read_bytes()"),
        ("path.parent.mkdir(parents=True)", ".mkdir()"),
        ("path.unlink(missing_ok=True)", ".unlink()"),
        ("data = json.load(handle)", "json.load()"),
        ("json.dump(data, handle)", "json.dump()"),
        ("handle = io.open(name)", "io.open()"),
        ("loader = jinja2.FileSystemLoader('templates')", "FileSystemLoader"),
        ("from jinja2 import FileSystemLoader", "imports FileSystemLoader"),
    ],
)
def test_each_kind_of_impurity_is_caught(source: str, caught: str) -> None:
    found = impurities(source)
    assert len(found) == 1 and found[0].startswith(f"<source>:1: {caught}"), found


@pytest.mark.parametrize(
    "source",
    [
        "from urllib.parse import urlsplit",
        "import urllib.parse",
        "text = json.dumps(data)",
        "data = json.loads(text)",
        "data = yaml.safe_load(text)",
        "loader = jinja2.DictLoader(templates)",
        "from bots.core.records.model import Issue",
        "import bots.core.settings",
        "from bots import core",
        "from bots.core import settings",
        "name = title.replace('_', ' ')",
        "from collections.abc import Mapping",
        "buffer = io.StringIO()",
    ],
)
def test_pure_code_is_not_caught(source: str) -> None:
    assert impurities(source) == []
