"""The outbox: mail is stored with the change that caused it, delivered once after commit, retried with
back-off, never sent twice, and overseen by moderators in the Wagtail admin."""

import io
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from network import outbox
from network.models import OutboxMessage
from tests.factories import EditorFactory, MemberFactory, ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = OutboxMessage.Status
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
FAILING = f"{__name__}.FailingBackend"

INVITE = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Coproduce//tests//EN\r\nMETHOD:REQUEST\r\n"
    "BEGIN:VEVENT\r\nUID:visit-1@coproduce.test\r\nSUMMARY:Time bank visit\r\n"
    "DTSTART:20300101T100000Z\r\nDTEND:20300101T120000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


class FailingBackend(BaseEmailBackend):
    """A mail server that is down: it refuses every message, noting the Message-ID it was offered."""

    offered_message_ids: list[str] = []

    def send_messages(self, email_messages):
        for message in email_messages:
            FailingBackend.offered_message_ids.append(message.message()["Message-ID"])
        raise ConnectionRefusedError("mail server is down")


@pytest.fixture(autouse=True)
def mail_goes_through_the_outbox(settings):
    # Django's test setup swaps EMAIL_BACKEND for locmem; put the outbox back, delivering to locmem.
    settings.EMAIL_BACKEND = "network.mail.OutboxBackend"
    settings.NETWORK_OUTBOX_DELIVERY_BACKEND = LOCMEM
    FailingBackend.offered_message_ids = []


@pytest.fixture
def server_down(settings):
    settings.NETWORK_OUTBOX_DELIVERY_BACKEND = FAILING


def _queue(**overrides) -> OutboxMessage:
    kwargs = {"to": ["amara@example.org"], "subject": "Your place on the visit", "body": "See you there."}
    return outbox.queue_email(**(kwargs | overrides))


def _queue_failed_message() -> OutboxMessage:
    row = _queue(subject="Given up on")
    OutboxMessage.objects.filter(pk=row.pk).update(status=Status.FAILED, attempts=8, last_error="refused")
    return row


# Storing and delivering


def test_mail_queued_in_a_transaction_that_rolls_back_is_neither_stored_nor_sent(run_on_commit):
    with run_on_commit(), pytest.raises(RuntimeError), transaction.atomic():
        _queue()
        raise RuntimeError("the booking failed")

    assert not OutboxMessage.objects.exists()
    assert mail.outbox == []


def test_mail_is_not_sent_before_the_transaction_commits():
    row = _queue()

    assert mail.outbox == []
    assert OutboxMessage.objects.get(pk=row.pk).status == Status.PENDING


def test_queued_mail_is_delivered_once_after_commit(run_on_commit):
    with run_on_commit():
        row = _queue()

    row.refresh_from_db()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["amara@example.org"]
    assert mail.outbox[0].subject == "Your place on the visit"
    assert mail.outbox[0].message()["Message-ID"] == row.message_id
    assert (row.status, row.attempts, row.last_error) == (Status.SENT, 1, "")
    assert row.sent_at is not None


def test_a_retried_message_keeps_its_message_id(settings, run_on_commit, server_down):
    with run_on_commit():
        row = _queue()
    row.refresh_from_db()
    settings.NETWORK_OUTBOX_DELIVERY_BACKEND = LOCMEM

    outbox.retry_due(now=row.next_attempt_at)

    assert FailingBackend.offered_message_ids == [row.message_id]
    assert [m.message()["Message-ID"] for m in mail.outbox] == [row.message_id]


def test_a_callers_message_id_header_in_other_case_does_not_go_out_twice(run_on_commit):
    with run_on_commit():
        row = _queue(headers={"Message-Id": "<mine@example.org>", "X-Visit": "42"})

    sent = mail.outbox[0].message()
    assert sent.get_all("Message-ID") == [row.message_id]
    assert sent["X-Visit"] == "42"


