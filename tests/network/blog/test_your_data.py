"""Posts and comments are part of a member's data: in their download, and in the choice they make when
they delete their account (keep them as a former member's, or remove them)."""

import pytest

from network import services
from network.blog.models import Comment, Post

pytestmark = pytest.mark.django_db


def test_the_download_holds_the_members_posts_and_comments(make_post, make_comment, author, reader):
    post = make_post(title="Ours, not theirs", tags=["time banking"])
    draft = make_post(title="Half-written", status=Post.Status.DRAFT, published_at=None)
    make_comment(post, reader, "Lovely.")
    make_comment(post, author, "Thank you!")

    data = services.export_member_data(user=author)

    assert {p["title"]: p["status"] for p in data["blog_posts"]} == {post.title: "published", draft.title: "draft"}
    assert [c["text"] for c in data["blog_comments"]] == ["Thank you!"]  # their own words only
    assert next(p for p in data["blog_posts"] if p["title"] == post.title)["tags"] == ["time banking"]


def test_deleting_an_account_keeps_its_words_as_a_former_members(client, home_page, make_post, make_comment, author, reader):
    post = make_post(visibility=Post.Visibility.PUBLIC)
    make_comment(post, author, "Author's own note.")

    services.delete_account(user=author, remove_content=False)

    page = client.get(post.get_absolute_url()).content.decode()
    assert "Former member" in page or "former member" in page
    assert "Author&#x27;s own note." in page or "Author's own note." in page
    assert "Amara" not in page


def test_removing_everything_leaves_comment_removed_where_others_replied(
    client, home_page, make_post, make_comment, author, reader
):
    theirs = make_post(author=reader, visibility=Post.Visibility.PUBLIC, title="Reader's post")
    answered = make_comment(theirs, author, "Question from Amara?")
    make_comment(theirs, reader, "An answer from Dele.", parent=answered)
    make_comment(theirs, author, "A stray remark by Amara.")
    make_post(title="Amara's own post")

    services.delete_account(user=author, remove_content=True)

    assert not Post.objects.filter(title="Amara's own post").exists()
    page = client.get(theirs.get_absolute_url()).content.decode()
    assert "Comment removed." in page and "An answer from Dele." in page
    assert "Question from Amara?" not in page and "A stray remark by Amara." not in page
    assert not Comment.objects.filter(body__contains="Amara").exists()
    theirs.refresh_from_db()
    assert theirs.comment_count == 1
