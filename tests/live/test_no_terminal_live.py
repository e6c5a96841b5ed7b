"""Every bot and script that edits, run with no terminal (standard input closed, as under cron).

Without -always nobody could answer pywikibot's question before each save, so
the run refuses at the start, in one line, before touching the wiki. Under
-simulate nothing is saved, so nothing is asked and the run goes to its end.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bots.cli import NO_TERMINAL
from tests.live.conftest import LiveWiki, output

#: Each module that edits, with the options it needs to get as far as editing.
EDITING_RUNS = [
    ("bots.update",),
    ("bots.validate", "-report"),
    ("bots.crosslink",),
    ("scripts.install_templates",),
    ("scripts.rename_parameter", "-from:org", "-to:partner"),
    ("scripts.normalise",),
    ("scripts.migrate", "-mapping:config/migrate-example.yaml"),
]
PAGE = "User:Maint test/no-terminal/Messy"
MESSY = "{{Partnership\n| name = Maint no terminal\n| status = Ongoing\n}}\n"


def test_without_a_terminal_an_editing_run_needs_always_or_simulate(wiki: LiveWiki, tmp_path: Path) -> None:
    wiki.api.edit(PAGE, MESSY)
    before = wiki.api.revid(PAGE)
    rows = tmp_path / "rows.csv"
    rows.write_text("name,partner\nMaint no terminal row,Kiwix\n", encoding="utf-8")
    runs = [*EDITING_RUNS, ("scripts.create_pages", f"-file:{rows}", "-title:User:Maint test/no-terminal/{name}")]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda run: wiki.run(*run), runs))
    for run, result in zip(runs, results, strict=True):
        text = output(result)
        assert result.returncode == 2, (run, text)
        assert text.strip() == f"ERROR: {NO_TERMINAL}", (run, text)

    simulated = wiki.run("scripts.normalise", "-simulate", f"-page:{PAGE}")
    assert simulated.returncode == 0, output(simulated)
    assert "1 pages read, 1 would be saved (simulation)" in output(simulated)
    assert "| status = active" in output(simulated)  # the diff
    assert wiki.api.revid(PAGE) == before

    assert wiki.api.revid("User:Maint test/no-terminal/Maint no terminal row") == 0
    checked = wiki.run("bots.validate", f"-page:{PAGE}")
    assert NO_TERMINAL not in output(checked), "checking alone edits nothing, so it needs no terminal"