def test_a_calendar_invite_and_an_html_part_survive_the_round_trip(run_on_commit):
    with run_on_commit():
        _queue(
            html="<p>See you <strong>there</strong>.</p>",
            attachments=[
                ("visit.ics", INVITE, "text/calendar"),
                ("map.png", b"\x89PNG\r\n\x00\xff", "image/png"),
            ],
        )

    sent = mail.outbox[0]
    assert sent.body == "See you there."
    assert [tuple(a) for a in sent.alternatives] == [("<p>See you <strong>there</strong>.</p>", "text/html")]
    assert [tuple(a) for a in sent.attachments] == [
        ("visit.ics", INVITE, "text/calendar"),
        ("map.png", b"\x89PNG\r\n\x00\xff", "image/png"),
    ]
    parts = {part.get_content_type(): part for part in sent.message().walk()}
    assert parts["text/calendar"].get_filename() == "visit.ics"


def test_django_send_goes_through_the_outbox_with_cc_reply_to_and_attachments(run_on_commit):
    message = EmailMessage(
        subject="Minutes",
        body="Attached.",
        to=["a@example.org"],
        cc=["b@example.org"],
        bcc=["c@example.org"],
        reply_to=["host@example.org"],
    )
    message.attach("minutes.txt", "Everyone is an expert.", "text/plain")

    with run_on_commit():
        message.send()

    row = OutboxMessage.objects.get()
    sent = mail.outbox[0]
    assert row.status == Status.SENT
    assert (sent.to, sent.cc, sent.bcc, sent.reply_to) == (
        ["a@example.org"],
        ["b@example.org"],
        ["c@example.org"],
        ["host@example.org"],
    )
    assert [tuple(a) for a in sent.attachments] == [("minutes.txt", "Everyone is an expert.", "text/plain")]


# Failures, retries, giving up


def test_a_failed_delivery_leaves_the_message_pending_with_the_error_and_a_later_attempt(
    run_on_commit, server_down
):
    before = timezone.now()
    with run_on_commit():
        row = _queue()
    after = timezone.now()

    row.refresh_from_db()
    assert mail.outbox == []
    assert (row.status, row.attempts) == (Status.PENDING, 1)
    assert row.last_error == "ConnectionRefusedError: mail server is down"
    delay = outbox.retry_delay(1)
    assert before + delay <= row.next_attempt_at <= after + delay
    assert row.next_attempt_at > after


def test_retry_delays_double_up_to_the_cap(settings):
    settings.NETWORK_OUTBOX_RETRY_BASE_SECONDS = 60
    settings.NETWORK_OUTBOX_RETRY_MAX_SECONDS = 300

    delays = [outbox.retry_delay(n).total_seconds() for n in range(1, 6)]

    assert delays == [60, 120, 240, 300, 300]


def test_a_message_not_yet_due_is_left_alone(server_down, run_on_commit):
    with run_on_commit():
        row = _queue()
    row.refresh_from_db()

    assert outbox.retry_due(now=row.next_attempt_at - timedelta(seconds=1)) == 0
    assert OutboxMessage.objects.get(pk=row.pk).attempts == 1


def test_a_message_is_marked_failed_after_the_last_allowed_attempt(settings, server_down, run_on_commit):
    settings.NETWORK_OUTBOX_MAX_ATTEMPTS = 3
    with run_on_commit():
        row = _queue()

    for _ in range(5):
        row.refresh_from_db()
        outbox.retry_due(now=row.next_attempt_at)

    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.FAILED, 3)
    assert len(FailingBackend.offered_message_ids) == 3
    assert "mail server is down" in row.last_error


def test_delivering_the_same_message_twice_sends_it_once():
    row = _queue()

    first = outbox.deliver(message_id=row.pk)
    second = outbox.deliver(message_id=row.pk)

    assert (first, second) == (True, False)
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.get(pk=row.pk).attempts == 1


