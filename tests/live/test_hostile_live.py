"""One live round of the hostile corpus (tests/data/hostile.yaml) and the secrets checks.

The corpus pages, a 2 MB page and a value of 100,000 characters are saved on the local wiki with
a sandbox's own infobox name (so no other test sees them); the main job runs over them once, and
the wiki's own parser (action=parse) judges the generated pages.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from bots.config import load_config
from bots.core.pages.escape import BREAK_TAGS, SAFE_TAGS
from tests.live.conftest import LiveWiki, output
from tests.live.sandbox import make_sandbox
from tests.support import TWO_MEGABYTES

CORPUS = Path(__file__).parents[1] / "data" / "hostile.yaml"
#: The HTML elements the page templates themselves produce.
TEMPLATE_TAGS = {"div", "span", "table", "tbody", "tr", "th", "td", "a", "code", "p", "h2", "h3", "ul", "li", "b"}
TEMPLATE_TAGS |= {"i", "br", "meta", "link", "input", "label", "style", "nav", "ol"}  # and the TOC's
TEMPLATE_TAGS |= {"small"}  # a value's problem mark (issue 18)
#: The page whose last-run line the overview transcludes (issue 18): the sandbox keeps the usual status page.
STATUS_PAGE = load_config().pages.status_page
#: Values written to break out of the wikitext display (issue 20), shown with the corpus.
WIKITEXT_CORPUS = Path(__file__).parents[1] / "data" / "hostile_wikitext.yaml"
#: The hosts of the corpus's bracketed http(s) links: the only external links the wikitext display keeps.
CORPUS_HOSTS = {"spam.example"}


def test_hostile_pages_yield_literal_text_and_a_complete_report(wiki: LiveWiki, tmp_path: Path) -> None:
    """Every corpus page is read (the 2 MB page too); each expected problem is in the report; the generated pages add no
    link, category, template, external link, magic link, signature, display title or HTML element
    beyond the templates' own (checked with action=parse)."""
    box = make_sandbox(wiki, tmp_path, "hostile")
    pages = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))["pages"]
    pages.append(
        {"title": "Huge value", "text": box.partnership(99, description="y" * 100_000, status="x" * 1000), "expect": []}
    )
    pages.append(
        {"title": "Two megabytes", "text": box.partnership(98, name="Two megabytes") + TWO_MEGABYTES, "expect": []}
    )
    titles = []
    for page in pages:
        title = "Reliab/hostile/" + page["title"].split("/", 1)[-1].replace("_", " ")  # as the wiki spells it
        wiki.api.edit(title, page["text"].replace("{{Partnership", "{{" + box.template))
        titles.append(title)
    result = box.run("bots.update", "-always")
    log = output(result)
    assert result.returncode == 0, log
    # A page whose infobox never closes transcludes nothing, for MediaWiki too: the wiki does
    # not list it, so the bot cannot see it (the pure tests report it as no-infobox).
    embedding = wiki.api.call(action="query", list="embeddedin", eititle=f"Template:{box.template}", eilimit="max")
    seen = {p["title"] for p in embedding["query"]["embeddedin"]}
    assert seen == {t for t, p in zip(titles, pages, strict=True) if "no-infobox" not in p["expect"]}
    assert f"{len(seen)} pages read" in log
    assert "[[:Reliab/hostile/Two megabytes|Two megabytes]]" in wiki.api.text(box.title("index"))
    report = wiki.api.text(box.title("report"))
    for title, page in zip(titles, pages, strict=True):
        if title not in seen:
            continue
        section = report.split(f"</span>[[:{title}|", 1)  # <h3><span id=...></span>[[:title|...]]</h3>
        for code in page["expect"]:
            assert len(section) == 2 and f"<code>{code}</code>" in section[1].split("\n<h3>", 1)[0], (title, code)
    allowed_links = set(titles) | {t.replace("_", " ") for t in box.titles.values()} | {f"Template:{box.template}"}
    for title in box.titles.values():
        parsed = wiki.api.call(
            action="parse", page=title, prop="text|links|categories|templates|externallinks|iwlinks|displaytitle"
        )["parse"]
        # the one page transcluded: the status page's last-run line on the overview (issue 18)
        transcluded = {t["title"] for t in parsed["templates"]}
        assert parsed["categories"] == [] and transcluded <= {STATUS_PAGE}, title
        assert parsed["externallinks"] == [] and parsed["iwlinks"] == [], title
        assert {link["title"] for link in parsed["links"]} <= allowed_links | {STATUS_PAGE}, title
        assert "Hacked" not in parsed["displaytitle"]
        rendered = parsed["text"]
        assert "mw-magiclink" not in rendered and "<script" not in rendered and 'style="x"' not in rendered
        assert set(re.findall(r"<([a-z][a-z0-9]*)", rendered)) <= TEMPLATE_TAGS, title
        assert "[[User:PartnershipBot" not in wiki.api.text(title), "no signature was expanded"
    index = html.unescape(wiki.api.call(action="parse", page=box.title("index"), prop="text")["parse"]["text"])
    # (The wiki turned the ~~~~ in the volunteer's page into a signature when it was saved: its
    # link shows as text, which the link check above proves.)
    for literal in ("ISBN 978-3-16-148410-0", "RFC 2616", "[[Category:Injected]]", "<script>alert(1)</script>"):
        assert literal in index, literal


