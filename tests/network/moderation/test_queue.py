"""Moderators decide reports in the Wagtail admin: hide, restore, dismiss, suspend the author. Each decision
closes every open report on the item, tells each reporter, and is in the audit log; nobody else can make it."""

import threading
import time
from http import HTTPStatus

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry

from network.blog.models import Comment, Post
from network.models import Profile, Report
from network.services import moderation
from tests.factories import EditorFactory, MemberFactory, ModeratorFactory
from tests.network.moderation.conftest import OFFENSIVE, decide_url, mail_to, queue_item_url

pytestmark = pytest.mark.django_db
QUEUE = "/admin/network_reports/"


@pytest.fixture
def reported(comment, reporter, run_on_commit):
    """The comment, reported by Dele (who wrote details the moderators read and nobody else does)."""
    with run_on_commit():
        report = moderation.report(
            item=comment, reporter=reporter, reason="abusive", details="DELE'S OWN WORDS"
        )
    return report


def decide(client, item, action, report=None, run_on_commit=None, **fields):
    data = {"note": "", "reason": "", **fields}
    if report is not None:
        data["report"] = report.pk
    if run_on_commit is None:
        return client.post(decide_url(item, action), data)
    with run_on_commit():
        return client.post(decide_url(item, action), data)


def test_the_queue_lists_reported_items_with_their_reports(client, moderator, reported, comment):
    moderation.report(item=comment, reporter=MemberFactory(), reason="spam")
    client.force_login(moderator)

    html = client.get(QUEUE).content.decode()

    assert "A comment on “What a time bank taught us”" in html
    assert "Sam Commenter" in html
    assert "Abusive, threatening or discriminatory; Spam or advertising" in html
    assert "<td>2</td>" in html
    item_page = client.get(queue_item_url(comment)).content.decode()
    assert OFFENSIVE in item_page  # the text itself, to judge it
    assert "DELE&#x27;S OWN WORDS" in item_page
    assert comment.get_absolute_url() in item_page


def test_hiding_takes_the_comment_away_from_everyone_but_moderators(
    client, moderator, reporter, reported, comment, post, run_on_commit
):
    post.visibility = Post.Visibility.PUBLIC
    post.save()
    client.force_login(moderator)

    response = decide(
        client, comment, "hide", reported, run_on_commit, reason="Threatens a member", note="Thanks"
    )

    assert response.status_code == HTTPStatus.FOUND
    readers = {"visitor": None, "member": MemberFactory(), "reporter": reporter, "author": comment.author}
    for who, person in readers.items():
        viewer = Client()
        if person is not None:
            viewer.force_login(person)
        page = viewer.get(post.get_absolute_url())
        assert page.status_code == HTTPStatus.OK, who
        assert OFFENSIVE not in page.content.decode(), who
    moderator_view = Client()
    moderator_view.force_login(moderator)
    assert OFFENSIVE in moderator_view.get(post.get_absolute_url()).content.decode()
    reported.refresh_from_db()
    assert (reported.status, reported.decided_by, reported.decision_note) == ("hidden", moderator, "Thanks")
    told = mail_to("dele@example.org")
    assert len(told) == 1
    assert "hidden it" in told[0].body and "Thanks" in told[0].body
    assert "DELE'S OWN WORDS" not in told[0].body and OFFENSIVE not in told[0].body
    entry = ModelLogEntry.objects.get(action="network.hide")
    assert entry.user_id == moderator.pk and entry.object_id == str(comment.pk)
    assert entry.data["reason"] == "Threatens a member"


def test_a_decision_closes_every_open_report_on_the_item_and_tells_each_reporter(
    client, moderator, reported, comment, run_on_commit
):
    lee = MemberFactory(email="lee@example.org")
    moderation.report(item=comment, reporter=lee, reason="spam")
    client.force_login(moderator)

    decide(client, comment, "dismiss", reported, run_on_commit)

    assert set(Report.objects.values_list("status", flat=True)) == {"dismissed"}
    assert len(mail_to("dele@example.org")) == 1 and len(mail_to("lee@example.org")) == 1


def test_dismissing_leaves_the_comment_and_tells_the_reporter_no_action_was_taken(
    client, moderator, reporter, reported, comment, post, run_on_commit
):
    client.force_login(moderator)

    decide(client, comment, "dismiss", reported, run_on_commit, note="It is robust, not abusive.")

    reported.refresh_from_db()
    assert reported.status == "dismissed"
    told = mail_to("dele@example.org")
    assert len(told) == 1
    assert "take no action" in told[0].body and "It is robust, not abusive." in told[0].body
    assert "DELE'S OWN WORDS" not in told[0].body
    member = Client()
    member.force_login(reporter)
    assert OFFENSIVE in member.get(post.get_absolute_url()).content.decode()
    assert ModelLogEntry.objects.filter(action="network.dismiss_reports", user_id=moderator.pk).exists()