def test_a_message_cut_off_mid_send_becomes_uncertain_and_is_not_sent_again(settings):
    settings.NETWORK_OUTBOX_STALE_SENDING_SECONDS = 600
    row = _queue()
    now = timezone.now()
    OutboxMessage.objects.filter(pk=row.pk).update(
        status=Status.SENDING, claimed_at=now - timedelta(seconds=601), attempts=1
    )

    outbox.retry_due(now=now)
    outbox.retry_due(now=now + timedelta(days=1))

    row.refresh_from_db()
    assert row.status == Status.UNCERTAIN
    assert row.last_error
    assert mail.outbox == []


def test_a_message_being_sent_right_now_is_not_flagged_uncertain(settings):
    settings.NETWORK_OUTBOX_STALE_SENDING_SECONDS = 600
    row = _queue()
    now = timezone.now()
    OutboxMessage.objects.filter(pk=row.pk).update(
        status=Status.SENDING, claimed_at=now - timedelta(seconds=30)
    )

    outbox.retry_due(now=now)

    assert OutboxMessage.objects.get(pk=row.pk).status == Status.SENDING
    assert mail.outbox == []


def test_retry_now_sends_a_failed_message_again(run_on_commit):
    row = _queue_failed_message()

    with run_on_commit():
        retried = outbox.retry_now(messages=[row])

    assert retried == 1
    assert OutboxMessage.objects.get(pk=row.pk).status == Status.SENT
    assert len(mail.outbox) == 1


def test_retry_now_leaves_a_message_that_was_claimed_meanwhile_alone(run_on_commit):
    row = _queue()  # the caller's copy says "pending"
    OutboxMessage.objects.filter(pk=row.pk).update(status=Status.SENDING, claimed_at=timezone.now())

    with run_on_commit():
        retried = outbox.retry_now(messages=[row])

    assert retried == 0
    assert OutboxMessage.objects.get(pk=row.pk).status == Status.SENDING
    assert mail.outbox == []


# The periodic command


def test_the_outbox_retry_command_delivers_due_messages_and_reports_counts(
    server_down, run_on_commit, settings
):
    with run_on_commit():
        row = _queue()
    OutboxMessage.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    later = _queue(subject="Not yet")
    OutboxMessage.objects.filter(pk=later.pk).update(next_attempt_at=timezone.now() + timedelta(hours=1))
    _queue_failed_message()
    settings.NETWORK_OUTBOX_DELIVERY_BACKEND = LOCMEM
    out = io.StringIO()

    call_command("outbox_retry", stdout=out)

    assert OutboxMessage.objects.get(pk=row.pk).status == Status.SENT
    assert [m.subject for m in mail.outbox] == ["Your place on the visit"]
    assert out.getvalue().strip() == "Outbox: 1 sent, 1 still pending, 1 failed, 0 uncertain."


def test_the_outbox_retry_command_loops_when_asked(monkeypatch):
    _queue()
    sleeps = []

    class Stop(Exception):
        """Ends the otherwise endless loop."""

    def fake_sleep(seconds):
        sleeps.append(seconds)
        if len(sleeps) == 2:
            raise Stop

    monkeypatch.setattr("network.management.commands.outbox_retry.time.sleep", fake_sleep)

    with pytest.raises(Stop):
        call_command("outbox_retry", "--loop", "30", stdout=io.StringIO())

    assert sleeps == [30, 30]
    assert len(mail.outbox) == 1


def test_the_outbox_retry_command_refuses_a_loop_of_no_time():
    with pytest.raises(CommandError):
        call_command("outbox_retry", "--loop", "0")


# allauth


def test_a_password_reset_for_a_known_address_goes_through_the_outbox(client, home_page, run_on_commit):
    MemberFactory(email="known@example.org")

    with run_on_commit():
        response = client.post("/accounts/password/reset/", {"email": "known@example.org"})

    assert response.status_code == HTTPStatus.FOUND
    row = OutboxMessage.objects.get(to=["known@example.org"])
    assert row.status == Status.SENT
    assert "/accounts/password/reset/key/" in row.body
    assert [m.to for m in mail.outbox] == [["known@example.org"]]
    assert mail.outbox[0].message()["Message-ID"] == row.message_id


# The admin


def _index_url() -> str:
    return reverse("network_outbox:index")


