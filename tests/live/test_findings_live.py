"""The bot's cross-page findings shown by the Lua infobox on the page itself (issue 19), on the local wiki.

bots.update writes its findings into Module:Partnership/findings.json and the shards
Module:Partnership/findings/<n>.json; the module reads the shard of the page's title with
mw.loadJsonData. A wiki re-renders the pages that read a shard from its job queue; the
test wiki's ``php -S`` runs no jobs, so each test purges the page before it looks.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from bots.config import DEFAULT_CONFIG_DIR, load_config
from bots.core.onwiki.findings import index_title, shard_of, shard_title
from bots.core.onwiki.infobox import tracking_category
from bots.core.onwiki.lua import finding_codes, problem_category
from bots.core.pages.render import field_anchor
from bots.core.records.validate import BESIDE_THE_INFOBOX_CODES
from scripts.devwiki import ADMIN_USER
from tests.live.conftest import LiveWiki, output
from tests.live.wikiapi import WikiApi

CONFIG = load_config()
SCHEMA = CONFIG.schema
MODULE = f"Module:{SCHEMA.template}"
FINDING = re.compile(r'<div class="partnership-finding" data-code="([^"]*)" data-field="([^"]*)"[^>]*>(.*?)</div>')
ONE_SIDED = "Partnerships/Example: One-sided related"
NOT_LINKED_BACK = "Partnerships/Example: Not linked back"
DUPLICATE = "Partnerships/Example: Duplicate of Kaltura"
#: Titles the wiki accepts that are markup in wikitext (bold, a magic word, magic links, list and
#: definition markup), and one beyond ASCII.
HOSTILE_TITLES = [
    "Partnerships/Hostile '''bold''' ''it'' __NOINDEX__ & x",
    "Partnerships/Hostile ISBN 9780306406157 RFC 1234 * ; : ---- =h=",
    "Partnerships/Hostile Ørestad – Партнёрство",
]
#: The same name on every hostile page: each after the first is a duplicate-name, whose message quotes it.
HOSTILE_NAME = (
    "[[Category:Injected]] {{Evil}} <script>alert(1)</script> __NOINDEX__ [[Evil|x]] '''b''' [http://e.example e]"
)


def update(wiki: LiveWiki) -> str:
    result = wiki.run("bots.update", "-always")
    text = output(result)
    assert result.returncode == 0, text
    return text


_ADMINS: dict[int, WikiApi] = {}


def admin(wiki: LiveWiki) -> WikiApi:
    """The wiki's administrator, who may purge any number of pages (anyone else 30 a minute)."""
    if id(wiki) not in _ADMINS:
        _ADMINS[id(wiki)] = wiki.api.login(ADMIN_USER, wiki.dev.secret("admin"))
    return _ADMINS[id(wiki)]


def rendered(wiki: LiveWiki, title: str) -> dict[str, Any]:
    """The page as the wiki shows it now (purged: the job queue would re-render it after a shard's save)."""
    purged = admin(wiki).call(post=True, action="purge", titles=title)
    assert all("purged" in page for page in purged["purge"]), purged
    result = wiki.api.call(action="parse", page=title, prop="text|categories|links|templates|properties|externallinks")
    parsed: dict[str, Any] = result["parse"]
    return parsed


def findings(parsed: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(code, html.unescape(field), text) for code, field, text in FINDING.findall(parsed["text"])]


def categories(parsed: dict[str, Any]) -> set[str]:
    return {c["category"].replace("_", " ") for c in parsed["categories"]}


def row_of(parsed: dict[str, Any], field: str) -> str:
    """The box's HTML from the field's row to the next field's row (the findings shown under it)."""
    text: str = parsed["text"]
    start = text.index(f'id="{field_anchor(SCHEMA.template, field)}"')
    end = text.find("<tr id=", start + 1)
    return text[start : end if end > 0 else len(text)]


