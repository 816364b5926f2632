"""After the visit: attendees give feedback once, hosts write the visit up, and everyone else sees only
aggregated counts, and only once enough people have answered that no one answer can be picked out."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from network.access import is_member
from network.outbox import queue_email

from .. import conf
from ..access import may_manage
from ..models import Booking, Feedback, StudyVisit
from .booking import locked_visit

__all__ = [
    "AlreadyGaveFeedback",
    "FeedbackError",
    "Results",
    "ScaleResult",
    "WriteUpError",
    "feedback_comments",
    "feedback_refusal",
    "give_feedback",
    "request_feedback",
    "results",
    "results_for_page",
    "write_up_refusal",
    "write_up_visit",
]

HAPPENED = (StudyVisit.Status.PUBLISHED, StudyVisit.Status.COMPLETED)
# The feedback request email carries this header with the booking's key: the outbox row is the record that
# the request was sent (see request_feedback).
REQUEST_WINDOW = timedelta(days=7)


class FeedbackError(Exception):
    """Feedback the booking cannot give, with a message for the member."""


class AlreadyGaveFeedback(FeedbackError):
    """The member has answered for this booking already."""


class WriteUpError(Exception):
    """A write-up that is not allowed, with a message for the host."""


def feedback_refusal(*, booking: Booking, by, now: datetime | None = None) -> str | None:
    """Why `by` may not give feedback on `booking` now, or None when they may."""
    refusal = _refusal(booking, by, now or timezone.now())
    return None if refusal is None else str(refusal)


def _refusal(booking: Booking, by, now: datetime) -> FeedbackError | None:
    visit = booking.visit
    if booking.member_id != by.pk or not is_member(by):
        return FeedbackError(_("That is not your booking."))
    if booking.status != Booking.Status.CONFIRMED or visit.status not in HAPPENED:
        return FeedbackError(_("Only people with a confirmed place on the visit can give feedback."))
    if booking.attendance == Booking.Attendance.NO_SHOW:
        return FeedbackError(
            _("The hosts recorded that you could not come, so there is no feedback to give.")
        )
    if visit.ends_at > now:
        return FeedbackError(_("You can give feedback once the visit has ended."))
    if Feedback.objects.filter(booking=booking).exists():
        return AlreadyGaveFeedback(_("You have given feedback on this visit already. Thank you."))
    return None


def give_feedback(
    *, booking: Booking, by, usefulness: int, confidence: int, comment: str = "", now: datetime | None = None
) -> Feedback:
    """The attendee's one answer about a visit that has ended."""
    booking = Booking.objects.select_related("visit").get(pk=booking.pk)
    refusal = _refusal(booking, by, now or timezone.now())
    if refusal is not None:
        raise refusal
    if usefulness not in Feedback.Usefulness.values or confidence not in Feedback.Confidence.values:
        raise FeedbackError(_("Choose one answer on each scale."))
    comment = comment.strip()
    if len(comment) > Feedback._meta.get_field("comment").max_length:
        raise FeedbackError(_("The comment is too long."))
    try:
        with transaction.atomic():
            return Feedback.objects.create(
                booking=booking, usefulness=usefulness, confidence=confidence, comment=comment
            )
    except IntegrityError:  # two submissions at once: the one-to-one stopped the second
        raise AlreadyGaveFeedback(_("You have given feedback on this visit already. Thank you.")) from None


def write_up_refusal(*, visit: StudyVisit, by, now: datetime | None = None) -> str | None:
    """Why `by` may not write up `visit` now, or None when they may."""
    if not may_manage(by, visit):
        return _("Only the visit's hosts and the network's moderators can write it up.")
    if visit.status not in HAPPENED or visit.starts_at > (now or timezone.now()):
        return _("You can write the visit up once it has started.")
    return None


@transaction.atomic
def write_up_visit(*, visit: StudyVisit, by, text: str, now: datetime | None = None) -> StudyVisit:
    """The hosts' (or a moderator's) account of how the visit went, in Markdown, once it has started."""
    visit = locked_visit(visit)
    refusal = write_up_refusal(visit=visit, by=by, now=now)
    if refusal is not None:
        raise WriteUpError(refusal)
    if len(text) > StudyVisit._meta.get_field("write_up").max_length:
        raise WriteUpError(_("The write-up is too long."))
    visit.write_up = text.strip()
    visit.save(update_fields=["write_up"])  # the model renders write_up_html with network.markup
    return visit


@dataclass(frozen=True)
class Point:
    value: int
    label: str
    count: int


@dataclass(frozen=True)
class ScaleResult:
    """How many chose each point of one five-point scale."""

    name: str  # "usefulness" or "confidence"
    question: str
    points: tuple[Point, ...]


