"""Members report what other members wrote; the moderators hear of it; nobody can probe with the address."""

from http import HTTPStatus

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse
from wagtail.models import ModelLogEntry

from network import conf
from network.blog.models import Post
from network.models import Profile, Report
from network.services import moderation
from tests.factories import EditorFactory, ModeratorFactory, UserFactory
from tests.network.moderation.conftest import OFFENSIVE, mail_to, queue_item_url, report_url

pytestmark = pytest.mark.django_db


def test_a_member_reports_a_comment_and_the_moderators_hear_of_it(
    client, reporter, moderator, comment, run_on_commit
):
    client.force_login(reporter)
    form = client.get(report_url(comment)).content.decode()
    assert "A comment on “What a time bank taught us”" in form
    assert "<legend>What is wrong with it?" in form.replace("\n", "")

    with run_on_commit():
        response = client.post(report_url(comment), {"reason": "abusive", "details": "He threatens Dele."})

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == comment.get_absolute_url()
    page = client.get(response["Location"]).content.decode()
    assert "Thank you — the moderators will look at it and tell you what they decide." in page
    report = Report.objects.get()
    assert (report.reporter, report.content, report.reason, report.status) == (
        reporter,
        comment,
        "abusive",
        "open",
    )
    alert = mail_to("mo@example.org")
    assert len(alert) == 1
    assert "A comment on “What a time bank taught us”" in alert[0].subject
    assert conf.SITE_URL + queue_item_url(comment) in alert[0].body
    assert "He threatens Dele." not in alert[0].body and OFFENSIVE not in alert[0].body
    assert mail_to("dele@example.org") == []
    assert ModelLogEntry.objects.filter(action="network.report", user_id=reporter.pk).count() == 1


def test_reporting_twice_keeps_one_report_and_one_alert(client, reporter, moderator, comment, run_on_commit):
    client.force_login(reporter)

    with run_on_commit():
        client.post(report_url(comment), {"reason": "abusive"})
        client.post(report_url(comment), {"reason": "spam"})

    assert Report.objects.count() == 1
    assert len(mail_to("mo@example.org")) == 1
    again = client.get(report_url(comment)).content.decode()
    from django.utils import timezone
    from django.utils.dateformat import format as date_format

    reported_on = date_format(timezone.localtime(Report.objects.get().created_at), "j F Y")
    assert f"You reported this on {reported_on}" in again


def test_each_moderator_who_may_see_it_is_told_once_but_not_the_reporter_nor_the_author(
    reporter, moderator, comment, run_on_commit
):
    ModeratorFactory(email="lee@example.org")
    reporting_moderator = ModeratorFactory(email="kim@example.org")
    ModeratorFactory(email="gone@example.org", profile=Profile.Status.SUSPENDED)
    comment.author.groups.add(*moderator.groups.all())  # the author is a moderator too

    with run_on_commit():
        moderation.report(item=comment, reporter=reporting_moderator, reason="spam")

    told = sorted(address for message in mail.outbox for address in message.to)
    assert told == ["lee@example.org", "mo@example.org"]


def test_a_visitor_is_sent_to_sign_in(client, comment):
    response = client.post(report_url(comment), {"reason": "spam"})

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("account_login"))
    assert not Report.objects.exists()


def test_someone_who_is_not_a_member_cannot_report(client, comment):
    client.force_login(UserFactory(profile=Profile.Status.APPLICANT))

    response = client.post(report_url(comment), {"reason": "spam"})

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Report.objects.exists()


def test_what_the_reporter_cannot_see_is_not_there(client, reporter, moderator, post, comment):
    comment.hide(by=moderator)
    draft = Post.objects.create(
        author=post.author, title="Half written", body="Not yet", status=Post.Status.DRAFT
    )
    client.force_login(reporter)

    for item in (comment, draft):
        assert client.get(report_url(item)).status_code == HTTPStatus.NOT_FOUND
        assert client.post(report_url(item), {"reason": "spam"}).status_code == HTTPStatus.NOT_FOUND
    assert not Report.objects.exists()


@pytest.mark.parametrize("target", [lambda author: author, lambda author: author.network_profile])
def test_an_address_naming_anything_but_member_content_is_not_there(client, reporter, author, target):
    target = target(author)  # both exist and have a `pk`, an author-like field or a visibility of sorts
    client.force_login(reporter)
    url = reverse("network:report", args=[ContentType.objects.get_for_model(target).pk, target.pk])

    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    assert client.post(url, {"reason": "spam"}).status_code == HTTPStatus.NOT_FOUND
    assert not Report.objects.exists()


def test_an_unknown_content_type_is_not_there(client, reporter, comment):
    client.force_login(reporter)

    response = client.get(reverse("network:report", args=[999_999, comment.pk]))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_a_report_needs_a_reason_tied_to_its_question(client, reporter, comment):
    client.force_login(reporter)

    response = client.post(report_url(comment), {"details": "Something is off"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    html = response.content.decode()
    assert "Please choose a reason." in html
    assert '<fieldset aria-describedby="id_reason_error">' in html and 'id="id_reason_error"' in html
    assert "Something is off" in html  # what they wrote is kept
    assert not Report.objects.exists()


def test_too_many_reports_are_refused_with_the_form_kept(client, reporter, post, comment, settings):
    settings.NETWORK_RATES = {"post": (10, 3600), "comment": (30, 3600), "report": (1, 3600)}
    settings.NETWORK_NEW_MEMBER_RATES = settings.NETWORK_RATES
    client.force_login(reporter)
    client.post(report_url(post), {"reason": "spam"})

    response = client.post(report_url(comment), {"reason": "abusive", "details": "Please look"}, follow=True)

    html = response.content.decode()
    assert "You have sent a lot of reports in the last hour" in html
    assert "Please look" in html
    assert list(Report.objects.values_list("object_id", flat=True)) == [post.pk]


def test_nobody_reports_what_they_wrote(client, comment):
    client.force_login(comment.author)

    response = client.post(report_url(comment), {"reason": "spam"}, follow=True)

    assert "You cannot report what you wrote yourself." in response.content.decode()
    assert not Report.objects.exists()


def test_staff_who_are_not_members_cannot_report_through_the_service(comment):
    editor = EditorFactory(profile=Profile.Status.SUSPENDED)

    with pytest.raises(moderation.NotAllowed):
        moderation.report(item=comment, reporter=editor, reason="spam")

    assert not Report.objects.exists()


def test_a_member_reports_a_post(client, reporter, post, moderator, run_on_commit):
    client.force_login(reporter)

    with run_on_commit():
        response = client.post(report_url(post), {"reason": "misleading"})

    assert response["Location"] == post.get_absolute_url()
    assert Report.objects.get().content == post
    assert "What a time bank taught us" in mail_to("mo@example.org")[0].subject