def test_the_module_computes_the_same_shard_as_the_bot(wiki: LiveWiki) -> None:
    """The module's rule (SHA-1 of the title's UTF-8 bytes, 8 hex digits, modulo the shards) equals the bot's."""
    wiki.api.edit(
        "Module:Findings shard test",
        "local p = {}\nfunction p.shard(frame)\n\treturn tonumber(string.sub(mw.hash.hashValue('sha1', "
        "frame.args[1]), 1, 8), 16) % tonumber(frame.args[2])\nend\nreturn p\n",
    )
    for title in ["Partnerships/Kiwix", "Partnerships/Ørestad – café", "Партнёрство/Вики", "A", *HOSTILE_TITLES]:
        for shards in (256, 7):
            text = f"{{{{#invoke:Findings shard test|shard|1={title}|2={shards}}}}}"
            answer = wiki.api.call(post=True, action="expandtemplates", prop="wikitext", text=text, title="X")
            assert answer["expandtemplates"]["wikitext"] == str(shard_of(title, shards)), title
            assert shard_of(title, shards) == int(hashlib.sha1(title.encode()).hexdigest()[:8], 16) % shards


def test_a_finding_shows_next_to_its_field_and_goes_after_the_fix(
    wiki: LiveWiki, restore: Callable[[str], str]
) -> None:
    restore(ONE_SIDED)
    other = restore(NOT_LINKED_BACK)
    update(wiki)
    index = json.loads(wiki.api.text(index_title(MODULE)))
    assert index == {"shards": CONFIG.pages.findings_shards, "status_page": CONFIG.pages.status_page}
    shard = json.loads(wiki.api.text(shard_title(MODULE, shard_of(ONE_SIDED, index["shards"]))))
    assert [f["code"] for f in shard[ONE_SIDED]] == ["related-not-reciprocal"]

    page = rendered(wiki, ONE_SIDED)
    assert [(code, field) for code, field, _ in findings(page)] == [("related-not-reciprocal", "related")]
    # the page reads the index and its own shard: a shard's save re-renders its pages only (issue 19's figure)
    read = {t["title"] for t in page["templates"]}
    assert read >= {index_title(MODULE), shard_title(MODULE, shard_of(ONE_SIDED, index["shards"]))}
    assert len([t for t in read if t.startswith(f"{MODULE}/findings/")]) == 1
    assert 'class="partnership-finding" data-code="related-not-reciprocal"' in row_of(page, "related")
    assert "Special:EditPage/" + NOT_LINKED_BACK.replace(" ", "_") in page["text"].replace("%3A", ":")
    assert problem_category(SCHEMA, "related-not-reciprocal") in categories(page)
    assert CONFIG.pages.status_page.replace(" ", "_") in page["text"]  # "as of its last run": the status page

    duplicate = rendered(wiki, DUPLICATE)  # the name is the box's caption: its finding is right under it
    assert [(code, field) for code, field, _ in findings(duplicate)] == [("duplicate-name", "name")]
    assert duplicate["text"].index("partnership-finding") < duplicate["text"].index("<tr id=")
    # the tracking category holds what the page itself shows (test_onwiki_live); the finding its own category
    named = problem_category(SCHEMA, "duplicate-name")
    assert categories(duplicate) & {tracking_category(SCHEMA).name, named} == {named}
    assert not findings(rendered(wiki, "Partnerships/Kennisnet hosting"))  # no finding, nothing shown

    wiki.api.edit(NOT_LINKED_BACK, other.replace("|start=2010", f"|start=2010\n|related={ONE_SIDED}"))
    update(wiki)
    page = rendered(wiki, ONE_SIDED)
    assert findings(page) == []
    assert problem_category(SCHEMA, "related-not-reciprocal") not in categories(page)
    assert ONE_SIDED not in json.loads(wiki.api.text(shard_title(MODULE, shard_of(ONE_SIDED, index["shards"]))))


def test_a_missing_or_broken_shard_shows_nothing_and_raises_no_error(
    wiki: LiveWiki, restore: Callable[[str], str]
) -> None:
    update(wiki)
    shard = shard_title(MODULE, shard_of(DUPLICATE, CONFIG.pages.findings_shards))
    restore(shard)
    wiki.api.edit(shard, json.dumps({DUPLICATE: [{"code": 3}, "x", {"message": None}], "other": 1}))
    page = rendered(wiki, DUPLICATE)
    assert findings(page) == [] and "scribunto-error" not in page["text"]
    index = index_title(MODULE)
    restore(index)
    wiki.api.edit(index, json.dumps({"shards": 0}))
    page = rendered(wiki, DUPLICATE)
    assert findings(page) == [] and "scribunto-error" not in page["text"]


