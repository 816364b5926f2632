"""Joining: apply after verifying, moderators decide, the applicant hears either way."""

from http import HTTPStatus

import pytest
from django.core import mail
from wagtail.models import ModelLogEntry

from network import services
from network.models import MembershipSettings, Profile
from tests.factories import MemberFactory, ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db

APPLICATION = {
    "display_name": "Jo Bloggs",
    "organisation": "Croydon peer network",
    "relationship": "service_user",
    "region": "london",
    "reason": "I want to learn how other peer networks keep going.",
}


def _apply(client, run_on_commit, **changes):
    with run_on_commit():
        return client.post("/network/join/", {**APPLICATION, **changes})


def test_after_signing_in_someone_who_has_not_applied_is_asked_to(client, home_page):
    UserFactory(email="new@example.org")

    response = client.post(
        "/accounts/login/", {"login": "new@example.org", "password": "correct-horse-battery"}
    )

    assert response["Location"] == "/network/join/"


def test_an_application_leaves_the_person_pending_and_tells_the_moderators(client, home_page, run_on_commit):
    moderator = ModeratorFactory()
    client.force_login(UserFactory(email="jo@example.org"))

    response = _apply(client, run_on_commit)

    assert response.status_code == HTTPStatus.FOUND
    profile = Profile.objects.get(user__email="jo@example.org")
    assert profile.status == Profile.Status.APPLICANT
    assert profile.display_name == "Jo Bloggs"
    assert "waiting for a moderator" in client.get(response["Location"]).content.decode()
    notice = next(m for m in mail.outbox if m.to == [moderator.email])
    assert "Jo Bloggs" in notice.subject and "peer networks keep going" in notice.body


def test_an_application_with_missing_or_marked_up_answers_is_refused_with_reasons(
    client, home_page, run_on_commit
):
    client.force_login(UserFactory())

    response = _apply(client, run_on_commit, display_name="", reason="<script>alert(1)</script>")

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors.keys() == {"display_name", "reason"}
    assert "HTML tags" in response.content.decode()
    assert not Profile.objects.filter(status=Profile.Status.APPLICANT).exists()


def test_approving_makes_a_member_and_emails_them(run_on_commit):
    moderator = ModeratorFactory()
    applicant = UserFactory(profile=Profile.Status.APPLICANT)

    with run_on_commit():
        services.approve_member(profile=applicant.network_profile, by=moderator, message="Welcome aboard")

    applicant.network_profile.refresh_from_db()
    assert applicant.network_profile.status == Profile.Status.MEMBER
    assert applicant.groups.filter(name="Members").exists()
    assert mail.outbox[-1].to == [applicant.email] and "Welcome aboard" in mail.outbox[-1].body
    assert ModelLogEntry.objects.filter(action="network.approve", user_id=moderator.pk).exists()


def test_declining_keeps_the_person_out_and_shows_them_the_message(client, home_page, run_on_commit):
    applicant = UserFactory(profile=Profile.Status.APPLICANT)

    with run_on_commit():
        services.decline_application(
            profile=applicant.network_profile, by=ModeratorFactory(), message="Not a fit"
        )
    client.force_login(applicant)
    response = client.get("/network/members/")

    assert mail.outbox[-1].to == [applicant.email] and "Not a fit" in mail.outbox[-1].body
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "was not approved" in response.content.decode() and "Not a fit" in response.content.decode()


def test_a_member_cannot_be_approved_twice():
    member = MemberFactory()

    with pytest.raises(services.NotAnApplicant):
        services.approve_member(profile=member.network_profile, by=None)


def test_someone_who_has_applied_cannot_apply_again(client, home_page, run_on_commit):
    applicant = UserFactory(profile=Profile.Status.APPLICANT)
    client.force_login(applicant)

    response = _apply(client, run_on_commit, display_name="Changed name")

    assert response["Location"] == "/network/membership/"
    applicant.network_profile.refresh_from_db()
    assert applicant.network_profile.display_name != "Changed name"


@pytest.mark.parametrize(
    ("policy", "domains", "email", "approved"),
    [
        (MembershipSettings.Policy.MODERATED, "", "a@nhs.net", False),
        (MembershipSettings.Policy.DOMAINS, "nhs.net\ncouncil.gov.uk", "a@nhs.net", True),
        (MembershipSettings.Policy.DOMAINS, "nhs.net", "a@gmail.example", False),
        (MembershipSettings.Policy.OPEN, "", "a@gmail.example", True),
    ],
)
def test_the_site_rule_can_approve_verified_addresses_automatically(
    client, home_page, run_on_commit, policy, domains, email, approved
):
    MembershipSettings.objects.update_or_create(
        pk=MembershipSettings.load().pk, defaults={"policy": policy, "approved_domains": domains}
    )
    client.force_login(UserFactory(email=email))

    _apply(client, run_on_commit)

    status = Profile.objects.get(user__email=email).status
    assert (status == Profile.Status.MEMBER) is approved


