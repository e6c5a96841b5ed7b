"""Split pages on the live wiki: hub and subpages written, one edited record rewrites only its parts.

A sandbox (its own infobox name, partnership pages and generated pages) with a split
threshold so small that every generated page splits.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from tests.live.conftest import LiveWiki, output
from tests.live.sandbox import Sandbox, make_sandbox

#: name, type, lead: first letters spread over several ranges.
RECORDS = [
    ("Apple archive", "content", "volunteers"),
    ("Kiwi maps", "technology", "foundation"),
    ("Kestrel photos", "content, outreach", "volunteers"),
    ("Zebra radio", "outreach", "partner"),
]


def subpages(wiki: LiveWiki, hub: str) -> list[str]:
    found = wiki.api.call(action="query", list="allpages", apprefix=hub + "/", aplimit="max")["query"]["allpages"]
    return [page["title"] for page in found]


def test_split_pages_keep_one_record_edit_to_its_own_subpages(wiki: LiveWiki, tmp_path: Path) -> None:
    box: Sandbox = make_sandbox(wiki, tmp_path, "split")
    pages = yaml.safe_load((box.config_dir / "pages.yaml").read_text(encoding="utf-8"))
    pages["guard"].pop("merge_below_bytes")
    pages["guard"]["split_above_bytes"] = 1000
    (box.config_dir / "pages.yaml").write_text(yaml.safe_dump(pages), encoding="utf-8")
    for number, (name, kind, lead) in enumerate(RECORDS):
        fields = {"name": name, "type": kind, "lead": lead, "partner": f"{name.split()[0]} Foundation"}
        wiki.api.edit(f"Reliab/split/Partnership {number}", box.partnership(number, **fields))

    def run() -> None:
        result = box.run("bots.update", "-always", "-nostatus", f"-cache:{tmp_path / 'cache.sqlite'}")
        assert result.returncode == 0, output(result)

    run()
    index, by_type = box.title("index"), box.title("by_type")
    assert sorted(subpages(wiki, index)) == [f"{index}/A", f"{index}/K", f"{index}/X-Z"]
    assert "[[:Reliab/split/Partnership 1|Kiwi maps]]" in wiki.api.text(f"{index}/K")
    assert "Partnership 2|Kestrel photos" in wiki.api.text(f"{index}/K")
    assert "Kiwi" not in wiki.api.text(f"{index}/A")
    assert f"[[:{index}/K|K]] || 2" in wiki.api.text(index)
    outreach = wiki.api.text(f"{by_type}/Outreach")
    assert "Kestrel photos" in outreach and "Zebra radio" in outreach and "Apple" not in outreach
    assert f"Part '''Outreach''' of [[:{by_type}|" in outreach, "a subpage links back to its hub"

    titles = [t for key in box.keys for t in (box.title(key), *subpages(wiki, box.title(key)))]
    before = {title: wiki.api.revid(title) for title in titles}
    # Apple archive becomes an outreach partnership too: the By type hub's counts change
    wiki.api.edit(
        "Reliab/split/Partnership 0",
        box.partnership(
            0,
            **{
                "name": "Apple archive",
                "type": "content, outreach",
                "lead": "volunteers",
                "partner": "Apple Foundation",
            },
        ),
    )
    run()
    changed = {title.replace("_", " ") for title in titles if wiki.api.revid(title) != before[title]}
    expected = {
        f"{index}/A",
        by_type,
        f"{by_type}/Content sources",
        f"{by_type}/Outreach",
        f"{box.title('by_lead')}/Volunteers",
        f"{box.title('partners')}/A",
        f"{box.title('overview')}/A",
    }
    expected = {title.replace("_", " ") for title in expected}  # the wiki's spelling
    must = {title.replace("_", " ") for title in (f"{index}/A", by_type, f"{by_type}/Outreach")}
    assert must <= changed <= expected, sorted(changed)
    assert re.search(r"\|Outreach\]\] \|\| 3\n", wiki.api.text(by_type))

    settled = {title: wiki.api.revid(title) for title in titles}
    run()
    assert {title: wiki.api.revid(title) for title in titles} == settled, "a second run makes no edit"