def test_a_shard_not_created_yet_is_recorded_as_read_so_that_its_creation_renders_the_page_again(
    wiki: LiveWiki,
) -> None:
    """mw.loadJsonData records no transclusion of a missing page; the module then calls title:getContent(),
    which does, so that the bot creating the shard later makes MediaWiki render its pages again."""
    update(wiki)
    shards = CONFIG.pages.findings_shards
    listed = wiki.api.call(action="query", list="allpages", apnamespace="828", apprefix=f"{SCHEMA.template}/findings/")
    existing = {page["title"] for page in listed["query"]["allpages"]}
    title = next(
        candidate
        for candidate in (f"Partnerships/Example: Findings shard test {n}" for n in range(1000))
        if shard_title(MODULE, shard_of(candidate, shards)) not in existing
    )
    wiki.api.edit(title, infobox("Findings shard test", "Shard test partner"))
    try:
        answer = wiki.api.call(action="query", prop="templates", titles=title, tlnamespace="828", tllimit="max")
        read = {template["title"] for template in answer["query"]["pages"][0].get("templates", [])}
        assert {index_title(MODULE), shard_title(MODULE, shard_of(title, shards))} <= read, read
    finally:
        admin(wiki).delete(title)


@pytest.fixture
def hostile_pages(wiki: LiveWiki) -> Any:
    admin = wiki.api.login(ADMIN_USER, wiki.dev.secret("admin"))
    yield admin
    for title in HOSTILE_TITLES:
        if wiki.api.revid(title):
            admin.delete(title)
    update(wiki)


def test_hostile_titles_and_values_in_a_finding_inject_no_markup(wiki: LiveWiki, hostile_pages: Any) -> None:
    for title in HOSTILE_TITLES:
        box = (
            f"{{{{Partnership\n| name = {HOSTILE_NAME}\n| partner = Hostile partner\n| type = content\n"
            f"| lead = volunteers\n| status = active\n| related = {NOT_LINKED_BACK}\n}}}}\n"
        )
        wiki.api.edit(title, box.replace("{{Evil}}", "&#123;&#123;Evil&#125;&#125;"))
    update(wiki)
    for title in HOSTILE_TITLES:
        page = rendered(wiki, title)
        shown = findings(page)
        assert shown, title
        assert not any(c.startswith("Injected") for c in categories(page)), title
        assert not any(link["title"] in ("Evil", "Category:Injected") for link in page["links"]), title
        assert "<script" not in page["text"] and "<b>" not in page["text"].split("partnership-finding", 1)[1]
        assert not any(p.get("name") == "noindex" for p in page["properties"]), title
        assert not page["externallinks"], title


# --- every cross-page code: seeded, shown where it belongs, gone after the volunteer's fix -------------------

#: The recommendation page every fixed link points to (a seed page).
RECOMMENDATION = "Task force/Recommendations/Alliances and partnerships 1"
PLAIN = "Partnerships/Findings test"
#: What makes a title hostile while it stays a title the wiki accepts as it is (no "__", which it reads as
#: spaces) and a page field can hold (no ";").
HOSTILE_TAIL = "'''b''' ''i'' ISBN 9780306406157 RFC 1234 PMID 12345 ~~ ---- * : =h= & \" ! ?"
CORPUS = yaml.safe_load((Path(__file__).parents[1] / "data" / "hostile.yaml").read_text(encoding="utf-8"))["pages"]
#: The corpus's partners with markup (braces as entities: the page itself would expand a template), and a
#: title with every punctuation.
HOSTILE_PARTNERS = next(
    line.split("=", 1)[1].strip()
    for page in CORPUS
    if page["title"] == "Hostile/Every markup in values"
    for line in page["text"].splitlines()
    if line.startswith("| partner")
)
PUNCTUATION = next(page["title"] for page in CORPUS if page["title"].startswith("Partnerships/Punct"))


def infobox(name: str, partner: str, **fields: str) -> str:
    """An infobox without problems of its own (besides what ``fields`` add)."""
    extra = "".join(f"| {field} = {value}\n" for field, value in fields.items())
    head = f"{{{{Partnership\n| name = {name}\n| partner = {partner}\n"
    return f"{head}| type = content\n| lead = volunteers\n| status = active\n{extra}}}}}\n"


def redirect(target: str) -> str:
    return f"#REDIRECT [[{target}]]\n"


def safe(value: str) -> str:
    """A value as a page may hold it without its own rendering expanding a template or a table."""
    return value.replace("{| table; ", "").replace("{", "&#123;").replace("}", "&#125;")


