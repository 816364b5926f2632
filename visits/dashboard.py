"""The host's dashboard: a visit's attendees, requests and waiting list, for its host, co-hosts and the
network's moderators only (a 404 for anyone else, so it does not even confirm that the visit exists). Each
POST calls one service of visits.services.hosting and comes back here with the outcome as a message."""

import csv
from dataclasses import dataclass, field
from functools import wraps
from http import HTTPStatus

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from network.forms import reject_control_characters, reject_hidden_controls
from network.models import Profile

from . import services
from .access import managed_visit, may_manage
from .models import MAX_CAPACITY, Booking, StudyVisit

Status = Booking.Status
ACTIONS = {"approve", "decline", "remove", "attended", "no_show", "clear"}
NEEDS_REASON = {"decline", "remove"}
CHECK_IN = {"attended": Booking.Attendance.ATTENDED, "no_show": Booking.Attendance.NO_SHOW, "clear": ""}
ENDED = (Status.CANCELLED, Status.DECLINED, Status.REMOVED)
# Characters that make a spreadsheet read a cell as a formula (OWASP's CSV injection list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class AddAttendeeForm(forms.Form):
    who = forms.CharField(
        label=gettext_lazy("Their handle or email address"),
        max_length=254,
        validators=[reject_control_characters],
        help_text=gettext_lazy(
            "The handle is the last part of their profile's address, such as amara-okafor."
        ),
    )
    reason = forms.CharField(
        label=gettext_lazy("A note for them (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[reject_hidden_controls],
    )

    def clean_who(self):
        value = self.cleaned_data["who"].strip().removeprefix("@")
        members = Profile.objects.members().select_related("user")
        if "@" in value:
            profile = members.filter(user__email__iexact=value).order_by("pk").first()
        else:
            profile = members.filter(handle__iexact=value).first()
        if profile is None:
            raise ValidationError(_("No member of the network has that handle or email address."))
        return profile.user


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(label=gettext_lazy("Places"), min_value=1, max_value=MAX_CAPACITY)


class MessageForm(forms.Form):
    subject = forms.CharField(
        label=gettext_lazy("Subject"), max_length=200, validators=[reject_control_characters]
    )
    body = forms.CharField(
        label=gettext_lazy("Message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        validators=[reject_hidden_controls],
        help_text=gettext_lazy("Plain text. Replies come to you by email."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=1000, validators=[reject_hidden_controls])


@dataclass
class Row:
    """One booking as the dashboard and the CSV show it."""

    booking: Booking
    name: str
    handle: str
    organisation: str
    access_needs: str
    dietary_needs: str
    extra: list = field(default_factory=list)  # [(question, answer)] as the member answered them
    position: int | None = None


def _profile(member) -> Profile | None:
    try:
        return member.network_profile  # select_related: no query
    except Profile.DoesNotExist:
        return None


def _name(member) -> str:
    profile = _profile(member)
    return (profile.display_name if profile else "") or member.get_full_name() or member.email


def _row(booking: Booking, position: int | None = None) -> Row:
    member = booking.member
    profile = _profile(member)
    answers = booking.answers if isinstance(booking.answers, dict) else {}
    extra = [
        (str(item.get("question", "")), str(item.get("answer", "")))
        for item in answers.get("extra") or []
        if isinstance(item, dict)
    ]
    return Row(
        booking=booking,
        name=_name(member),
        handle=profile.handle if profile else "",
        organisation=str(answers.get("organisation") or ""),
        access_needs=str(answers.get("access_needs") or ""),
        dietary_needs=str(answers.get("dietary_needs") or ""),
        extra=extra,
        position=position,
    )


def _bookings(visit: StudyVisit) -> list[Booking]:
    """Every booking of the visit with its member and profile, in one query."""
    return list(
        Booking.objects.filter(visit=visit)
        .select_related("member__network_profile", "added_by__network_profile")
        .order_by("created_at", "pk")
    )


def _sign_in_first(view):
    """Visitors are asked to sign in (a host who followed a link); everyone else meets managed_visit."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


def _render(request: HttpRequest, visit: StudyVisit, status: int = HTTPStatus.OK, **extra) -> HttpResponse:
    now = timezone.now()
    bookings = _bookings(visit)
    by_status: dict[str, list[Booking]] = {}
    for booking in bookings:
        by_status.setdefault(booking.status, []).append(booking)
    confirmed = [_row(b) for b in by_status.get(Status.CONFIRMED, [])]
    requested = [_row(b) for b in by_status.get(Status.REQUESTED, [])]
    waitlisted = [_row(b, position) for position, b in enumerate(by_status.get(Status.WAITLISTED, []), 1)]
    ended = [_row(b) for b in bookings if b.status in ENDED]
    taken = len(confirmed) + len(requested)
    context = {
        "visit": visit,
        "confirmed": confirmed,
        "requested": requested,
        "waitlisted": waitlisted,
        "ended": ended,
        "taken": taken,
        "places_left": max(visit.capacity - taken, 0),
        "check_in_open": services.check_in_is_open(visit, now=now),
        "started": visit.starts_at <= now,
        "open_to_add": visit.status == StudyVisit.Status.PUBLISHED and visit.ends_at > now,
        "add_form": AddAttendeeForm(prefix="add"),
        "capacity_form": CapacityForm(prefix="capacity", initial={"capacity": visit.capacity}),
        "message_form": MessageForm(prefix="message"),
        "action_error": None,
        **extra,
    }
    return render(request, "visits/host/dashboard.html", context, status=status)


def _back(visit: StudyVisit, anchor: str = ""):
    response = redirect("visits:visit_dashboard", pk=visit.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


@_sign_in_first
@require_GET
def visit_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    """Who is coming, who waits, and the forms to manage them."""
    return _render(request, managed_visit(request, pk))


@_sign_in_first
@require_GET
def attendees_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """Everyone with an active booking, as a spreadsheet-safe CSV (UTF-8 with a BOM, CRLF lines)."""
    visit = managed_visit(request, pk)
    order = {Status.CONFIRMED: 0, Status.REQUESTED: 1, Status.WAITLISTED: 2}
    bookings = sorted(
        (b for b in _bookings(visit) if b.status in order),
        key=lambda b: (order[b.status], b.created_at, b.pk),
    )
    questions = _answered_questions(visit, bookings)
    filename = f"{slugify(visit.title) or 'visit'}-{visit.local_start:%Y-%m-%d}-attendees.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")  # the BOM tells spreadsheets the file is UTF-8
    writer = csv.writer(response, lineterminator="\r\n")
    writer.writerow(
        _safe(
            [
                _("Name"),
                _("Email"),
                _("Organisation"),
                _("Status"),
                _("Booked at (%(zone)s)") % {"zone": visit.time_zone},
                _("Access needs"),
                _("Dietary needs"),
                *questions,
                _("Background check confirmed"),
                _("Attendance"),
            ]
        )
    )
    for booking in bookings:
        row = _row(booking)
        answers: dict[str, list[str]] = {}
        for question, answer in row.extra:
            answers.setdefault(question, []).append(answer)
        writer.writerow(
            _safe(
                [
                    row.name,
                    booking.member.email,
                    row.organisation,
                    booking.get_status_display(),
                    booking.created_at.astimezone(visit.zone).strftime("%Y-%m-%d %H:%M"),
                    row.access_needs,
                    row.dietary_needs,
                    *(" / ".join(answers.get(question, [])) for question in questions),
                    _("Yes") if booking.background_check_confirmed else _("No"),
                    booking.get_attendance_display(),
                ]
            )
        )
    return response


def _extra_questions(visit: StudyVisit) -> list[str]:
    questions = visit.extra_questions if isinstance(visit.extra_questions, list) else []
    texts = [q.get("question", "") if isinstance(q, dict) else q for q in questions]
    return [str(text) for text in texts if text]


def _answered_questions(visit: StudyVisit, bookings) -> list[str]:
    """The visit's questions now, then any that bookers answered before the host reworded or removed it:
    no answer is left out of the spreadsheet."""
    questions = list(dict.fromkeys(_extra_questions(visit)))
    for booking in bookings:
        for question, _answer in _row(booking).extra:
            if question not in questions:
                questions.append(question)
    return questions


def _safe(cells: list) -> list[str]:
    """Cells a spreadsheet would run as a formula are kept as text by a leading apostrophe."""
    return [f"'{text}" if (text := str(cell)).startswith(FORMULA_STARTS) else text for cell in cells]


@require_POST
def message_attendees(request: HttpRequest, pk: int) -> HttpResponse:
    visit = managed_visit(request, pk)
    form = MessageForm(request.POST, prefix="message")
    if form.is_valid():
        try:
            sent = services.message_attendees(visit=visit, by=request.user, **form.cleaned_data)
        except services.BookingError as error:
            form.add_error(None, str(error))
        else:
            if sent:
                text = _("Your message is on its way to %(count)d attendees.") % {"count": sent}
                messages.success(request, text)
            else:
                messages.info(request, _("Nobody has a confirmed place yet, so nobody was sent the message."))
            return _back(visit, "message")
    messages.error(request, _("Your message was not sent: please see below."))
    return _render(request, visit, HTTPStatus.BAD_REQUEST, message_form=form)


@require_POST
def attendee_add(request: HttpRequest, pk: int) -> HttpResponse:
    visit = managed_visit(request, pk)
    form = AddAttendeeForm(request.POST, prefix="add")
    if form.is_valid():
        member = form.cleaned_data["who"]
        try:
            services.add_attendee(
                visit=visit, member=member, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.BookingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(name)s has a place now; they have been told by email.") % {"name": _name(member)},
            )
            return _back(visit, "attendees")
    messages.error(request, _("Nobody was added: please see below."))
    return _render(request, visit, HTTPStatus.BAD_REQUEST, add_form=form)


@require_POST
def capacity_change(request: HttpRequest, pk: int) -> HttpResponse:
    visit = managed_visit(request, pk)
    form = CapacityForm(request.POST, prefix="capacity")
    if form.is_valid():
        try:
            promoted = services.change_capacity(
                visit=visit, capacity=form.cleaned_data["capacity"], by=request.user
            )
        except services.BookingError as error:
            form.add_error("capacity", str(error))
        else:
            text = _("The visit has %(capacity)d places now.") % {"capacity": form.cleaned_data["capacity"]}
            if promoted:
                text += " " + _("%(count)d from the waiting list moved up and were told by email.") % {
                    "count": len(promoted)
                }
            messages.success(request, text)
            return _back(visit, "places")
    messages.error(request, _("The number of places has not changed: please see below."))
    return _render(request, visit, HTTPStatus.BAD_REQUEST, capacity_form=form)


@require_POST
def booking_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Approve, decline, remove or check in one booking."""
    booking = get_object_or_404(
        Booking.objects.select_related("visit__host", "visit__page", "member__network_profile"), pk=pk
    )
    visit = booking.visit
    if action not in ACTIONS or not may_manage(request.user, visit):
        raise Http404("No such booking to manage.")
    reason = ""
    if action in NEEDS_REASON:
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Please give a reason: the member is told it."))
            error = {"booking": booking.pk, "action": action, "errors": form.errors["reason"]}
            return _render(request, visit, HTTPStatus.BAD_REQUEST, action_error=error)
        reason = form.cleaned_data["reason"]
    try:
        text = _act(request, booking, action, reason)
    except services.BookingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, text)
    anchors = {Status.REQUESTED: "requests", Status.WAITLISTED: "waiting-list"}
    return _back(visit, anchors.get(booking.status, "attendees"))


def _act(request: HttpRequest, booking: Booking, action: str, reason: str) -> str:
    name = _name(booking.member)
    if action == "approve":
        services.approve_booking(booking=booking, by=request.user)
        return _("%(name)s's place is confirmed; they have been told by email.") % {"name": name}
    if action == "decline":
        services.decline_booking(booking=booking, by=request.user, reason=reason)
        return _("%(name)s's booking is declined; they have been told why by email.") % {"name": name}
    if action == "remove":
        services.remove_attendee(booking=booking, by=request.user, reason=reason)
        return _("%(name)s no longer has a place; they have been told why by email.") % {"name": name}
    services.check_in(booking=booking, by=request.user, attendance=CHECK_IN[action])
    labels = {
        "attended": _("%(name)s: attended."),
        "no_show": _("%(name)s: did not come."),
        "clear": _("%(name)s: not checked in."),
    }
    return labels[action] % {"name": name}
