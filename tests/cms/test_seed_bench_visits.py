from http import HTTPStatus

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse

from visits.models import Booking, StudyVisit

pytestmark = pytest.mark.django_db


def test_seed_bench_adds_upcoming_visits_with_bookings_that_never_overfill_them(client, capsys):
    call_command("seed_demo", force=True)
    before = StudyVisit.objects.count()

    call_command("seed_bench", members=60, exemplars=5, visits=12, bookings=200)

    bench = StudyVisit.objects.order_by("pk")[before:]
    assert len(bench) == 12 and all(v.status == "published" and v.starts_at > v.published_at for v in bench)
    busiest = StudyVisit.objects.upcoming().with_places_taken().order_by("-capacity", "pk").first()
    assert busiest.taken > 50  # nearly every member holds a place on it
    for visit in StudyVisit.objects.with_places_taken():
        assert visit.taken <= visit.capacity
    twice = Booking.objects.values("visit", "member").annotate(n=Count("pk")).filter(n__gt=1)
    assert not twice.exists()
    assert client.get(reverse("visits:visit_list")).status_code == HTTPStatus.OK
    assert client.get(busiest.get_absolute_url()).status_code == HTTPStatus.OK
