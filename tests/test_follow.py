"""bots.update -follow without a wiki: the decisions of its loop (bots.core.runs.follow: options, waits, which
rounds are said), the loop itself on scripted rounds, and how SIGTERM and SIGINT stop it."""

from __future__ import annotations

import os
import re
import signal
from pathlib import Path

import pytest
import pywikibot

from bots import update
from bots.cli import DONE, REFUSED, BotOptions
from bots.config import load_config
from bots.core.runs.follow import (
    DEFAULT_INTERVAL,
    MAX_BACKOFF,
    QUIET_LINE_EVERY,
    QuietRounds,
    follow_options_problem,
    interval_from,
    next_wait,
    round_line,
)
from bots.operation import Progress, RunOptions
from bots.update import StopSignals
from bots.wiki.save import STOP_REQUESTED, SaveIfChangedBot, TextChangeBot


@pytest.mark.parametrize(("text", "seconds"), [("60", 60.0), ("1", 1.0), ("0.5", 0.5), ("86400", 86400.0)])
def test_an_interval_is_seconds(text: str, seconds: float) -> None:
    assert interval_from(text) == seconds


BAD = [("soon", "not a number"), ("0", "more than 0"), ("-5", "more than 0"), ("nan", "more than 0"),
       ("inf", "at most"), ("86401", "at most")]  # fmt: skip


@pytest.mark.parametrize(("text", "said"), BAD)
def test_a_bad_interval_says_why(text: str, said: str) -> None:
    answer = interval_from(text)
    assert isinstance(answer, str) and said in answer and text in answer


def test_follow_refuses_full_and_force_and_interval_needs_follow() -> None:
    assert follow_options_problem(follow=True, full=False, force=False, interval=True) == ""
    assert follow_options_problem(follow=False, full=True, force=True, interval=False) == ""
    assert "-full" in follow_options_problem(follow=True, full=True, force=False, interval=False)
    assert "-force" in follow_options_problem(follow=True, full=False, force=True, interval=False)
    assert "goes with -follow" in follow_options_problem(follow=False, full=False, force=False, interval=True)


def test_the_wait_is_the_interval_then_doubles_after_each_failure_up_to_the_cap() -> None:
    assert next_wait(DEFAULT_INTERVAL, 0) == DEFAULT_INTERVAL
    assert [next_wait(60, failures) for failures in range(1, 6)] == [120, 240, 480, MAX_BACKOFF, MAX_BACKOFF]
    assert next_wait(60, 10_000) == MAX_BACKOFF  # no overflow after months of failures
    assert next_wait(2 * MAX_BACKOFF, 3) == 2 * MAX_BACKOFF  # never shorter than the interval itself


def test_quiet_rounds_get_one_line_an_hour() -> None:
    tally = QuietRounds(0, since=1000.0)
    lines = []
    for minute in range(1, 181):  # three hours of a round a minute
        tally, line = tally.after_quiet_round(1000.0 + 60 * minute)
        lines.append(line)
    said = [line for line in lines if line]
    assert len(said) == 3
    assert said[0] == "60 quiet rounds in the last 60 min: nothing new."
    assert tally == QuietRounds(0, 1000.0 + 180 * 60)  # nothing kept but a count and a time


def test_a_single_quiet_round_after_a_long_wait_is_said_in_the_singular() -> None:
    tally, line = QuietRounds(0, since=0.0).after_quiet_round(QUIET_LINE_EVERY * 2)
    assert line == "1 quiet round in the last 120 min: nothing new." and tally.count == 0


def test_a_round_line_says_what_it_did() -> None:
    assert round_line(7, 2.06, 1, 2, 52, 7) == (
        "Round 7 done in 2.1 s: 1 page fetched, 2 generated pages saved; 52 records, 7 problems."
    )


def test_a_stop_request_ends_a_saving_bot_before_its_next_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(SaveIfChangedBot, "save_if_changed", lambda self, page: pytest.fail("saved after the stop"))
    pages = (page for page in ["a page", "another"])
    bot = TextChangeBot(OfflineSite(), lambda snap: None, pages=pages, shutoff=None, always=True)
    STOP_REQUESTED.set()
    try:
        bot.treat_page()
    finally:
        STOP_REQUESTED.clear()
    assert list(pages) == []  # the rest of the pages are not treated
    assert bot.counter["write"] == 0 and not bot.refused and bot.switched_off is None


def test_sigterm_and_sigint_request_a_stop_while_following_and_their_handlers_come_back() -> None:
    before = signal.getsignal(signal.SIGTERM)
    with StopSignals() as signals:
        os.kill(os.getpid(), signal.SIGTERM)
        assert STOP_REQUESTED.wait(5) and signals.name == "SIGTERM"
    assert signal.getsignal(signal.SIGTERM) is before
    with StopSignals() as signals:  # a new follow starts afresh
        assert not STOP_REQUESTED.is_set()
        os.kill(os.getpid(), signal.SIGINT)  # no KeyboardInterrupt
        assert STOP_REQUESTED.wait(5) and signals.name == "SIGINT"
    assert not STOP_REQUESTED.is_set()


class OfflineSite:
    def login(self) -> None:
        pass

    def __str__(self) -> str:
        return "offline:offline"


def test_the_loop_says_rounds_with_changes_failures_and_the_switch_not_quiet_rounds(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Scripted rounds (shutoff page's answer, then the round's code and counts) through bots.update.follow."""
    script = [
        ("", (DONE, 53, 10)),  # the first round: always said
        ("", (DONE, 0, 0)),  # quiet: not said
        ("", (REFUSED, 0, 0)),  # failed: said, and the next waits longer
        ("stop", None),  # switched off: said once
        ("stop", None),
        ("", (DONE, 1, 1)),  # switched on again, a round with changes
        ("", (DONE, 0, 0)),
    ]
    pending = list(script)
    current: list[tuple[int, int, int] | None] = [None]
    lines: list[str] = []

    def shutoff(site: object, pages: object) -> str:
        reason, current[0] = pending.pop(0)
        return reason

    def round_(options: object, run_options: object, progress: Progress) -> int:
        outcome = current[0]
        assert outcome is not None, "a round ran while switched off"
        code, fetched, saved = outcome
        progress.record(pages_fetched=fetched, saved=saved, records=53, problems=7)
        if not pending:
            STOP_REQUESTED.set()  # the last scripted round: as if SIGTERM came during it
        return code

    monkeypatch.setattr(pywikibot, "Site", OfflineSite)
    monkeypatch.setattr(update, "shutoff_reason", shutoff)
    monkeypatch.setattr(update, "guarded_run", round_)
    for level in ("info", "warning", "error"):
        monkeypatch.setattr(pywikibot, level, lines.append)
    options = BotOptions(config=load_config(), always=True)
    code = update.follow(options, RunOptions(recent=True, follow=True, interval=0.01, lock=tmp_path / "lock"))
    assert code == DONE and not STOP_REQUESTED.is_set()
    assert [re.sub(r"[\d.]+ s", "N s", line) for line in lines[1:]] == [
        "Round 1 done in N s: 53 pages fetched, 10 generated pages saved; 53 records, 7 problems.",
        "Round 3 failed (see above): the next one in N s.",
        "stop Until then only the shutoff page is read, every N s.",
        "Switched on again on the wiki: the rounds resume.",
        "Round 4 done in N s: 1 page fetched, 1 generated page saved; 53 records, 7 problems.",
        "Exit 0: stopped by a signal after 5 rounds",
    ]
