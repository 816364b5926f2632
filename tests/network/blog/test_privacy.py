"""A members-only post reaches no one who may not see it, by any route; a public one reaches everyone."""

from http import HTTPStatus

import pytest

from network.blog import services
from network.blog.models import Post

pytestmark = pytest.mark.django_db

ROUTES = [
    "/network/blog/",
    "/network/blog/?q=hours",
    "/network/blog/members/amara/",
    "/network/blog/category/community-capacity/",
    "/network/blog/tag/time-banking/",
    "/network/blog/feed/",
    "/network/blog/feed/category/community-capacity/",
    "/network/blog/feed/members/amara/",
    "/sitemap.xml",
    "/search/?q=hours",
]


def everywhere(client, post: Post) -> str:
    """Everything a viewer gets from every route that lists or describes posts."""
    month = f"/network/blog/archive/{post.published_at:%Y/%m}/"
    return "".join(client.get(route, follow=True).content.decode() for route in [*ROUTES, month])


def test_a_members_only_post_is_absent_for_visitors_everywhere(client, home_page, make_post, category):
    post = make_post(title="Members-only musings", categories=[category], tags=["time banking"])

    assert "Members-only musings" not in everywhere(client, post)
    response = client.get(post.get_absolute_url())
    assert response.status_code == HTTPStatus.FOUND and "/accounts/login/" in response["Location"]
    assert client.get(post.image_url() or f"/network/blog/image/{post.pk}/x.jpg").status_code == 404
    assert client.get("/network/blog/tag/time-banking/").status_code == 404  # not even the tag's name


def test_members_see_members_only_posts_in_the_blog_and_archives(
    client, home_page, make_post, category, reader
):
    post = make_post(title="Members-only musings", categories=[category], tags=["time banking"])
    client.force_login(reader)

    for route in [
        "/network/blog/",
        "/network/blog/members/amara/",
        "/network/blog/category/community-capacity/",
        "/network/blog/tag/time-banking/",
        f"/network/blog/archive/{post.published_at:%Y/%m}/",
        "/network/blog/?q=hours",
    ]:
        assert "Members-only musings" in client.get(route).content.decode(), route
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Members-only musings" in page and 'property="og:title"' not in page and "noindex" in page
    # but never in a public feed, even for a member
    assert "Members-only musings" not in client.get("/network/blog/feed/").content.decode()


