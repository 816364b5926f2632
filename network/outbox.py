"""The outbox: the one way every plugin sends email.

`queue_email` (or any `django.core.mail` call, since EMAIL_BACKEND is `network.mail.OutboxBackend`) writes
the message to an `OutboxMessage` row inside the caller's transaction. Only after that transaction commits
is a task enqueued to deliver it, so a message exists exactly when the change that caused it does, and a
mail server or worker that is down delays mail but never loses it.

Delivery claims the row with one conditional UPDATE before talking to the server, so two workers (or a
worker and the periodic `outbox_retry` command) never both send it.
"""

import base64
import logging
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from email import message_from_bytes
from email.message import Message
from email.mime.base import MIMEBase

from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from . import conf
from .models import OutboxMessage

logger = logging.getLogger(__name__)
Status = OutboxMessage.Status


def queue_email(
    *,
    to: Sequence[str],
    subject: str,
    body: str,
    html: str | None = None,
    from_email: str | None = None,
    reply_to: Sequence[str] = (),
    headers: dict[str, str] | None = None,
    attachments: Iterable[tuple[str, bytes | str, str]] = (),
    about=None,
) -> OutboxMessage:
    """Write one email to the outbox; it is delivered after the current transaction commits.

    `about`: the user the message describes, if not its recipient; their account deletion deletes it."""
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=from_email,
        to=list(to),
        reply_to=list(reply_to),
        headers=headers or {},
    )
    if html:
        message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return queue_message(message, about=about)


def queue_templated_email(
    *, template_prefix: str, context: dict, to: Sequence[str], **kwargs
) -> OutboxMessage:
    """Render `<prefix>_subject.txt` and `<prefix>_body.txt` with `context` and queue the message."""
    subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).split())
    body = render_to_string(f"{template_prefix}_body.txt", context)
    return queue_email(to=to, subject=subject, body=body, **kwargs)


def queue_message(message: EmailMessage, *, about=None, supersedes_key: str = "") -> OutboxMessage:
    """Store a built EmailMessage in the outbox and deliver it once the transaction commits.

    `supersedes_key`: messages that each say the latest state of one thing (a calendar event for one
    attendee) share it; those still waiting are replaced by this one, and none is sent while an older one
    is being sent, so they never arrive out of order."""
    if supersedes_key:
        OutboxMessage.objects.filter(
            supersedes_key=supersedes_key, status__in=[Status.PENDING, Status.FAILED, Status.UNCERTAIN]
        ).update(status=Status.SUPERSEDED)
    row = OutboxMessage.objects.create(
        supersedes_key=supersedes_key,
        from_email=message.from_email,
        to=list(message.to),
        cc=list(message.cc),
        bcc=list(message.bcc),
        reply_to=list(message.reply_to),
        subject=str(message.subject),
        body=str(message.body),
        body_subtype=message.content_subtype,
        alternatives=[[str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])],
        attachments=[_serialise_attachment(a) for a in message.attachments],
        headers={str(k): str(v) for k, v in message.extra_headers.items()},
        about=about,
    )
    transaction.on_commit(lambda: _enqueue_delivery(row))
    return row


def deliver(*, message_id, now: datetime | None = None) -> bool:
    """Try to send one message that is due at `now` (default: the present); return whether it was sent.
    Failures are recorded and rescheduled. Claim and retry times are always the real clock's."""
    claimed = (
        OutboxMessage.objects.due(now or timezone.now())
        .filter(pk=message_id)
        .update(status=Status.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1)
    )
    if not claimed:
        return False  # sent already, claimed by another worker, or not yet due
    row = OutboxMessage.objects.filter(pk=message_id).first()
    if row is None:
        return False  # deleted meanwhile (its account was deleted)
    if row.supersedes_key and _newer_one_queued(row):
        # a failed send put it back, or someone retried it by hand: the newer message says it all
        OutboxMessage.objects.filter(pk=row.pk).update(status=Status.SUPERSEDED)
        return False
    if row.supersedes_key and _older_one_sending(row):
        # wait for it: this one must arrive after it (a retry comes round soon)
        _record_failure(
            row, RuntimeError("an older message about the same thing is being sent"), timezone.now()
        )
        return False
    try:
        with get_connection(conf.OUTBOX_DELIVERY_BACKEND, fail_silently=False) as connection:
            sent = connection.send_messages([build_email(row)])
        if not sent:
            raise RuntimeError("the mail backend accepted no message")
    except Exception as exc:  # noqa: BLE001 - any failure of the server or network means "try again later"
        _record_failure(row, exc, timezone.now())
        return False
    OutboxMessage.objects.filter(pk=row.pk).update(status=Status.SENT, sent_at=timezone.now(), last_error="")
    return True


def prune_sent(*, older_than: timedelta | None = None) -> int:
    """Forget sent mail after a while: it holds sign-in links and personal details nobody needs later."""
    keep = older_than or timedelta(days=conf.OUTBOX_KEEP_SENT_DAYS)
    cutoff = timezone.now() - keep
    done = Q(status=Status.SENT, sent_at__lt=cutoff) | Q(status=Status.SUPERSEDED, created_at__lt=cutoff)
    deleted, _ = OutboxMessage.objects.filter(done).delete()
    return deleted


