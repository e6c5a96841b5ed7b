"""Helpers and constants shared by several test modules (fixtures are in tests/conftest.py).

The partnership schema and an infobox to vary; synthetic pages as the benchmark loads them,
checked with a recommendation page; a pywikibot configuration folder for a wiki that is not
there (or that only listens), and a way to run a bot as a user would, with no terminal: what
the exit-code and configuration tests need to prove that a bad option or setting stops a bot
before its first request.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from bots.config import DEFAULT_CONFIG_DIR, load_config, load_schema
from bots.core.links.states import PageState, lookup_from_states
from bots.core.pipeline import Checked, Config, check_pages
from bots.core.records.model import Infobox, PageSnapshot, Parameter, Partnership
from bots.state.cache import PageCache
from scripts.bench import synthetic_page

PROJECT = Path(__file__).parents[1]

#: 2 MB of prose with a link and a template every 400 characters. (Denser markup is slower:
#: mwparserfromhell takes about 10 s over 2 MB of nothing but links and templates.)
TWO_MEGABYTES = (
    "A paragraph of a long page, with [[a link]] and {{a template}}. " + "Plain prose. " * 26 + "\n"
) * 5_000

#: The Toolforge jobs of config/toolforge/jobs.yaml.
JOBS: list[dict[str, Any]] = yaml.safe_load(
    (PROJECT / "config" / "toolforge" / "jobs.yaml").read_text(encoding="utf-8")
)
#: Those that run on a schedule and end (the continuous follow job runs until stopped).
SCHEDULED_JOBS = [job for job in JOBS if not job.get("continuous")]


def command_modules() -> list[str]:
    """The bots and scripts run as ``python -m <module>``: those with a ``console_main``."""
    return [
        f"{path.parent.name}.{path.stem}"
        for folder in ("bots", "scripts")
        for path in sorted((PROJECT / folder).glob("*.py"))
        if "\ndef console_main(" in path.read_text(encoding="utf-8")
    ]


FAMILY = """
from pywikibot import family


class Family(family.SingleSiteFamily):
    name = "offline"
    domain = "{domain}"

    def protocol(self, code):
        return "http"

    def scriptpath(self, code):
        return ""
"""

USER_CONFIG = """
family = "offline"
mylang = "offline"
usernames["offline"]["*"] = "PartnershipBot"
max_retries = 1
retry_wait = 1
retry_max = 1
socket_timeout = 3
"""


def pywikibot_dir(folder: Path, domain: str) -> Path:
    """A pywikibot configuration folder for a wiki at ``domain``."""
    (folder / "families").mkdir(parents=True)
    (folder / "families" / "offline_family.py").write_text(FAMILY.format(domain=domain))
    (folder / "user-config.py").write_text(USER_CONFIG)
    return folder


#: Without PYWIKIBOT_NO_USER_CONFIG, should this process have it: the bots must read user-config.py.
ENVIRONMENT = {name: value for name, value in os.environ.items() if name != "PYWIKIBOT_NO_USER_CONFIG"}


def run(config: Path, module: str, *args: str) -> tuple[int, list[str]]:
    """Run ``python -m module args`` with no terminal; the exit code and the non-empty lines it printed."""
    result = subprocess.run(
        [sys.executable, "-m", module, *args],
        env={**ENVIRONMENT, "PYWIKIBOT_DIR": str(config), "PYTHONUNBUFFERED": "1"},
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    return result.returncode, lines


# --- records: the partnership schema, an infobox, synthetic pages ---

SCHEMA = load_schema(DEFAULT_CONFIG_DIR / "schema.yaml")
TITLE = "Partnerships/Example"

DEFAULTS = {
    "name": "Example",
    "partner": "Example Museum",
    "type": "content",
    "lead": "volunteers",
    "status": "active",
}


def infobox(*extra: str, drop: tuple[str, ...] = (), **values: str) -> str:
    """An infobox's wikitext: the required fields (overridable), then ``extra`` lines as written."""
    fields = {**DEFAULTS, **values}
    lines = [f"| {key} = {value}" for key, value in fields.items() if key not in drop]
    return "{{Partnership\n" + "\n".join([*lines, *extra]) + "\n}}\n"


RECOMMENDATION = "Task force/Recommendations/Alliances and partnerships 1"


def snapshots(count: int) -> list[PageSnapshot]:
    """Synthetic pages (as the benchmark loads), plus ties: partner and chapter names that
    differ only in case or accents, which group together under one spelling."""
    rng = random.Random(7)
    pages = [synthetic_page(number, rng) for number in range(count)]
    tie = "{{Partnership|name=%s|partner=%s|type=content|lead=volunteers|status=active|start=2010|chapter=%s}}"
    pages.append(("Partnerships/Tie A", tie % ("Tie one", "telenor", "Wikimedia CH")))
    pages.append(("Partnerships/Tie B", tie % ("Tie two", "Telenor", "wikimedia CH")))
    pages.append(("Partnerships/Tie C", tie % ("Tie three", "Télénor", "Wikimedia CH")))
    return [PageSnapshot(title=t, text=x, revid=100 + i, pageid=1 + i) for i, (t, x) in enumerate(pages)]


def check(snaps: list[PageSnapshot], config: Config, cache: PageCache | None = None) -> Checked:
    lookup = lookup_from_states({RECOMMENDATION: PageState(RECOMMENDATION, True, text="A recommendation.")})
    names = [config.schema.template, *config.schema.template_aliases]
    return check_pages(snaps, config.schema, names, lookup, config.pages.crosslink.fields, cache=cache)


def chapter_records(count: int) -> list[Partnership]:
    """``count`` valid records of one partner and type led by a chapter, titled P/00, P/01, ..."""
    pages = [
        PageSnapshot(
            f"P/{n:02}",
            f"{{{{Partnership\n| name = Record {n:02}\n| partner = Org\n| type = content\n| lead = chapter\n"
            "| status = active\n| start = 2010\n}}\n",
            pageid=n + 1,
        )
        for n in range(count)
    ]
    checked = check_pages(pages, SCHEMA, SCHEMA.template_names)
    assert len(checked.records) == count
    return list(checked.records)


#: The museum settings of tests/data/museum: a schema whose fields read wikitext (issue 20).
MUSEUM = load_config(PROJECT / "tests" / "data" / "museum")


def museum_box(**values: str) -> Infobox:
    """A museum infobox of these values (and a name)."""
    return Infobox("Museums/X", "Museum", tuple(Parameter(k, v) for k, v in {"name": "X", **values}.items()))