def test_signed_in_non_members_are_treated_as_visitors(client, home_page, make_post):
    from network.models import Profile
    from tests.factories import UserFactory

    applicant = UserFactory(profile=Profile.Status.APPLICANT)
    post = make_post(title="Members-only musings")
    client.force_login(applicant)

    assert "Members-only musings" not in client.get("/network/blog/").content.decode()
    assert client.get(post.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND


def test_a_public_post_reaches_visitors_with_an_invitation_to_join(client, home_page, make_post, category):
    post = make_post(
        title="Open letter on exemplars",
        visibility=Post.Visibility.PUBLIC,
        categories=[category],
        tags=["time banking"],
    )

    pages = everywhere(client, post)
    assert (
        pages.count("Open letter on exemplars") >= 8
    )  # index, search, member, category, tag, 3 feeds, month
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Sign in</a> or <a" in page and "to comment" in page
    assert 'property="og:title" content="Open letter on exemplars"' in page
    assert 'action="/network/blog/comment/' not in page


def test_drafts_are_their_authors_alone(client, home_page, make_post, author, reader):
    post = make_post(title="Half-written thoughts", status=Post.Status.DRAFT, published_at=None)

    client.force_login(reader)
    assert client.get(post.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    assert "Half-written thoughts" not in client.get("/network/blog/").content.decode()
    client.force_login(author)
    assert "only you can see it" in client.get(post.get_absolute_url()).content.decode()
    assert "Half-written thoughts" in client.get("/network/blog/mine/").content.decode()


def test_a_member_with_no_public_posts_has_no_public_blog_or_feed(client, home_page, make_post):
    make_post(title="Members-only musings")

    assert client.get("/network/blog/members/amara/").status_code == HTTPStatus.NOT_FOUND
    assert client.get("/network/blog/feed/members/amara/").status_code == HTTPStatus.NOT_FOUND


def test_a_deleted_post_is_gone_for_everyone_but_moderators(client, home_page, make_post, author, reader):
    from tests.factories import ModeratorFactory

    post = make_post(title="Regretted words", visibility=Post.Visibility.PUBLIC)
    services.delete_post(post=post, by=author)

    for viewer in (None, reader, author):
        client.logout()
        if viewer:
            client.force_login(viewer)
        assert client.get(post.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
        assert "Regretted words" not in client.get("/network/blog/").content.decode()
    client.force_login(ModeratorFactory())
    page = client.get(post.get_absolute_url()).content.decode()
    assert "This post is deleted" in page and "Restore it" in page


def test_site_search_finds_the_posts_each_viewer_may_read(client, home_page, make_post, reader):
    make_post(title="Gardening together in Leeds", visibility=Post.Visibility.PUBLIC)
    make_post(title="Gardening notes for members", visibility=Post.Visibility.MEMBERS)
    make_post(title="Gardening draft", status=Post.Status.DRAFT, published_at=None)

    as_visitor = client.get("/search/", {"q": "gardening"}).content.decode()
    client.force_login(reader)
    as_member = client.get("/search/", {"q": "gardening"}).content.decode()

    assert "Gardening together in Leeds" in as_visitor and "Gardening notes for members" not in as_visitor
    assert "Gardening together in Leeds" in as_member and "Gardening notes for members" in as_member
    assert "Gardening draft" not in as_visitor + as_member


def test_a_public_posts_image_is_never_kept_by_shared_caches(client, home_page, make_post):
    """Its address stays the same if the post later becomes members-only: a proxy must not keep serving it."""
    from django.core.files.base import ContentFile

    post = make_post(visibility=Post.Visibility.PUBLIC, image_alt="A table")
    post.image.save("x.jpg", ContentFile(b"\xff\xd8\xff\xd9"), save=True)

    response = client.get(post.image_url())

    assert response.status_code == HTTPStatus.OK
    assert response["Cache-Control"].startswith("private") and "immutable" not in response["Cache-Control"]
    Post.objects.filter(pk=post.pk).update(visibility=Post.Visibility.MEMBERS)
    assert client.get(post.image_url()).status_code == 404


def test_the_kept_listing_is_per_audience_and_follows_every_change(
    client, home_page, make_post, make_comment, author, reader
):
    """The blog's listing is rendered once per audience and kept (network.fragments)."""
    from tests.factories import ModeratorFactory

    make_post(title="Open to all", visibility=Post.Visibility.PUBLIC)
    secret = make_post(title="Members-only musings")
    client.force_login(reader)
    assert "Members-only musings" in client.get("/network/blog/").content.decode()  # members' copy kept

    client.logout()
    as_visitor = client.get("/network/blog/").content.decode()
    assert "Open to all" in as_visitor and "Members-only musings" not in as_visitor

    client.force_login(reader)
    services.add_comment(post=secret, author=reader, body="First!")
    assert "1 comment" in client.get("/network/blog/").content.decode()
    secret.hide(by=ModeratorFactory(), reason="Spam")
    assert "Members-only musings" not in client.get("/network/blog/").content.decode()
    services.delete_post(post=make_post(title="Soon gone"), by=author)
    assert "Soon gone" not in client.get("/network/blog/").content.decode()


def test_opening_a_post_to_everyone_keeps_earlier_comments_for_members(
    client, home_page, make_post, author, reader
):
    """Members commented for members: opening the post later must not publish their words (or their number)."""
    post = make_post(title="Members-only musings")
    services.add_comment(post=post, author=reader, body="Said among members")
    client.force_login(author)

    client.post(
        f"/network/blog/edit/{post.pk}/",
        {
            "title": post.title,
            "body": post.body,
            "visibility": "public",
            "action": "publish",
            "tags": "",
            "image_alt": "",
        },
    )
    services.add_comment(post=Post.objects.get(pk=post.pk), author=reader, body="Said in public")

    client.logout()
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Said in public" in page and "Said among members" not in page and "(2)" not in page
    assert "2 comments" not in client.get("/network/blog/").content.decode()
    client.force_login(reader)
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Said in public" in page and "Said among members" in page


def test_the_kept_links_around_a_post_are_per_audience_and_follow_every_change(
    client, home_page, make_post, reader, category
):
    """Previous, next, related, tags and categories under a post are rendered once per audience and kept."""
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    older = make_post(
        title="Older and open",
        visibility=Post.Visibility.PUBLIC,
        published_at=now - timedelta(days=2),
        tags=["time-banking"],
    )
    make_post(title="Members between", published_at=now - timedelta(days=1), tags=["time-banking"])
    post = make_post(
        title="Newest and open",
        visibility=Post.Visibility.PUBLIC,
        published_at=now,
        tags=["time-banking"],
        categories=[category],
    )
    client.force_login(reader)
    as_member = client.get(post.get_absolute_url()).content.decode()
    assert "Previous: Members between" in as_member  # members' copy, now kept

    client.logout()
    as_visitor = client.get(post.get_absolute_url()).content.decode()
    assert "Previous: Older and open" in as_visitor and "Members between" not in as_visitor

    newer = make_post(
        title="A newer open post", visibility=Post.Visibility.PUBLIC, published_at=now + timedelta(minutes=1)
    )
    category.name = "Community strength"
    category.save()
    as_visitor = client.get(post.get_absolute_url()).content.decode()
    assert "Next: A newer open post" in as_visitor and "Community strength" in as_visitor
    newer.hide(by=None, reason="Spam")
    older.tags.add("peer-support")
    as_visitor = client.get(post.get_absolute_url()).content.decode()
    assert "A newer open post" not in as_visitor
    assert "Related posts" in as_visitor and "Older and open" in as_visitor


def test_a_renamed_tag_shows_its_new_name_under_a_kept_post(client, home_page, make_post):
    from taggit.models import Tag

    post = make_post(visibility=Post.Visibility.PUBLIC, tags=["time banking"])
    assert "time banking" in client.get(post.get_absolute_url()).content.decode()  # the links are now kept

    tag = Tag.objects.get(name="time banking")
    tag.name, tag.slug = "timebanking", "timebanking"
    tag.save()

    page = client.get(post.get_absolute_url()).content.decode()
    assert "/network/blog/tag/timebanking/" in page and "time banking" not in page


def test_the_kept_post_follows_every_change_to_who_may_read_it_and_what_it_shows(
    client, home_page, make_post, author
):
    """A published post is kept with its author's profile (network.blog.views._kept_post); each change is
    on the next page, for the viewers it concerns."""
    post = make_post(title="Open to all", visibility=Post.Visibility.PUBLIC)
    assert "Open to all" in client.get(post.get_absolute_url()).content.decode()  # a visitor: now kept

    post.visibility = Post.Visibility.MEMBERS
    post.save()
    assert client.get(post.get_absolute_url()).status_code == HTTPStatus.FOUND  # sent to sign in

    post.visibility = Post.Visibility.PUBLIC
    post.save()
    assert "Amara Okafor" in client.get(post.get_absolute_url()).content.decode()  # kept again
    author.network_profile.display_name = "Amara O."
    author.network_profile.save()
    assert "Amara O." in client.get(post.get_absolute_url()).content.decode()  # the author's card

    post.hide(by=None, reason="Off topic")
    assert client.get(post.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    post.restore()
    assert client.get(post.get_absolute_url()).status_code == HTTPStatus.OK
    services.delete_post(post=post, by=author)  # one UPDATE, no signal
    assert client.get(post.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
