"""``bots.update -follow``: the pure decisions of its loop (the options, the next wait, when a quiet round is said).

The loop (bots/update.py) runs a ``-recent`` round, waits, and runs the next one.
These functions decide, from plain numbers, how long it waits (the interval, or a
backoff after failed rounds) and which rounds get a line in the log: every round
that fetched or saved a page, the first, and one line an hour for the quiet ones,
so that a log of a job that runs for months stays readable and small.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The wait between the end of a round and the start of the next, in seconds.
DEFAULT_INTERVAL = 60.0
#: What a real wiki wants at least (--help says why); shorter intervals are allowed, for a local wiki.
ADVISED_MIN_INTERVAL = 30.0
#: The longest interval accepted: a day (the scheduled jobs do better than that).
MAX_INTERVAL = 86_400.0
#: The longest wait after failed rounds: the wait doubles with each failure up to this.
MAX_BACKOFF = 900.0
#: Quiet rounds get one line per this many seconds (an hour), saying how many there were.
QUIET_LINE_EVERY = 3_600.0


def interval_from(text: str) -> float | str:
    """The -interval: value in seconds, or the one-line reason it is not one."""
    try:
        seconds = float(text)
    except ValueError:
        return f"-interval:{text} is not a number of seconds (e.g. -interval:60)."
    if not 0 < seconds <= MAX_INTERVAL:  # also refuses nan
        return f"-interval:{text} must be more than 0 and at most {MAX_INTERVAL:.0f} seconds (a day)."
    return seconds


def follow_options_problem(*, follow: bool, full: bool, force: bool, interval: bool) -> str:
    """Why -follow's options do not go together ("" when they do)."""
    if interval and not follow:
        return "-interval: goes with -follow only (the wait between two rounds)."
    if follow and full:
        return (
            "-follow and -full exclude each other: -follow runs -recent rounds; "
            "the daily -full job runs between them (they share the run lock)."
        )
    if follow and force:
        return (
            "-follow and -force exclude each other: a loop must not override the guards round after round; "
            "run -force once, by hand."
        )
    return ""


def next_wait(interval: float, failures: int) -> float:
    """The wait before the next round: the interval, doubled for each failed round in a row, at most MAX_BACKOFF
    (never less than the interval)."""
    if failures <= 0:
        return interval
    return max(interval, min(MAX_BACKOFF, interval * 2.0 ** min(failures, 32)))


@dataclass(frozen=True)
class QuietRounds:
    """The quiet rounds not said yet: how many, and since when (a monotonic clock's seconds)."""

    count: int
    since: float

    def after_quiet_round(self, now: float, every: float = QUIET_LINE_EVERY) -> tuple[QuietRounds, str]:
        """The tally after one more quiet round, and the line to log ("" when not due yet)."""
        count = self.count + 1
        if now - self.since < every:
            return QuietRounds(count, self.since), ""
        minutes = (now - self.since) / 60
        line = f"{count} quiet round{'s' if count != 1 else ''} in the last {minutes:.0f} min: nothing new."
        return QuietRounds(0, now), line


def round_line(number: int, seconds: float, fetched: int, saved: int, records: int, problems: int) -> str:
    """The one line of a round that fetched or saved pages (or of the first round)."""
    return (
        f"Round {number} done in {seconds:.1f} s: {fetched} page{'s' if fetched != 1 else ''} fetched, "
        f"{saved} generated page{'s' if saved != 1 else ''} saved; {records} records, {problems} problems."
    )
