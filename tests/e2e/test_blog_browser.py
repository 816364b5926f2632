"""A member blogs through the browser, as a new user would: writes a post with a picture, previews and
publishes it for members; another member comments and the author gets one email; a visitor finds no trace of
the post anywhere until its author opens it to everyone; and the post page fits a 320 px phone."""

import re
import time

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from network.blog.models import Category, Comment, Post
from tests.e2e.conftest import as_member, emails_to
from tests.factories import MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "Peer support in Wakefield"
BODY = "We met **every Tuesday** in the library.\n\n- tea and biscuits\n- a rota anyone could join\n"
UNSUBSCRIBE_LINK = re.compile(r"https?://\S+?(/network/unsubscribe/\S+/)")


@pytest.fixture(autouse=True)
def one_writer_at_a_time(settings):
    """The live server's in-memory SQLite database locks a whole table for a writer; the post page loads its
    image beside the page itself, and recording each request's session activity would collide."""
    settings.USERSESSIONS_TRACK_ACTIVITY = False


@pytest.fixture
def author(home_page):
    return MemberFactory(profile__handle="amara", profile__display_name="Amara Okafor")


@pytest.fixture
def reader(home_page):
    return MemberFactory(profile__handle="dele", profile__display_name="Dele Reader")


@pytest.fixture
def category(db):
    return Category.objects.create(name="Community capacity", slug="community-capacity")


def png_file(tmp_path) -> str:
    path = tmp_path / "library.png"
    Image.new("RGB", (120, 80), (20, 110, 120)).save(path, "PNG")
    return str(path)


def visitor_sees(visitor, live_server, path: str, *, missing_ok: bool = False) -> str:
    """The body of `path` for a visitor (an HTTP request with the visitor's cookies: feeds and sitemaps too).
    A tag only members-only posts carry, or a member with no public posts, is not there at all (`missing_ok`)."""
    response = visitor.request.get(live_server.url + path)
    assert response.ok or (missing_ok and response.status == 404), f"{path}: {response.status}"
    return response.text()


