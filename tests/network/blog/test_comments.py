"""Members discuss posts in comments: one level of replies, a short edit window, deleting that keeps the
thread readable, and exactly one email to each watcher who may see the comment."""

import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core import mail
from django.utils import timezone

from network.blog import services
from network.blog.models import Comment, Post
from network.models import Profile
from network.services import notifications

pytestmark = pytest.mark.django_db


def test_another_member_comments_and_the_author_gets_exactly_one_email(
    client, home_page, make_post, author, reader, run_on_commit
):
    post = make_post(title="Members-only musings")
    notifications.watch_automatically(author, post)  # as writing it on the site does (see test_writing)
    client.force_login(reader)
    with run_on_commit():
        response = client.post(f"/network/blog/comment/{post.pk}/", {"body": "This **helped** our team."})

    comment = Comment.objects.get()
    assert response["Location"] == comment.get_absolute_url()
    emails = [m for m in mail.outbox if author.email in m.to]
    assert len(emails) == 1 and "Members-only musings" in emails[0].subject
    assert "This **helped** our team." in emails[0].body
    assert not [m for m in mail.outbox if reader.email in m.to]  # never told of your own comment
    post.refresh_from_db()
    assert post.comment_count == 1
    assert "<strong>helped</strong>" in client.get(post.get_absolute_url()).content.decode()


def test_a_double_click_posts_one_comment(client, home_page, make_post, reader):
    post = make_post()
    client.force_login(reader)
    data = {"body": "Once only", "submission_key": "0b7e1c2a-3d4f-4a5b-8c6d-7e8f9a0b1c2d"}
    client.post(f"/network/blog/comment/{post.pk}/", data)
    client.post(f"/network/blog/comment/{post.pk}/", data)

    assert Comment.objects.count() == 1


def test_each_comment_form_carries_its_own_key_so_two_comments_written_in_a_row_both_post(
    client, home_page, make_post, reader
):
    """The form's fields are rendered once and kept; the key that tells a double click from a second comment
    must still be new on every page."""
    post = make_post()
    client.force_login(reader)
    keys = []
    for body in ("First thought", "Second thought"):
        page = client.get(post.get_absolute_url()).content.decode()
        form = page.split('id="add-comment"')[1]
        keys.append(re.search(r'name="submission_key" value="([0-9a-f-]{36})"', form).group(1))
        client.post(f"/network/blog/comment/{post.pk}/", {"body": body, "submission_key": keys[-1]})

    assert keys[0] != keys[1]
    assert list(Comment.objects.values_list("body", flat=True).order_by("pk")) == [
        "First thought",
        "Second thought",
    ]
    assert 'id="id_body"' in form and "Your comment" in form


def test_replies_are_one_level_deep(client, home_page, make_post, make_comment, author, reader):
    post = make_post()
    top = make_comment(post, author, "First")
    client.force_login(reader)
    client.post(f"/network/blog/comment/{post.pk}/", {"body": "A reply", "parent": top.pk})
    reply = Comment.objects.get(body="A reply")
    client.post(f"/network/blog/comment/{post.pk}/", {"body": "Reply to the reply", "parent": reply.pk})

    assert reply.parent_id == top.pk
    assert Comment.objects.get(body="Reply to the reply").parent_id == top.pk
    page = client.get(f"{post.get_absolute_url()}?reply={top.pk}").content.decode()
    assert f'id="reply-{top.pk}"' in page  # the reply form, without JavaScript


def test_an_empty_or_overlong_comment_is_refused_with_the_text_kept(client, home_page, make_post, reader):
    post = make_post()
    client.force_login(reader)

    empty = client.post(f"/network/blog/comment/{post.pk}/", {"body": "   "})
    long = client.post(f"/network/blog/comment/{post.pk}/", {"body": "word " * 1200})
    assert empty.status_code == long.status_code == HTTPStatus.BAD_REQUEST
    assert "word word" in long.content.decode() and not Comment.objects.exists()


def test_comments_can_be_edited_for_an_hour_and_show_that_they_were(
    client, home_page, make_post, make_comment, reader
):
    post = make_post()
    comment = make_comment(post, reader, "Frist")
    client.force_login(reader)
    client.post(f"/network/blog/comments/{comment.pk}/edit/", {"body": "First"})
    comment.refresh_from_db()
    assert comment.body == "First" and comment.edited_at
    assert "edited" in client.get(post.get_absolute_url()).content.decode()

    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(hours=2))
    client.post(f"/network/blog/comments/{comment.pk}/edit/", {"body": "Too late"})
    comment.refresh_from_db()
    assert comment.body == "First"


def test_nobody_else_edits_or_deletes_a_comment(client, home_page, make_post, make_comment, author, reader):
    post = make_post()
    comment = make_comment(post, reader, "Mine")
    client.force_login(author)

    client.post(f"/network/blog/comments/{comment.pk}/edit/", {"body": "Not yours"})
    assert client.post(f"/network/blog/comments/{comment.pk}/delete/").status_code == HTTPStatus.FORBIDDEN
    comment.refresh_from_db()
    assert comment.body == "Mine" and comment.deleted_at is None


