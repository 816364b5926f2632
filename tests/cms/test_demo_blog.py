from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils.html import escape
from taggit.models import Tag

from network.blog.models import Category, Comment, Post, PostTag

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.DEMO_PASSWORDS_FILE = str(tmp_path / "passwords.json")
    call_command("seed_demo", force=True)


def blog_counts() -> tuple[int, ...]:
    return (
        Category.objects.count(),
        Post.objects.count(),
        Comment.objects.count(),
        Tag.objects.count(),
        PostTag.objects.count(),
        Post.categories.through.objects.count(),
    )


def test_the_demo_blog_has_categories_public_and_members_only_posts_and_threads(demo):
    posts = list(Post.objects.published())
    public = [p for p in posts if p.visibility == Post.Visibility.PUBLIC]
    replies = Comment.objects.filter(parent__isnull=False).select_related("parent")

    assert Category.objects.count() >= 4
    assert len(posts) >= 10
    assert 0 < len(public) < len(posts) / 2  # some public, most for members only
    assert len({(p.published_at.year, p.published_at.month) for p in posts}) >= 3  # several archive months
    assert all(p.categories.exists() and p.tags.exists() for p in posts)
    html = "".join(p.body_html for p in posts)
    assert all(tag in html for tag in ("<h3>", "<ul>", "<ol>", "<a href=", "<em>", "<strong>"))
    assert not any("###" in p.body_html or "**" in p.body_html for p in posts)  # rendered, not raw Markdown
    assert replies.exists()
    assert all(r.parent.parent_id is None and r.parent.post_id == r.post_id for r in replies)
    assert all(p.comment_count == p.comments.count() > 0 for p in posts)
    assert sum(p.view_count for p in posts) > 0


def test_the_demo_member_people_sign_in_as_has_written_at_least_two_posts(demo):
    member = get_user_model().objects.get(email="member@example.org")

    assert Post.objects.published().filter(author=member).count() >= 2


def test_running_the_demo_again_adds_no_blog_content(demo):
    before = blog_counts()

    call_command("seed_demo", force=True)

    assert blog_counts() == before


def test_running_the_demo_again_neither_copies_nor_resets_a_demo_post_its_author_retitled(demo):
    posts = Post.objects.count()
    post = Post.objects.published().first()
    post.title = "My own title now"
    post.save()

    call_command("seed_demo", force=True)

    post.refresh_from_db()
    assert post.title == "My own title now"
    assert Post.objects.count() == posts


def test_a_visitor_sees_only_the_public_demo_posts_and_a_member_sees_them_all(demo, client):
    posts = list(Post.objects.published())
    public = [p.title for p in posts if p.visibility == Post.Visibility.PUBLIC]
    members_only = [p.title for p in posts if p.visibility == Post.Visibility.MEMBERS]

    visitor_page = client.get("/network/blog/").content.decode()
    client.force_login(get_user_model().objects.get(email="member@example.org"))
    member = client.get("/network/blog/")

    assert f"{len(public)} posts" in visitor_page
    assert all(escape(title) in visitor_page for title in public)
    assert not any(escape(title) in visitor_page for title in members_only)
    assert member.status_code == HTTPStatus.OK
    assert f"{len(posts)} posts" in member.content.decode()
    assert all(escape(title) in member.content.decode() for title in public + members_only)
