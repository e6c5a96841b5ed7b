"""The lock files: what make, CI and Toolforge install is pinned, hashed and allowed by pyproject.toml.

requirements.txt holds the runtime dependencies (Toolforge's Build Service installs it),
requirements-test.txt the same pins plus the test tools (make's venv). Both come from
`make lock`; these tests catch a hand edit, a pyproject.toml change without a new lock, and a
venv that is not the pinned set (then `make test` would not test what Toolforge runs).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module, metadata
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

# Python 3.11+, the lock's Python: on another the import fails (the test never skips)
tomllib = import_module("tomllib")

PROJECT = Path(__file__).resolve().parent.parent
RUNTIME_LOCK = PROJECT / "requirements.txt"
TEST_LOCK = PROJECT / "requirements-test.txt"


@dataclass(frozen=True)
class Pin:
    """One locked distribution: its exact version and the hashes of its files."""

    version: Version
    hashes: frozenset[str]


def read_lock(path: Path) -> dict[str, Pin]:
    """The pins of a pip-compile output, by normalised name; anything else in it fails the test."""
    pins: dict[str, Pin] = {}
    text = path.read_text(encoding="utf-8").replace("\\\n", " ")
    for line in text.splitlines():
        line = line.partition("#")[0].strip()
        if not line:
            continue
        head, *hashes = line.split("--hash=")
        requirement = Requirement(head.strip())
        (specifier,) = requirement.specifier
        assert specifier.operator == "==", (path.name, line)
        assert hashes and all(value.strip().startswith("sha256:") for value in hashes), (path.name, head)
        pins[canonicalize_name(requirement.name)] = Pin(
            Version(specifier.version), frozenset(value.strip() for value in hashes)
        )
    return pins


def project() -> dict[str, Any]:
    """pyproject.toml's [project] table."""
    table: dict[str, Any] = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return table


def requirements(*extras: str) -> list[Requirement]:
    """pyproject.toml's dependencies and those of the extras named, for the running Python."""
    table = project()
    texts = list(table["dependencies"])
    for extra in extras:
        texts += table["optional-dependencies"][extra]
    parsed = [Requirement(text) for text in texts]
    return [requirement for requirement in parsed if requirement.marker is None or requirement.marker.evaluate()]


@pytest.mark.parametrize(("lock", "extras"), [(RUNTIME_LOCK, ()), (TEST_LOCK, ("test",))])
def test_the_lock_pins_every_requirement_within_its_bounds(lock: Path, extras: tuple[str, ...]) -> None:
    pins = read_lock(lock)
    for requirement in requirements(*extras):
        pin = pins.get(canonicalize_name(requirement.name))
        assert pin is not None, f"{requirement} is not in {lock.name}: run make lock"
        assert requirement.specifier.contains(pin.version, prereleases=True), (lock.name, str(requirement), pin)


def test_the_test_lock_holds_the_runtime_pins_unchanged() -> None:
    runtime, test = read_lock(RUNTIME_LOCK), read_lock(TEST_LOCK)
    assert {name: test.get(name) for name in runtime} == runtime


def test_the_running_venv_is_the_pinned_set() -> None:
    """`make` installs requirements-test.txt; a venv that drifted from it is reported, name by name."""
    drifted = {}
    for name, pin in read_lock(TEST_LOCK).items():
        try:
            installed = Version(metadata.version(name))
        except metadata.PackageNotFoundError:
            installed = None
        if installed != pin.version:
            drifted[name] = (str(pin.version), installed and str(installed))
    assert drifted == {}, "this venv is not the lock's pinned set (make venv installs it): locked, installed"
