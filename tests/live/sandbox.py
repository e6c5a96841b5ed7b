"""An isolated corner of the shared live wiki for tests that break things on purpose.

A sandbox has its own infobox name (``{{Reliab <name>}}``, so other tests' runs never
see its pages), its own generated pages and shutoff page, a settings folder for
``-settings:``, and a copy of the wiki's pywikibot config folder that may point at
another port (a fault proxy) and carry its own retry settings.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from bots.config import DEFAULT_CONFIG_DIR
from tests.live.conftest import LiveWiki, run_module

#: No waits between retries (pywikibot doubles retry_wait each time: 0 stays 0), so that a test of
#: retries takes seconds; the count of retries stays bounded. A real wiki keeps user-config.py.example's.
FAST_RETRIES = {"max_retries": 2, "retry_wait": 0, "retry_max": 1, "socket_timeout": (3, 20)}


def pywikibot_folder(wiki: LiveWiki, target: Path, port: int, **settings: object) -> Path:
    """A copy of the wiki's pywikibot folder whose family points at ``port``, with extra settings.

    The run state that other tests' runs left there (revision cache, render state, crosslink
    memory, lock) is not copied: a sandbox starts as a new installation of the bot would.
    """
    shutil.copytree(
        wiki.dev.pywikibot_dir,
        target,
        ignore=shutil.ignore_patterns("apicache*", "*.lwp", "logs", "throttle.ctrl", "partnership-*"),
    )
    family = next((target / "families").glob("*_family.py"))
    family.write_text(
        re.sub(r'domain = "127\.0\.0\.1:\d+"', f'domain = "127.0.0.1:{port}"', family.read_text()), encoding="utf-8"
    )
    with (target / "user-config.py").open("a", encoding="utf-8") as config:
        config.write("\n# --- test settings ---\n")
        for key, value in settings.items():
            config.write(f"{key} = {value!r}\n")
    return target


@dataclass
class Sandbox:
    wiki: LiveWiki
    name: str
    root: Path
    port: int
    keys: tuple[str, ...] = ()

    @property
    def template(self) -> str:
        return f"Reliab {self.name}"

    @property
    def config_dir(self) -> Path:
        return self.root / "config"

    @property
    def pywikibot_dir(self) -> Path:
        return self.root / "pywikibot"

    def title(self, key: str) -> str:
        return f"Reliab/{self.name}/{key}"

    @property
    def titles(self) -> dict[str, str]:
        return {key: self.title(key) for key in self.keys}

    @property
    def shutoff(self) -> str:
        return f"User:PartnershipBot/Shutoff {self.name}"

    def partnership(self, number: int, **fields: str) -> str:
        values = {
            "name": f"{self.name} partnership {number}",
            "partner": f"Partner {number}",
            "type": "content",
            "lead": "volunteers",
            "status": "active",
            **fields,
        }
        return "{{" + self.template + "\n" + "".join(f"| {k} = {v}\n" for k, v in values.items()) + "}}\n"

    def add_partnerships(self, count: int, start: int = 0) -> list[str]:
        titles = []
        for number in range(start, start + count):
            title = f"Reliab/{self.name}/Partnership {number}"
            self.wiki.api.edit(title, self.partnership(number))
            titles.append(title)
        return titles

    def run(self, module: str = "bots.update", *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        """Run a bot on this sandbox: its settings folder and its pywikibot folder."""
        return run_module(
            module, f"-settings:{self.config_dir}", *args, pywikibot_dir=self.pywikibot_dir, timeout=timeout
        )


def make_sandbox(
    wiki: LiveWiki,
    root: Path,
    name: str,
    port: int | None = None,
    check_every: int = 10,
    settings: Mapping[str, object] | None = None,
) -> Sandbox:
    """A sandbox in ``root`` whose bots talk to ``port`` (default: the wiki itself)."""
    pages = yaml.safe_load((DEFAULT_CONFIG_DIR / "pages.yaml").read_text(encoding="utf-8"))
    box = Sandbox(wiki=wiki, name=name, root=root, port=port or wiki.dev.port, keys=tuple(pages["generated"]))
    box.config_dir.mkdir(parents=True)
    schema = yaml.safe_load((DEFAULT_CONFIG_DIR / "schema.yaml").read_text(encoding="utf-8"))
    schema["template"] = {"name": box.template, "aliases": []}
    (box.config_dir / "schema.yaml").write_text(yaml.safe_dump(schema, allow_unicode=True), encoding="utf-8")
    pages["shutoff"] = {"page": box.shutoff, "run_value": "run", "check_every": check_every}
    for key, spec in pages["generated"].items():
        spec["title"] = box.title(key)
    (box.config_dir / "pages.yaml").write_text(yaml.safe_dump(pages, allow_unicode=True), encoding="utf-8")
    pywikibot_folder(wiki, box.pywikibot_dir, box.port, **(settings or {}))
    return box
