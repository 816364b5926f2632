"""Two members in the forum, through the browser: A starts a thread; B replies quoting A and mentioning A;
A gets exactly one email; A sees the thread as unread until opening it, and "Jump to the first unread
reply" lands on B's reply. A visitor reaches none of it."""

import time

import pytest
from playwright.sync_api import expect

from network.forum.models import Category, Reply, Thread
from tests.e2e.conftest import as_member, emails_to
from tests.factories import MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "Time banks in GP surgeries: who has tried it?"


@pytest.fixture(autouse=True)
def one_writer_at_a_time(settings):
    settings.USERSESSIONS_TRACK_ACTIVITY = False


def test_two_members_discuss_and_the_starter_is_told_once(live_server, browser, home_page):
    a = MemberFactory(
        profile__handle="amara", profile__display_name="Amara Okafor", email="amara@example.org"
    )
    b = MemberFactory(profile__handle="dele", profile__display_name="Dele Reader", email="dele@example.org")
    Category.objects.create(name="Health", slug="health", description="Care, designed together")

    # A starts a thread
    page_a = as_member(browser, live_server, a)
    page_a.goto(f"{live_server.url}/network/")
    page_a.get_by_role("link", name="Forum").first.click()
    page_a.get_by_role("link", name="Health").click()
    page_a.get_by_role("link", name="Start a thread").click()
    page_a.get_by_label("Title").fill(TITLE)
    page_a.get_by_label("What you want to ask or share").fill(
        "Our surgery wants to refer **lonely** patients."
    )
    page_a.get_by_role("button", name="Start the thread").click()
    expect(page_a.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page_a.locator(".forum-thread .prose strong")).to_have_text("lonely")

    # B replies, quoting A's opening post and mentioning A
    page_b = as_member(browser, live_server, b)
    page_b.goto(f"{live_server.url}/network/forum/category/health/")
    page_b.get_by_role("link", name=TITLE).click()
    page_b.get_by_role("link", name="Quote the opening post").click()
    expect(page_b.get_by_text("Quoting the opening post")).to_be_visible()
    page_b.get_by_label("Your reply").fill("@amara we did: a named contact at the time bank made it work.")
    page_b.get_by_role("button", name="Post reply").click()
    reply = Reply.objects.get()
    expect(page_b.locator(f"#reply-{reply.pk} .forum-quote")).to_contain_text("Amara Okafor wrote")
    assert page_b.url.endswith(f"#reply-{reply.pk}")

    # A is told exactly once (a watcher and mentioned)
    (email,) = emails_to(a.email)
    assert TITLE in email.subject and "a named contact at the time bank" in email.body
    time.sleep(0.5)
    assert len(emails_to(a.email)) == 1 and not emails_to(b.email, wait=0)

    # A sees the thread unread until opening it; "jump to first unread" lands on B's reply
    page_a.goto(f"{live_server.url}/network/forum/category/health/")
    row = page_a.locator("tr", has_text=TITLE)
    row.get_by_role("link", name="Unread").click()  # "jump to first unread", from the list of threads
    assert page_a.url.endswith(f"#reply-{reply.pk}")
    expect(page_a.locator(f"#reply-{reply.pk}")).to_contain_text("New since you last read")
    expect(page_a.locator(f"#reply-{reply.pk}")).to_contain_text("a named contact at the time bank")
    page_a.goto(f"{live_server.url}/network/forum/category/health/")
    expect(page_a.locator("tr", has_text=TITLE)).not_to_contain_text("Unread")

    # a visitor reaches none of it
    visitor = browser.new_context()
    for path in ["/network/forum/", Thread.objects.get().get_absolute_url(), reply.get_absolute_url()]:
        response = visitor.request.get(live_server.url + path)
        assert TITLE not in response.text() and "named contact" not in response.text(), path


def typing_a_mention(browser, live_server, handle: str):
    """A member writing a new thread has typed "Ask @hel"; Helen Marsh's handle is `handle`."""
    writer = MemberFactory(profile__handle="amara", profile__display_name="Amara Okafor")
    MemberFactory(profile__handle=handle, profile__display_name="Helen Marsh")
    Category.objects.create(name="Health", slug="health")
    page = as_member(browser, live_server, writer)
    page.goto(f"{live_server.url}/network/forum/category/health/new/")
    body = page.get_by_label("What you want to ask or share")
    body.click()
    body.press_sequentially("Ask @hel", delay=30)
    return page, body


def test_typing_at_and_letters_suggests_a_member_and_inserts_their_handle(live_server, browser, home_page):
    page, body = typing_a_mention(browser, live_server, "helen-marsh")

    page.get_by_role("button", name="Helen Marsh (@helen-marsh)").click()

    expect(body).to_have_value("Ask @helen-marsh ")
    expect(page.get_by_role("status")).to_have_text("@helen-marsh added.")


def test_the_mention_helper_works_from_the_keyboard(live_server, browser, home_page):
    page, body = typing_a_mention(browser, live_server, "helen_m")
    expect(page.get_by_role("button", name="Helen Marsh (@helen_m)")).to_be_visible()

    body.press("ArrowDown")
    page.keyboard.press("Enter")

    expect(body).to_have_value("Ask @helen_m ")
    expect(body).to_be_focused()
