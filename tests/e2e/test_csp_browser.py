"""Under the Content-Security-Policy the site and Wagtail's admin work in a real browser, and nothing is blocked:
a blocked script would leave the admin half-working without any server-side error."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image
from playwright.sync_api import expect
from wagtail.documents.models import Document

from cms.models import ExemplarIndexPage, ExemplarPage, SiteImage
from tests.e2e.conftest import signed_in
from tests.factories import EditorFactory, MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Runs in every document and frame before its own scripts, so no violation is missed.
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} `
        + `at ${event.sourceFile}:${event.lineNumber} ${event.sample}`);
});
"""


def png(width: int = 40, height: int = 30) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 80, 40)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def exemplar(home_page) -> ExemplarPage:
    index = home_page.add_child(
        instance=ExemplarIndexPage(title="Exemplars", slug="exemplars", show_in_menus=True)
    )
    image = SiteImage.objects.create(title="Hero", file=ImageFile(io.BytesIO(png()), name="hero.png"))
    page = index.add_child(
        instance=ExemplarPage(
            title="A time bank",
            slug="time-bank",
            summary="Neighbours trade hours.",
            organisation="Time Bank",
            region="london",
            hero_image=image,
        )
    )
    document = Document.objects.create(title="Case study", file=ContentFile(b"%PDF-1.4\n", name="case.pdf"))
    page.reports.create(document=document)
    page.save_revision().publish()
    return page


@pytest.fixture(autouse=True)
def one_writer_at_a_time(settings):
    """The live server's in-memory SQLite database locks a whole table for a writer, and the admin loads
    several addresses at once (icons, preview); recording each request's activity would collide."""
    settings.USERSESSIONS_TRACK_ACTIVITY = False


@pytest.fixture
def watched(page):
    """The page, with every CSP violation and every console message about one recorded."""
    page.context.add_init_script(WATCH_VIOLATIONS)
    console = []
    page.on(
        "console",
        lambda message: console.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.on("pageerror", lambda error: console.append(f"uncaught: {error}"))
    page.console_problems = console
    return page


def violations(page) -> list[str]:
    """What the policy blocked so far in the current document and its frames, plus console reports."""
    found = list(page.console_problems)
    for frame in page.frames:
        found += frame.evaluate("window.__cspViolations || []")
    return found


def visit(page, live_server, path: str) -> None:
    response = page.goto(live_server.url + path)
    assert response.ok, f"{path}: {response.status}"
    assert (
        "'unsafe-inline'" not in re.search(r"script-src[^;]*", response.headers["content-security-policy"])[0]
    )
    page.wait_for_load_state("networkidle")


def test_site_pages_run_with_nothing_blocked(live_server, exemplar, watched):
    problems = {}
    for path in ["/", "/exemplars/", "/exemplars/time-bank/"]:
        visit(watched, live_server, path)
        problems[path] = violations(watched)
    signed_in(watched.context, live_server, MemberFactory(profile__handle="ama", profile__display_name="Ama"))
    visit(watched, live_server, "/network/members/")
    expect(watched.get_by_role("link", name="Ama")).to_be_visible()
    problems["/network/members/"] = violations(watched)

    assert not {path: found for path, found in problems.items() if found}


def test_the_wagtail_admin_runs_with_nothing_blocked(live_server, home_page, exemplar, watched):
    page = watched
    signed_in(page.context, live_server, EditorFactory())
    problems = {}

    # Dashboard: the sidebar is drawn by the admin's JavaScript.
    visit(page, live_server, "/admin/")
    expect(page.locator("#wagtail-sidebar").get_by_role("button", name="Pages")).to_be_visible()
    problems["dashboard"] = violations(page)

    # Explorer: a row's actions dropdown opens; its date filters are inline initialisers.
    visit(page, live_server, f"/admin/pages/{home_page.pk}/")
    page.get_by_role("button", name="More options for 'Exemplars'").click()
    expect(page.get_by_role("tooltip").get_by_role("link", name="Copy")).to_be_visible()
    problems["explorer"] = violations(page)

    # Editor: the preview shows the page in a same-origin frame.
    visit(page, live_server, f"/admin/pages/{exemplar.pk}/edit/")
    page.locator("[data-side-panel-toggle='preview']").click()
    preview = page.frame_locator("#w-preview-iframe")
    expect(preview.get_by_role("heading", level=1)).to_have_text("A time bank")
    problems["preview"] = violations(page)
    page.locator("[data-side-panel-toggle='preview']").click()

    # Editor: a report added in the browser gets a working document chooser (InlinePanel copies its
    # initialiser through jQuery, which must carry the nonce along).
    page.get_by_role("button", name="Add report").click()
    page.get_by_role("button", name="Choose a document").last.click()
    expect(page.get_by_role("dialog").get_by_role("heading", name="Choose a document")).to_be_visible()
    expect(page.get_by_role("dialog").get_by_role("link", name="Case study")).to_be_visible()
    problems["editor"] = violations(page)

    # Adding an image: the upload is posted by the admin's JavaScript, which then shows its edit form.
    visit(page, live_server, "/admin/images/multiple/add/")
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "dot.png", "mimeType": "image/png", "buffer": png()}]
    )
    expect(page.get_by_text("Upload successful. Please update")).to_be_visible()
    problems["image upload"] = violations(page)

    assert SiteImage.objects.filter(title="dot").exists()
    assert not {step: found for step, found in problems.items() if found}
