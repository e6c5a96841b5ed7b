"""The status region of the bot's status page: how the last run went, for operators."""

from __future__ import annotations

from dataclasses import dataclass

from bots.core.render import escape_wikitext


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

    @property
    def outcome(self) -> str:
        return f"failed: {self.failure}" if self.failure else "done"


def render_status(status: RunStatus) -> str:
    """The region body: a small table an operator reads at a glance."""
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
    lines = ['{| class="wikitable"']
    for label, value in rows:
        lines += ["|-", f"! {label}", f"| {value}"]
    lines.append("|}")
    return "\n".join(lines)
