"""A volunteer's first partnership page, in a real browser (headless Chromium, Selenium).

From the task force page's form: a new page with the mistakes of issue 18 (a misspelt
parameter, a status that is not allowed, an empty required field, a date and a URL as
people write them), the preview's warnings read off the page, then the fix in one edit and
the save. The warnings must be the problems `bots.validate` finds in the same text that
need only the page (cross-page rules stay with the bot). The screenshots it takes are the
README's (make screenshots sets SCREENSHOTS_DIR=docs).
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from selenium.common.exceptions import ElementClickInterceptedException, TimeoutException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import WebDriverWait

from bots.config import load_config
from bots.core.records.model import PageSnapshot
from bots.core.records.parse import parse_page
from bots.core.records.validate import validate_page
from scripts.browser import save_screenshot
from scripts.devwiki import ADMIN_USER
from tests.live.conftest import LiveWiki

SCHEMA = load_config().schema
TASK_FORCE_PAGE = "Task force/Alliances and partnerships"
NAME = "Oslo museum photo archive"
TITLE = f"Partnerships/{NAME}"
SOURCE_PRELOAD = f"Template:{SCHEMA.template}/preload"
VISUAL_PRELOAD = f"Template:{SCHEMA.template}/blank"

WITH_MISTAKES = """{{Partnership
| name           = Oslo museum photo archive
| partner        = Oslo Museum
| type           =
| lead           = volunteers
| status         = on hold
| start          = March 2012
| recomendation  = Task force/Recommendations/Partnerships 1
| website        = www.oslomuseum.no
}}
The museum shares its photo archive."""

FIXED = """{{Partnership
| name           = Oslo museum photo archive
| partner        = Oslo Museum
| type           = content
| lead           = volunteers
| status         = proposed
| start          = 2012-03
| recommendation = Task force/Recommendations/Partnerships 1
| website        = https://www.oslomuseum.no
}}
The museum shares its photo archive."""


def send_create_form(wiki: LiveWiki, chrome: Any, preload: str, name: str) -> None:
    """Type ``name`` into the task force page's create form that starts from ``preload``, and send it."""
    chrome.get(wiki.dev.page_url(TASK_FORCE_PAGE))
    (form,) = [
        form
        for form in chrome.find_elements(By.CSS_SELECTOR, "form.createbox")
        if form.find_element(By.NAME, "preload").get_attribute("value") == preload
    ]
    form.find_element(By.NAME, "title").send_keys(name)
    form.find_element(By.CSS_SELECTOR, "[type=submit]").click()


def wait(chrome: Any, seconds: float = 60) -> WebDriverWait[Any]:
    return WebDriverWait(chrome, seconds)


def page_problems(text: str) -> set[tuple[str, str]]:
    """(field, code) of every problem bots.validate finds in ``text`` on its own."""
    _, issues = validate_page(TITLE, parse_page(PageSnapshot(title=TITLE, text=text), SCHEMA.template_names), SCHEMA)
    return {(issue.field, issue.code) for issue in issues}


def shown_problems(chrome: Any) -> set[tuple[str, str]]:
    """(field, code) of every problem the preview shows (class="partnership-problem")."""
    return {
        (str(element.get_attribute("data-field")), str(element.get_attribute("data-code")))
        for element in chrome.find_elements(By.CSS_SELECTOR, "#wikiPreview .partnership-problem")
    }


#: VisualEditor's welcome button, which a new volunteer meets once on either editor.
WELCOME_BUTTON = (
    "//*[contains(@class, 've-init-mw-welcomeDialog')]"
    "//a[.//span[normalize-space()='Start editing'] or normalize-space()='Start editing']"
)


def start_editing(chrome: Any) -> None:
    """Close VisualEditor's welcome if it comes (a moment after the editor loads, once per browser)."""
    try:
        button = wait(chrome, 5).until(ready.element_to_be_clickable((By.XPATH, WELCOME_BUTTON)))
    except TimeoutException:
        return  # seen already in this browser
    button.click()
    wait(chrome).until(ready.invisibility_of_element_located((By.CSS_SELECTOR, ".ve-init-mw-welcomeDialog")))


def preview(chrome: Any, text: str) -> None:
    box = wait(chrome).until(ready.presence_of_element_located((By.ID, "wpTextbox1")))
    start_editing(chrome)
    chrome.execute_script("arguments[0].value = arguments[1];", box, text)
    chrome.find_element(By.ID, "wpPreview").click()
    wait(chrome).until(ready.staleness_of(box))  # the form was sent: a new page came back
    wait(chrome).until(ready.presence_of_element_located((By.CSS_SELECTOR, "#wikiPreview .mw-parser-output")))


