"""A decline or suspension outlives the account: deleting it and signing up again with the same address is
never approved automatically, and the moderators see what happened before."""

from http import HTTPStatus

import pytest
from django.core import mail

from network import services
from network.models import AddressRecord, MembershipSettings, Profile
from tests.factories import PASSWORD, MemberFactory, ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db

APPLICATION = {
    "display_name": "Sam Again",
    "organisation": "",
    "relationship": "service_user",
    "region": "london",
    "reason": "I would like to take part again.",
}


def _rule(policy: str, domains: str = "") -> None:
    MembershipSettings.objects.update_or_create(
        pk=MembershipSettings.load().pk, defaults={"policy": policy, "approved_domains": domains}
    )


def _delete_account(client, user) -> None:
    client.force_login(user)
    response = client.post("/network/my-data/delete-account/", {"password": PASSWORD})
    assert response.status_code == HTTPStatus.FOUND


def _rejoin(client, run_on_commit, email: str):
    client.force_login(UserFactory(email=email))
    with run_on_commit():
        client.post("/network/join/", APPLICATION)
    return Profile.objects.get(user__email=email)


@pytest.mark.parametrize("policy", ["open", "domains", "moderated"])
def test_a_suspended_member_who_deletes_their_account_and_rejoins_waits_for_a_moderator(
    client, home_page, run_on_commit, policy
):
    _rule(policy, domains="example.org")
    moderator = ModeratorFactory()
    member = MemberFactory(email="sam@example.org")
    services.suspend_member(profile=member.network_profile, by=moderator, reason="Harassed other members")
    _delete_account(client, member)
    mail.outbox.clear()

    profile = _rejoin(client, run_on_commit, "Sam@Example.org")

    assert profile.status == Profile.Status.APPLICANT
    notice = next(m for m in mail.outbox if m.to == [moderator.email])
    assert "Suspended on" in notice.body
    client.force_login(moderator)
    page = client.get(f"/admin/network_profiles/{profile.pk}/moderate/").content.decode()
    assert "Suspended" in page and "decided about this email address before" in page


def test_a_declined_applicant_who_rejoins_under_a_plus_address_waits_for_a_moderator(
    client, home_page, run_on_commit
):
    _rule("open")
    applicant = UserFactory(email="kim@example.org", profile=Profile.Status.APPLICANT)
    services.decline_application(profile=applicant.network_profile, by=ModeratorFactory())
    _delete_account(client, applicant)

    profile = _rejoin(client, run_on_commit, "kim+again@example.org")

    assert profile.status == Profile.Status.APPLICANT


def test_no_address_is_kept_in_the_clear(home_page):
    member = MemberFactory(email="sam@example.org")
    services.suspend_member(profile=member.network_profile, by=ModeratorFactory(), reason="x")

    record = AddressRecord.objects.get()
    assert "sam" not in record.digest and len(record.digest) == 64


def test_reinstating_ends_the_record_and_newcomers_have_none(client, home_page, run_on_commit):
    _rule("open")
    moderator = ModeratorFactory()
    member = MemberFactory(email="sam@example.org")
    services.suspend_member(profile=member.network_profile, by=moderator, reason="x")
    services.reinstate_member(profile=member.network_profile, by=moderator)
    _delete_account(client, member)

    assert _rejoin(client, run_on_commit, "sam@example.org").status == Profile.Status.MEMBER
    assert _rejoin(client, run_on_commit, "someone.new@example.org").status == Profile.Status.MEMBER


def test_records_survive_a_rotated_secret_key(client, home_page, run_on_commit, settings):
    _rule("open")
    member = MemberFactory(email="sam@example.org")
    services.suspend_member(profile=member.network_profile, by=ModeratorFactory(), reason="x")
    _delete_account(client, member)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-key-" * 6

    assert _rejoin(client, run_on_commit, "sam@example.org").status == Profile.Status.APPLICANT


def _probe(client, run_on_commit, n: int, address: str):
    """Someone adds `address` to their own account without proving it is theirs, then applies."""
    from allauth.account.models import EmailAddress

    prober = UserFactory(email=f"prober{n}@elsewhere.example")
    client.force_login(prober)
    client.post("/accounts/email/", {"action_add": "", "email": address})
    assert EmailAddress.objects.filter(user=prober, email=address, verified=False).exists()
    with run_on_commit():
        client.post("/network/join/", APPLICATION)
    return Profile.objects.get(user=prober).status


def test_an_unverified_address_tells_nothing_about_its_owners_history(client, home_page, run_on_commit):
    _rule("open")
    member = MemberFactory(email="target@example.org")
    services.suspend_member(profile=member.network_profile, by=ModeratorFactory(), reason="x")
    _delete_account(client, member)

    assert _probe(client, run_on_commit, 1, "innocent@example.org") == Profile.Status.MEMBER
    assert _probe(client, run_on_commit, 2, "target@example.org") == Profile.Status.MEMBER  # no oracle


def test_a_suspended_member_cannot_mark_someone_elses_address(client, home_page, run_on_commit):
    _rule("open")
    troll = MemberFactory(email="troll@elsewhere.example")
    client.force_login(troll)
    client.post("/accounts/email/", {"action_add": "", "email": "victim@example.org"})
    services.suspend_member(profile=troll.network_profile, by=ModeratorFactory(), reason="spam")
    _delete_account(client, troll)

    assert _rejoin(client, run_on_commit, "victim@example.org").status == Profile.Status.MEMBER


@pytest.mark.parametrize(
    ("recorded", "rejoining"),
    [
        ("sam.smith@gmail.com", "samsmith@gmail.com"),
        ("ann.bee@gmail.com", "Ann.Bee+x@googlemail.com"),
        ("sam@bücher.example", "sam@xn--bcher-kva.example"),
    ],
)
def test_another_spelling_of_the_same_mailbox_still_waits_for_a_moderator(
    client, home_page, run_on_commit, recorded, rejoining
):
    _rule("open")
    member = MemberFactory(email=recorded)
    services.suspend_member(profile=member.network_profile, by=ModeratorFactory(), reason="x")
    _delete_account(client, member)

    assert _rejoin(client, run_on_commit, rejoining).status == Profile.Status.APPLICANT
