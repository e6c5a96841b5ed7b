"""bots.update -follow on the local wiki: a finding appears and goes within the follow mode's latency (issue 19).

The follow job runs as Toolforge runs a continuous job: a subprocess, stopped with SIGTERM. A
volunteer's edit gives a page a cross-page finding (a `related` link the other page does not
return) and a second edit takes it away; the test measures the seconds from each edit until
the findings shard says so and the page (purged: ``php -S`` runs no jobs) shows it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bots.config import load_config
from bots.core.onwiki.findings import shard_of, shard_title
from bots.state.lock import LockHeld, RunLock
from scripts.devwiki import PROJECT_DIR
from tests.live.conftest import LiveWiki, switched_off

CONFIG = load_config()
MODULE = f"Module:{CONFIG.schema.template}"
ONE_SIDED = "Partnerships/Example: One-sided related"
NOT_LINKED_BACK = "Partnerships/Example: Not linked back"
INTERVAL = 1.0
#: The latency allowed: the interval, a round that reads and saves (a few seconds here), and a wide margin
#: for a machine shared with other test runs.
BOUND = INTERVAL + 60.0


class Follower:
    """A running ``bots.update -always -follow``, its whole output in a file."""

    def __init__(self, wiki: LiveWiki, log: Path) -> None:
        self.log = log
        env = {**os.environ, "PYWIKIBOT_DIR": str(wiki.dev.pywikibot_dir), "PYTHONUNBUFFERED": "1"}
        with log.open("w", encoding="utf-8") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bots.update", "-always", "-follow", f"-interval:{INTERVAL:g}"],
                env=env,
                cwd=PROJECT_DIR,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8")

    def wait_for(self, line: str, timeout: float = 120) -> float:
        """Seconds until the output holds ``line``; fails (with the output) if it does not in time."""
        started = time.monotonic()
        while line not in self.text():
            assert self.process.poll() is None, f"the follow job ended:\n{self.text()}"
            assert time.monotonic() - started < timeout, f"no {line!r} after {timeout} s:\n{self.text()}"
            time.sleep(0.1)
        return time.monotonic() - started

    def open_files(self) -> int:
        """Its open files, sockets aside (the HTTP connection pool keeps up to ten to the wiki)."""
        folder = Path(f"/proc/{self.process.pid}/fd")
        return sum(1 for fd in folder.iterdir() if not os.readlink(fd).startswith("socket:"))

    def resident_kb(self) -> int:
        status = Path(f"/proc/{self.process.pid}/status").read_text(encoding="utf-8")
        return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))


@pytest.fixture
def follower(wiki: LiveWiki, tmp_path: Path) -> Iterator[Follower]:
    running = Follower(wiki, tmp_path / "follow.log")
    yield running
    if running.process.poll() is None:  # the test failed before its SIGTERM
        running.process.kill()
        running.process.wait(timeout=30)


def until(check: Callable[[], bool], what: str, started: float) -> float:
    """Seconds from ``started`` until ``check()`` holds; fails after BOUND."""
    while not check():
        assert time.monotonic() - started < BOUND, f"{what}: not within {BOUND:g} s"
        time.sleep(0.2)
    return time.monotonic() - started


def taken(lock: RunLock) -> bool:
    try:
        lock.acquire()
    except LockHeld:
        return False
    return True


def test_follow_shows_a_finding_and_its_fix_within_its_latency_and_stops_on_sigterm(
    wiki: LiveWiki, restore: Callable[[str], str], follower: Follower
) -> None:
    restore(ONE_SIDED)
    original = restore(NOT_LINKED_BACK)
    linked_back = original.replace("|start=2010", f"|start=2010\n|related={ONE_SIDED}")
    assert linked_back != original
    shard = shard_title(MODULE, shard_of(ONE_SIDED, CONFIG.pages.findings_shards))

    def in_shard() -> bool:
        try:
            return ONE_SIDED in json.loads(wiki.api.text(shard))
        except KeyError:  # no shard page yet: no finding in it
            return False

    def shown() -> bool:
        wiki.api.call(post=True, action="purge", titles=ONE_SIDED)
        return 'data-code="related-not-reciprocal"' in wiki.api.parse(ONE_SIDED)["text"]

    wiki.api.edit(NOT_LINKED_BACK, linked_back)  # no finding to begin with
    first = follower.wait_for("Round 1 done")
    until(lambda: not in_shard(), "the starting state (no finding)", time.monotonic())
    files, memory = follower.open_files(), follower.resident_kb()

    edited = time.monotonic()
    wiki.api.edit(NOT_LINKED_BACK, original)  # the link back removed: ONE_SIDED gets its finding
    appeared = until(in_shard, "the finding in its shard", edited)
    appeared_on_page = until(shown, "the finding on the page", edited)

    edited = time.monotonic()
    wiki.api.edit(NOT_LINKED_BACK, linked_back)  # fixed
    gone = until(lambda: not in_shard(), "the finding gone from its shard", edited)
    gone_from_page = until(lambda: not shown(), "the finding gone from the page", edited)

    # the lock is free between rounds (crosslink and the daily -full run then); a round that finds it held is skipped
    lock = RunLock(wiki.dev.pywikibot_dir / "partnership-update.lock")
    until(lambda: taken(lock), "the run lock free between rounds", time.monotonic())
    try:
        follower.wait_for("Round skipped: another run holds the lock", timeout=30)
    finally:
        lock.release()

    with switched_off(wiki):  # switched off: says so once, reads only the shutoff page, resumes when switched on
        follower.wait_for("the bot is switched off there", timeout=30)
        time.sleep(3 * INTERVAL)
    follower.wait_for("Switched on again on the wiki: the rounds resume.", timeout=30)
    time.sleep(5 * INTERVAL)  # a few quiet rounds (SIGTERM may then come during one: it ends after it)

    grown_files, grown_memory = follower.open_files() - files, follower.resident_kb() - memory
    follower.process.send_signal(signal.SIGTERM)
    code = follower.process.wait(timeout=60)
    text = follower.text()
    lines = [line for line in text.splitlines() if line.strip()]
    print(
        f"\nFollow mode, -interval:{INTERVAL:g} on the local wiki: first round done {first:.1f} s after start; "
        f"finding in its shard after {appeared:.1f} s, on the page after {appeared_on_page:.1f} s; "
        f"gone from its shard after {gone:.1f} s, from the page after {gone_from_page:.1f} s; "
        f"{len(lines)} log lines; open files {grown_files:+d}, resident memory {grown_memory:+d} KB since round 1."
    )
    print(text)
    assert code == 0, text
    assert lines[-1].endswith("rounds") and "Exit 0: stopped by SIGTERM after" in lines[-1], text
    assert text.count("the bot is switched off there") == 1, text  # said once, however many intervals
    rounds = int(lines[-1].split("after ")[1].split()[0])
    said = [line for line in lines if line.startswith("Round ") and " done in " in line]
    assert said[0].startswith("Round 1 done") and len(said) < rounds, text
    assert not [line for line in said[1:] if "0 pages fetched, 0 generated pages saved" in line], text  # quiet: unsaid
    assert grown_files <= 3, text  # a round under way holds the lock file, the cache and its journal
