"""What an unattended run needs around the pipeline: its options, lock, version and exit line."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pywikibot

from bots import __version__
from bots.cli import OwnOptions, OwnValues
from bots.config import PROJECT_DIR
from bots.core.pages.markers import RegionError
from bots.core.pages.regions import region_body
from bots.core.pages.render_state import RenderState, nothing_to_render
from bots.core.pages.status import RunStatus, render_status, status_save_reason
from bots.core.records.schema import Schema
from bots.core.runs.follow import DEFAULT_INTERVAL, follow_options_problem, interval_from
from bots.core.settings.pages_config import PagesConfig
from bots.exit_codes import ALREADY_RUNNING, BAD_OPTIONS, DONE, REFUSED, SWITCHED_OFF
from bots.state.cache import PageCache, fingerprint, load_cache
from bots.state.lock import LockHeld, RunLock
from bots.state.render_state import load_render_state, save_render_state
from bots.wiki.history import latest_revisions
from bots.wiki.save import RegionBot

#: Exit codes a scheduler can act on (bots.exit_codes).
EXIT_DONE = DONE
EXIT_FAILED = REFUSED
EXIT_BAD_OPTIONS = BAD_OPTIONS
EXIT_SWITCHED_OFF = SWITCHED_OFF
EXIT_ALREADY_RUNNING = ALREADY_RUNNING


@dataclass(frozen=True)
class RunOptions:
    """bots.update's own options, beyond those every bot shares."""

    full: bool = False
    #: Read only what the wiki's recent changes name since the last run (bots.core.runs.recent).
    recent: bool = False
    cache: Path | None = None
    lock: Path | None = None
    status: bool = True
    #: -follow: -recent rounds in a loop, ``interval`` seconds apart (bots.core.runs.follow).
    follow: bool = False
    interval: float = DEFAULT_INTERVAL
    #: The config folder's key (bots.config.folder_key): each folder has its own cache, lock and render state.
    folder_key: str = ""

    def cache_file(self) -> Path:
        return self.cache or state_dir() / state_file_name("partnership-cache", self.folder_key, ".sqlite")

    def render_state_file(self) -> Path:
        """What the generated pages were last rendered from (bots.state.render_state), next to the cache."""
        cache = self.cache_file()
        return cache.with_name(f"{cache.stem}.rendered.json")

    def lock_file(self) -> Path:
        return self.lock or state_dir() / state_file_name("partnership-update", self.folder_key, ".lock")


def state_file_name(stem: str, folder_key: str, suffix: str) -> str:
    """A run state file's name: config/'s keeps the name it always had, another folder's carries its key."""
    return f"{stem}.{folder_key}{suffix}" if folder_key else f"{stem}{suffix}"


#: bots.update's own options (bots.cli parses them).
RUN_OPTIONS = OwnOptions(
    flags=frozenset({"-full", "-recent", "-nostatus", "-follow"}), values={"-cache": (), "-lock": (), "-interval": ()}
)


def run_options(own: OwnValues, force: bool = False, folder_key: str = "") -> RunOptions | int:
    """-full, -recent, -follow, -interval:SECONDS, -cache:FILE, -lock:FILE, -nostatus (RUN_OPTIONS) as RunOptions;
    an int is the exit code. ``force``: -force was given (-follow refuses it); ``folder_key``: the config folder's."""
    if "-full" in own.flags and "-recent" in own.flags:
        pywikibot.error("-full and -recent exclude each other: -full reads every page, -recent only what changed.")
        return EXIT_BAD_OPTIONS
    follow = "-follow" in own.flags
    interval = interval_from(own.value("-interval")) if "-interval" in own.values else DEFAULT_INTERVAL
    problem = follow_options_problem(
        follow=follow, full="-full" in own.flags, force=force, interval="-interval" in own.values
    )
    if problem or isinstance(interval, str):
        pywikibot.error(problem or str(interval))
        return EXIT_BAD_OPTIONS
    return RunOptions(
        full="-full" in own.flags,
        recent="-recent" in own.flags or follow,
        follow=follow,
        interval=interval,
        cache=own.path("-cache"),
        lock=own.path("-lock"),
        status="-nostatus" not in own.flags,
        folder_key=folder_key,
    )


def take_run_lock(lock: Path | None = None, folder_key: str = "") -> RunLock | int:
    """The run lock every scheduled job that edits shares (so they never overlap), or the exit code 0 when held.

    Without a file, the default one of bots.update for the config folder of ``folder_key``. When another
    run holds it, this run does nothing and says so in one line naming the holder, with exit code 0 (the
    holder is doing the work: not a failure to mail about); a stale lock is reported and taken.
    """
    run_lock = RunLock(RunOptions(lock=lock, folder_key=folder_key).lock_file())
    try:
        run_lock.acquire()
    except LockHeld as exc:
        return exit_with(EXIT_ALREADY_RUNNING, str(exc))
    if run_lock.stale:
        pywikibot.warning(run_lock.stale)
    return run_lock


