"""bots.core.runs.follow: the decisions of bots.update -follow's loop (options, waits, which rounds are said)."""

from __future__ import annotations

import pytest

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