def test_an_unverified_address_cannot_apply_even_when_signed_in_by_some_other_route(
    client, home_page, run_on_commit
):
    MembershipSettings.objects.update_or_create(pk=MembershipSettings.load().pk, defaults={"policy": "open"})
    moderator = ModeratorFactory()
    client.force_login(UserFactory(email="unverified@example.org", verified=False))

    response = _apply(client, run_on_commit)

    assert response["Location"] == "/accounts/email/"
    assert Profile.objects.get(user__email="unverified@example.org").status == Profile.Status.NEW
    assert not [m for m in mail.outbox if moderator.email in m.to]


def test_suspending_ends_every_session_and_reinstating_restores_access(client, home_page, run_on_commit):
    member = MemberFactory(email="amara@example.org")
    client.post("/accounts/login/", {"login": "amara@example.org", "password": "correct-horse-battery"})
    assert client.get("/network/members/").status_code == HTTPStatus.OK

    with run_on_commit():
        services.suspend_member(profile=member.network_profile, by=ModeratorFactory(), reason="Spam")

    assert client.get("/network/members/").status_code == HTTPStatus.FOUND  # signed out: sent to sign in
    assert "Spam" in mail.outbox[-1].body
    client.force_login(member)
    suspended = client.get("/network/members/")
    assert suspended.status_code == HTTPStatus.FORBIDDEN and "suspended" in suspended.content.decode()

    services.reinstate_member(profile=member.network_profile, by=None)

    assert client.get("/network/members/").status_code == HTTPStatus.OK


def test_nothing_of_the_email_address_becomes_the_profile_address(client, home_page, run_on_commit):
    client.force_login(UserFactory(email="jane.bloggs.1987@example.org", first_name="", last_name=""))
    assert client.get("/network/join/").status_code == HTTPStatus.OK

    _apply(client, run_on_commit)

    profile = Profile.objects.get(user__email="jane.bloggs.1987@example.org")
    assert profile.handle == "jo-bloggs" and "1987" not in profile.handle


def test_a_second_application_racing_the_first_is_not_an_error(client, home_page, run_on_commit, monkeypatch):
    client.force_login(UserFactory())
    _apply(client, run_on_commit)

    def lost_race(**kwargs):
        raise services.AlreadyApplied("applicant")

    monkeypatch.setattr(services, "get_or_create_profile", lambda user: Profile(status=Profile.Status.NEW))
    monkeypatch.setattr(services, "apply_for_membership", lost_race)
    response = _apply(client, run_on_commit)

    assert response.status_code == HTTPStatus.FOUND and response["Location"] == "/network/membership/"


def test_emails_show_names_as_typed_not_as_html(run_on_commit):
    applicant = UserFactory(profile=Profile.Status.APPLICANT, profile__display_name="Siân O'Brien & Co")

    with run_on_commit():
        services.approve_member(profile=applicant.network_profile, by=None, message='Say "hello"')

    body = mail.outbox[-1].body
    assert "Siân O'Brien & Co" in body and 'Say "hello"' in body
    assert "&#x27;" not in body and "&amp;" not in body and "&quot;" not in body


def test_a_suspended_moderator_is_not_sent_applications(client, home_page, run_on_commit):
    active, suspended = ModeratorFactory(), ModeratorFactory()
    services.suspend_member(profile=suspended.network_profile, by=None, reason="Leaked data")
    mail.outbox.clear()
    client.force_login(UserFactory())

    _apply(client, run_on_commit)

    recipients = [m.to for m in mail.outbox]
    assert [active.email] in recipients and [suspended.email] not in recipients


def test_deleting_an_account_deletes_the_application_mail_moderators_were_sent(
    client, home_page, run_on_commit
):
    from network.models import OutboxMessage

    ModeratorFactory()
    applicant = UserFactory(email="Jo.Case@Example.org")
    client.force_login(applicant)
    _apply(client, run_on_commit)
    assert OutboxMessage.objects.filter(subject__contains="Jo Bloggs").exists()

    services.delete_account(user=applicant, remove_content=False)

    assert not OutboxMessage.objects.filter(subject__contains="Jo Bloggs").exists()


def test_membership_emails_link_to_the_network_wherever_the_site_mounts_it(
    home_page, settings, run_on_commit
):
    settings.NETWORK_SITE_URL = "https://coproduce.example.net/"
    applicant = UserFactory(email="kim@example.org", profile=Profile.Status.APPLICANT)

    with run_on_commit():
        services.approve_member(profile=applicant.network_profile, by=None)

    welcome = next(m for m in mail.outbox if m.to == ["kim@example.org"])
    assert "https://coproduce.example.net/network/" in welcome.body
