"""What a review attacking the blog found, each now a test: moderators' rights end with their membership,
hidden threads stay hidden (and uncounted), removed words stay removed, repeated forms lose nothing."""

from http import HTTPStatus
from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.test import Client

from network import services as core
from network.blog import services
from network.blog.models import Comment, Post
from network.models import Profile
from network.services import moderation
from tests.factories import ModeratorFactory

pytestmark = pytest.mark.django_db


def test_a_suspended_moderator_no_longer_sees_hidden_or_deleted_posts(client, home_page, make_post, author, reader):
    deleted = make_post(title="Deleted members-only post")
    services.delete_post(post=deleted, by=author)
    public = make_post(title="Open", visibility=Post.Visibility.PUBLIC)
    rude = services.add_comment(post=public, author=reader, body="A rude remark")
    moderator = ModeratorFactory()
    rude.hide(by=moderator, reason="Rude")
    client.force_login(moderator)
    assert client.get(deleted.get_absolute_url()).status_code == HTTPStatus.OK  # while a member

    Profile.objects.filter(user=moderator).update(status=Profile.Status.SUSPENDED)

    assert client.get(deleted.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    assert "A rude remark" not in client.get(public.get_absolute_url()).content.decode()


def test_replies_in_a_hidden_thread_are_neither_shown_nor_counted_nor_added_to(client, home_page, make_post, author, reader):
    post = make_post()
    top = services.add_comment(post=post, author=reader, body="Top")
    reply = services.add_comment(post=post, author=author, body="A reply", parent=top)
    top.hide(by=ModeratorFactory(), reason="Abusive")
    post.refresh_from_db()
    assert post.comment_count == 0

    client.force_login(reader)
    response = client.post(f"/network/blog/comment/{post.pk}/", {"body": "Sneaking in", "parent": reply.pk})

    assert "cannot be replied to" in response.content.decode()
    assert not Comment.objects.filter(body="Sneaking in").exists()


def test_a_comment_its_author_removed_cannot_be_reported(client, home_page, make_post, author, reader):
    post = make_post()
    removed = services.add_comment(post=post, author=author, body="Second thoughts")
    services.delete_comment(comment=removed, by=author)
    client.force_login(reader)

    kind = ContentType.objects.get_for_model(Comment).pk
    assert client.get(f"/network/report/{kind}/{removed.pk}/").status_code == HTTPStatus.NOT_FOUND


def test_removing_everything_keeps_other_members_replies_even_beside_ones_own(home_page, make_post, author, reader):
    post = make_post(author=reader)
    mine = services.add_comment(post=post, author=author, body="Amara asks")
    services.add_comment(post=post, author=reader, body="Dele answers", parent=mine)
    services.add_comment(post=post, author=author, body="Amara again", parent=mine)

    core.delete_account(user=author, remove_content=True)

    assert Comment.objects.filter(body="Dele answers").exists()
    assert not Comment.objects.filter(body__startswith="Amara").exists()


def test_saving_a_previewed_image_twice_loses_nothing(client, home_page, author, django_capture_on_commit_callbacks):
    from tests.network.blog.test_writing import form, png

    client.force_login(author)
    client.post("/network/blog/write/", form())
    post = Post.objects.get()
    preview = client.post(f"/network/blog/edit/{post.pk}/", form(action="preview", image=png(), image_alt="A table"))
    token = preview.context["form"].data["pending_image"]
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(f"/network/blog/edit/{post.pk}/", form(pending_image=token, image_alt="A table"))
    second = client.post(f"/network/blog/edit/{post.pk}/", form(pending_image=token, image_alt="A table"))

    assert first.status_code == second.status_code == HTTPStatus.FOUND
    post.refresh_from_db()
    assert post.image and post.image.storage.exists(post.image.name)


def test_a_post_sent_twice_at_once_is_made_once(client, home_page, author):
    from tests.network.blog.test_writing import form

    client.force_login(author)
    key = "6f1c2c64-3d1e-4a57-9a43-2b0cf0f5d6b1"
    client.post("/network/blog/write/", form(submission_key=key))
    with mock.patch.object(services, "existing_submission", side_effect=[None, Post.objects.get()]):
        response = client.post("/network/blog/write/", form(submission_key=key))  # its twin won the race

    assert response.status_code == HTTPStatus.FOUND and response["Location"] == Post.objects.get().get_absolute_url()


def test_an_ampersand_in_a_title_reaches_the_subject_as_written(client, home_page, make_post, author, reader, run_on_commit):
    from network.services import notifications

    post = make_post(title="Tea & talk")
    notifications.watch_automatically(author, post)
    with run_on_commit():
        services.add_comment(post=post, author=reader, body="Lovely")

    assert mail.outbox[0].subject == "New comment on “Tea & talk”"


def test_a_reporter_who_is_no_longer_a_member_is_told_without_the_title(home_page, make_post, author, reader, run_on_commit):
    post = make_post(title="Members-only musings")
    comment = services.add_comment(post=post, author=author, body="Hmm")
    report = moderation.report(item=comment, reporter=reader, reason="spam")
    Profile.objects.filter(user=reader).update(status=Profile.Status.SUSPENDED)
    mail.outbox.clear()

    with run_on_commit():
        moderation.dismiss(report=report, by=ModeratorFactory())

    told = [m for m in mail.outbox if reader.email in m.to]
    assert told and all("Members-only musings" not in m.subject + m.body for m in told)


def test_the_directory_keeps_no_stray_parameters_in_its_shared_links(client, home_page, reader):
    from tests.factories import MemberFactory

    for n in range(30):
        MemberFactory(profile__display_name=f"Member {n:02}")
    client.force_login(reader)

    client.get("/network/members/", {"junk": "evil"})
    other = Client()
    other.force_login(MemberFactory())

    assert "junk" not in other.get("/network/members/").content.decode()