def test_a_volunteer_creates_a_page_sees_the_mistakes_in_preview_and_fixes_them(
    wiki: LiveWiki, browser: Any, screenshots: Path
) -> None:
    try:
        create_with_mistakes_then_fix(wiki, browser, screenshots)
    finally:  # the other live tests count the sample pages
        if wiki.api.revid(TITLE):
            wiki.api.login(ADMIN_USER, wiki.dev.secret("admin")).delete(TITLE)


def create_with_mistakes_then_fix(wiki: LiveWiki, chrome: Any, screenshots: Path) -> None:
    send_create_form(wiki, chrome, SOURCE_PRELOAD, NAME)
    box = wait(chrome).until(ready.presence_of_element_located((By.ID, "wpTextbox1")))
    assert str(box.get_attribute("value")).startswith("{{" + SCHEMA.template), "the form opened no blank infobox"
    assert "<!-- required; one of:" in str(box.get_attribute("value")), "the source preload says what fields take"
    assert '"wgPageName":"Partnerships/Oslo_museum_photo_archive"' in chrome.page_source

    preview(chrome, WITH_MISTAKES)
    expected = page_problems(WITH_MISTAKES)
    codes = {"unknown-parameter", "missing-required", "unknown-value", "bad-date", "bad-url"}
    assert {code for _, code in expected} >= codes
    assert shown_problems(chrome) == expected
    save_screenshot(chrome, screenshots / "preview-problems.png")

    preview(chrome, FIXED)
    assert page_problems(FIXED) == set()
    assert shown_problems(chrome) == set()
    chrome.find_element(By.ID, "wpSave").click()
    wait(chrome).until(ready.presence_of_element_located((By.CSS_SELECTOR, "#mw-content-text .infobox")))
    assert "Oslo Museum" in chrome.find_element(By.ID, "mw-content-text").text
    assert "wpTextbox1" not in chrome.page_source
    assert wiki.api.text(TITLE) == FIXED
    save_screenshot(chrome, screenshots / "partnership-page-new.png")


#: The Edit button VisualEditor's context offers on a selected template.
CONTEXT_EDIT = "//*[contains(@class, 've-ui-linearContextItem')]//a[normalize-space()='Edit']"
DIALOG = ".ve-ui-mwTemplateDialog"


def open_template_dialog(chrome: Any, node: Any) -> None:
    """Open the template dialog as a volunteer does: a double click opens it, or selects the box,
    whose context then offers Edit; a click before VisualEditor is ready does neither, so again."""

    def dialog_open() -> bool:
        return any(dialog.is_displayed() for dialog in chrome.find_elements(By.CSS_SELECTOR, DIALOG))

    def edit_offered() -> bool:
        return any(button.is_displayed() for button in chrome.find_elements(By.XPATH, CONTEXT_EDIT))

    for _ in range(5):
        ActionChains(chrome).double_click(node).perform()
        try:
            wait(chrome, 6).until(lambda _: dialog_open() or edit_offered())
            break
        except TimeoutException:
            continue
    if not dialog_open():
        # If the double click's dialog opens meanwhile, over the button, that is what we want.
        with contextlib.suppress(ElementClickInterceptedException):
            wait(chrome).until(ready.element_to_be_clickable((By.XPATH, CONTEXT_EDIT))).click()


def test_the_visual_form_opens_visualeditor_whose_template_dialog_offers_every_field(
    wiki: LiveWiki, browser: Any, screenshots: Path
) -> None:
    chrome = browser
    send_create_form(wiki, chrome, VISUAL_PRELOAD, "A page made in VisualEditor")
    box = ".ve-ce-surface table.infobox.ve-ce-mwTransclusionNode"
    node = wait(chrome, 120).until(ready.visibility_of_element_located((By.CSS_SELECTOR, box)))
    start_editing(chrome)
    open_template_dialog(chrome, node)
    dialog = wait(chrome).until(ready.visibility_of_element_located((By.CSS_SELECTOR, DIALOG)))
    wait(chrome).until(lambda _: SCHEMA.fields[-1].label in dialog.text)
    missing = [spec.label for spec in SCHEMA.fields if spec.label not in dialog.text]
    assert missing == [], f"VisualEditor's template dialog does not show {missing}"
    save_screenshot(chrome, screenshots / "visualeditor-dialog.png")