def open_cache(
    options: RunOptions, site: pywikibot.site.BaseSite, schema: Schema, template_names: Sequence[str]
) -> PageCache:
    """The revision cache for this wiki (an empty one with -full), saying what of it cannot be used."""
    site_id = f"{site.siteinfo['wikiid']} {site.siteinfo['server']}"
    print_ = fingerprint(schema, template_names)
    cache, note = load_cache(options.cache_file(), site_id, print_, full=options.full)
    if options.full:
        pywikibot.info("-full: the revision cache is not read; every page is fetched.")
    elif note:
        pywikibot.info(f"Revision cache: {note}.")
    return cache


def state_dir() -> Path:
    """Where a run keeps its lock and cache: the pywikibot config folder, one per wiki and account."""
    return Path(pywikibot.config.base_dir)


def bot_version() -> str:
    """The package version, and the git commit when run from a checkout."""
    try:
        commit = subprocess.run(
            ["git", "-C", str(PROJECT_DIR), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return f"{__version__} ({commit})" if commit else __version__


def exit_with(code: int, reason: str) -> int:
    """Say in one last line how the run ended, for the scheduler's log and mail."""
    line = f"Exit {code}: {reason}"
    if code == EXIT_DONE:
        pywikibot.info(line)
    else:
        pywikibot.error(line)
    return code


@dataclass
class Progress:
    """What the run has done so far: enough to write the status page even when it fails half-way."""

    clock: float
    so_far: RunStatus

    @classmethod
    def begin(cls) -> Progress:
        started = str(pywikibot.Timestamp.now().strftime("%Y-%m-%d %H:%M:%S UTC"))
        return cls(clock=time.monotonic(), so_far=RunStatus(started=started, duration=0.0, version=bot_version()))

    def record(self, **counts: Any) -> None:
        """Note counts as the run reaches them (pages_read=..., saved=...: RunStatus's fields)."""
        self.so_far = replace(self.so_far, **counts)

    def status(self, failure: str = "") -> RunStatus:
        return replace(self.so_far, duration=time.monotonic() - self.clock, failure=failure)


class StatusBot(RegionBot):
    """Saves the status region only when status_save_reason says so (a quiet run makes no edit)."""

    def __init__(self, site: pywikibot.site.BaseSite, pages: PagesConfig, status: RunStatus, **kwargs: Any) -> None:
        self.status = status
        self.now = datetime.now(timezone.utc)
        body = render_status(status, saved=self.now, schedule=pages.status_schedule)
        super().__init__(site, {pages.status_page: (body, pages.status_summary)}, pages, **kwargs)

    def plan(self, title: str, old: str) -> str | None:
        try:
            current = region_body(old, self.pages.region_start, self.pages.region_end)
        except RegionError:
            return super().plan(title, old)  # refused there, with the reason
        heartbeat = timedelta(hours=self.pages.status_heartbeat_hours)
        if not status_save_reason(current, self.status, self.now, heartbeat):
            pywikibot.info(
                f"Status page [[{title}]] not saved: same result as the last saved one "
                f"(saved again at least every {self.pages.status_heartbeat_hours:g} h)."
            )
            self.counter["unchanged"] += 1
            return None
        return super().plan(title, old)


def write_status(site: pywikibot.site.BaseSite, pages: PagesConfig, status: RunStatus, always: bool) -> None:
    """Save the status region if due; a failure to do so is reported, never raised (the run's outcome stands)."""
    if not pages.status_page:
        return
    try:
        bot = StatusBot(site, pages, status, always=always)
        bot.run()
    except Exception as exc:  # the status is best effort; the exit code tells the scheduler
        pywikibot.warning(f"Could not write the status page [[{pages.status_page}]]: {exc}")


def unchanged_since_last_run(site: pywikibot.site.BaseSite, options: RunOptions, fingerprint: str) -> list[str] | None:
    """The generated pages' titles when nothing needs rendering (same inputs, pages untouched since); else None.

    Costs one request per 50 generated pages (their latest revision ids). -full always renders.
    """
    previous = None if options.full else load_render_state(options.render_state_file())
    if previous is None or previous.fingerprint != fingerprint:
        return None
    if not nothing_to_render(previous, fingerprint, latest_revisions(site, previous.revisions)):
        return None
    return list(previous.revisions)


def remember_render(options: RunOptions, fingerprint: str, revisions: Mapping[str, int] | None) -> None:
    """After rendering: keep the inputs' fingerprint and the pages' revisions when every page is as rendered
    (``revisions``: bots.wiki.save.RegionBot.left_as_rendered, the revisions its own saves gave)."""
    path = options.render_state_file()
    if pywikibot.config.simulate:
        return
    if not revisions:
        path.unlink(missing_ok=True)  # the next run renders and compares again
        return
    save_render_state(path, RenderState(fingerprint, revisions))