def test_suspending_the_author_hides_the_item_and_suspends_them(
    client, moderator, reported, comment, run_on_commit
):
    client.force_login(moderator)

    decide(client, comment, "suspend", reported, run_on_commit, reason="Threats against a member")

    comment.refresh_from_db()
    profile = comment.author.network_profile
    profile.refresh_from_db()
    assert comment.is_hidden
    assert (
        profile.status == Profile.Status.SUSPENDED and profile.suspension_reason == "Threats against a member"
    )
    assert Report.objects.get().status == "suspended"
    assert "Threats against a member" in mail_to("sam@example.org")[0].body
    assert "suspended" in mail_to("dele@example.org")[0].body
    assert ModelLogEntry.objects.filter(action="network.suspend_author").exists()


def test_suspending_needs_a_reason(client, moderator, reported, comment):
    client.force_login(moderator)

    response = decide(client, comment, "suspend", reported)

    assert response["Location"] == queue_item_url(comment)
    comment.refresh_from_db()
    assert not comment.is_hidden and comment.author.network_profile.status == Profile.Status.MEMBER
    assert Report.objects.get().status == "open"


def test_restoring_shows_a_hidden_comment_again(client, moderator, reporter, reported, comment, post):
    moderation.hide(report=reported, by=moderator)
    client.force_login(moderator)

    decide(client, comment, "restore")

    member = Client()
    member.force_login(reporter)
    assert OFFENSIVE in member.get(post.get_absolute_url()).content.decode()
    assert ModelLogEntry.objects.filter(action="network.restore").exists()


def test_the_second_moderator_to_decide_is_told_and_changes_nothing(
    client, moderator, reported, comment, run_on_commit
):
    other = ModeratorFactory()
    moderation.dismiss(report=reported, by=other)  # while the first moderator had the page open
    client.force_login(moderator)

    response = decide(client, comment, "hide", reported, run_on_commit)

    page = client.get(response["Location"]).content.decode()
    assert "Another moderator has decided about this report already." in page
    comment.refresh_from_db()
    assert not comment.is_hidden
    reported.refresh_from_db()
    assert (reported.status, reported.decided_by) == ("dismissed", other)


def test_nobody_decides_about_what_they_wrote(client, reported, comment):
    comment.author.groups.add(*ModeratorFactory().groups.all())
    client.force_login(comment.author)

    decide(client, comment, "dismiss", reported)

    assert Report.objects.get().status == "open"


@pytest.mark.parametrize("action", ["hide", "dismiss", "suspend", "restore"])
def test_staff_who_are_not_moderators_cannot_decide(client, reported, comment, action):
    if action == "restore":
        comment.hide(by=None)
    client.force_login(EditorFactory())

    for page in (QUEUE, queue_item_url(comment)):
        refused = client.get(page)
        assert (refused.status_code, refused["Location"]) == (HTTPStatus.FOUND, "/admin/")
    response = decide(client, comment, action, reported, reason="x")

    assert response.status_code == HTTPStatus.FORBIDDEN
    comment.refresh_from_db()
    assert comment.is_hidden == (action == "restore")
    assert Report.objects.get().status == "open"
    assert comment.author.network_profile.status == Profile.Status.MEMBER


def test_members_are_not_let_into_the_queue(client, reporter, reported, comment):
    client.force_login(reporter)

    assert client.get(QUEUE).status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
    decide(client, comment, "hide", reported)

    comment.refresh_from_db()
    assert not comment.is_hidden


def test_only_moderators_see_the_menu_item(client, moderator):
    client.force_login(moderator)
    assert "Reported content" in client.get("/admin/").content.decode()

    client.force_login(EditorFactory())
    assert "Reported content" not in client.get("/admin/").content.decode()


def test_a_get_on_an_action_changes_nothing(client, moderator, reported, comment):
    client.force_login(moderator)

    response = client.get(decide_url(comment, "hide"), {"report": reported.pk})

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    comment.refresh_from_db()
    assert not comment.is_hidden


def test_an_action_without_the_csrf_token_changes_nothing(moderator, reported, comment):
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)

    response = client.post(decide_url(comment, "hide"), {"report": reported.pk})

    assert response.status_code == HTTPStatus.FORBIDDEN
    comment.refresh_from_db()
    assert not comment.is_hidden


