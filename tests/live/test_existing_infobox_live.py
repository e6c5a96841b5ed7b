"""The wiki's own infobox (``template: existing: true``, issue 20), on the local wiki.

A stand-in for a wiki's own infobox and its Lua module is written first, as volunteers would
have them; install_templates with a schema copy that says ``existing: true`` leaves both as they
are (same revision), says so, and installs the list templates; the main job finds a name used
twice (a cross-page finding) and still writes no findings page, since no module of ours reads it.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from bots.core.onwiki.findings import index_title, shard_title
from scripts.devwiki import PROJECT_DIR
from tests.live.conftest import LiveWiki, output

DATA = PROJECT_DIR / "tests" / "data" / "meetup"
TEMPLATE, MODULE = "Template:Infobox gallery", "Module:Infobox gallery"
STAND_IN = '{| class="infobox"\n! {{{title|}}}\n|-\n| {{{city|}}}\n|}<noinclude>\nThe wiki\'s own infobox.</noinclude>'
PAGES = {
    "Galleries/Uffizi": "{{Infobox gallery|title=Uffizi|city=Florence|kind=conference|date=1793}}\n",
    "Galleries/Uffizi again": "{{Infobox gallery|title=Uffizi|city=Florence|kind=workshop|date=1793}}\n",
}


def settings_for_the_wikis_own_infobox(folder: Path) -> Path:
    """The meetup config, renamed to {{Infobox gallery}} (a name no other live test uses), with a Lua engine,
    findings on, and ``existing: true``."""
    shutil.copytree(DATA, folder)
    schema = (folder / "schema.yaml").read_text(encoding="utf-8")
    schema = schema.replace("  name: Meetup\n  aliases: [Infobox meetup]\n", "  name: Infobox gallery\n")
    (folder / "schema.yaml").write_text(schema.replace("template:\n", "template:\n  engine: lua\n  existing: true\n"))
    pages = (folder / "pages.yaml").read_text(encoding="utf-8").replace("title: Meetups/", "title: Galleries/")
    (folder / "pages.yaml").write_text(pages + "findings:\n  shards: 2\n", encoding="utf-8")
    return folder


def test_the_wikis_own_infobox_is_left_alone_and_no_findings_are_written(wiki: LiveWiki, tmp_path: Path) -> None:
    settings = settings_for_the_wikis_own_infobox(tmp_path / "gallery")
    wiki.api.edit(TEMPLATE, STAND_IN)
    wiki.api.edit(MODULE, "local p = {}\nfunction p.main(frame) return '' end\nreturn p")
    before = {title: wiki.api.revid(title) for title in (TEMPLATE, f"{TEMPLATE}/doc", MODULE)}

    result = wiki.run("scripts.install_templates", "-always", f"-settings:{settings}")
    text = output(result)
    assert result.returncode == 0, text
    assert f"{TEMPLATE}: the wiki's own infobox (template: existing: true), left as it is" in text
    assert f"{MODULE}: the wiki's own infobox (template: existing: true), left as it is" in text
    assert re.search(r"<templatedata>\n\{.*\n</templatedata>", text, re.S)
    assert {title: wiki.api.revid(title) for title in before} == before  # the stand-in, the same revisions
    for title in (f"{TEMPLATE} list", f"{TEMPLATE} list end", f"{TEMPLATE} list/doc"):
        assert wiki.api.revid(title), title
    assert not wiki.api.revid(f"{TEMPLATE}/preload")

    for title, page in PAGES.items():
        wiki.api.edit(title, page)
    result = wiki.run("bots.update", "-always", f"-settings:{settings}", "-force")
    text = output(result)
    assert result.returncode == 0, text
    assert "duplicate-title" in wiki.api.text("Galleries/Problems")  # a cross-page finding there was
    for title in (index_title(MODULE), shard_title(MODULE, 0), shard_title(MODULE, 1)):
        assert not wiki.api.revid(title), title
    assert {title: wiki.api.revid(title) for title in before} == before