def test_a_member_publishes_for_members_and_then_for_everyone(
    live_server, browser, author, reader, category, tmp_path
):
    # (a) The author writes a post with a picture, previews it and publishes it for members.
    page = as_member(browser, live_server, author)
    page.goto(f"{live_server.url}/network/blog/")
    page.get_by_role("link", name="Write a post").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Write a post")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Text").fill(BODY)
    page.get_by_label(re.compile(r"^Image:?$")).set_input_files(png_file(tmp_path))
    page.get_by_label("Image description").fill("Six people around a library table")
    page.get_by_label("Community capacity").check()
    page.get_by_label("Tags").fill("time banking, peer support")
    expect(page.get_by_label("Members only")).to_be_checked()
    page.get_by_role("button", name="Preview").click()

    preview = page.locator(".preview")
    expect(preview.locator("strong")).to_have_text("every Tuesday")
    expect(preview.get_by_role("listitem")).to_have_count(2)
    expect(page.get_by_text("Your new image is kept")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value(TITLE)
    page.get_by_role("button", name="Publish").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("Your post is published.")).to_be_visible()
    expect(page.locator(".post .prose strong")).to_have_text("every Tuesday")
    image = page.get_by_role("img", name="Six people around a library table")
    image.scroll_into_view_if_needed()
    expect(image).to_be_visible()
    page.wait_for_function("document.querySelector('.post__image img').naturalWidth > 0")
    post = Post.objects.get(title=TITLE)
    assert post.is_published and post.visibility == Post.Visibility.MEMBERS and post.image
    post_path = post.get_absolute_url()

    page.goto(f"{live_server.url}/network/blog/")
    card = page.locator(".post-card", has_text=TITLE)
    expect(card).to_contain_text("every Tuesday")
    expect(card).to_contain_text("Members only")
    card.get_by_role("link", name=TITLE).click()
    expect(page.locator(".post .prose strong")).to_have_text("every Tuesday")

    # (b) Another member comments; the author is told once, with a link that stops the emails.
    other = as_member(browser, live_server, reader)
    other.goto(f"{live_server.url}/network/blog/")
    other.get_by_role("link", name=TITLE).click()
    other.get_by_label("Your comment").fill("This **helped** our team start one.")
    other.get_by_role("button", name="Post comment").click()
    expect(other.get_by_text("Your comment is posted.")).to_be_visible()
    expect(other.locator(".comment strong")).to_have_text("helped")

    (email,) = emails_to(author.email)
    assert TITLE in email.subject and "This **helped** our team start one." in email.body
    time.sleep(0.5)  # nothing else arrives later
    assert len(emails_to(author.email)) == 1 and not emails_to(reader.email, wait=0)
    unsubscribe = UNSUBSCRIBE_LINK.search(email.body).group(1)
    page.goto(live_server.url + unsubscribe)
    expect(page.get_by_text(f"Stop emails about “{TITLE}”?")).to_be_visible()

    # (c) A visitor finds no trace of it: listings, archives, feed, search, profile, sitemap, the post itself.
    visitor = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    visitor.set_default_timeout(10_000)
    month = f"/network/blog/archive/{timezone.localtime(post.published_at):%Y/%m}/"
    for path in [
        "/network/blog/",
        "/network/blog/category/community-capacity/",
        "/network/blog/tag/time-banking/",
        "/network/blog/members/amara/",
        month,
        "/network/blog/feed/",
        "/search/?q=Wakefield",
        "/sitemap.xml",
    ]:
        seen = visitor_sees(visitor, live_server, path, missing_ok="/tag/" in path or "/members/" in path)
        assert TITLE not in seen and post.slug not in seen, path
    look = visitor.new_page()
    look.goto(f"{live_server.url}/network/members/amara/")
    expect(look).to_have_url(re.compile(r"/accounts/login/"))
    look.goto(live_server.url + post_path)
    expect(look).to_have_url(re.compile(r"/accounts/login/\?next="))
    assert TITLE not in look.content()
    expect(look.locator('meta[property^="og:"]')).to_have_count(0)
    assert visitor.request.get(live_server.url + post.image_url()).status == 404

    # (d) The author opens it to everyone; now the visitor reads it, and is invited to join to comment.
    page.goto(live_server.url + post_path)
    page.get_by_role("link", name="Edit", exact=True).click()
    page.get_by_label("Everyone, including people who are not signed in").check()
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Your post is published.")).to_be_visible()
    post.refresh_from_db()
    assert post.visibility == Post.Visibility.PUBLIC

    look.goto(f"{live_server.url}/network/blog/")
    look.get_by_role("link", name=TITLE).click()
    expect(look).to_have_url(live_server.url + post_path)
    expect(look.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(look.locator(".post .prose strong")).to_have_text("every Tuesday")
    # the comment was written while the post was for members only: it stays theirs (privacy model)
    expect(look.get_by_text("This helped our team start one.")).to_have_count(0)
    expect(look.locator(".call-out")).to_have_text(re.compile(r"Sign in\s+or\s+join\s+to comment\."))
    expect(look.get_by_label("Your comment")).to_have_count(0)
    expect(look.get_by_role("button", name="Post comment")).to_have_count(0)
    expect(look.locator('meta[property="og:title"]')).to_have_attribute("content", TITLE)
    for path in [
        "/network/blog/tag/time-banking/",
        "/network/blog/feed/",
        "/search/?q=Wakefield",
        "/sitemap.xml",
    ]:
        assert post_path in visitor_sees(visitor, live_server, path), path
    visitor.close()
    other.context.close()
    page.context.close()


def test_a_post_with_a_thread_of_comments_fits_a_320px_phone(live_server, browser, author, reader):
    """(e) No sideways scrolling, whatever members type: long words, code, quotes, replies."""
    post = Post.objects.create(
        author=author,
        title="Co-production with service users and carers across the whole integrated care system",
        body=(
            "A link nobody shortened: https://example.org/" + "very-long-path-segment-" * 8 + "\n\n"
            "> Everyone is an expert, said a carer who had chaired the panel for three years.\n\n"
            "```\ncurl https://example.org/api/v1/time-bank/hours?member=12345&since=2012-01-01&format=json\n```\n\n"
            "Pneumonoultramicroscopicsilicovolcanoconiosis" * 3
        ),
        status=Post.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    post.tags.add("time banking", "peer support", "integrated care")
    top = Comment.objects.create(post=post, author=reader, body="A question: " + "why" * 40 + "?")
    Comment.objects.create(
        post=post, author=author, parent=top, body="An answer with `some_rather_long_code()`"
    )

    page = as_member(browser, live_server, reader, is_mobile=True)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{live_server.url}{post.get_absolute_url()}?reply={top.pk}")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_label("Your reply")).to_be_visible()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 320
    page.context.close()