def test_the_item_page_offers_each_decision_as_a_form_with_its_token(client, moderator, reported, comment):
    client.force_login(moderator)

    html = client.get(queue_item_url(comment)).content.decode()

    assert 'name="csrfmiddlewaretoken"' in html
    for action in ("hide", "dismiss", "suspend"):
        assert f'formaction="{decide_url(comment, action)}"' in html
    assert decide_url(comment, "restore") not in html  # it is not hidden


def test_decided_reports_are_listed_apart(client, moderator, reported, comment):
    moderation.dismiss(report=reported, by=moderator, note="Robust, not abusive")
    client.force_login(moderator)

    waiting = client.get(QUEUE).content.decode()
    decided = client.get(QUEUE, {"status": "closed"}).content.decode()

    assert "Nothing is waiting for a decision" in waiting
    assert "Robust, not abusive" in decided and "Dismissed" in decided


def test_an_unknown_or_foreign_content_type_is_not_in_the_queue(client, moderator, reporter):
    client.force_login(moderator)
    profile_type = ContentType.objects.get_for_model(Profile)
    url = reverse("network_reports:item", args=[profile_type.pk, reporter.network_profile.pk])

    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    action = reverse("network_reports:decide", args=[profile_type.pk, reporter.network_profile.pk, "hide"])
    assert client.post(action).status_code == HTTPStatus.NOT_FOUND


def _reports(n: int, post, start: int = 0) -> None:
    """n reports on n items, half posts and half comments, each by someone else."""
    for i in range(start, start + n):
        writer, reporter = MemberFactory(), MemberFactory()
        if i % 2:
            item = Post.objects.create(author=writer, title=f"Post {i}", body="Text", status="published")
        else:
            item = Comment.objects.create(post=post, author=writer, body=f"Comment {i}")
        Report.objects.create(content=item, reporter=reporter, reason="spam")


def test_the_queue_costs_the_same_queries_for_3_or_30_reports(
    client, moderator, post, django_assert_max_num_queries
):
    client.force_login(moderator)
    _reports(3, post)
    client.get(QUEUE)  # caches warm (site, permissions: adding members clears them) as on any later page
    with django_assert_max_num_queries(12) as few:  # session, user, profile; the page of groups (2), one
        assert "Post 1" in client.get(QUEUE).content.decode()  # per kind of item, the reasons; the menu
    budget = len(few)  # now: the next request clears the connection's query log that `few` reads
    _reports(27, post, start=3)
    client.get(QUEUE)

    with django_assert_max_num_queries(budget):
        html = client.get(QUEUE).content.decode()

    assert "30 items wait for a decision" in html
    assert html.count(f'href="{QUEUE}item/') == 25  # a page; the rest on the next
    assert "Post 23" in html and "Comment 24" in html


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks are PostgreSQL's; SQLite runs one writer at a time (the stale-page test covers it)",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # as the browser tests: earlier flushes
def test_two_moderators_deciding_at_once_do_not_both_act(comment, reporter, moderator):
    """On PostgreSQL, for real: the first decision holds its locks while the second starts."""
    report = moderation.report(item=comment, reporter=reporter, reason="abusive")
    other = ModeratorFactory()
    first_holds_locks, second_started = threading.Event(), threading.Event()
    outcome = {}

    def first():
        try:
            with transaction.atomic():
                moderation.dismiss(report=report, by=moderator)
                first_holds_locks.set()
                second_started.wait(5)
                time.sleep(0.3)  # the second is now waiting on the locks
        finally:
            connections.close_all()

    def second():
        first_holds_locks.wait(5)
        second_started.set()
        try:
            moderation.hide(report=report, by=other)
        except moderation.AlreadyDecided as error:
            outcome["error"] = str(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert outcome == {"error": "Another moderator has decided about this report already."}
    report.refresh_from_db()
    comment.refresh_from_db()
    assert (report.status, report.decided_by, comment.is_hidden) == ("dismissed", moderator, False)


def test_a_moderator_cannot_suspend_staff_and_nothing_changes(client, moderator, reported, comment):
    comment.author.groups.add(*EditorFactory().groups.all())  # an editor: only a superuser suspends them
    client.force_login(moderator)

    response = decide(client, comment, "suspend", reported, reason="Threats")

    page = client.get(response["Location"]).content.decode()
    assert "You cannot suspend Sam Commenter" in page
    comment.refresh_from_db()
    assert not comment.is_hidden and comment.author.network_profile.status == Profile.Status.MEMBER
    assert Report.objects.get().status == "open"
