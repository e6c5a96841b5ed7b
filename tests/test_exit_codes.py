"""Exit codes, from the paths that produce them; no wiki needed.

A run that edits ends with bots.cli.run_exit_code; a wiki error with cli.stopped.
Then, as a user meets them (each bot and script run as a subprocess): a bot checks
its own options and configuration before any request to the wiki (exit 2, one
line), and a wiki that cannot be reached ends a run with one line saying so
(exit 1), never a traceback.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
import pywikibot
import requests

from bots.cli import BAD_OPTIONS, DONE, REFUSED, SWITCHED_OFF, run_exit_code, stopped
from tests.support import pywikibot_dir, run


@pytest.mark.parametrize(
    ("switched_off", "refused", "code"),
    [(False, False, DONE), (False, True, REFUSED), (True, False, SWITCHED_OFF), (True, True, SWITCHED_OFF)],
)
def test_switched_off_mid_run_wins_over_refusals(switched_off: bool, refused: bool, code: int) -> None:
    assert run_exit_code(switched_off=switched_off, refused=refused) == code


NAME_NOT_RESOLVED = (
    "HTTPSConnectionPool(host='wiki.example.org', port=443): Max retries exceeded with url: "
    '/w/api.php?action=query&meta=userinfo (Caused by NameResolutionError("HTTPSConnection('
    "host='wiki.example.org', port=443): Failed to resolve 'wiki.example.org' ([Errno -2] Name or service "
    'not known)"))'
)


@pytest.mark.parametrize(
    ("error", "code", "said"),
    [
        (ConnectionError(NAME_NOT_RESOLVED), REFUSED, "could not connect to the wiki at wiki.example.org:443"),
        (requests.exceptions.ConnectionError(NAME_NOT_RESOLVED), REFUSED, "(Name or service not known)"),
        (pywikibot.exceptions.ApiTimeoutError("Maximum retries"), REFUSED, "the wiki did not answer after"),
        (pywikibot.exceptions.ServerError("502 Bad Gateway"), REFUSED, "server error (502 Bad Gateway)"),
        (pywikibot.exceptions.UnknownFamilyError("Family nowiki does not exist"), BAD_OPTIONS, "user-config.py"),
        (pywikibot.exceptions.NoUsernameError("no username for devwiki"), BAD_OPTIONS, "Configuration error"),
    ],
)
def test_a_wiki_error_stops_the_run_with_one_line(
    error: Exception, code: int, said: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines: list[str] = []
    monkeypatch.setattr(pywikibot, "error", lines.append)
    assert stopped(error) == code
    assert len(lines) == 1 and "\n" not in lines[0] and said in lines[0], lines
    assert "meta=userinfo" not in lines[0]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.mark.parametrize(
    ("module", "args", "said"),
    [
        ("bots.update", ["-bogus", "-always"], "Unknown option '-bogus'"),
        ("bots.update", ["-settings:no/such/folder", "-always"], "Configuration error"),
        ("scripts.normalise", ["-field:bogus"], "-field:bogus: no such field"),
        ("scripts.rename_parameter", ["-from:x"], "-from:OLD -to:NEW"),
        ("bots.validate", ["--format", "xml"], "Unknown format 'xml'"),
        ("scripts.install_templates", ["-bogus"], "Unknown option '-bogus'"),
        ("bots.crosslink", ["-always", "-bogus"], "Unknown option '-bogus'"),
        ("bots.lists", ["-always", "-bogus"], "Unknown option '-bogus'"),
        ("bots.validate", ["-bogus"], "Unknown option '-bogus'"),
        ("bots.update", [], "no terminal to confirm edits"),
        ("bots.update", ["-always", "-follow", "-full"], "-follow and -full exclude each other"),
        ("bots.update", ["-always", "-follow", "-force"], "-follow and -force exclude each other"),
        ("bots.update", ["-always", "-follow", "-interval:soon"], "not a number of seconds"),
        ("bots.update", ["-always", "-follow", "-interval:0"], "must be more than 0"),
        ("bots.update", ["-always", "-interval:30"], "goes with -follow only"),
        # the maintenance scripts check their page generator options before they log in
        ("scripts.rename_parameter", ["-from:org", "-to:partner", "-always", "-bogus"], "Unknown option '-bogus'"),
        ("scripts.normalise", ["-always", "-cat:"], "-cat needs a value: -cat:VALUE"),
        ("scripts.migrate", ["-mapping:config/migrate-example.yaml", "-always", "-page:"], "-page needs a value"),
        ("scripts.export", ["-csv:never-written.csv", "-limit:many"], "Bad page generator option"),
        ("scripts.export", ["-json:never-written.json", "-titleregex:Kiwix["], "regular expression 'Kiwix['"),
        ("bots.lists", ["-always", "-cat:"], "-cat needs a value"),
    ],
)
def test_bad_options_stop_with_one_line_before_any_request(
    watched_wiki: Path, listener: socket.socket, module: str, args: list[str], said: str
) -> None:
    code, lines = run(watched_wiki, module, *args)
    assert code == BAD_OPTIONS, lines
    assert len(lines) == 1 and said in lines[0], lines
    with pytest.raises(BlockingIOError):
        listener.accept()  # nobody connected to the wiki


def test_migrating_a_table_without_naming_its_pages_stops_before_any_request(
    watched_wiki: Path, listener: socket.socket, tmp_path: Path
) -> None:
    """A mapping with a table only has no default pages: the generator option it needs is asked for."""
    mapping = tmp_path / "table-only.yaml"
    mapping.write_text('table:\n  columns:\n    Partnership: name\n  title: "Partnerships/{name}"\n')
    code, lines = run(watched_wiki, "scripts.migrate", f"-mapping:{mapping}", "-always")
    assert code == BAD_OPTIONS, lines
    assert len(lines) == 1 and "name the pages holding the table" in lines[0], lines
    with pytest.raises(BlockingIOError):
        listener.accept()
    code, lines = run(watched_wiki, "scripts.migrate", f"-mapping:{mapping}", "-always", "-titleregex:List")
    assert code == BAD_OPTIONS and "name the pages holding the table" in lines[-1], lines  # a filter is no generator


@pytest.mark.parametrize("domain", ["nonexistent.invalid", f"127.0.0.1:{closed_port()}"])
@pytest.mark.parametrize(
    ("module", "args"),
    [
        ("bots.update", ["-always"]),
        ("bots.crosslink", ["-always"]),
        ("bots.validate", []),
        ("scripts.install_templates", ["-always"]),
        ("scripts.normalise", ["-always"]),
    ],
)
def test_a_wiki_that_cannot_be_reached_is_one_line(tmp_path: Path, domain: str, module: str, args: list[str]) -> None:
    code, lines = run(pywikibot_dir(tmp_path, domain), module, *args)
    assert code == REFUSED, lines
    assert not any("Traceback" in line for line in lines), lines
    stopped = [line for line in lines if "Stopped:" in line]
    assert len(stopped) == 1, lines
    assert "the wiki" in stopped[0] and "Check that it is up and reachable" in stopped[0], lines
