"""What members and visitors see: the visits on offer, a visit's page, booking and cancelling."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Page

from network.access import is_member, member_required
from network.privacy import visible_pages

from . import services
from .access import may_manage
from .filters import VisitFilters
from .forms import BookingForm
from .models import Booking, StudyVisit
from .pages import page_details


def _seen_by(queryset, request):
    """Visits to pages this viewer may see (an editor can restrict the exemplar a visit goes to)."""
    return queryset.filter(page__in=visible_pages(Page.objects.all(), request))


def visit_list(request: HttpRequest) -> HttpResponse:
    upcoming = _seen_by(StudyVisit.objects.upcoming(), request)
    filters = VisitFilters(request.GET, visits=upcoming)
    visits = filters.apply(upcoming.with_places_taken()).select_related("page").order_by("starts_at", "pk")
    page = Paginator(visits, 20).get_page(request.GET.get("page"))
    return render(
        request, "visits/visit_list.html", {"filters": filters, "page_obj": page, "visits": page.object_list}
    )


def visit_past(request: HttpRequest) -> HttpResponse:
    visits = _seen_by(StudyVisit.objects.past(), request).order_by("-starts_at").select_related("page")
    page = Paginator(visits, 20).get_page(request.GET.get("page"))
    return render(request, "visits/visit_past.html", {"page_obj": page, "visits": page.object_list})


def _visible_visit(request: HttpRequest, pk: int) -> StudyVisit:
    visit = get_object_or_404(
        _seen_by(StudyVisit.objects.with_places_taken(), request).select_related(
            "page", "host__network_profile"
        ),
        pk=pk,
    )
    if visit.status == StudyVisit.Status.DRAFT and not may_manage(request.user, visit):
        raise Http404("No such visit.")
    return visit


def visit_detail(request: HttpRequest, pk: int, form: BookingForm | None = None) -> HttpResponse:
    visit = _visible_visit(request, pk)
    booking = None
    if is_member(request.user):
        booking = Booking.objects.active().filter(visit=visit, member=request.user).first()
    now = timezone.now()
    refusal = visit.booking_refusal(now)
    context = {
        "visit": visit,
        "now": now,
        "bookable": refusal is None,
        "not_bookable_reason": refusal,
        "summary": page_details(visit.page).summary,
        "booking": booking,
        "position": services.waitlist_position(booking) if booking else None,
        "manages": may_manage(request.user, visit),
        "form": form if form is not None else (BookingForm(visit=visit) if is_member(request.user) else None),
    }
    return render(request, "visits/visit_detail.html", context, status=400 if form is not None else 200)


@member_required
@require_POST
def visit_book(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visible_visit(request, pk)
    form = BookingForm(request.POST, visit=visit)
    if not form.is_valid():
        messages.error(request, _("Please check your answers: nothing is booked yet."))
        return visit_detail(request, pk, form=form)
    try:
        booking = services.book_visit(
            visit=visit,
            member=request.user,
            answers=form.answers(),
            background_check_confirmed=form.cleaned_data.get("background_check", False),
        )
    except services.BookingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _status_message(booking))
    return redirect(visit)


def _status_message(booking: Booking) -> str:
    if booking.status == Booking.Status.CONFIRMED:
        return _("Your place is confirmed.")
    if booking.status == Booking.Status.REQUESTED:
        return _("Your place is held while the hosts look at your request; you will hear from them.")
    return _(
        "The visit is full: you are number %(n)s on the waiting list. You will hear as soon as a place frees up."
    ) % {"n": services.waitlist_position(booking)}


@member_required
def booking_list(request: HttpRequest) -> HttpResponse:
    bookings = (
        Booking.objects.filter(member=request.user)
        .select_related("visit", "visit__page")
        .order_by("-visit__starts_at")
    )
    return render(request, "visits/booking_list.html", {"bookings": bookings})


@member_required
@require_POST
def booking_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    # another member's booking is simply not found: a cancel request cannot tell whose bookings exist
    booking = get_object_or_404(Booking.objects.select_related("visit"), pk=pk, member=request.user)
    try:
        services.cancel_booking(booking=booking, by=request.user)
    except services.BookingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your booking is cancelled."))
    return redirect(booking.visit)