def test_a_moderator_sees_the_outbox_with_status_recipients_attempts_and_errors(client):
    failed = _queue_failed_message()
    client.force_login(ModeratorFactory())

    response = client.get(_index_url())

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert failed.subject in html and "amara@example.org" in html and "refused" in html
    assert "Failed" in html
    assert reverse("network_outbox:inspect", args=[failed.pk]) in html
    assert reverse("network_outbox:retry", args=[failed.pk]) in html


def test_the_outbox_list_filters_by_status(client):
    _queue(subject="Still waiting")
    _queue_failed_message()
    client.force_login(ModeratorFactory())

    html = client.get(_index_url(), {"status": "failed"}).content.decode()

    assert "Given up on" in html
    assert "Still waiting" not in html


def test_the_outbox_list_takes_the_same_number_of_queries_for_many_messages(client):
    client.force_login(ModeratorFactory())
    _queue()
    client.get(_index_url())
    with CaptureQueriesContext(connection) as one:
        client.get(_index_url())
    for n in range(10):
        _queue(subject=f"Message {n}")

    with CaptureQueriesContext(connection) as many:
        response = client.get(_index_url())

    assert response.status_code == HTTPStatus.OK
    assert len(many) == len(one)


def test_the_outbox_menu_item_shows_only_to_those_who_may_see_it(client):
    client.force_login(ModeratorFactory())
    assert _index_url() in client.get(reverse("wagtailadmin_home")).content.decode()

    client.force_login(EditorFactory())
    assert _index_url() not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_an_editor_without_the_permission_is_turned_away_from_the_outbox(client):
    client.force_login(EditorFactory())

    response = client.get(_index_url())

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("wagtailadmin_home")


def test_a_member_is_refused_the_outbox(client):
    client.force_login(MemberFactory())

    response = client.get(_index_url())

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("account_login"))


def test_a_visitor_is_sent_to_sign_in_for_the_outbox(client):
    response = client.get(_index_url())

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("account_login"))


def test_the_message_page_shows_delivery_details_but_never_the_body(client):
    row = _queue(
        subject="Reset your password", body="Use https://example.org/accounts/password/reset/key/secret/"
    )
    client.force_login(ModeratorFactory())

    response = client.get(reverse("network_outbox:inspect", args=[row.pk]))

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "Reset your password" in html and "amara@example.org" in html
    assert "reset/key/secret" not in html


def test_messages_cannot_be_added_edited_or_deleted_in_the_admin(client):
    row = _queue()
    client.force_login(UserFactory(is_superuser=True))

    html = client.get(_index_url()).content.decode()

    for view in ("add", "edit", "delete", "copy"):
        with pytest.raises(NoReverseMatch):
            reverse(f"network_outbox:{view}", args=[] if view == "add" else [row.pk])
    assert client.get(f"{_index_url()}new/").status_code == HTTPStatus.NOT_FOUND
    assert client.get(f"{_index_url()}edit/{row.pk}/").status_code == HTTPStatus.NOT_FOUND
    assert client.get(f"{_index_url()}delete/{row.pk}/").status_code == HTTPStatus.NOT_FOUND
    assert "Add outgoing message" not in html


def test_the_retry_view_answers_only_post(client):
    row = _queue_failed_message()
    client.force_login(ModeratorFactory())

    response = client.get(reverse("network_outbox:retry", args=[row.pk]))

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert OutboxMessage.objects.get(pk=row.pk).status == Status.FAILED


def test_the_retry_view_needs_the_retry_permission(client):
    row = _queue_failed_message()
    viewer = UserFactory()
    viewer.user_permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="view_outboxmessage")
    )
    client.force_login(viewer)

    assert client.get(_index_url()).status_code == HTTPStatus.OK
    assert reverse("network_outbox:retry", args=[row.pk]) not in client.get(_index_url()).content.decode()
    response = client.post(reverse("network_outbox:retry", args=[row.pk]))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("wagtailadmin_home")
    assert OutboxMessage.objects.get(pk=row.pk).status == Status.FAILED
    assert mail.outbox == []


