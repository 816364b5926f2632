"""Calendar feeds a calendar subscribes to (webcal-compatible .ics): the public feed of upcoming visits
(no attendee in it) and each member's private feed of the visits they have a place on, at an address that
holds the member's private feed key (the network's one feed secret: regenerating it revokes every feed).
Both carry the same UIDs as the invites and answer conditional requests (ETag)."""

import hashlib
from datetime import timedelta

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import condition
from wagtail.models import Page

from network import fragments
from network.models import Profile
from network.privacy import public_pages

from . import calendar
from .models import Booking, StudyVisit

RECENT = timedelta(days=30)  # a feed keeps visits this long after they end, and shows cancellations as long


VERSIONS = ("visits", "pages", "members")  # bookings and visits, page restrictions, hosts' names


def _today() -> str:
    return timezone.now().strftime("%Y%m%d")  # "recent" moves on by the day, which no change announces


def _etag(*parts) -> str:
    versions = [fragments.version(name) for name in VERSIONS]
    return hashlib.sha256(repr((versions, parts, _today())).encode()).hexdigest()[:32]


def _calendar_response(visits, name: str) -> HttpResponse:
    response = HttpResponse(
        calendar.feed(visits, name=name).to_ical(), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = "private, max-age=900"
    return response


@condition(etag_func=lambda request: _etag("public"))
def public_feed(request: HttpRequest) -> HttpResponse:
    """Upcoming visits (and those cancelled lately, so subscribed calendars drop them) to public pages; the
    same for everyone, so kept until a visit, booking, page or profile changes (or the day does)."""
    return fragments.kept_response(
        "visits-public-feed", depends_on=VERSIONS, audience=None, vary=_today(), respond=_public_feed
    )


def _public_feed() -> HttpResponse:
    since = timezone.now() - RECENT
    visits = (
        StudyVisit.objects.filter(status__in=["published", "cancelled", "completed"], ends_at__gt=since)
        .filter(page__in=public_pages(Page.objects.live()))
        .select_related("host__network_profile")
        .order_by("starts_at", "pk")
    )
    return _calendar_response(visits, "Study visits")


def _member(key: str) -> Profile:
    profile = Profile.objects.for_feed_key(key)
    if profile is None:
        raise Http404("No such feed.")  # a revoked key, a former member, or nothing
    return profile


def _member_etag(request: HttpRequest, key: str) -> str | None:
    # no tag for a key that no longer opens a feed: the view answers 404 even to a conditional request
    return _etag("member", key) if Profile.objects.for_feed_key(key) is not None else None


@condition(etag_func=_member_etag)
def member_feed(request: HttpRequest, key: str) -> HttpResponse:
    """The visits this member holds a confirmed place on (cancelled visits stay a while, as cancelled);
    kept per member, the key checked on every request first."""
    profile = _member(key)
    return fragments.kept_response(
        "visits-member-feed",
        depends_on=VERSIONS,
        audience=profile.user_id,
        vary=_today(),
        respond=lambda: _member_feed(profile),
    )


def _member_feed(profile: Profile) -> HttpResponse:
    since = timezone.now() - RECENT
    booked = Booking.objects.filter(member_id=profile.user_id, status=Booking.Status.CONFIRMED)
    cancelled_visits = Booking.objects.filter(
        member_id=profile.user_id, status=Booking.Status.CANCELLED, visit__status="cancelled"
    )
    visits = (
        (
            StudyVisit.objects.filter(ends_at__gt=since).filter(pk__in=booked.values("visit"))
            | StudyVisit.objects.filter(ends_at__gt=since, pk__in=cancelled_visits.values("visit"))
        )
        .select_related("host__network_profile")
        .order_by("starts_at", "pk")
    )
    return _calendar_response(visits, "My study visits")