@dataclass(frozen=True)
class Case:
    """One cross-page problem: the pages that make it, where its finding shows, and the volunteer's fix."""

    code: str
    page: str
    field: str
    seed: dict[str, str]
    fix: dict[str, str]
    hostile: bool = False

    @property
    def id(self) -> str:
        return f"{self.code}{' (hostile)' if self.hostile else ''}"


def cases(hostile: bool) -> list[Case]:
    """Every cross-page code's case; with ``hostile``, the titles and values its message quotes are hostile."""
    tail = f" {HOSTILE_TAIL}" if hostile else ""
    prefix = f"{PLAIN}/{'Hostile' if hostile else 'Plain'}"

    def page(name: str) -> str:
        return f"{prefix} {name}{tail}"

    def box(name: str, **fields: str) -> str:
        return infobox(f"{prefix} {name}", f"{prefix} partner of {name}", **fields)

    def task_force(name: str) -> str:
        return name if name == RECOMMENDATION else f"Task force/Findings test {name}{tail}"

    def recommending(code: str, name: str, redirects: dict[str, str]) -> Case:
        """A record whose recommendation is the first of ``redirects`` (name -> target), or missing."""
        first = task_force(next(iter(redirects), "missing"))
        made = {task_force(source): redirect(task_force(target)) for source, target in redirects.items()}
        made[page(name)] = box(name, recommendation=first)
        return Case(
            code, page(name), "recommendation", made, {page(name): box(name, recommendation=RECOMMENDATION)}, hostile
        )

    name = safe(HOSTILE_NAME) if hostile else f"{prefix} one name"
    partners = safe(HOSTILE_PARTNERS) if hostile else f"{prefix} shared partner"
    # the wiki spells "_" as a space
    one_sided = f"{PLAIN}/{PUNCTUATION.split('/', 1)[1]}".replace("_", " ") if hostile else page("one-sided")
    return [
        Case(
            "duplicate-name",
            page("name second"),
            "name",
            {page("name first"): infobox(name, f"{prefix} P1"), page("name second"): infobox(name, f"{prefix} P2")},
            {page("name second"): box("name second")},
            hostile,
        ),
        Case(
            "related-not-reciprocal",
            one_sided,
            "related",
            {
                page("not linked back"): box("not linked back"),
                one_sided: box("one-sided", related=page("not linked back")),
            },
            # the suggested fix; a title with ";" cannot be listed, so there the page drops its one-way link
            {one_sided: box("one-sided")}
            if hostile
            else {page("not linked back"): box("not linked back", related=one_sided)},
            hostile,
        ),
        Case(
            "related-without-infobox",
            page("related plain"),
            "related",
            {
                page("plain page"): "No infobox here.\n",
                page("related plain"): box("related plain", related=page("plain page")),
            },
            {page("related plain"): box("related plain")},
            hostile,
        ),
        Case(
            "related-not-partnership-page",
            page("related user page"),
            "related",
            {
                f"User:Findings test/{'Hostile' if hostile else 'Plain'} box{tail}": box("user page box"),
                page("related user page"): box(
                    "related user page", related=f"User:Findings test/{'Hostile' if hostile else 'Plain'} box{tail}"
                ),
            },
            {page("related user page"): box("related user page")},
            hostile,
        ),
        recommending("link-to-missing-page", "missing", {}),
        recommending("link-to-redirect", "redirect", {"redirect": RECOMMENDATION}),
        recommending("link-to-double-redirect", "double redirect", {"twice": "once", "once": RECOMMENDATION}),
        recommending("link-to-redirect-loop", "loop", {"loop A": "loop B", "loop B": "loop A"}),
        Case(
            "possible-duplicate",
            page("duplicate second"),
            "partner",
            {
                page("duplicate first"): infobox(f"{prefix} duplicate first", partners),
                page("duplicate second"): infobox(f"{prefix} duplicate second", partners),
            },
            {
                page("duplicate first"): infobox(
                    f"{prefix} duplicate first", partners, related=page("duplicate second")
                ),
                page("duplicate second"): infobox(
                    f"{prefix} duplicate second", partners, related=page("duplicate first")
                ),
            },
            hostile,
        ),
    ] + (
        []
        if hostile  # their messages quote no title and no value
        else [
            Case(
                "multiple-infoboxes",
                page("two boxes"),
                "",
                {page("two boxes"): box("two boxes") + box("second box")},
                {page("two boxes"): box("two boxes")},
            ),
            Case(
                "ignored-infobox",
                page("commented box"),
                "",
                {page("commented box"): box("commented box") + "<!-- " + box("commented out") + " -->\n"},
                {page("commented box"): box("commented box")},
            ),
        ]
    )