def test_a_deleted_comment_with_replies_leaves_comment_removed(
    client, home_page, make_post, make_comment, author, reader
):
    post = make_post()
    lonely = make_comment(post, reader, "Nobody answered this")
    answered = make_comment(post, reader, "Somebody answered this")
    make_comment(post, author, "The answer", parent=answered)
    client.force_login(reader)
    client.post(f"/network/blog/comments/{lonely.pk}/delete/")
    client.post(f"/network/blog/comments/{answered.pk}/delete/")

    page = client.get(post.get_absolute_url()).content.decode()
    assert "Nobody answered this" not in page and "Somebody answered this" not in page
    assert page.count("Comment removed.") == 1 and "The answer" in page
    post.refresh_from_db()
    assert post.comment_count == 1


def test_visitors_and_non_members_cannot_comment(client, home_page, make_post):
    from tests.factories import UserFactory

    post = make_post(visibility=Post.Visibility.PUBLIC)
    response = client.post(f"/network/blog/comment/{post.pk}/", {"body": "Hi"})
    assert response.status_code == HTTPStatus.FOUND and "/accounts/login/" in response["Location"]
    client.force_login(UserFactory(profile=Profile.Status.APPLICANT))
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Only members can comment" in page
    assert (
        client.post(f"/network/blog/comment/{post.pk}/", {"body": "Hi"}).status_code == HTTPStatus.FORBIDDEN
    )
    assert not Comment.objects.exists()


def test_a_comment_hidden_by_a_moderator_disappears_for_everyone_but_moderators(
    client, home_page, make_post, make_comment, author, reader
):
    from tests.factories import ModeratorFactory

    post = make_post(visibility=Post.Visibility.PUBLIC)
    comment = make_comment(post, reader, "Something unkind")
    services.recount_comments(post)
    moderator = ModeratorFactory()
    comment.hide(by=moderator, reason="Unkind")

    for viewer in (None, reader, author):
        client.logout()
        if viewer:
            client.force_login(viewer)
        assert "Something unkind" not in client.get(post.get_absolute_url()).content.decode()
    post.refresh_from_db()
    assert post.comment_count == 0
    client.force_login(moderator)
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Something unkind" in page and "Hidden by moderators" in page


def test_long_discussions_come_in_pages_and_every_link_finds_its_comment(
    client, home_page, make_post, author, reader
):
    post = make_post()
    threads = [
        services.add_comment(post=post, author=reader, body=f"Thread {n}")
        for n in range(services.THREADS_PER_PAGE + 2)
    ]
    reply = services.add_comment(
        post=post, author=author, body="A late reply to the first", parent=threads[0]
    )
    client.force_login(reader)

    first = client.get(post.get_absolute_url()).content.decode()
    assert (
        "Thread 0" in first
        and "A late reply to the first" in first
        and f"Thread {services.THREADS_PER_PAGE}<" not in first
    )
    assert "Later comments" in first
    last_url = threads[-1].get_absolute_url()
    assert "?comments=2#comment-" in last_url
    assert f"Thread {services.THREADS_PER_PAGE + 1}" in client.get(last_url).content.decode()
    assert "?comments" not in reply.get_absolute_url()  # a reply lives on its thread's page

    response = client.post(f"/network/blog/comment/{post.pk}/", {"body": "The newest thread"})
    assert response["Location"].endswith(Comment.objects.latest("pk").get_absolute_url())
    assert "?comments=2" in response["Location"]


def test_a_kept_page_of_comments_gives_each_reader_their_own_actions(
    client, home_page, make_post, author, reader
):
    """Comments are rendered once per audience and kept; Edit, Delete and Report are each reader's own."""
    from django.test import Client

    from tests.factories import ModeratorFactory

    post = make_post()
    theirs = services.add_comment(post=post, author=reader, body="Dele's thought")
    hidden = services.add_comment(post=post, author=author, body="Rude remark")
    hidden.hide(by=ModeratorFactory(), reason="Rude")
    client.force_login(author)
    as_author = client.get(post.get_absolute_url()).content.decode()  # rendered for members, now kept
    assert f"/network/blog/comments/{theirs.pk}/edit/" not in as_author and "Report" in as_author
    assert "Rude remark" not in as_author

    dele = Client(enforce_csrf_checks=True)
    dele.force_login(reader)
    as_reader = dele.get(post.get_absolute_url())
    html = as_reader.content.decode()
    assert (
        f"/network/blog/comments/{theirs.pk}/edit/" in html
        and f"/network/blog/comments/{theirs.pk}/delete/" in html
    )
    token = re.search(
        rf'comments/{theirs.pk}/delete/"[^>]*><input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"',
        html,
    ).group(1)
    assert (
        dele.post(f"/network/blog/comments/{theirs.pk}/delete/", {"csrfmiddlewaretoken": token}).status_code
        == 302
    )

    moderator = Client()
    moderator.force_login(ModeratorFactory())
    as_moderator = moderator.get(post.get_absolute_url()).content.decode()
    assert "Rude remark" in as_moderator and "Hidden by moderators" in as_moderator
    assert (
        "Dele&#x27;s thought" not in client.get(post.get_absolute_url()).content.decode()
    )  # deleted: gone for all