@dataclass(frozen=True)
class Results:
    """Counts only: never an answer, a comment or a name."""

    answered: int
    usefulness: ScaleResult
    confidence: ScaleResult

    @property
    def scales(self) -> tuple[ScaleResult, ScaleResult]:
        return (self.usefulness, self.confidence)


SCALES = {"usefulness": Feedback.Usefulness, "confidence": Feedback.Confidence}


def results(visit_or_visits: StudyVisit | Iterable[StudyVisit]) -> Results | None:
    """Counts per point of each scale, or None until at least conf.FEEDBACK_MIN_ANSWERS have answered.

    Over several visits, only those that each reached the threshold count, so the total never reveals a
    visit's answers that its own results would still hide (by subtracting the visits that are shown)."""
    if isinstance(visit_or_visits, StudyVisit):
        return _results(Feedback.objects.filter(booking__visit=visit_or_visits))
    if isinstance(visit_or_visits, QuerySet):
        visit_ids = visit_or_visits.values("pk")
    else:
        visit_ids = [visit.pk for visit in visit_or_visits]
    enough = (
        Feedback.objects.filter(booking__visit__in=visit_ids)
        .values("booking__visit")
        .annotate(answered=Count("pk"))
        .filter(answered__gte=conf.FEEDBACK_MIN_ANSWERS)
        .values("booking__visit")
    )
    return _results(Feedback.objects.filter(booking__visit__in=enough))


def _results(feedback) -> Results | None:
    counts = {
        f"{name}_{value}": Count("pk", filter=Q(**{name: value}))
        for name, choices in SCALES.items()
        for value in choices.values
    }
    row = feedback.aggregate(answered=Count("pk"), **counts)
    if row["answered"] < conf.FEEDBACK_MIN_ANSWERS:
        return None
    scales = {
        name: ScaleResult(
            name=name,
            question=str(Feedback._meta.get_field(name).verbose_name).capitalize(),
            points=tuple(
                Point(value, str(label), row[f"{name}_{value}"]) for value, label in choices.choices
            ),
        )
        for name, choices in SCALES.items()
    }
    return Results(answered=row["answered"], **scales)


def results_for_page(page) -> Results | None:
    """Results over every visit to the Wagtail `page` that has taken place (see `results`)."""
    return results(StudyVisit.objects.past().filter(page_id=page.pk))


def feedback_comments(*, visit: StudyVisit, viewer) -> list[str] | None:
    """The attendees' comments, without names, for the visit's hosts and moderators only, and only once
    the results are shown; sorted by their text so their order does not hint at who wrote which."""
    if not may_manage(viewer, visit):
        return None
    feedback = Feedback.objects.filter(booking__visit=visit)
    if feedback.count() < conf.FEEDBACK_MIN_ANSWERS:
        return None
    return sorted(feedback.exclude(comment="").values_list("comment", flat=True), key=str.casefold)


def request_feedback(*, now: datetime | None = None) -> int:
    """The periodic job: email each attendee of a visit that ended in the last week (confirmed, not marked
    as a no-show, no feedback yet) a link to the feedback form, once; returns how many were asked. The
    booking records the request in the same transaction, under the visit's row lock, so two runs at once
    never both ask."""
    now = now or timezone.now()
    ended = StudyVisit.objects.filter(status__in=HAPPENED, ends_at__lte=now, ends_at__gt=now - REQUEST_WINDOW)
    return sum(_request_feedback_for(visit, now) for visit in ended.only("pk"))


@transaction.atomic
def _request_feedback_for(visit: StudyVisit, now: datetime) -> int:
    visit = locked_visit(visit)
    bookings = list(
        Booking.objects.filter(
            visit=visit,
            status=Booking.Status.CONFIRMED,
            feedback__isnull=True,
            feedback_requested_at__isnull=True,
        )
        .exclude(attendance=Booking.Attendance.NO_SHOW)
        .select_related("member__network_profile")
    )
    count = 0
    for booking in bookings:
        if not booking.member.email or not is_member(booking.member):
            continue
        context = {"visit": visit, "booking": booking, "feedback_url": conf.SITE_URL + _form_path(booking)}
        queue_email(
            to=[booking.member.email],
            subject=" ".join(_render("subject", context).split()),
            body=_render("body", context),
        )
        booking.feedback_requested_at = now
        booking.save(update_fields=["feedback_requested_at", "changed_at"])
        count += 1
    return count


def _render(part: str, context: dict) -> str:
    return render_to_string(f"visits/email/feedback_request_{part}.txt", context)


def _form_path(booking: Booking) -> str:
    return reverse("visits:feedback_form", args=[booking.pk])