def _rows_of_tables(rendered: str) -> list[list[int]]:
    """Each table of a rendered page as the count of cells in each of its rows."""
    return [
        [row.count("<td") + row.count("<th") for row in table.split("<tr")[1:]]
        for table in rendered.split("<table")[1:]
    ]


def test_values_shown_as_wikitext_keep_only_links_and_safe_formatting(wiki: LiveWiki, tmp_path: Path) -> None:
    """The corpus with every field shown as safe wikitext (``display: wikitext``), on the generated pages
    (every field's column on a records page) and in a volunteer's list (a table, a list): the wiki's
    parser finds links to main-namespace pages (the values' own) and the corpus's own bracketed
    http(s) links, and nothing else: no category, template, interwiki link, other namespace, magic
    link, display title, script, attribute or HTML element beyond the templates' and the safe set;
    every table row has its table's count of cells."""
    box = make_sandbox(wiki, tmp_path, "display")
    schema_file, pages_file = box.config_dir / "schema.yaml", box.config_dir / "pages.yaml"
    schema = yaml.safe_load(schema_file.read_text(encoding="utf-8"))
    for spec in schema["fields"].values():
        spec["display"] = "wikitext"
    schema_file.write_text(yaml.safe_dump(schema, allow_unicode=True), encoding="utf-8")
    settings = yaml.safe_load(pages_file.read_text(encoding="utf-8"))
    records_page = box.title("records")
    settings["generated"]["records"] = {"title": records_page, "template": "records.wikitext", "summary": "Bot: test"}
    pages_file.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    extra = yaml.safe_load(WIKITEXT_CORPUS.read_text(encoding="utf-8"))
    for page in yaml.safe_load(CORPUS.read_text(encoding="utf-8"))["pages"] + extra["pages"]:
        title = "Reliab/display/" + page["title"].split("/", 1)[-1].replace("_", " ")
        wiki.api.edit(title, page["text"].replace("{{Partnership", "{{" + box.template))
    columns = "name, partner, description, lessons, assets, support, website"
    list_page = "Reliab/display/A volunteer's lists"
    row_template = f"Template:{box.template} row"  # each value in a parameter of a volunteer's row template
    wiki.api.edit(
        row_template, "<div>" + " — ".join(f"{{{{{{{c.strip()}}}}}}}" for c in columns.split(",")) + "</div>\n"
    )
    lists = "".join(
        f"{{{{{box.template} list|{form}|columns={columns}}}}}\n{{{{{box.template} list end}}}}\n"
        for form in ("format=table", "format=list", f"row_template={row_template.split(':', 1)[1]}")
    )
    wiki.api.edit(list_page, f"Above.\n{lists}Below.\n")
    result = box.run("bots.update", "-always")
    assert result.returncode == 0, output(result)
    assert "[[:Paris|Paris]]" in wiki.api.text(list_page), "the list shows the values' links"
    own_templates = {f"Template:{box.template}", f"Template:{box.template} list", f"Template:{box.template} list end"}
    own_templates.add(row_template)
    for title in [*box.titles.values(), records_page, list_page]:
        parsed = wiki.api.call(
            action="parse", page=title, prop="text|links|categories|templates|externallinks|iwlinks|displaytitle"
        )["parse"]
        assert parsed["categories"] == [] and parsed["iwlinks"] == [], title
        assert {t["title"] for t in parsed["templates"]} <= own_templates | {STATUS_PAGE}, title
        hosts = {urlsplit(link).hostname for link in parsed["externallinks"]}
        assert hosts <= CORPUS_HOSTS and all(link.startswith("https://") for link in parsed["externallinks"]), title
        assert [
            link for link in parsed["links"] if link["ns"] != 0 and link["title"] not in own_templates | {STATUS_PAGE}
        ] == [], title
        assert "Hacked" not in parsed["displaytitle"]
        rendered = parsed["text"]
        assert "mw-magiclink" not in rendered and "<script" not in rendered and 'style="x"' not in rendered, title
        assert "onmouseover" not in rendered, title
        assert set(re.findall(r"<([a-z][a-z0-9]*)", rendered)) <= TEMPLATE_TAGS | SAFE_TAGS | BREAK_TAGS, title
        for table in _rows_of_tables(rendered):
            assert len(set(table)) == 1, (title, table)  # no value broke out of its cell
        assert "[[User:PartnershipBot" not in wiki.api.text(title), "no signature was expanded"
    parsed = wiki.api.call(action="parse", page=records_page, prop="links|externallinks|text")["parse"]
    assert set(extra["links"]) <= {link["title"] for link in parsed["links"]}, "the values' own links are kept"
    assert "https://spam.example/site" in parsed["externallinks"]
    assert "<b>Louvre</b>" in parsed["text"] and "<sup>2</sup>" in parsed["text"]
    listed = wiki.api.call(action="parse", page=list_page, prop="text")["parse"]["text"]
    assert _rows_of_tables(listed)[0][0] == len(columns.split(",")) and "<li>" in listed
    assert "<div>Wikitext display — " in listed and "<i>label</i>" in listed, "the row template shows the values"


