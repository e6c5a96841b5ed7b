"""The whole bot on a second, different schema: another config folder, no code change.

tests/data/meetup/ holds another task force's records: {{Meetup}} with its own fields and
pages.yaml with its own generated pages (generic page templates that take their columns
and groups from the schema). The test creates a few meetup pages, installs the meetup
infobox and runs the main job with -settings:, then adds a field to the schema (a copy
in a temporary folder) and runs both again: the new field shows everywhere and is
validated, with no change to any code.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from bots.config import load_config
from bots.core.pages.render import field_anchor
from scripts.devwiki import PROJECT_DIR
from tests.live.conftest import LiveWiki, output

DATA = PROJECT_DIR / "tests" / "data" / "meetup"
PAGES = {
    "Meetups/Wikipedia Day Haifa": "{{Meetup\n| title = Wikipedia Day Haifa\n| town = Haifa\n| kind = edit-a-thon\n"
    "| date = 2011-01-15\n}}\nA meetup page.\n",
    "Meetups/Paris conference": "{{Infobox meetup|title=Paris conference|city=Paris|kind=Conference|date=2010-06}}\n",
    "Meetups/Berlin party": "{{Meetup|title=Berlin party|city=Berlin|kind=party}}\n",
}
NEW_FIELD = """
  format:
    label: Format
    type: choice
    description: Where people meet.
    values:
      in-person: {label: In person, synonyms: [on site]}
      online: {label: Online, synonyms: [virtual]}
"""


def run(wiki: LiveWiki, module: str, settings: Path, *args: str) -> str:
    result = wiki.run(module, "-always", f"-settings:{settings}", *args)
    text = output(result)
    assert result.returncode == 0, text
    return text


def row_of(text: str, title: str) -> str:
    (row,) = [line for line in text.split("\n") if line.startswith(f"| [[:{title}|")]
    return row


def templatedata_order(wiki: LiveWiki, template: str) -> list[str]:
    (data,) = wiki.api.call(action="templatedata", titles=f"Template:{template}")["pages"].values()
    return list(data["paramOrder"])


def test_another_config_folder_and_a_new_field_need_no_code_change(wiki: LiveWiki, tmp_path: Path) -> None:
    settings = tmp_path / "meetup"
    shutil.copytree(DATA, settings)
    config = load_config(settings)
    schema, titles = config.schema, {page.key: page.title for page in config.pages.generated}
    assert schema.template == "Meetup" and set(titles) == {"all", "by_value", "report"}

    # The infobox first (pages saved before a template's redirect exists are not linked to the
    # template until MediaWiki's job queue refreshes them), then the pages.
    run(wiki, "scripts.install_templates", settings)
    assert templatedata_order(wiki, "Meetup") == [spec.name for spec in schema.fields]
    for title, text in PAGES.items():
        wiki.api.edit(title, text)
    assert "3 pages read" in run(wiki, "bots.update", settings)

    listing = wiki.api.text(titles["all"])
    header = next(line for line in listing.split("\n") if line.startswith("! Page"))
    assert header == "! Page !! " + " !! ".join(spec.label for spec in schema.fields)
    assert "|| Haifa || Edit-a-thon || 2011-01-15 ||" in row_of(listing, "Meetups/Wikipedia Day Haifa")
    assert "|| Conference || 2010-06 ||" in row_of(listing, "Meetups/Paris conference")
    assert "partnership-problem" in row_of(listing, "Meetups/Berlin party")  # listed, its kind marked (issue 18)
    by_value = wiki.api.text(titles["by_value"])
    assert re.search(r"^\| Edit-a-thon \|\| 1 \|\| \[\[:Meetups/Wikipedia Day Haifa\|", by_value, re.M)
    report = wiki.api.text(titles["report"])
    assert f"[[:Meetups/Berlin party#{field_anchor('Meetup', 'kind')}|kind]]" in report
    assert "<code>unknown-value</code>" in report and "Meetups/Paris" not in report

    # One more field in the schema; nothing else changes.
    schema_file = settings / "schema.yaml"
    schema_file.write_text(schema_file.read_text(encoding="utf-8") + NEW_FIELD, encoding="utf-8")
    run(wiki, "scripts.install_templates", settings)
    assert templatedata_order(wiki, "Meetup")[-1] == "format"
    wiki.api.edit(
        "Meetups/Wikipedia Day Haifa", PAGES["Meetups/Wikipedia Day Haifa"].replace("}}", "| format = virtual\n}}")
    )
    wiki.api.edit("Meetups/Paris conference", PAGES["Meetups/Paris conference"].replace("}}", "|format=by pigeon}}"))
    # The Paris page now has an error: it stays listed, its format marked (issue 18).
    run(wiki, "bots.update", settings, "-force")

    listing = wiki.api.text(titles["all"])
    assert "!! Format" in listing
    assert row_of(listing, "Meetups/Wikipedia Day Haifa").endswith("|| Online")
    assert '|| by pigeon <small class="partnership-problem">' in row_of(listing, "Meetups/Paris conference")
    assert "<h2>Format</h2>" in wiki.api.text(titles["by_value"])
    report = wiki.api.text(titles["report"])
    assert f"[[:Meetups/Paris conference#{field_anchor('Meetup', 'format')}|format]]" in report
    html = wiki.api.parse("Meetups/Wikipedia Day Haifa")["text"]
    row = re.search(rf'<tr id="{field_anchor("Meetup", "format")}">(.*?)</tr>', html, re.S)
    assert row and "Format" in row.group(1) and "Online" in row.group(1)
