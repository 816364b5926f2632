"""A member downloads everything the site holds about them, and can delete their account."""

import json
from http import HTTPStatus

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from wagtail import hooks
from wagtail.models import ModelLogEntry

from network.hooks import BEFORE_DELETE_MEMBER, MEMBER_DATA
from network.models import Profile
from tests.factories import PASSWORD, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client, home_page):
    member = MemberFactory(
        email="amara@example.org",
        profile__display_name="Amara",
        profile__bio="My bio",
        profile__organisation_visibility="private",
    )
    client.post("/accounts/login/", {"login": "amara@example.org", "password": PASSWORD})
    return member


def test_the_download_holds_account_profile_and_history_as_json(client, member):
    response = client.post("/network/my-data/download/")

    assert response["Content-Type"].startswith("application/json")
    assert "attachment;" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == "amara@example.org"
    assert data["profile"]["display_name"] == "Amara" and data["profile"]["bio"] == "My bio"
    assert data["profile"]["organisation_visibility"] == "private"
    assert ModelLogEntry.objects.filter(action="network.export", user_id=member.pk).exists()


def test_other_apps_add_their_data_through_the_hook(client, member):
    with hooks.register_temporarily(MEMBER_DATA, lambda user: {"bookings": [f"visit for {user.email}"]}):
        data = json.loads(client.post("/network/my-data/download/").content)

    assert data["bookings"] == ["visit for amara@example.org"]


def test_the_download_needs_a_post_so_no_link_can_trigger_it(client, member):
    assert client.get("/network/my-data/download/").status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_applicants_can_download_their_data_too(client, home_page):
    client.force_login(UserFactory(profile=Profile.Status.APPLICANT))

    assert client.post("/network/my-data/download/").status_code == HTTPStatus.OK


def test_deleting_needs_the_password_and_keeps_everything_when_it_is_wrong(client, member):
    response = client.post("/network/my-data/delete-account/", {"password": "wrong"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "That password is not right." in response.content.decode()
    assert get_user_model().objects.filter(pk=member.pk).exists()


def test_deleting_removes_the_account_profile_and_addresses_and_signs_out_everywhere(
    client, member, home_page
):
    other_device = client.__class__()
    other_device.post("/accounts/login/", {"login": "amara@example.org", "password": PASSWORD})
    calls = []

    with hooks.register_temporarily(
        BEFORE_DELETE_MEMBER, lambda user, remove: calls.append((user.email, remove))
    ):
        response = client.post("/network/my-data/delete-account/", {"password": PASSWORD})

    assert response["Location"] == "/"
    assert not get_user_model().objects.filter(pk=member.pk).exists()
    assert not Profile.objects.filter(display_name="Amara").exists()
    assert not EmailAddress.objects.filter(email="amara@example.org").exists()
    assert calls == [("amara@example.org", False)]
    assert other_device.get("/network/members/").status_code == HTTPStatus.FOUND
    assert ModelLogEntry.objects.filter(action="network.delete_account").exists()


def test_a_member_may_choose_to_remove_their_writing_too(client, member):
    calls = []

    with hooks.register_temporarily(BEFORE_DELETE_MEMBER, lambda user, remove: calls.append(remove)):
        client.post("/network/my-data/delete-account/", {"password": PASSWORD, "remove_content": "on"})

    assert calls == [True]


def test_deleting_an_account_forgets_its_mail_and_its_name_in_the_audit_log(client, member, run_on_commit):
    from network import services
    from network.models import OutboxMessage

    with run_on_commit():
        services.suspend_member(profile=member.network_profile, by=None, reason="Posted Amara's phone number")
        services.reinstate_member(profile=member.network_profile, by=None)
    assert OutboxMessage.objects.filter(to__icontains="amara@example.org").exists()
    client.force_login(member)

    client.post("/network/my-data/delete-account/", {"password": PASSWORD})

    assert not OutboxMessage.objects.filter(to__icontains="amara@example.org").exists()
    entries = ModelLogEntry.objects.filter(content_type__model="profile")
    assert entries.exists()
    assert all(e.label == "former member" and "phone" not in str(e.data) for e in entries)


@pytest.mark.parametrize(
    "address", ["amara.old@example.org", "Zoë.Łukasiewicz@example.org", "Amara <AMARA@example.org>"]
)
def test_deleting_an_account_forgets_mail_to_any_address_the_person_had(client, member, address):
    from network.models import OutboxMessage
    from network.outbox import queue_email

    EmailAddress.objects.get_or_create(
        user=member, email=address.split("<")[-1].rstrip(">").lower(), defaults={"verified": True}
    )
    queue_email(to=[address], subject="Your sign-in link", body="…")
    kept = queue_email(to=["someone.else@example.org"], subject="Hello", body="…")
    client.force_login(member)

    client.post("/network/my-data/delete-account/", {"password": PASSWORD})

    assert list(OutboxMessage.objects.values_list("pk", flat=True)) == [kept.pk]