CASES = cases(hostile=False) + cases(hostile=True)
FINDINGS_ROW = re.compile(r'<tr class="partnership-findings" data-field="([^"]*)">')
EDIT_LINK = re.compile(r'\s*<a href="[^"]*"[^>]*>(Edit [^<]*)</a>$')


@dataclass
class Round:
    """The pages of every case as the wiki shows them after the run with the problems, and after the fix."""

    before: dict[str, dict[str, Any]]
    after: dict[str, dict[str, Any]]
    shards: dict[str, list[dict[str, str]]]
    output: str
    fixed_output: str


def shard_findings(wiki: LiveWiki, titles: list[str]) -> dict[str, list[dict[str, str]]]:
    """Title -> its findings in the bot's shards."""
    found: dict[str, list[dict[str, str]]] = {}
    for shard in {shard_of(title, CONFIG.pages.findings_shards) for title in titles}:
        if wiki.api.revid(shard_title(MODULE, shard)):  # a shard is created once it has a finding
            found.update(json.loads(wiki.api.text(shard_title(MODULE, shard))))
    return found


@pytest.fixture(scope="module")
def rounds(wiki: LiveWiki) -> Any:
    """Seed every case, one run, read every page; the fixes, one run, read them again; then delete them all."""
    seeded = list(dict.fromkeys(title for case in CASES for title in case.seed))
    try:
        for title in seeded:  # in order: the first of two duplicates is the older page
            wiki.api.edit(title, next(case.seed[title] for case in CASES if title in case.seed))
        before_output = update(wiki)
        pages = [case.page for case in CASES]
        before = {title: rendered(wiki, title) for title in pages}
        shards = shard_findings(wiki, pages)
        for case in CASES:
            for title, text in case.fix.items():
                wiki.api.edit(title, text)
        fixed_output = update(wiki)
        yield Round(before, {title: rendered(wiki, title) for title in pages}, shards, before_output, fixed_output)
    finally:
        admin = wiki.api.login(ADMIN_USER, wiki.dev.secret("admin"))
        for title in seeded:
            if wiki.api.revid(title):
                admin.delete(title)
        # so many records gone at once would stop the run at the mass-removal guard
        cleaned = wiki.run("bots.update", "-always", "-force")
        assert cleaned.returncode == 0, output(cleaned)


def place_of(parsed: dict[str, Any], code: str) -> str:
    """The field under whose row the page shows its finding of ``code`` ("": after the last, at the box's end)."""
    text: str = parsed["text"]
    at = text.index(f'class="partnership-finding" data-code="{code}"')
    row = list(FINDINGS_ROW.finditer(text, 0, at))[-1]
    said, before, after = html.unescape(row.group(1)), text[: row.start()].rstrip(), text[row.end() :]
    if said == "":
        note = after.find('<tr class="partnership-findings-note"')
        return "" if note > 0 and "<tr" not in after[:note] else "?"
    if before.removesuffix("<tbody>").rstrip().endswith("</caption>"):  # the parser opens the table's body
        return said if said == SCHEMA.fields[0].name else "?"
    rows = list(re.finditer(r'<tr id="([^"]*)"', before))
    anchors = {field_anchor(SCHEMA.template, spec.name): spec.name for spec in SCHEMA.fields}
    follows = bool(rows) and before[rows[-1].end() :].count("</tr>") == 1 and before.endswith("</tr>")
    return (
        anchors[html.unescape(rows[-1].group(1))]
        if follows and anchors[html.unescape(rows[-1].group(1))] == said
        else "?"
    )


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_each_cross_page_finding_shows_on_its_page_by_its_field_and_goes_after_the_fix(
    rounds: Round, case: Case
) -> None:
    page = rounds.before[case.page]
    assert case.code in {code for code, _, _ in findings(page)}, (case.page, findings(page), rounds.output[-3000:])
    field = next(field for code, field, _ in findings(page) if code == case.code)
    assert field == case.field
    assert place_of(page, case.code) == case.field
    assert problem_category(SCHEMA, case.code) in categories(page)
    assert tracking_category(SCHEMA).name not in categories(page)  # the page itself has no problem
    assert case.code in {finding["code"] for finding in rounds.shards.get(case.page, [])}

    fixed = rounds.after[case.page]
    assert case.code not in {code for code, _, _ in findings(fixed)}, (findings(fixed), rounds.fixed_output[-5000:])
    assert problem_category(SCHEMA, case.code) not in categories(fixed)


