"""What the generated pages were last rendered from, so that a quiet run need not render them again.

A run that finds the same render inputs as the last run (records, problems, the
state of linked pages, the recommendation pages with a region, the settings, the
page templates and the rendering code) and every generated page still at the
revision the last run left it at, has nothing to write: it skips rendering and
saving. Any edit to a generated page (a volunteer's, or a revert) makes the run
render and compare as usual, so the bot's region is restored as before.

The state is kept between runs by bots.state.render_state; the code's fingerprint
comes from bots.state.fingerprint. Here are only the fingerprints and the decision.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from bots.core.pages.markers import RegionError, find_region
from bots.core.pipeline import Checked, Config
from bots.core.records.model import PageSnapshot

FORMAT = 1


@dataclass(frozen=True)
class RenderState:
    """The fingerprint of the last run's render inputs, and each generated page's revision after it."""

    fingerprint: str
    revisions: Mapping[str, int] = field(default_factory=dict)


def render_fingerprint(
    checked: Checked, config: Config, region_pages: Iterable[PageSnapshot] = (), *, code: str
) -> str:
    """Changes whenever the generated pages could change, apart from their "last updated" line.

    ``code``: the fingerprint of the rendering code (bots.state.fingerprint.code_fingerprint).
    """
    return render_fingerprint_from(checked_fingerprint(checked, config), config, region_pages, code=code)


def checked_fingerprint(checked: Checked, config: Config) -> str:
    """The records, problems and linked pages' states: what a quiet run keeps (bots.core.runs.quiet) to skip them.

    Records and link states are taken in a fixed order; the issues come sorted.
    """
    digest = hashlib.sha256(f"{FORMAT}".encode())
    for record in sorted(checked.records, key=lambda r: r.title):
        digest.update(repr((record.title, sorted(record.values.items()))).encode())
    for issue in checked.issues:
        digest.update(repr((str(issue.page), type(issue.page).__name__, issue.field, issue.code)).encode())
        digest.update(repr((issue.severity, issue.message, issue.suggestion)).encode())
    start, end = config.pages.region_start, config.pages.region_end
    for title, state in sorted(checked.links.states.items()):
        digest.update(repr((title, replace(state, text=outside_region(state.text, start, end)))).encode())
    return digest.hexdigest()


def render_fingerprint_from(
    checked_print: str, config: Config, region_pages: Iterable[PageSnapshot] = (), *, code: str
) -> str:
    """The render fingerprint from :func:`checked_fingerprint`, the recommendation pages with a region,
    the settings and schema (frozen dataclasses with a stable repr), the page templates and ``code``,
    the fingerprint of the code (bots.state.fingerprint.code_fingerprint)."""
    digest = hashlib.sha256(checked_print.encode())
    start, end = config.pages.region_start, config.pages.region_end
    for snap in sorted(region_pages, key=lambda s: s.title):
        digest.update(repr((snap.title, outside_region(snap.text, start, end))).encode())
    digest.update(repr((config.schema, config.pages)).encode())
    for name, text in sorted(config.page_templates.items()):
        digest.update(repr((name, text)).encode())
    digest.update(code.encode())  # the rendering code, the size cut included: all of bots/
    return digest.hexdigest()[:24]


def outside_region(text: str, start: str, end: str) -> str:
    """A page's text without its bot-owned region's body: what the bot wrote there is no input."""
    try:
        span = find_region(text, start, end)
    except RegionError:
        return text
    return text if span is None else text[: span[0]] + text[span[1] :]


def nothing_to_render(previous: RenderState | None, fingerprint: str, revisions: Mapping[str, int]) -> bool:
    """True if the inputs are the last run's and every generated page is at the revision that run left."""
    return (
        previous is not None
        and bool(previous.revisions)
        and previous.fingerprint == fingerprint
        and dict(revisions) == dict(previous.revisions)
    )
