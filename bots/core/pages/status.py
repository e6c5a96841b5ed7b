"""The status region of the bot's status page: how the last run went, for operators."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone

from bots.core.pages.markers import read_status_line, status_line
from bots.core.pages.render import escape_wikitext


@dataclass(frozen=True)
class RunStatus:
    """What one run did; ``failure`` is the one-line reason when it did not finish cleanly."""

    started: str
    duration: float
    version: str
    pages_read: int = 0
    pages_fetched: int = 0
    records: int = 0
    problems: int = 0
    errors: int = 0
    saved: int = 0
    unchanged: int = 0
    refused: int = 0
    failure: str = ""
    #: What an operator must know (a generated page moved or deleted by an admin, a page deleted during the run).
    notes: tuple[str, ...] = ()

    @property
    def outcome(self) -> str:
        return f"failed: {self.failure}" if self.failure else "done"

    def result_key(self) -> str:
        """Everything the run did apart from when and how long: equal keys, same result."""
        fields = {name: value for name, value in asdict(self).items() if name not in ("started", "duration")}
        return hashlib.sha256(repr(sorted(fields.items())).encode()).hexdigest()[:16]


def status_save_reason(old_body: str | None, status: RunStatus, now: datetime, heartbeat: timedelta) -> str:
    """Why the status region must be saved now ("" when it need not be).

    A failed run always saves; otherwise the region is saved when the result differs
    from the one on the page (anything apart from time and duration), and at most
    once per ``heartbeat`` when it does not, so that a quiet run makes no edit but the
    page still shows the bot is alive.
    """
    if status.failure:
        return "the run failed"
    found = read_status_line(old_body or "")
    if found is None:
        return "no earlier status"
    key, saved_at = found
    if key != status.result_key():
        return "the result changed"
    try:
        saved = datetime.fromisoformat(saved_at)
    except ValueError:
        return "no earlier status"
    if saved.tzinfo is None:
        saved = saved.replace(tzinfo=timezone.utc)
    if now - saved >= heartbeat:
        return "heartbeat"
    return ""


def last_run_line(status: RunStatus, schedule: str = "") -> str:
    """When the bot last reported, how that run went, and (``schedule``, in words) when it runs."""
    outcome = f"failed ({escape_wikitext(status.failure)})" if status.failure else "done"
    runs = f" It runs {escape_wikitext(schedule)}." if schedule else ""
    return (
        f"''The bot last reported on {escape_wikitext(status.started)}: {outcome}; "
        f"{status.records} records, {status.problems} problems ({status.errors} errors).{runs}''"
    )


def render_status(status: RunStatus, saved: datetime | None = None, schedule: str = "") -> str:
    """The region body: a small table an operator reads at a glance.

    It ends with a hidden line (the result's key and ``saved``, the time of the save)
    that status_save_reason reads on the next run.
    """
    outcome = (
        f"'''<span style=\"color:#b32424\">Failed</span>''': {escape_wikitext(status.failure)}"
        if status.failure
        else "'''Done'''"
    )
    rows = [
        ("Last run", escape_wikitext(status.started)),
        ("Result", outcome),
        ("Duration", f"{status.duration:.1f} s"),
        ("Pages read", f"{status.pages_read} ({status.pages_fetched} fetched, the rest unchanged since the last run)"),
        ("Records", str(status.records)),
        ("Problems", f"{status.problems} ({status.errors} errors)"),
        (
            "Pages saved",
            f"{status.saved} ({status.unchanged} unchanged, {status.refused} refused)",
        ),
        ("Bot version", escape_wikitext(status.version)),
    ]
    if status.notes:
        rows.append(("Notes", "\n" + "\n".join(f"* {escape_wikitext(note)}" for note in status.notes)))
    # The one line other pages transclude ({{:<status page>}}, e.g. the task force's overview):
    # it changes only when this page is saved, so the pages showing it need no save of their own.
    lines = [f"<onlyinclude>{last_run_line(status, schedule)}</onlyinclude>", '{| class="wikitable"']
    for label, value in rows:
        lines += ["|-", f"! {label}", f"| {value}"]
    lines.append("|}")
    if saved is not None:
        lines.append(status_line(status.result_key(), saved.astimezone(timezone.utc).isoformat()))
    return "\n".join(lines)