def retry_due(*, now: datetime | None = None) -> int:
    """The periodic safety net: deliver what is due, flag what was cut off mid-send; return how many went."""
    now = now or timezone.now()
    stale = timedelta(seconds=conf.OUTBOX_STALE_SENDING_SECONDS)
    OutboxMessage.objects.stale_sending(stale, now).update(
        status=Status.UNCERTAIN, last_error="The sender stopped before the server confirmed delivery."
    )
    ids = list(OutboxMessage.objects.due(now).order_by("next_attempt_at").values_list("pk", flat=True))
    return sum(deliver(message_id=pk, now=now) for pk in ids)


def retry_now(*, messages: Iterable[OutboxMessage]) -> int:
    """A moderator's retry: failed, uncertain or waiting messages become due now and are enqueued.

    Returns how many were retried (a message sent or being sent meanwhile is left alone)."""
    retryable = (Status.FAILED, Status.UNCERTAIN, Status.PENDING)
    pks = [m.pk for m in messages]
    now = timezone.now()
    with transaction.atomic():
        # The status is read again, locked, not taken from the caller's copies: a row a worker claimed (or
        # sent) since they were read must not be put back to pending and sent a second time.
        locked = OutboxMessage.objects.select_for_update().filter(pk__in=pks, status__in=retryable)
        rows = list(locked.only("pk"))
        OutboxMessage.objects.filter(pk__in=[row.pk for row in rows]).update(
            status=Status.PENDING, next_attempt_at=now
        )
        for row in rows:
            transaction.on_commit(lambda row=row: _enqueue_delivery(row))
    return len(rows)


def _newer_one_queued(row: OutboxMessage) -> bool:
    return (
        OutboxMessage.objects.filter(supersedes_key=row.supersedes_key, created_at__gt=row.created_at)
        .exclude(pk=row.pk)
        .exists()
    )


def _older_one_sending(row: OutboxMessage) -> bool:
    return (
        OutboxMessage.objects.filter(
            supersedes_key=row.supersedes_key, status=Status.SENDING, created_at__lt=row.created_at
        )
        .exclude(pk=row.pk)
        .exists()
    )


def build_email(row: OutboxMessage) -> EmailMultiAlternatives:
    """Rebuild the stored message, with a Message-ID that stays the same on every attempt."""
    # Header names are case-insensitive: a caller's "Message-Id" would otherwise go out beside ours.
    headers = {name: value for name, value in row.headers.items() if name.lower() != "message-id"}
    email = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body,
        from_email=row.from_email,
        to=row.to,
        cc=row.cc,
        bcc=row.bcc,
        reply_to=row.reply_to,
        headers={**headers, "Message-ID": row.message_id},
    )
    email.content_subtype = row.body_subtype
    for content, mimetype in row.alternatives:
        email.attach_alternative(content, mimetype)
    for item in row.attachments:
        if "mime" in item:
            email.attach(_mime_part(base64.b64decode(item["mime"])))
            continue
        content = base64.b64decode(item["content"])
        if item["mimetype"] == "message/rfc822":
            content = message_from_bytes(content)
        email.attach(item["filename"], content.decode() if item["text"] else content, item["mimetype"])
    return email


def _mime_part(raw: bytes) -> MIMEBase:
    """A stored MIME part back as the MIMEBase Django attaches, with every header and its encoded body."""
    parsed = message_from_bytes(raw)
    part = MIMEBase(parsed.get_content_maintype(), parsed.get_content_subtype())
    del part["Content-Type"], part["MIME-Version"]
    for name, value in parsed.items():
        part[name] = value
    part.set_payload(parsed.get_payload())
    return part


def retry_delay(attempts: int) -> timedelta:
    """Exponential back-off: base, 2×base, 4×base … capped."""
    seconds = conf.OUTBOX_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, conf.OUTBOX_RETRY_MAX_SECONDS))


def _record_failure(row: OutboxMessage, exc: Exception, now: datetime) -> None:
    attempts = row.attempts
    gave_up = attempts >= conf.OUTBOX_MAX_ATTEMPTS
    next_attempt = now + retry_delay(attempts)
    OutboxMessage.objects.filter(pk=row.pk).update(
        status=Status.FAILED if gave_up else Status.PENDING,
        next_attempt_at=next_attempt,
        last_error=f"{type(exc).__name__}: {exc}"[:2000],
    )
    logger.warning("Outbox message %s not sent (attempt %s): %s", row.pk, attempts, exc)
    if not gave_up:
        _enqueue_delivery(row, run_after=next_attempt)


def _enqueue_delivery(row: OutboxMessage, run_after: datetime | None = None) -> None:
    from .tasks import deliver_outbox_message

    task = deliver_outbox_message
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # the periodic `outbox_retry` command picks it up when it is due
        task = task.using(run_after=run_after)
    try:
        task.enqueue(str(row.pk))
    except Exception:  # the queue being down must not lose mail: the row stays pending for outbox_retry
        logger.exception("Could not enqueue delivery of outbox message %s", row.pk)


def _serialise_attachment(attachment) -> dict:
    if isinstance(attachment, MIMEBase):
        # A ready-made MIME part (e.g. text/calendar; method=REQUEST) is kept whole, headers and all.
        return {"mime": base64.b64encode(attachment.as_bytes()).decode("ascii")}
    filename, content, mimetype = attachment
    if isinstance(content, EmailMessage):  # a forwarded message (message/rfc822)
        content = content.message().as_bytes()
    elif isinstance(content, Message):
        content = content.as_bytes()
    is_text = isinstance(content, str)
    raw = content.encode() if is_text else content
    return {
        "filename": filename,
        "mimetype": mimetype or "application/octet-stream",
        "text": is_text,
        "content": base64.b64encode(raw).decode("ascii"),
    }
