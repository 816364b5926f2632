"""What members and visitors see: the visits on offer, a visit's page, booking and cancelling."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Page

from network import fragments
from network.access import is_member, member_required, profile_of
from network.auth_backends import group_ids_key, permissions_key
from network.models import Profile
from network.privacy import audience, visible_pages
from network.services.moderation import may_decide

from . import calendar, services
from .access import is_host, may_manage
from .filters import VisitFilters
from .forms import BookingForm
from .models import Booking, StudyVisit
from .pages import page_details


def _seen_by(queryset, request):
    """Visits to pages this viewer may see (an editor can restrict the exemplar a visit goes to)."""
    return queryset.filter(page__in=visible_pages(Page.objects.live(), request))


FILTERS = ("region", "theme", "month", "places")
# Kept renderings follow every change to visits, bookings and pages; the hour in their keys moves a visit out
# of "upcoming" once it starts, which no change announces.
VERSIONS = ("visits", "pages")


def _hour() -> str:
    return timezone.now().strftime("%Y%m%d%H")


def visit_list(request: HttpRequest) -> HttpResponse:
    # only the filters' own values (cut short) name a kept copy: other parameters cannot fill the cache
    query = {name: request.GET.get(name, "")[:40] for name in FILTERS if request.GET.get(name)}
    number = request.GET.get("page", "1")[:6]

    def build() -> str:
        upcoming = _seen_by(StudyVisit.objects.upcoming(), request)
        filters = VisitFilters(query, visits=upcoming)
        visits = (
            filters.apply(upcoming.with_places_taken()).select_related("page").order_by("starts_at", "pk")
        )
        page = Paginator(visits, 20).get_page(number)
        context = {"filters": filters, "page": page, "visits": page.object_list, "query": urlencode(query)}
        return render_to_string("visits/_visit_list_results.html", context)

    results = fragments.fragment(
        "visit-list",
        depends_on=VERSIONS,
        audience=audience(request),
        vary=(sorted(query.items()), number, _hour()),
        build=build,
    )
    return render(request, "visits/visit_list.html", {"results": mark_safe(results)})  # noqa: S308 - ours, escaped


def visit_past(request: HttpRequest) -> HttpResponse:
    number = request.GET.get("page", "1")[:6]

    def build() -> str:
        visits = _seen_by(StudyVisit.objects.past(), request).order_by("-starts_at").select_related("page")
        page = Paginator(visits, 20).get_page(number)
        return render_to_string("visits/_visit_past_results.html", {"page": page, "visits": page.object_list})

    results = fragments.fragment(
        "visit-past", depends_on=VERSIONS, audience=audience(request), vary=(number, _hour()), build=build
    )
    return render(request, "visits/visit_past.html", {"results": mark_safe(results)})  # noqa: S308 - ours


def _visible_visit(request: HttpRequest, pk: int) -> dict:
    """The visit as its page shows it: kept for everyone who may see the same pages (a draft only for the
    people who manage it, and never kept). The kept copy holds the host's name and address, not the host."""

    def build(queryset) -> dict | None:
        visit = _seen_by(queryset.with_places_taken(), request).select_related("page").filter(pk=pk).first()
        if visit is None:
            return None
        # the host's profile, not the account: no credentials in the cache
        profile = Profile.objects.filter(user_id=visit.host_id).first() if visit.host_id else None
        return {
            "visit": visit,
            "summary": page_details(visit.page).summary,
            "host_name": str(profile) if profile else "",
            "host_url": profile.get_absolute_url() if profile else "",
            "co_host_ids": set(visit.co_hosts.values_list("pk", flat=True)),
            "calendar_links": {
                "google": calendar.google_calendar_url(visit),
                "outlook": calendar.outlook_url(visit),
            },
        }

    kept = fragments.fragment(
        **_kept_visit_names(request, pk), build=lambda: build(StudyVisit.objects.listed())
    )
    if kept is None and request.user.is_authenticated:
        kept = build(StudyVisit.objects.filter(status=StudyVisit.Status.DRAFT))
        if kept is not None and not may_manage(request.user, kept["visit"]):
            kept = None
    if kept is None:
        raise Http404("No such visit.")
    return kept