def test_every_cross_page_code_has_a_case() -> None:
    assert {case.code for case in CASES} == set(finding_codes(SCHEMA))
    assert {case.code for case in CASES if case.hostile} == {
        code for code in finding_codes(SCHEMA) if code not in BESIDE_THE_INFOBOX_CODES
    }


@pytest.mark.parametrize("case", [case for case in CASES if case.hostile], ids=lambda case: case.id)
def test_a_findings_hostile_titles_and_values_are_text_the_parser_leaves_alone(rounds: Round, case: Case) -> None:
    """What the wiki shows of each finding is its message, character for character: nothing in it was markup."""
    page = rounds.before[case.page]
    messages = {finding["code"]: finding for finding in rounds.shards[case.page]}
    for code, _, inner in findings(page):
        finding = messages[code]
        link = EDIT_LINK.search(inner)
        text = inner[: link.start()] if link else inner
        assert "<" not in text, (code, text)
        assert " ".join(html.unescape(text).replace("\xa0", " ").split()) == " ".join(finding["message"].split())
        if link:
            assert html.unescape(link.group(1)).replace("\xa0", " ") == f"Edit {finding['suggestion']}"
    assert not any(c.startswith("Injected") or c == "Hacked" for c in categories(page))
    assert not {link["title"] for link in page["links"]} & {"Evil", "Foo", "Category:Injected", "File:X.png"}
    assert "<script" not in page["text"]
    assert not any(p.get("name") == "noindex" for p in page["properties"])


# --- findings switched off: no stale finding lingers ---------------------------------------------------------


def shard_pages(wiki: LiveWiki) -> dict[str, tuple[int, Any]]:
    """Every shard page on the wiki: title -> (its revision, its data)."""
    prefix = f"{MODULE}/findings/"
    params = {
        "action": "query",
        "generator": "allpages",
        "gapprefix": prefix.split(":", 1)[1],
        "gapnamespace": "828",
        "gaplimit": "50",
        "prop": "revisions",
        "rvprop": "ids|content",
        "rvslots": "main",
    }
    found: dict[str, tuple[int, Any]] = {}
    while True:
        answer = wiki.api.call(False, **params)
        for page in answer.get("query", {}).get("pages", []):
            revision = page["revisions"][0]
            found[page["title"]] = (revision["revid"], json.loads(revision["slots"]["main"]["content"]))
        if "continue" not in answer:
            return found
        params.update(answer["continue"])


def test_findings_switched_off_are_emptied_once_and_said_in_one_line(wiki: LiveWiki, tmp_path: Path) -> None:
    update(wiki)
    shards = shard_pages(wiki)
    held = {title for title, (_, data) in shards.items() if data}
    assert shard_title(MODULE, shard_of(ONE_SIDED, CONFIG.pages.findings_shards)) in held
    shutil.copy(DEFAULT_CONFIG_DIR / "schema.yaml", tmp_path / "schema.yaml")
    pages = yaml.safe_load((DEFAULT_CONFIG_DIR / "pages.yaml").read_text(encoding="utf-8"))
    del pages["findings"]
    (tmp_path / "pages.yaml").write_text(yaml.safe_dump(pages, allow_unicode=True), encoding="utf-8")
    try:
        said = wiki.run("bots.update", "-always", f"-settings:{tmp_path}")
        assert said.returncode == 0, output(said)
        lines = [line for line in output(said).splitlines() if line.startswith("Emptied ")]
        assert lines == [
            f"Emptied {len(held)} findings page(s) that still held findings: findings are off "
            "(findings: in pages.yaml)."
        ]
        now = shard_pages(wiki)
        assert all(data == {} for _, data in now.values())
        assert {title for title in now if now[title][0] != shards[title][0]} == held  # one write each, no other
        assert findings(rendered(wiki, ONE_SIDED)) == []
        assert (
            json.loads(wiki.api.text(index_title(MODULE))) == {}
        )  # the module reads no shard; the next run stops there
    finally:
        update(wiki)
    assert findings(rendered(wiki, ONE_SIDED))  # switched on again: back
