"""The back office: editors and moderators offer and change visits in the Wagtail admin, with the same checks
and the same services as hosts on the site; editors and moderators give and take the host role."""

from datetime import datetime
from http import HTTPStatus

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from network import roles
from network.models import Profile
from network.services import NotAllowed, membership
from tests.factories import (
    BookingFactory,
    EditorFactory,
    HostFactory,
    MemberFactory,
    ModeratorFactory,
    StudyVisitFactory,
)
from visits.models import StudyVisit

pytestmark = pytest.mark.django_db

ADD = reverse("visits_visits:add")
INDEX = reverse("visits_visits:index")
HOSTS = reverse("network_profiles:hosts")


@pytest.fixture
def exemplar(make_exemplar):
    return make_exemplar("GP-linked time bank")


def next_year(month: int, day: int, hour: int, minute: int = 0) -> str:
    return f"{timezone.now().year + 1}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}"


def last_sunday(month: int) -> int:
    year = timezone.now().year + 1
    return max(d for d in range(25, 32) if datetime(year, month, d).weekday() == 6)


def offer(exemplar, host=None, **changes) -> dict:
    """The admin form's fields; `host` only for a new visit (a visit keeps its host when changed)."""
    data = {
        "page": exemplar.pk,
        "host": host.pk if host else None,
        "title": "A morning at the time bank",
        "description": "Meet the broker and the members who trade hours.",
        "time_zone": "Europe/London",
        "starts_at": next_year(6, 10, 10),
        "ends_at": next_year(6, 10, 13),
        "venue": "Rushey Green Group Practice",
        "address": "Hawstead Road, London SE6 4JH",
        "capacity": "15",
        "ask_access_needs": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.parametrize("staff_factory", [EditorFactory, ModeratorFactory], ids=["editor", "moderator"])
def test_editors_and_moderators_offer_a_visit_for_a_host_in_the_admin(client, exemplar, staff_factory):
    staff, host = staff_factory(), HostFactory()
    client.force_login(staff)

    response = client.post(ADD, offer(exemplar, host))

    assert response.status_code == HTTPStatus.FOUND
    visit = StudyVisit.objects.get()
    assert (visit.status, visit.host, visit.title) == ("draft", host, "A morning at the time bank")
    assert visit.local_start.replace(tzinfo=None) == datetime.fromisoformat(next_year(6, 10, 10))
    entry = ModelLogEntry.objects.get(action="wagtail.create", object_id=str(visit.pk))
    assert entry.user_id == staff.pk  # the audit log names who filled in the form
    listing = client.get(INDEX).content.decode()
    assert "A morning at the time bank" in listing and host.network_profile.display_name in listing
    assert "0 / 15" in listing  # places taken
    assert client.get(INDEX, {"ordering": "-taken"}).status_code == HTTPStatus.OK
    assert client.get(reverse("visits_visits:edit", args=[visit.pk])).status_code == HTTPStatus.OK


def test_a_moderator_may_host_the_visit_themselves(client, exemplar):
    moderator = ModeratorFactory()
    client.force_login(moderator)

    client.post(ADD, offer(exemplar, moderator))

    assert StudyVisit.objects.get().host == moderator


def test_only_a_host_can_be_chosen_to_host(client, exemplar):
    client.force_login(EditorFactory())

    response = client.post(ADD, offer(exemplar, MemberFactory()))

    assert response.status_code == HTTPStatus.OK
    assert not StudyVisit.objects.exists()


@pytest.mark.parametrize("factory", [MemberFactory, HostFactory], ids=["member", "host"])
def test_members_and_hosts_without_a_staff_role_get_no_visit_admin(client, exemplar, factory):
    client.force_login(factory())

    assert client.get(INDEX).status_code != HTTPStatus.OK
    client.post(ADD, offer(exemplar, HostFactory()))
    assert not StudyVisit.objects.exists()


def test_a_staff_member_in_the_admin_without_the_role_gets_no_visit_admin(client, exemplar):
    """Someone who may enter the admin (a superuser gave them access) but is neither editor nor moderator."""
    from django.contrib.auth.models import Permission

    person = HostFactory()
    person.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(person)

    assert client.get(INDEX).status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
    response = client.post(ADD, offer(exemplar, person))
    assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
    assert not StudyVisit.objects.exists()
    assert reverse("visits_visits:index") not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_a_suspended_moderator_loses_the_visit_admin(client, exemplar):
    moderator = ModeratorFactory()
    Profile.objects.filter(user=moderator).update(status=Profile.Status.SUSPENDED)
    client.force_login(moderator)

    client.post(ADD, offer(exemplar, HostFactory()))

    assert not StudyVisit.objects.exists()


def test_a_time_the_clocks_skip_is_refused_in_the_admin_too(client, exemplar):
    client.force_login(EditorFactory())
    day = last_sunday(3)  # London's clocks go from 01:00 to 02:00

    response = client.post(
        ADD, offer(exemplar, HostFactory(), starts_at=next_year(3, day, 1, 30), ends_at=next_year(3, day, 5))
    )

    assert response.status_code == HTTPStatus.OK
    assert "does not exist" in response.content.decode()
    assert not StudyVisit.objects.exists()


def test_a_past_start_and_absurd_places_are_refused_in_the_admin_too(client, exemplar):
    client.force_login(ModeratorFactory())
    past = (timezone.now().astimezone().replace(year=timezone.now().year - 1)).strftime("%Y-%m-%dT%H:%M")

    response = client.post(ADD, offer(exemplar, HostFactory(), starts_at=past, capacity="501"))

    page = response.content.decode()
    assert "The start is in the past" in page and "501" in page
    assert not StudyVisit.objects.exists()


@pytest.mark.parametrize("staff_factory", [EditorFactory, ModeratorFactory], ids=["editor", "moderator"])
def test_changing_a_published_visits_time_in_the_admin_raises_its_sequence_and_tells_those_booked(
    client, exemplar, staff_factory, run_on_commit
):
    visit = StudyVisitFactory(page=exemplar)
    booking = BookingFactory(visit=visit)
    client.force_login(staff_factory())
    later = visit.local_start.replace(hour=11).strftime("%Y-%m-%dT%H:%M")
    data = offer(
        exemplar,
        title=visit.title,
        description=visit.description,
        venue=visit.venue,
        address=visit.address,
        starts_at=later,
        ends_at=visit.local_end.strftime("%Y-%m-%dT%H:%M"),
        capacity=None,
    )

    with run_on_commit():
        response = client.post(reverse("visits_visits:edit", args=[visit.pk]), data)

    assert response.status_code == HTTPStatus.FOUND
    visit.refresh_from_db()
    assert (visit.sequence, visit.local_start.hour, visit.status) == (1, 11, "published")
    assert [message.to for message in mail.outbox] == [[booking.member.email]]
    assert ModelLogEntry.objects.filter(action="wagtail.edit", object_id=str(visit.pk)).exists()


def test_a_cancelled_visit_cannot_be_changed_in_the_admin(client, exemplar):
    visit = StudyVisitFactory(page=exemplar, status=StudyVisit.Status.CANCELLED)
    client.force_login(ModeratorFactory())
    data = offer(
        exemplar,
        title="A new title",
        starts_at=visit.local_start.strftime("%Y-%m-%dT%H:%M"),
        ends_at=visit.local_end.strftime("%Y-%m-%dT%H:%M"),
    )

    response = client.post(reverse("visits_visits:edit", args=[visit.pk]), data)

    assert "can no longer be changed" in response.content.decode()
    visit.refresh_from_db()
    assert visit.title != "A new title"


# -- the host role -----------------------------------------------------------------------------------------


def test_a_moderator_makes_a_member_a_host_and_the_member_can_offer_visits(client):
    moderator, member = ModeratorFactory(), MemberFactory()
    client.force_login(member)
    assert client.get(reverse("visits:visit_create")).status_code == HTTPStatus.FORBIDDEN

    client.force_login(moderator)
    moderate = reverse("network_profiles:moderate", args=[member.network_profile.pk])
    assert "Make host" in client.get(moderate).content.decode()
    response = client.post(HOSTS, {"action": "grant", "profile": member.network_profile.pk, "next": moderate})

    assert response.status_code == HTTPStatus.FOUND and response.url == moderate
    assert member.groups.filter(name=roles.HOSTS).exists()
    assert ModelLogEntry.objects.filter(action="network.grant_host", user=moderator).exists()
    client.force_login(member)
    assert client.get(reverse("visits:visit_create")).status_code == HTTPStatus.OK


def test_a_moderator_takes_the_host_role_away_and_the_member_can_no_longer_offer_visits(client):
    moderator, host = ModeratorFactory(), HostFactory()
    client.force_login(moderator)

    client.post(HOSTS, {"action": "revoke", "profile": host.network_profile.pk})

    assert not host.groups.filter(name=roles.HOSTS).exists()
    assert ModelLogEntry.objects.filter(action="network.revoke_host", user=moderator).exists()
    client.force_login(host)
    assert client.get(reverse("visits:visit_create")).status_code == HTTPStatus.FORBIDDEN


def test_an_editor_finds_the_hosts_page_and_grants_the_role_by_profile_address(client):
    editor, member = EditorFactory(), MemberFactory()
    client.force_login(editor)

    assert HOSTS in client.get(reverse("wagtailadmin_home")).content.decode()
    client.post(HOSTS, {"action": "grant", "handle": f"@{member.network_profile.handle}"})

    assert member.groups.filter(name=roles.HOSTS).exists()
    assert member.network_profile.display_name in client.get(HOSTS).content.decode()


@pytest.mark.parametrize("factory", [MemberFactory, HostFactory], ids=["member", "host"])
def test_members_and_hosts_cannot_give_the_host_role(client, factory):
    person, member = factory(), MemberFactory()
    client.force_login(person)

    response = client.post(HOSTS, {"action": "grant", "profile": member.network_profile.pk})

    assert response.status_code != HTTPStatus.OK or "Make host" not in response.content.decode()
    assert not member.groups.filter(name=roles.HOSTS).exists()
    with pytest.raises(NotAllowed):
        membership.grant_host(profile=member.network_profile, by=person)


def test_only_approved_members_are_made_hosts(client):
    moderator = ModeratorFactory()
    applicant = MemberFactory(profile=Profile.Status.APPLICANT, groups=[])
    client.force_login(moderator)

    client.post(HOSTS, {"action": "grant", "profile": applicant.network_profile.pk})

    assert not applicant.groups.filter(name=roles.HOSTS).exists()
    moderate = client.get(reverse("network_profiles:moderate", args=[applicant.network_profile.pk]))
    assert "Make host" not in moderate.content.decode()


def test_nobody_changes_their_own_host_role():
    editor = EditorFactory()

    with pytest.raises(NotAllowed):
        membership.grant_host(profile=editor.network_profile, by=editor)


def test_a_host_whose_role_ends_manages_nothing_until_a_moderator_hands_the_visit_on(client, make_exemplar):
    from network.services.membership import revoke_host
    from tests.factories import BookingFactory, HostFactory, ModeratorFactory, StudyVisitFactory
    from visits import services

    old_host, new_host, moderator = HostFactory(), HostFactory(), ModeratorFactory()
    visit = StudyVisitFactory(page=make_exemplar("Time bank"), host=old_host)
    BookingFactory(visit=visit, answers={"access_needs": "Hearing loop"})
    revoke_host(profile=old_host.network_profile, by=moderator)
    client.force_login(old_host)
    shut_out = [client.get(f"/visits/host/{visit.pk}/"), client.get(f"/visits/host/{visit.pk}/attendees.csv")]

    services.hand_on_visit(visit=visit, host=new_host, by=moderator)
    client.force_login(new_host)
    handed_on = client.get(f"/visits/host/{visit.pk}/")

    assert [r.status_code for r in shut_out] == [HTTPStatus.NOT_FOUND] * 2
    assert "Hearing loop" not in shut_out[1].content.decode()
    assert handed_on.status_code == HTTPStatus.OK and "Hearing loop" in handed_on.content.decode()
    with pytest.raises(services.OfferingError):
        services.hand_on_visit(visit=visit, host=old_host, by=moderator)  # no longer a host