def _kept_visit_names(request: HttpRequest, pk: int) -> dict:
    return {
        "name": "visit",
        "depends_on": (*VERSIONS, "members"),  # members: the host's name, or their leaving
        "audience": audience(request),
        "vary": pk,
    }


def _prefetch_visit_page(request: HttpRequest, pk: int) -> None:
    """What the visit's page reads from the cache in two round trips (cms.cache.MemoRedisCache) rather than one
    a key: the versions, then what is named after them. Each value is still read, and checked, where used."""
    person = (
        [group_ids_key(request.user), permissions_key(request.user)] if request.user.is_authenticated else []
    )
    fragments.prefetch(*(fragments.version_key(name) for name in (*VERSIONS, "members")), *person)
    fragments.prefetch(
        fragments.fragment_key(**_kept_visit_names(request, pk)),
        fragments.blank_form_key(f"visit-booking-{pk}", depends_on=VERSIONS),
    )


def _manages(user, kept: dict) -> bool:
    if not is_member(user):
        return False
    if may_decide(user):
        return True
    return (user.pk == kept["visit"].host_id or user.pk in kept["co_host_ids"]) and is_host(user)


def visit_detail(request: HttpRequest, pk: int, form: BookingForm | None = None) -> HttpResponse:
    _prefetch_visit_page(request, pk)
    kept = _visible_visit(request, pk)
    visit = kept["visit"]
    member = is_member(request.user)
    booking = Booking.objects.active().filter(visit=visit, member=request.user).first() if member else None
    now = timezone.now()
    refusal = visit.booking_refusal(now)
    blank = None
    if member and form is None and booking is None and refusal is None:
        blank = fragments.blank_form(
            f"visit-booking-{visit.pk}",
            lambda initial: BookingForm(visit=visit, initial=initial),
            depends_on=VERSIONS,
        )
    context = {
        **kept,
        "calendar_links": kept["calendar_links"]
        if visit.status == StudyVisit.Status.PUBLISHED and visit.ends_at > now
        else None,
        "now": now,
        "bookable": refusal is None,
        "not_bookable_reason": refusal,
        "booking": booking,
        "position": services.waitlist_position(booking) if booking else None,
        "manages": _manages(request.user, kept),
        "viewer_is_member": member,  # profiles are members-only: others read "a member of the network"
        "form": form,
        "blank_fields": blank,
    }
    return render(request, "visits/visit_detail.html", context, status=400 if form is not None else 200)


def visit_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """The visit as a calendar file, for people who add it by hand (no attendee in it)."""
    visit = _visible_visit(request, pk)["visit"]
    if visit.status == StudyVisit.Status.DRAFT:
        raise Http404("No such visit.")
    text = calendar.feed([visit], name=visit.title).to_ical()
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="study-visit-{visit.pk}.ics"'
    return response


@member_required
@require_POST
def visit_book(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visible_visit(request, pk)["visit"]
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
    def build() -> str:
        bookings = (
            Booking.objects.filter(member=request.user)
            .select_related("visit", "visit__page")
            .order_by("-visit__starts_at")
        )
        return render_to_string("visits/_booking_table.html", {"bookings": bookings})

    # every change to a booking or visit bumps "visits": kept per member until then
    table = fragments.fragment(
        "visit-bookings", depends_on=VERSIONS, audience=request.user.pk, vary=None, build=build
    )
    profile = profile_of(request.user)  # a superuser may have none
    key = profile.feed_key if profile else ""  # the network's one private-feed secret
    try:  # where members make or renew that secret (the blog's page, when the site has the blog)
        settings_page = reverse("network:blog:private_feed_settings")
    except NoReverseMatch:
        settings_page = ""
    context = {
        "bookings_html": mark_safe(table),  # noqa: S308 - our template's output
        "calendar_feed": request.build_absolute_uri(reverse("visits:member_feed", args=[key])) if key else "",
        "feed_settings": settings_page,
    }
    return render(request, "visits/booking_list.html", context)


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