def test_the_bot_password_never_shows(wiki: LiveWiki, tmp_path: Path) -> None:
    """A run with every kind of output on (-verbose, -debug, -log) prints the BotPassword nowhere:
    not on the console, not in pywikibot's log and cache files, not in the pages or edit summaries."""
    secret = wiki.dev.secret("bot-password")
    box = make_sandbox(wiki, tmp_path, "secrets")
    box.add_partnerships(1)
    result = box.run("bots.update", "-always", "-verbose", "-debug", "-log")
    assert result.returncode == 0, output(result)
    logs = "".join(p.read_text(encoding="utf-8") for p in (box.pywikibot_dir / "logs").glob("*.log"))
    assert "lgpassword" in logs, "the login request was logged (with the password hidden)"
    assert secret not in output(result)
    written = [p for p in box.pywikibot_dir.rglob("*") if p.is_file() and p.name != "user-password.py"]
    for path in written:
        assert secret not in path.read_text(encoding="utf-8", errors="replace"), path
    for title in box.titles.values():
        revisions = wiki.api.call(
            action="query", prop="revisions", titles=title, rvprop="content|comment", rvslots="main"
        )
        assert secret not in str(revisions)


def test_a_password_file_others_can_read_stops_the_bot(wiki: LiveWiki, tmp_path: Path) -> None:
    """The bots refuse to start (exit 2, saying which file and what to do) when the password file is
    readable by other users."""
    box = make_sandbox(wiki, tmp_path, "perms")
    password_file = box.pywikibot_dir / "user-password.py"
    password_file.chmod(0o644)
    for module in ("bots.update", "bots.validate"):
        result = box.run(module)
        assert result.returncode == 2, output(result)
        assert f"chmod 600 {password_file}" in output(result)
