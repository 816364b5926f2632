"""The blog's pages cost a bounded number of queries whatever the number of comments and posts, and
reading a post writes nothing to the database: views are counted in the cache and flushed by the job."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from network.blog import services
from network.blog.models import Comment, Post
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
WRITES = ("INSERT", "UPDATE", "DELETE")


def with_comments(post: Post, count: int) -> None:
    people = [MemberFactory() for _ in range(3)]
    top = Comment.objects.bulk_create(
        [
            Comment(post=post, author=people[n % 3], body=f"Comment {n}", body_html=f"<p>Comment {n}</p>")
            for n in range(count // 2)
        ]
    )
    Comment.objects.bulk_create(
        [
            Comment(
                post=post,
                author=people[n % 3],
                parent=top[n % len(top)],
                body="Reply",
                body_html="<p>Reply</p>",
            )
            for n in range(count - count // 2)
        ]
    )
    services.recount_comments(post)


@pytest.mark.parametrize("comments", [3, 300])
def test_a_post_page_costs_the_same_with_3_or_300_comments(
    client, home_page, make_post, reader, comments, django_assert_max_num_queries, category
):
    post = make_post(tags=["time banking"], categories=[category])
    make_post(title="Older", tags=["time banking"])
    with_comments(post, comments)
    client.force_login(reader)
    client.get(post.get_absolute_url())  # caches warm, as for a steady reader

    with django_assert_max_num_queries(14):
        page = client.get(post.get_absolute_url(), HTTP_USER_AGENT="Firefox")
    shown = page.content.decode().count('<article class="comment')
    assert shown == comments if comments < 100 else 100 <= shown < comments  # 300: a page of 50 threads
    if comments > 100:
        with django_assert_max_num_queries(14):
            last = client.get(post.get_absolute_url(), {"comments": 3}, HTTP_USER_AGENT="Firefox")
        assert "Page 3 of 3" in last.content.decode()


@pytest.mark.parametrize("posts", [3, 60])
def test_the_blog_and_its_archives_cost_the_same_however_many_posts(
    client, home_page, make_post, reader, posts, django_assert_max_num_queries, category
):
    for n in range(posts):
        make_post(title=f"Post {n}", categories=[category], tags=["time banking"])
    client.force_login(reader)
    post = Post.objects.first()
    for route in [
        "/network/blog/",
        "/network/blog/category/community-capacity/",
        "/network/blog/tag/time-banking/",
        f"/network/blog/archive/{post.published_at:%Y/%m}/",
        "/network/blog/members/amara/",
    ]:
        client.get(route)
        with django_assert_max_num_queries(12):
            assert client.get(route).status_code == 200, route


def test_reading_a_post_writes_nothing_and_the_job_counts_the_views(
    client, home_page, make_post, author, reader
):
    post = make_post()
    client.force_login(reader)
    client.get(post.get_absolute_url(), HTTP_USER_AGENT="Firefox")
    with CaptureQueriesContext(connection) as queries:
        client.get(post.get_absolute_url(), HTTP_USER_AGENT="Firefox")
    assert not [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]

    client.logout()
    client.get(
        post.get_absolute_url(), HTTP_USER_AGENT="Firefox"
    )  # a visitor is sent to sign in: not counted
    client.force_login(MemberFactory())
    client.get(post.get_absolute_url(), HTTP_USER_AGENT="Googlebot/2.1")  # bots are not readers
    client.get(post.get_absolute_url(), HTTP_USER_AGENT="Firefox")
    client.force_login(author)
    client.get(post.get_absolute_url(), HTTP_USER_AGENT="Firefox")  # nor is the author

    assert services.flush_view_counts() == 1
    post.refresh_from_db()
    assert post.view_count == 2  # the reader (once, however many reloads) and the other member
    assert services.flush_view_counts() == 0
    client.force_login(reader)
    assert "2 views" in client.get(post.get_absolute_url(), HTTP_USER_AGENT="Firefox").content.decode()


def test_the_periodic_command_flushes_view_counts(client, home_page, make_post, reader):
    from django.core.management import call_command

    post = make_post()
    client.force_login(reader)
    client.get(post.get_absolute_url(), HTTP_USER_AGENT="Firefox")
    call_command("periodic", verbosity=0)

    post.refresh_from_db()
    assert post.view_count == 1


@pytest.mark.parametrize("posts", [3, 60])
def test_the_blogs_other_pages_cost_the_same_however_many_posts_and_write_nothing(
    client, home_page, make_post, reader, posts, django_assert_max_num_queries, category
):
    """The feeds, the writing form, "your posts", the feed settings, the report form and the unsubscribe
    page: bounded queries at both sizes, and a GET writes nothing."""
    from django.contrib.contenttypes.models import ContentType

    from network.models import Subscription
    from network.services import notifications

    for n in range(posts):
        make_post(title=f"Post {n}", categories=[category], visibility=Post.Visibility.PUBLIC, author=reader)
        post = make_post(
            title=f"Another's post {n}", categories=[category], visibility=Post.Visibility.PUBLIC
        )
    notifications.watch(reader, post)
    client.force_login(reader)
    client.post("/network/blog/feed/private/", {"action": "new"})
    private = client.get("/network/blog/feed/private/").context["address"]
    unsubscribe = notifications.unsubscribe_token(Subscription.objects.get(user=reader, object_id=post.pk))
    report = f"/network/report/{ContentType.objects.get_for_model(Post).pk}/{post.pk}/"
    routes = [
        "/network/blog/feed/",
        "/network/blog/feed/category/community-capacity/",
        private,
        "/network/blog/write/",
        "/network/blog/mine/",
        "/network/blog/feed/private/",
        report,
        f"/network/unsubscribe/{unsubscribe}/",
    ]
    for route in routes:
        client.get(route)  # caches warm, as for a steady reader
        with django_assert_max_num_queries(12), CaptureQueriesContext(connection) as queries:
            assert client.get(route).status_code == 200, route
        assert not [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)], route