def test_the_retry_view_checks_the_csrf_token():
    row = _queue_failed_message()
    client = Client(enforce_csrf_checks=True)
    client.force_login(ModeratorFactory())

    response = client.post(reverse("network_outbox:retry", args=[row.pk]))

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert OutboxMessage.objects.get(pk=row.pk).status == Status.FAILED


def test_a_moderator_retries_a_failed_message_and_it_is_delivered(client, run_on_commit):
    row = _queue_failed_message()
    client.force_login(ModeratorFactory())
    inspect_url = reverse("network_outbox:inspect", args=[row.pk])

    with run_on_commit():
        response = client.post(reverse("network_outbox:retry", args=[row.pk]), {"next": inspect_url})

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == inspect_url
    row.refresh_from_db()
    assert row.status == Status.SENT
    assert [m.subject for m in mail.outbox] == ["Given up on"]
    page = client.get(inspect_url).content.decode()
    assert "is being sent again" in page


def test_the_retry_view_does_not_follow_a_next_address_off_the_site(client, run_on_commit):
    row = _queue_failed_message()
    client.force_login(ModeratorFactory())

    with run_on_commit():
        response = client.post(
            reverse("network_outbox:retry", args=[row.pk]), {"next": "https://evil.example/phish"}
        )

    assert response["Location"] == reverse("network_outbox:inspect", args=[row.pk])


def test_retrying_a_sent_message_sends_nothing_and_says_so(client, run_on_commit):
    with run_on_commit():
        row = _queue()
    client.force_login(ModeratorFactory())

    with run_on_commit():
        response = client.post(reverse("network_outbox:retry", args=[row.pk]), follow=True)

    assert "was not retried" in response.content.decode()
    assert len(mail.outbox) == 1


def test_a_ready_made_calendar_part_keeps_its_method_and_name(django_capture_on_commit_callbacks):
    from email.mime.text import MIMEText

    part = MIMEText("BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n", "calendar", "utf-8")
    part.set_param("method", "REQUEST")
    part.add_header("Content-Disposition", "attachment", filename="invite.ics")
    message = EmailMessage("Invite", "See the invite", to=["a@example.org"])
    message.attach(part)

    with django_capture_on_commit_callbacks(execute=True):
        outbox.queue_message(message)

    sent = mail.outbox[-1].message()
    (calendar,) = [p for p in sent.walk() if p.get_content_type() == "text/calendar"]
    assert calendar.get_param("method") == "REQUEST"
    assert calendar.get_filename() == "invite.ics"
    assert "METHOD:REQUEST" in calendar.get_payload(decode=True).decode()


def test_a_forwarded_message_attachment_is_queued_and_delivered(django_capture_on_commit_callbacks):
    inner = EmailMessage("Original", "Inner body", to=["b@example.org"])
    message = EmailMessage("Fwd", "See attached", to=["a@example.org"])
    message.attach("original.eml", inner, "message/rfc822")

    with django_capture_on_commit_callbacks(execute=True):
        outbox.queue_message(message)

    assert "Inner body" in mail.outbox[-1].message().as_string()


def test_old_sent_and_replaced_messages_are_forgotten_and_waiting_ones_kept():
    Row = OutboxMessage
    old = timezone.now() - timedelta(days=40)
    sent = outbox.queue_email(to=["a@example.org"], subject="Sent", body="x")
    replaced = outbox.queue_email(to=["a@example.org"], subject="Replaced", body="x")
    waiting = outbox.queue_email(to=["a@example.org"], subject="Waiting", body="x")
    Row.objects.filter(pk=sent.pk).update(status=Row.Status.SENT, sent_at=old)
    Row.objects.filter(pk=replaced.pk).update(status=Row.Status.SUPERSEDED, created_at=old)
    Row.objects.filter(pk=waiting.pk).update(created_at=old)

    assert outbox.prune_sent() == 2
    assert list(Row.objects.values_list("subject", flat=True)) == ["Waiting"]
